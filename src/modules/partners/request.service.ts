import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { AppError, notFound, validationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import {
  findPartnerRow,
  findRequestRow,
  insertRequest,
  insertRequestEvent,
  listRequestEvents,
  listRequestRows,
  partnerNames,
  type RequestRow,
  requestPackageCounts,
  updateRequestIfVersion,
} from './partner.repository.js';
import type {
  PartnerRequest,
  RequestState,
  requestEventSchema,
  requestInputSchema,
  requestPatchSchema,
  requestStateChangeSchema,
} from './partner.schemas.js';
import { partnerInCrisis, requirePartnerAccess } from './partner.service.js';

/**
 * Where a request may go from each state. A draft is sent (or dropped); the partner acknowledges,
 * answers or refuses; anything open can be closed; closed and rejected are final except that a
 * rejected request is closed when filed away.
 */
export const REQUEST_TRANSITIONS: Record<RequestState, RequestState[]> = {
  draft: ['submitted', 'closed'],
  submitted: ['acknowledged', 'answered', 'rejected', 'closed'],
  acknowledged: ['answered', 'rejected', 'closed'],
  answered: ['closed'],
  rejected: ['closed'],
  closed: [],
};

const versionConflict = () =>
  new AppError(
    409,
    'version_conflict',
    'Someone else changed this request meanwhile; reload it and try again.',
  );

async function toRequests(ctx: AppContext, rows: RequestRow[]): Promise<PartnerRequest[]> {
  const names = await partnerNames(
    ctx.db.db,
    rows.map((r) => r.partner_id),
  );
  const counts = await requestPackageCounts(
    ctx.db.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    crisisId: r.crisis_id,
    partner: { id: r.partner_id, name: names.get(r.partner_id) ?? '' },
    kind: r.kind,
    subject: r.subject,
    details: r.details,
    state: r.state,
    allowedNext: REQUEST_TRANSITIONS[r.state],
    submittedAt: r.submitted_at,
    version: r.version,
    packageCount: counts.packages.get(r.id) ?? 0,
    linkedPersons: counts.persons.get(r.id) ?? 0,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** The request, in the crisis, or 404. */
export async function requestInCrisis(
  ctx: AppContext,
  crisisId: string,
  requestId: string,
): Promise<RequestRow> {
  const row = await findRequestRow(ctx.db.db, crisisId, requestId);
  if (!row) throw notFound('request');
  return row;
}

export async function listRequests(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  partnerId?: string,
): Promise<PartnerRequest[]> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  if (partnerId) await partnerInCrisis(ctx, crisisId, partnerId);
  return toRequests(ctx, await listRequestRows(ctx.db.db, crisisId, partnerId));
}

export async function getRequest(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  requestId: string,
): Promise<PartnerRequest & { history: z.infer<typeof requestEventSchema>[] }> {
  requirePartnerAccess(actor, crisisId, 'partner.read');
  const row = await requestInCrisis(ctx, crisisId, requestId);
  const [request] = await toRequests(ctx, [row]);
  const events = await listRequestEvents(ctx.db.db, requestId);
  return {
    ...request!,
    history: events.map((e) => ({
      id: e.id,
      at: e.at,
      fromState: e.from_state,
      toState: e.to_state,
      note: e.note,
      actorLabel: e.actor_label,
    })),
  };
}

export async function createRequest(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  input: z.output<typeof requestInputSchema>,
): Promise<PartnerRequest> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  if (!(await findPartnerRow(ctx.db.db, crisisId, input.partnerId)))
    throw validationFailed([{ path: 'partnerId', message: 'No such partner in this crisis.' }]);
  const at = nowIso();
  const row: RequestRow = {
    id: newId(),
    crisis_id: crisisId,
    partner_id: input.partnerId,
    kind: input.kind,
    subject: input.subject,
    details: input.details,
    state: 'draft',
    submitted_at: null,
    version: 1,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  };
  await ctx.db.writer.write(async (trx) => {
    await insertRequest(trx, row);
    await insertRequestEvent(trx, {
      id: newId(),
      request_id: row.id,
      at,
      from_state: null,
      to_state: 'draft',
      note: '',
      actor_id: actor.id,
      actor_label: actor.label,
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'partner_request.created',
      entityType: 'partner_request',
      entityId: row.id,
      crisisId,
      change: input,
    });
  });
  return (await toRequests(ctx, [row]))[0]!;
}

export async function updateRequest(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  requestId: string,
  patch: z.output<typeof requestPatchSchema>,
): Promise<PartnerRequest> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  const current = await requestInCrisis(ctx, crisisId, requestId);
  if (current.state === 'closed')
    throw new AppError(409, 'request_closed', 'A closed request can no longer be edited.');
  await ctx.db.writer.write(async (trx) => {
    const ok = await updateRequestIfVersion(trx, requestId, patch.version, {
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.subject !== undefined ? { subject: patch.subject } : {}),
      ...(patch.details !== undefined ? { details: patch.details } : {}),
      updated_at: nowIso(),
    });
    if (!ok) throw versionConflict();
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'partner_request.updated',
      entityType: 'partner_request',
      entityId: requestId,
      crisisId,
      change: patch,
    });
  });
  return (await toRequests(ctx, [await requestInCrisis(ctx, crisisId, requestId)]))[0]!;
}

/** Moves a request along its state flow; each step is kept in its history with a note. */
export async function changeRequestState(
  ctx: AppContext,
  actor: Actor,
  crisisId: string,
  requestId: string,
  input: z.output<typeof requestStateChangeSchema>,
): Promise<PartnerRequest> {
  requirePartnerAccess(actor, crisisId, 'partner.manage');
  const current = await requestInCrisis(ctx, crisisId, requestId);
  if (!REQUEST_TRANSITIONS[current.state].includes(input.to))
    throw validationFailed(
      [
        {
          path: 'to',
          message: `A ${current.state} request can go to: ${REQUEST_TRANSITIONS[current.state].join(', ') || 'nothing'}.`,
        },
      ],
      'This state change is not allowed.',
    );
  const at = nowIso();
  await ctx.db.writer.write(async (trx) => {
    const ok = await updateRequestIfVersion(trx, requestId, input.version, {
      state: input.to,
      ...(input.to === 'submitted' && !current.submitted_at ? { submitted_at: at } : {}),
      updated_at: at,
    });
    if (!ok) throw versionConflict();
    await insertRequestEvent(trx, {
      id: newId(),
      request_id: requestId,
      at,
      from_state: current.state,
      to_state: input.to,
      note: input.note,
      actor_id: actor.id,
      actor_label: actor.label,
    });
    await recordAudit(trx, ctx.db.dialect, actor, {
      action: 'partner_request.state_changed',
      entityType: 'partner_request',
      entityId: requestId,
      crisisId,
      change: { from: current.state, to: input.to },
    });
  });
  return (await toRequests(ctx, [await requestInCrisis(ctx, crisisId, requestId)]))[0]!;
}
