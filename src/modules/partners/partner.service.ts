import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import type { Permission } from '../../access/permissions.js';
import { requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import {
  type ContactRow,
  deleteContactRow,
  findContactRow,
  findPartnerRow,
  insertContact,
  insertPartner,
  listContactRows,
  listPartnerRows,
  type PartnerRow,
  partnerCounts,
  updateContactRow,
  updatePartnerRow,
} from './partner.repository.js';
import type {
  contactInputSchema,
  contactPatchSchema,
  contactSchema,
  PartnerSummary,
  partnerDetailSchema,
  partnerInputSchema,
  partnerPatchSchema,
} from './partner.schemas.js';

/**
 * Scope check for everything in the module: without `partner.read` in the crisis the caller gets
 * the same 404 as for a crisis that does not exist; with it but without `permission`, a 403.
 */
export function requirePartnerAccess(actor: Actor, crisisId: string, permission: Permission): void {
  requireAccess(actor, 'partner.read', crisisId, { hide: 'crisis' });
  if (permission !== 'partner.read') requireAccess(actor, permission, crisisId);
}

/** The partner, in the crisis, or 404. */
export async function partnerInCrisis(
  ctx: AppContext,
  crisisId: string,
  partnerId: string,
): Promise<PartnerRow> {
  const row = await findPartnerRow(ctx.db.db, crisisId, partnerId);
  if (!row) throw notFound('partner');
  return row;
}

const toContact = (c: ContactRow): z.infer<typeof contactSchema> => ({
  id: c.id,
  name: c.name,
  role: c.role,
  email: c.email,
  phone: c.phone,
  language: c.language,
});

function toSummary(row: PartnerRow, counts: Awaited<ReturnType<typeof partnerCounts>>): PartnerSummary {
  return {
    id: row.id,
    crisisId: row.crisis_id,
    name: row.name,
    kind: row.kind,
    country: row.country,
    notes: row.notes,
    contactCount: counts.contacts.get(row.id) ?? 0,
    openRequests: counts.openRequests.get(row.id) ?? 0,
    lastEngagementAt: counts.lastEngagement.get(row.id) ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Partners of a crisis with their counts (no contact details: those are read on the partner's page). */
export async function listPartners(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
): Promise<PartnerSummary[]> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  const rows = await listPartnerRows(ctx.db.db, crisisId);
  const counts = await partnerCounts(ctx.db.db, crisisId);
  return rows.map((r) => toSummary(r, counts));
}

/** One partner with its contacts. Contacts are personal data of other organisations' staff: audited. */
export async function getPartner(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  partnerId: string,
): Promise<z.infer<typeof partnerDetailSchema>> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  const row = await partnerInCrisis(ctx, crisisId, partnerId);
  const contacts = await listContactRows(ctx.db.db, partnerId);
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, actor, {
      action: 'partner.contacts_viewed',
      entityType: 'partner',
      entityId: partnerId,
      crisisId,
      change: { contacts: contacts.map((c) => c.id) },
    }),
  );
  const counts = await partnerCounts(ctx.db.db, crisisId);
  return { ...toSummary(row, counts), contacts: contacts.map(toContact) };
}

export async function createPartner(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof partnerInputSchema>,
): Promise<PartnerSummary> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  const at = nowIso();
  const row: PartnerRow = {
    id: newId(),
    crisis_id: crisisId,
    name: input.name,
    kind: input.kind,
    country: input.country,
    notes: input.notes,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    await insertPartner(trx, row);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'partner.created',
      entityType: 'partner',
      entityId: row.id,
      crisisId,
      change: input,
    });
  });
  return toSummary(row, { contacts: new Map(), openRequests: new Map(), lastEngagement: new Map() });
}

export async function updatePartner(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  partnerId: string,
  patch: z.output<typeof partnerPatchSchema>,
): Promise<PartnerSummary> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  await partnerInCrisis(ctx, crisisId, partnerId);
  await ctx.db.writer.write(async (trx) => {
    await updatePartnerRow(trx, partnerId, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.country !== undefined ? { country: patch.country } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      updated_at: nowIso(),
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'partner.updated',
      entityType: 'partner',
      entityId: partnerId,
      crisisId,
      change: patch,
    });
  });
  const row = await partnerInCrisis(ctx, crisisId, partnerId);
  return toSummary(row, await partnerCounts(ctx.db.db, crisisId));
}

export async function addContact(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  partnerId: string,
  input: z.output<typeof contactInputSchema>,
): Promise<z.infer<typeof contactSchema>> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  await partnerInCrisis(ctx, crisisId, partnerId);
  const at = nowIso();
  const row: ContactRow = {
    id: newId(),
    partner_id: partnerId,
    crisis_id: crisisId,
    name: input.name,
    role: input.role,
    email: input.email,
    phone: input.phone,
    language: input.language,
    created_at: at,
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    await insertContact(trx, row);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'partner.contact_added',
      entityType: 'partner_contact',
      entityId: row.id,
      crisisId,
      change: input,
    });
  });
  return toContact(row);
}

export async function updateContact(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  partnerId: string,
  contactId: string,
  patch: z.output<typeof contactPatchSchema>,
): Promise<z.infer<typeof contactSchema>> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  await partnerInCrisis(ctx, crisisId, partnerId);
  const current = await findContactRow(ctx.db.db, partnerId, contactId);
  if (!current) throw notFound('contact');
  const next: ContactRow = {
    ...current,
    name: patch.name ?? current.name,
    role: patch.role ?? current.role,
    email: patch.email !== undefined ? patch.email : current.email,
    phone: patch.phone !== undefined ? patch.phone : current.phone,
    language: patch.language !== undefined ? patch.language : current.language,
    updated_at: nowIso(),
  };
  await ctx.db.writer.write(async (trx) => {
    await updateContactRow(trx, contactId, {
      name: next.name,
      role: next.role,
      email: next.email,
      phone: next.phone,
      language: next.language,
      updated_at: next.updated_at,
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'partner.contact_updated',
      entityType: 'partner_contact',
      entityId: contactId,
      crisisId,
      change: patch,
    });
  });
  return toContact(next);
}

export async function removeContact(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  partnerId: string,
  contactId: string,
): Promise<void> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  await partnerInCrisis(ctx, crisisId, partnerId);
  if (!(await findContactRow(ctx.db.db, partnerId, contactId))) throw notFound('contact');
  await ctx.db.writer.write(async (trx) => {
    await deleteContactRow(trx, contactId);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'partner.contact_removed',
      entityType: 'partner_contact',
      entityId: contactId,
      crisisId,
    });
  });
}
