import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { notFound } from '../../lib/errors.js';
import { findPerson } from '../persons/person.repository.js';
import { packagesOfPerson } from './package.repository.js';
import { toPackages } from './package.service.js';
import type { personShareSchema } from './partner.schemas.js';

/** Who received this person's data: every package that included them. Audited. */
export async function sharesOfPerson(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  personId: string,
): Promise<z.infer<typeof personShareSchema>[]> {
  requireAccess(actor, 'person.read', crisisId, { hide: 'person' });
  // Restricted and anonymised persons answer as missing, as on the person page itself.
  if (!(await findPerson(ctx.db.db, crisisId, personId))) throw notFound('person');
  const rows = await packagesOfPerson(ctx.db.db, crisisId, personId);
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'person.shares_viewed',
      entityType: 'person',
      entityId: personId,
      crisisId,
    }),
  );
  const views = await toPackages(ctx, rows);
  return views.map((v) => ({
    packageId: v.id,
    partner: v.partner,
    request: v.request,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
    fields: v.fields,
    format: v.format,
    downloads: v.downloads,
    linkState: v.linkState,
  }));
}
