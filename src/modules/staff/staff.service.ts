import type { Actor, Grant } from '../../access/actor.js';
import type { Permission } from '../../access/permissions.js';
import { crisesWhere, holdsGlobally, holdsInCrisis, requireAccess } from '../../access/policy.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { addMinutes, nowIso } from '../../lib/clock.js';
import { AppError, conflict, forbidden, notFound, validationFailed } from '../../lib/errors.js';
import { hashSecret, newId, newSecret } from '../../lib/ids.js';
import { listCrisesIn } from '../crises/crisis.service.js';
import { acceptUrl } from './auth.service.js';
import { hashPassword, newTotpSecret } from './credentials.js';
import {
  deleteSessionsOfStaff,
  expireOpenTokens,
  findStaffByEmail,
  findStaffById,
  grantsByStaff,
  insertAccountToken,
  insertStaff,
  listStaff,
  replaceGrants,
  type StaffRow,
  updateStaff,
} from './staff.repository.js';

export interface StaffView {
  id: string;
  email: string;
  displayName: string;
  status: StaffRow['status'];
  mfaEnabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  grants: Grant[];
}

const toView = (row: StaffRow, grants: Grant[]): StaffView => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  status: row.status,
  mfaEnabled: row.totp_enabled === 1,
  lockedUntil: row.locked_until && row.locked_until > nowIso() ? row.locked_until : null,
  lastLoginAt: row.last_login_at,
  grants,
});

/**
 * Grants an actor may hand out: a global grant needs `staff.manage` everywhere; a crisis grant
 * needs it in that crisis. Unknown roles are refused by name.
 */
function checkGrantable(ctx: AppContext, actor: Actor, grants: Grant[]) {
  const fields = grants.flatMap((g, i) =>
    ctx.rolePermissions.has(g.role)
      ? []
      : [{ path: `grants.${i}.role`, message: `Unknown role "${g.role}".` }],
  );
  if (fields.length) throw validationFailed(fields);
  for (const g of grants) {
    const ok =
      g.crisisId === null
        ? holdsGlobally(actor, 'staff.manage')
        : holdsInCrisis(actor, 'staff.manage', g.crisisId);
    if (!ok) throw forbidden('You cannot grant that role in that crisis.');
  }
}

async function checkCrisesExist(ctx: AppContext, grants: Grant[]) {
  const ids = [...new Set(grants.map((g) => g.crisisId).filter((c): c is string => c !== null))];
  if (ids.length === 0) return;
  const found = await ctx.db.db.selectFrom('crises').select('id').where('id', 'in', ids).execute();
  const known = new Set(found.map((r) => r.id));
  const fields = grants.flatMap((g, i) =>
    g.crisisId !== null && !known.has(g.crisisId)
      ? [{ path: `grants.${i}.crisisId`, message: 'No such crisis.' }]
      : [],
  );
  if (fields.length) throw validationFailed(fields);
}

/** Staff visible to the actor: everyone for a global manager, else staff holding a grant in the actor's crises. */
export async function listStaffFor(ctx: AppContext, actor: Actor): Promise<StaffView[]> {
  const scope = crisesWhere(actor, 'staff.read');
  const rows = await listStaff(ctx.db.db);
  const grants = await grantsByStaff(
    ctx.db.db,
    rows.map((r) => r.id),
  );
  return rows
    .map((r) => toView(r, grants.get(r.id) ?? []))
    .filter(
      (s) => scope === 'all' || s.grants.some((g) => g.crisisId !== null && scope.includes(g.crisisId)),
    );
}

/** Creates an invited account and a one-time invitation link. */
export async function inviteStaff(
  ctx: AppContext,
  actor: Actor,
  input: { email: string; displayName: string; grants: Grant[] },
): Promise<{ staff: StaffView; invitationUrl: string; expiresAt: string }> {
  checkGrantable(ctx, actor, input.grants);
  await checkCrisesExist(ctx, input.grants);
  const email = input.email.toLowerCase();
  const token = newSecret(24);
  const at = nowIso();
  const expiresAt = addMinutes(at, ctx.config.invitationTtlHours * 60);
  const staffId = newId();
  await ctx.db.writer.write(async (trx) => {
    if (await findStaffByEmail(trx, email)) {
      throw conflict('An account with this email already exists.', [
        { path: 'email', message: 'Already in use.' },
      ]);
    }
    await insertStaff(trx, {
      id: staffId,
      email,
      display_name: input.displayName,
      status: 'invited',
      password_hash: null,
      totp_secret_enc: null,
      totp_enabled: 0,
      totp_last_step: 0,
      failed_logins: 0,
      locked_until: null,
      locale: 'en',
      created_at: at,
      updated_at: at,
      last_login_at: null,
    });
    await replaceGrants(trx, staffId, input.grants, newId);
    await insertAccountToken(trx, {
      token_hash: hashSecret(token),
      purpose: 'invitation',
      staff_id: staffId,
      created_by: actor.id,
      created_at: at,
      expires_at: expiresAt,
      used_at: null,
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'staff.invited',
      entityType: 'staff',
      entityId: staffId,
      crisisId: null,
      change: { grants: input.grants },
    });
  });
  const staff = (await findStaffById(ctx.db.db, staffId))!;
  return { staff: toView(staff, input.grants), invitationUrl: acceptUrl(ctx, token), expiresAt };
}

async function requireManageable(ctx: AppContext, actor: Actor, staffId: string) {
  const staff = await findStaffById(ctx.db.db, staffId);
  if (!staff) throw notFound('staff member');
  const grants = (await grantsByStaff(ctx.db.db, [staffId])).get(staffId) ?? [];
  // Managing someone who holds a global grant needs global staff.manage.
  if (!holdsGlobally(actor, 'staff.manage')) {
    if (grants.length === 0 || grants.some((g) => g.crisisId === null)) throw notFound('staff member');
    requireAccess(
      actor,
      'staff.manage',
      grants.map((g) => g.crisisId!),
      { hide: 'staff member' },
    );
  }
  return { staff, grants };
}

export async function updateStaffMember(
  ctx: AppContext,
  actor: Actor,
  staffId: string,
  patch: {
    displayName?: string | undefined;
    status?: 'active' | 'disabled' | undefined;
    grants?: Grant[] | undefined;
  },
): Promise<StaffView> {
  const { staff } = await requireManageable(ctx, actor, staffId);
  if (patch.grants) {
    checkGrantable(ctx, actor, patch.grants);
    await checkCrisesExist(ctx, patch.grants);
  }
  if (staffId === actor.id && (patch.status === 'disabled' || patch.grants)) {
    throw new AppError(409, 'conflict', 'You cannot disable yourself or change your own roles.');
  }
  if (patch.status === 'active' && staff.status === 'invited') {
    throw validationFailed([
      { path: 'status', message: 'An invited account becomes active when its invitation is accepted.' },
    ]);
  }
  const at = nowIso();
  await ctx.db.writer.write(async (trx) => {
    await updateStaff(trx, staffId, {
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      updated_at: at,
    });
    if (patch.grants) await replaceGrants(trx, staffId, patch.grants, newId);
    if (patch.status === 'disabled') await deleteSessionsOfStaff(trx, staffId);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'staff.updated',
      entityType: 'staff',
      entityId: staffId,
      crisisId: null,
      change: patch,
    });
  });
  const fresh = (await findStaffById(ctx.db.db, staffId))!;
  return toView(fresh, (await grantsByStaff(ctx.db.db, [staffId])).get(staffId) ?? []);
}

/** Issues a password-reset link; ends the person's sessions. The link also re-enrols the second factor. */
export async function issuePasswordReset(ctx: AppContext, actor: Actor, staffId: string) {
  const { staff } = await requireManageable(ctx, actor, staffId);
  if (staff.status === 'disabled') throw conflict('Enable the account before resetting its password.');
  const token = newSecret(24);
  const at = nowIso();
  const expiresAt = addMinutes(at, ctx.config.invitationTtlHours * 60);
  await ctx.db.writer.write(async (trx) => {
    await expireOpenTokens(trx, staffId, at);
    await insertAccountToken(trx, {
      token_hash: hashSecret(token),
      purpose: staff.status === 'invited' ? 'invitation' : 'reset',
      staff_id: staffId,
      created_by: actor.id,
      created_at: at,
      expires_at: expiresAt,
      used_at: null,
    });
    await deleteSessionsOfStaff(trx, staffId);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'staff.password_reset_issued',
      entityType: 'staff',
      entityId: staffId,
      crisisId: null,
    });
  });
  return { resetUrl: acceptUrl(ctx, token), expiresAt };
}

/**
 * Creates an active account with a password and an enabled TOTP secret in one step — for the
 * `corridor admin create` command and for tests. Returns the TOTP secret once.
 */
export async function createActiveStaff(
  ctx: AppContext,
  actor: Actor,
  input: { email: string; displayName: string; password: string; grants: Grant[] },
): Promise<{ id: string; totpSecret: string }> {
  const passwordHash = await hashPassword(input.password);
  const totpSecret = newTotpSecret();
  const id = newId();
  const at = nowIso();
  await ctx.db.writer.write(async (trx) => {
    if (await findStaffByEmail(trx, input.email)) {
      throw conflict('An account with this email already exists.', [
        { path: 'email', message: 'Already in use.' },
      ]);
    }
    await insertStaff(trx, {
      id,
      email: input.email.toLowerCase(),
      display_name: input.displayName,
      status: 'active',
      password_hash: passwordHash,
      totp_secret_enc: ctx.totpBox.seal(totpSecret),
      totp_enabled: 1,
      totp_last_step: 0,
      failed_logins: 0,
      locked_until: null,
      locale: 'en',
      created_at: at,
      updated_at: at,
      last_login_at: null,
    });
    await replaceGrants(trx, id, input.grants, newId);
    await expireOpenTokens(trx, null, at);
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'staff.created',
      entityType: 'staff',
      entityId: id,
      crisisId: null,
      change: { grants: input.grants },
    });
  });
  return { id, totpSecret };
}

/** The signed-in user's profile, grants, crises and abilities (the console hides what these forbid). */
export async function getMe(ctx: AppContext, actor: Actor, csrfToken: string) {
  if (actor.kind !== 'staff') throw forbidden();
  const staff = await findStaffById(ctx.db.db, actor.id);
  if (!staff) throw notFound('staff member');
  const crises = await listCrisesIn(ctx, crisesWhere(actor, 'crisis.read'));
  const byCrisis: Record<string, Permission[]> = {};
  for (const c of crises) {
    byCrisis[c.id] = [...new Set([...actor.global, ...(actor.byCrisis.get(c.id) ?? [])])].sort();
  }
  return {
    id: staff.id,
    email: staff.email,
    displayName: staff.display_name,
    locale: staff.locale,
    csrfToken,
    grants: actor.grants,
    crises: crises.map((c) => ({ id: c.id, name: c.name, status: c.status })),
    abilities: { global: [...actor.global].sort(), byCrisis },
  };
}

export async function updateMe(
  ctx: AppContext,
  actor: Actor,
  patch: { locale?: 'en' | 'fr' | 'ar' | undefined; displayName?: string | undefined },
) {
  if (actor.kind !== 'staff') throw forbidden();
  await ctx.db.writer.write(async (trx) => {
    await updateStaff(trx, actor.id, {
      ...(patch.locale ? { locale: patch.locale } : {}),
      ...(patch.displayName ? { display_name: patch.displayName } : {}),
      updated_at: nowIso(),
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'staff.updated',
      entityType: 'staff',
      entityId: actor.id,
      crisisId: null,
      change: patch,
    });
  });
}

/**
 * Active colleagues on a crisis — id, display name and roles, no email — so a case or task can be
 * assigned by name. Anyone who can read the crisis may see who else works on it.
 */
export async function listColleagues(ctx: AppContext, actor: Actor, crisisId: string) {
  requireAccess(actor, 'crisis.read', crisisId, { hide: 'crisis' });
  const rows = await ctx.db.db
    .selectFrom('staff')
    .innerJoin('staff_grants', 'staff_grants.staff_id', 'staff.id')
    .select(['staff.id', 'staff.display_name', 'staff_grants.role_id'])
    .where('staff.status', '=', 'active')
    .where((eb) =>
      eb.or([eb('staff_grants.crisis_id', '=', crisisId), eb('staff_grants.crisis_id', '=', '')]),
    )
    .orderBy('staff.display_name')
    .execute();
  const byId = new Map<string, { id: string; displayName: string; roles: string[] }>();
  for (const r of rows) {
    const entry = byId.get(r.id) ?? { id: r.id, displayName: r.display_name, roles: [] };
    if (!entry.roles.includes(r.role_id)) entry.roles.push(r.role_id);
    byId.set(r.id, entry);
  }
  return [...byId.values()];
}
