import QRCode from 'qrcode';
import { type Actor, staffActor, systemActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { addMinutes, nowIso } from '../../lib/clock.js';
import { AppError, conflict, notFound, unauthenticated } from '../../lib/errors.js';
import { hashSecret, newId, newSecret } from '../../lib/ids.js';
import {
  checkTotp,
  hashPassword,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  totpFor,
  verifyPassword,
} from './credentials.js';
import {
  consumeRecoveryCode,
  countStaff,
  deleteSession,
  deleteSessionsOfStaff,
  expireOpenTokens,
  findAccountToken,
  findSession,
  findStaffByEmail,
  findStaffById,
  grantsByStaff,
  insertAccountToken,
  insertSession,
  insertStaff,
  markAccountTokenUsed,
  replaceGrants,
  replaceRecoveryCodes,
  type StaffRow,
  updateSession,
  updateStaff,
} from './staff.repository.js';

export type SessionStage = 'enrol' | 'password' | 'full';

export interface ResolvedSession {
  idHash: string;
  stage: SessionStage;
  csrfToken: string;
  staff: StaffRow;
  actor: Actor;
}

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  secret: string;
  csrfToken: string;
}

const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'Wrong email or password.');
const invalidCode = () => new AppError(401, 'invalid_code', 'That code is not valid.');
const accountLocked = (until: string) =>
  new AppError(423, 'locked', `Too many failed attempts; try again after ${until}.`);

export const acceptUrl = (ctx: AppContext, token: string) =>
  `${ctx.config.publicUrl}/console/accept?token=${encodeURIComponent(token)}`;

/**
 * While no staff account exists, issues a fresh one-time setup link for the first
 * administrator (earlier setup links stop working). Returns undefined once set up.
 */
export async function issueSetupLinkIfNeeded(
  ctx: AppContext,
): Promise<{ url: string; expiresAt: string } | undefined> {
  if ((await countStaff(ctx.db.db)) > 0) return undefined;
  const token = newSecret(24);
  const at = nowIso();
  const expiresAt = addMinutes(at, ctx.config.invitationTtlHours * 60);
  await ctx.db.writer.write(async (trx) => {
    await expireOpenTokens(trx, null, at);
    await insertAccountToken(trx, {
      token_hash: hashSecret(token),
      purpose: 'setup',
      staff_id: null,
      created_by: null,
      created_at: at,
      expires_at: expiresAt,
      used_at: null,
    });
    await recordAudit(trx, ctx.db.dialect, systemActor(), {
      action: 'setup.token_issued',
      entityType: 'account_token',
      entityId: null,
      crisisId: null,
    });
  });
  return { url: acceptUrl(ctx, token), expiresAt };
}

async function liveToken(ctx: AppContext, token: string) {
  const row = await findAccountToken(ctx.db.db, hashSecret(token));
  if (!row || row.used_at !== null || row.expires_at <= nowIso())
    throw notFound('link (it may have expired)');
  return row;
}

/** What a setup, invitation or reset link is for, so the page can ask the right questions. */
export async function describeAccountToken(ctx: AppContext, token: string) {
  const row = await liveToken(ctx, token);
  const staff = row.staff_id ? await findStaffById(ctx.db.db, row.staff_id) : undefined;
  return { purpose: row.purpose, email: staff?.email ?? null, displayName: staff?.display_name ?? null };
}

/**
 * Uses a setup / invitation / reset link: sets the password and a new TOTP secret (not yet
 * active) and opens an enrolment session that can only confirm the second factor.
 */
export async function acceptAccountToken(
  ctx: AppContext,
  input: { token: string; displayName: string; password: string; email?: string | undefined },
) {
  const token = await liveToken(ctx, input.token);
  if (token.purpose === 'setup' && !input.email) {
    throw new AppError(400, 'validation_failed', 'The first administrator needs an email address.', [
      { path: 'email', message: 'Required for the first administrator.' },
    ]);
  }
  const passwordHash = await hashPassword(input.password);
  const totpSecret = newTotpSecret();
  const session = { secret: newSecret(32), csrfToken: newSecret(24) };
  const at = nowIso();

  const staff = await ctx.db.writer.write(async (trx) => {
    if (!(await markAccountTokenUsed(trx, token.token_hash, at)).numUpdatedRows) throw notFound('link');
    let staffId = token.staff_id;
    if (token.purpose === 'setup') {
      if ((await countStaff(trx)) > 0) throw conflict('Corridor is already set up.');
      staffId = newId();
      await insertStaff(trx, {
        id: staffId,
        email: input.email!.toLowerCase(),
        display_name: input.displayName,
        status: 'invited',
        password_hash: passwordHash,
        totp_secret_enc: ctx.totpBox.seal(totpSecret),
        totp_enabled: 0,
        totp_last_step: 0,
        failed_logins: 0,
        locked_until: null,
        locale: 'en',
        created_at: at,
        updated_at: at,
        last_login_at: null,
      });
      await replaceGrants(trx, staffId, [{ role: 'administrator', crisisId: null }], newId);
      await recordAudit(trx, ctx.db.dialect, systemActor('setup'), {
        action: 'staff.created',
        entityType: 'staff',
        entityId: staffId,
        crisisId: null,
        change: { role: 'administrator', via: 'setup' },
      });
    } else {
      if (!staffId) throw notFound('link');
      const existing = await findStaffById(trx, staffId);
      if (!existing || existing.status === 'disabled') throw notFound('link');
      await updateStaff(trx, staffId, {
        display_name: input.displayName,
        password_hash: passwordHash,
        totp_secret_enc: ctx.totpBox.seal(totpSecret),
        totp_enabled: 0,
        totp_last_step: 0,
        failed_logins: 0,
        locked_until: null,
        updated_at: at,
      });
      await deleteSessionsOfStaff(trx, staffId);
      await recordAudit(trx, ctx.db.dialect, systemActor('account link'), {
        action: 'staff.password_set',
        entityType: 'staff',
        entityId: staffId,
        crisisId: null,
        change: { via: token.purpose },
      });
    }
    if (!staffId) throw notFound('link');
    await createSession(ctx, trx, staffId, 'enrol', session, at);
    return (await findStaffById(trx, staffId))!;
  });

  const otpauthUrl = totpFor(totpSecret, staff.email).toString();
  return {
    session,
    enrollment: {
      secret: totpSecret,
      otpauthUrl,
      qrDataUrl: await QRCode.toDataURL(otpauthUrl, { margin: 1 }),
    },
  };
}

async function createSession(
  ctx: AppContext,
  trx: Parameters<Parameters<AppContext['db']['writer']['write']>[0]>[0],
  staffId: string,
  stage: SessionStage,
  session: NewSession,
  at: string,
) {
  await insertSession(trx, {
    id_hash: hashSecret(session.secret),
    staff_id: staffId,
    stage,
    csrf_token: session.csrfToken,
    created_at: at,
    last_seen_at: at,
    expires_at: addMinutes(at, ctx.config.session.ttlHours * 60),
  });
}

/** Confirms the first TOTP code of an enrolment; activates the account; returns recovery codes. */
export async function confirmTotpEnrolment(ctx: AppContext, session: ResolvedSession, code: string) {
  if (session.stage !== 'enrol' || !session.staff.totp_secret_enc) throw unauthenticated();
  const step = checkTotp(ctx.totpBox.open(session.staff.totp_secret_enc), code);
  if (step === null) throw invalidCode();
  const codes = newRecoveryCodes();
  const at = nowIso();
  await ctx.db.writer.write(async (trx) => {
    await updateStaff(trx, session.staff.id, {
      totp_enabled: 1,
      totp_last_step: step,
      status: 'active',
      last_login_at: at,
      updated_at: at,
    });
    await replaceRecoveryCodes(
      trx,
      session.staff.id,
      codes.map((c) => ({ id: newId(), code_hash: hashRecoveryCode(c) })),
    );
    await updateSession(trx, session.idHash, { stage: 'full', last_seen_at: at });
    await recordAudit(trx, ctx.db.dialect, session.actor, {
      action: 'auth.totp_enrolled',
      entityType: 'staff',
      entityId: session.staff.id,
      crisisId: null,
    });
  });
  return codes;
}

/** First step of sign-in. Answers the same for a wrong email and a wrong password. */
export async function loginWithPassword(
  ctx: AppContext,
  email: string,
  password: string,
): Promise<NewSession> {
  const staff = await findStaffByEmail(ctx.db.db, email);
  const at = nowIso();
  if (staff?.locked_until && staff.locked_until > at) {
    await verifyPassword(null, password);
    throw accountLocked(staff.locked_until);
  }
  const ok = await verifyPassword(staff?.password_hash ?? null, password);
  if (!staff || !ok || staff.status !== 'active' || staff.totp_enabled !== 1) {
    if (staff) await registerFailure(ctx, staff, 'auth.login_failed');
    throw invalidCredentials();
  }
  const session = { secret: newSecret(32), csrfToken: newSecret(24) };
  await ctx.db.writer.write((trx) => createSession(ctx, trx, staff.id, 'password', session, at));
  return session;
}

async function registerFailure(
  ctx: AppContext,
  staff: StaffRow,
  action: 'auth.login_failed' | 'auth.mfa_failed',
) {
  const at = nowIso();
  const locked = await ctx.db.writer.write(async (trx) => {
    const fresh = await findStaffById(trx, staff.id);
    if (!fresh) return false;
    const failures = fresh.failed_logins + 1;
    const lock = failures >= ctx.config.login.maxFailures;
    await updateStaff(trx, staff.id, {
      failed_logins: lock ? 0 : failures,
      locked_until: lock ? addMinutes(at, ctx.config.login.lockoutMinutes) : fresh.locked_until,
    });
    const actor = systemActor('sign-in');
    await recordAudit(trx, ctx.db.dialect, actor, {
      action,
      entityType: 'staff',
      entityId: staff.id,
      crisisId: null,
    });
    if (lock) {
      await deleteSessionsOfStaff(trx, staff.id);
      await recordAudit(trx, ctx.db.dialect, actor, {
        action: 'auth.locked',
        entityType: 'staff',
        entityId: staff.id,
        crisisId: null,
      });
    }
    return lock;
  });
  return locked;
}

/** Second step of sign-in: a TOTP code (not reused) or a single-use recovery code. */
export async function verifySecondFactor(
  ctx: AppContext,
  session: ResolvedSession,
  input: { code?: string | undefined; recoveryCode?: string | undefined },
): Promise<void> {
  const staff = session.staff;
  if (session.stage !== 'password' || !staff.totp_secret_enc) throw unauthenticated();
  const at = nowIso();
  if (staff.locked_until && staff.locked_until > at) throw accountLocked(staff.locked_until);
  const step = input.code ? checkTotp(ctx.totpBox.open(staff.totp_secret_enc), input.code) : null;
  const result = await ctx.db.writer.write(async (trx) => {
    let usedRecovery = false;
    if (input.code) {
      const fresh = await findStaffById(trx, staff.id);
      if (step === null || !fresh || step <= fresh.totp_last_step) return false;
    } else if (input.recoveryCode) {
      const r = await consumeRecoveryCode(trx, staff.id, hashRecoveryCode(input.recoveryCode), at);
      if (!r.numUpdatedRows) return false;
      usedRecovery = true;
    } else return false;
    await updateStaff(trx, staff.id, {
      failed_logins: 0,
      locked_until: null,
      last_login_at: at,
      ...(step !== null ? { totp_last_step: step } : {}),
    });
    await updateSession(trx, session.idHash, { stage: 'full', last_seen_at: at });
    if (usedRecovery) {
      await recordAudit(trx, ctx.db.dialect, session.actor, {
        action: 'auth.recovery_code_used',
        entityType: 'staff',
        entityId: staff.id,
        crisisId: null,
      });
    }
    await recordAudit(trx, ctx.db.dialect, session.actor, {
      action: 'auth.login',
      entityType: 'staff',
      entityId: staff.id,
      crisisId: null,
    });
    return true;
  });
  if (!result) {
    const locked = await registerFailure(ctx, staff, 'auth.mfa_failed');
    if (locked) throw unauthenticated('Too many failed attempts; sign in again later.');
    throw invalidCode();
  }
}

/**
 * Looks up the session behind a cookie value. Expired, idle or orphaned sessions are refused.
 * `last_seen_at` is refreshed at most once a minute to keep reads cheap.
 */
export async function resolveSession(ctx: AppContext, secret: string): Promise<ResolvedSession | undefined> {
  const idHash = hashSecret(secret);
  const session = await findSession(ctx.db.db, idHash);
  if (!session) return undefined;
  const now = nowIso();
  const idleLimit = addMinutes(session.last_seen_at, ctx.config.session.idleMinutes);
  if (session.expires_at <= now || idleLimit <= now) {
    await ctx.db.writer.write((trx) => deleteSession(trx, idHash));
    return undefined;
  }
  const staff = await findStaffById(ctx.db.db, session.staff_id);
  if (!staff || staff.status === 'disabled') return undefined;
  if (Date.parse(now) - Date.parse(session.last_seen_at) > 60_000) {
    ctx.db.writer
      .write((trx) => updateSession(trx, idHash, { last_seen_at: now }))
      .catch((error: unknown) => {
        ctx.logger.warn({ err: error }, 'could not refresh session');
      });
  }
  const grants = (await grantsByStaff(ctx.db.db, [staff.id])).get(staff.id) ?? [];
  return {
    idHash,
    stage: session.stage,
    csrfToken: session.csrf_token,
    staff,
    actor: staffActor(staff.id, staff.display_name, grants, ctx.rolePermissions),
  };
}

export async function logout(ctx: AppContext, session: ResolvedSession): Promise<void> {
  await ctx.db.writer.write(async (trx) => {
    await deleteSession(trx, session.idHash);
    await recordAudit(trx, ctx.db.dialect, session.actor, {
      action: 'auth.logout',
      entityType: 'staff',
      entityId: session.staff.id,
      crisisId: null,
    });
  });
}

export async function logoutEverywhere(ctx: AppContext, session: ResolvedSession): Promise<void> {
  await ctx.db.writer.write(async (trx) => {
    await deleteSessionsOfStaff(trx, session.staff.id);
    await recordAudit(trx, ctx.db.dialect, session.actor, {
      action: 'auth.logout_everywhere',
      entityType: 'staff',
      entityId: session.staff.id,
      crisisId: null,
    });
  });
}
