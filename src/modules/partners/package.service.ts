import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { notFound, validationFailed } from '../../lib/errors.js';
import { hashSecret, newId, newSecret } from '../../lib/ids.js';
import { findCrisisById } from '../crises/crisis.repository.js';
import { publishableTables } from '../disclosure/index.js';
import { renderTable } from '../imports/person-export.service.js';
import { hxlRows, renderHxl } from './hxl.js';
import {
  findPackageRow,
  findSharingSettings,
  insertPackage,
  listDownloads,
  listPackageRows,
  type PackageRow,
  updatePackageRow,
  upsertSharingSettings,
} from './package.repository.js';
import { personLines, SHARE_FIELD_HEADERS, selectPersons } from './package-content.js';
import { linkState, packageBox, purgeSpentPackages } from './package-link.service.js';
import { type ProfileRow, partnerNames, requestSubjects } from './partner.repository.js';
import type {
  DataPackage,
  PackageFormat,
  packageCreatedSchema,
  packageCreateSchema,
  packageDetailSchema,
  previewSchema,
  ShareField,
  sharingSettingsSchema,
} from './partner.schemas.js';
import { partnerInCrisis, requirePartnerAccess } from './partner.service.js';
import { requestInCrisis } from './request.service.js';
import { profileInCrisis, toProfile } from './sharing-profile.service.js';

/** Link lifetime when a crisis has not set its own: 72 hours, at most a week. */
export const DEFAULT_SHARING_SETTINGS = { defaultLinkHours: 72, maxLinkHours: 168 } as const;

export async function toPackages(ctx: AppContext, rows: PackageRow[]): Promise<DataPackage[]> {
  const partners = await partnerNames(
    ctx.db.db,
    rows.map((r) => r.partner_id),
  );
  const requests = await requestSubjects(
    ctx.db.db,
    rows.flatMap((r) => (r.request_id ? [r.request_id] : [])),
  );
  const now = nowIso();
  return rows.map((r) => ({
    id: r.id,
    crisisId: r.crisis_id,
    partner: { id: r.partner_id, name: partners.get(r.partner_id) ?? '' },
    request: r.request_id ? { id: r.request_id, subject: requests.get(r.request_id) ?? '' } : null,
    profileId: r.profile_id,
    profileName: r.profile_name,
    kind: r.kind,
    format: r.format,
    fields: JSON.parse(r.fields) as string[],
    rowCount: r.row_count,
    personCount: r.person_count,
    byteSize: r.byte_size,
    sha256: r.sha256,
    fileName: r.file_name,
    expiresAt: r.expires_at,
    maxDownloads: r.max_downloads,
    downloads: r.downloads,
    revokedAt: r.revoked_at,
    purgedAt: r.purged_at,
    linkState: linkState(r, now),
    createdBy: r.created_by_label,
    createdAt: r.created_at,
  }));
}

// ---- settings ----

export async function getSharingSettings(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
): Promise<z.infer<typeof sharingSettingsSchema>> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  return readSettings(ctx, crisisId);
}

async function readSettings(ctx: AppContext, crisisId: string) {
  const row = await findSharingSettings(ctx.db.db, crisisId);
  return row
    ? { defaultLinkHours: row.default_link_hours, maxLinkHours: row.max_link_hours }
    : { ...DEFAULT_SHARING_SETTINGS };
}

/** How long links may live in a crisis: a crisis decision, so it needs `crisis.update`. */
export async function setSharingSettings(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof sharingSettingsSchema>,
): Promise<z.infer<typeof sharingSettingsSchema>> {
  requireAccess(actor, 'crisis.read', crisisId, { hide: 'crisis' });
  requireAccess(actor, 'crisis.update', crisisId);
  await ctx.db.writer.write(async (trx) => {
    await upsertSharingSettings(trx, {
      crisis_id: crisisId,
      default_link_hours: input.defaultLinkHours,
      max_link_hours: input.maxLinkHours,
      updated_at: nowIso(),
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'sharing.settings_updated',
      entityType: 'crisis',
      entityId: crisisId,
      crisisId,
      change: input,
    });
  });
  return readSettings(ctx, crisisId);
}

// ---- building ----

const FORMATS: Record<ProfileRow['kind'], PackageFormat[]> = {
  persons: ['csv', 'xlsx'],
  aggregates: ['hxl'],
};

interface BuiltContent {
  kind: ProfileRow['kind'];
  fields: string[];
  header: string[];
  lines: string[][];
  personIds: string[];
}

/** What a profile selects right now: the header, the rows and (for person packages) who is in them. */
async function buildContent(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  profile: ProfileRow,
): Promise<BuiltContent> {
  const p = toProfile(profile);
  if (p.kind === 'aggregates') {
    // Only figures that passed the crisis's disclosure control ever reach a partner.
    const published = await publishableTables(ctx, crisisId);
    const crisis = await findCrisisById(ctx.db.db, crisisId);
    const lines = hxlRows(published, crisis?.name ?? '', p.fields);
    return { kind: p.kind, fields: p.fields, header: [], lines, personIds: [] };
  }
  const fields = p.fields as ShareField[];
  const persons = await selectPersons(ctx, crisisId, p.selection);
  const lines = await personLines(ctx, actor, crisisId, persons, fields);
  return {
    kind: p.kind,
    fields,
    header: fields.map((f) => SHARE_FIELD_HEADERS[f]),
    lines,
    personIds: persons.map((x) => x.id),
  };
}

/** What a package from this profile would hold now: row count and fields, no personal data. */
export async function previewPackage(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  profileId: string,
): Promise<z.infer<typeof previewSchema>> {
  requirePartnerAccess(actor, crisisId, 'share.create');
  const profile = await profileInCrisis(ctx, crisisId, profileId);
  const p = toProfile(profile);
  if (p.kind === 'persons') {
    // Counting needs only the selection, not the values of the fields.
    const persons = await selectPersons(ctx, crisisId, p.selection);
    return {
      kind: p.kind,
      fields: p.fields,
      rowCount: persons.length,
      personCount: persons.length,
      formats: FORMATS.persons,
    };
  }
  const content = await buildContent(ctx, actor, crisisId, profile);
  return {
    kind: content.kind,
    fields: content.fields,
    rowCount: content.lines.length,
    personCount: 0,
    formats: FORMATS[content.kind],
  };
}

const fileSlug = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'partner';

/**
 * Builds a package from a profile, logs it (who, when, partner, request, profile, persons, rows,
 * digest of the exact bytes) and stores the file — sealed when it holds personal data — for the
 * life of its link. Returns the download link once: only the hash of its secret is kept.
 */
export async function createPackage(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof packageCreateSchema>,
): Promise<z.infer<typeof packageCreatedSchema>> {
  requirePartnerAccess(actor, crisisId, 'share.create');
  const profile = await profileInCrisis(ctx, crisisId, input.profileId);
  const partner = await partnerInCrisis(ctx, crisisId, profile.partner_id);
  if (input.requestId) {
    const request = await requestInCrisis(ctx, crisisId, input.requestId).catch(() => undefined);
    if (!request || request.partner_id !== partner.id)
      throw validationFailed([{ path: 'requestId', message: 'No such request to this partner.' }]);
    if (request.state === 'closed')
      throw validationFailed([{ path: 'requestId', message: 'The request is closed.' }]);
  }
  if (!FORMATS[profile.kind].includes(input.format))
    throw validationFailed([
      {
        path: 'format',
        message: `A ${profile.kind} profile is sent as: ${FORMATS[profile.kind].join(', ')}.`,
      },
    ]);
  const settings = await readSettings(ctx, crisisId);
  const hours = input.expiresInHours ?? Math.min(settings.defaultLinkHours, settings.maxLinkHours);
  if (hours > settings.maxLinkHours)
    throw validationFailed([
      {
        path: 'expiresInHours',
        message: `Links in this crisis live at most ${settings.maxLinkHours} hours.`,
        code: 'too_big',
        maximum: settings.maxLinkHours,
      },
    ]);

  const content = await buildContent(ctx, actor, crisisId, profile);
  if (content.lines.length === 0)
    throw validationFailed([{ path: 'profileId', message: 'The profile selects nothing to send.' }]);
  const { body, contentType } =
    input.format === 'hxl'
      ? { body: renderHxl(content.lines), contentType: 'text/csv; charset=utf-8' }
      : await renderTable(input.format, 'Data', content.header, content.lines);
  const at = nowIso();
  const id = newId();
  const token = newSecret(16);
  const personal = content.kind === 'persons';
  const extension = input.format === 'xlsx' ? 'xlsx' : input.format === 'hxl' ? 'hxl.csv' : 'csv';
  const row: PackageRow = {
    id,
    crisis_id: crisisId,
    partner_id: partner.id,
    request_id: input.requestId,
    profile_id: profile.id,
    profile_name: profile.name,
    kind: content.kind,
    format: input.format,
    fields: JSON.stringify(content.fields),
    selection: profile.selection,
    row_count: content.lines.length,
    person_count: content.personIds.length,
    byte_size: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
    file_name: `${fileSlug(partner.name)}-${at.slice(0, 10)}-${id.slice(0, 8)}.${extension}`,
    content_type: contentType,
    content: personal ? packageBox(ctx).seal(body.toString('base64')) : body.toString('base64'),
    content_sealed: personal ? 1 : 0,
    link_hash: hashSecret(token),
    expires_at: new Date(Date.parse(at) + hours * 3_600_000).toISOString(),
    max_downloads: input.maxDownloads,
    downloads: 0,
    revoked_at: null,
    revoked_by: null,
    purged_at: null,
    created_by: actor.id,
    created_by_label: actor.label,
    created_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    await insertPackage(trx, row, content.personIds);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'data_package.created',
      entityType: 'data_package',
      entityId: id,
      crisisId,
      change: {
        partnerId: partner.id,
        requestId: input.requestId,
        profileId: profile.id,
        format: input.format,
        fields: content.fields,
        rowCount: row.row_count,
        persons: content.personIds,
        sha256: row.sha256,
        expiresAt: row.expires_at,
        maxDownloads: row.max_downloads,
      },
    });
  });
  await purgeSpentPackages(ctx);
  const [view] = await toPackages(ctx, [row]);
  return { package: view!, downloadUrl: `${ctx.config.publicUrl}/api/v1/shares/${token}` };
}

// ---- reading, revoking ----

export async function listPackages(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  f: { partnerId?: string | undefined; requestId?: string | undefined },
): Promise<DataPackage[]> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  await purgeSpentPackages(ctx);
  return toPackages(ctx, await listPackageRows(ctx.db.db, crisisId, f));
}

async function packageInCrisis(ctx: AppContext, crisisId: string, packageId: string): Promise<PackageRow> {
  const row = await findPackageRow(ctx.db.db, crisisId, packageId);
  if (!row) throw notFound('package');
  return row;
}

export async function getPackage(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  packageId: string,
): Promise<z.infer<typeof packageDetailSchema>> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  const row = await packageInCrisis(ctx, crisisId, packageId);
  const [view] = await toPackages(ctx, [row]);
  const log = await listDownloads(ctx.db.db, packageId);
  return { ...view!, downloadLog: log.map((d) => ({ at: d.at, addressHash: d.address_hash })) };
}

/** Ends a link at once and deletes the stored file; the log of the package stays. */
export async function revokePackage(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  packageId: string,
): Promise<DataPackage> {
  requirePartnerAccess(actor, crisisId, 'share.create');
  const row = await packageInCrisis(ctx, crisisId, packageId);
  if (!row.revoked_at) {
    const at = nowIso();
    await ctx.db.writer.write(async (trx) => {
      await updatePackageRow(trx, packageId, {
        revoked_at: at,
        revoked_by: actor.id,
        content: null,
        purged_at: row.purged_at ?? at,
      });
      await recordAudit(trx, ctx.db.dialect, actor, {
        action: 'data_package.revoked',
        entityType: 'data_package',
        entityId: packageId,
        crisisId,
      });
    });
  }
  const [view] = await toPackages(ctx, [await packageInCrisis(ctx, crisisId, packageId)]);
  return view!;
}
