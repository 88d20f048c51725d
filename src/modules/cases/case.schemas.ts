import { z } from 'zod';
import { CASE_STATES, CASE_TYPES } from './case.rules.js';

const id = z.string().min(1).max(100);
export const crisisParams = z.strictObject({ crisisId: id });
export const caseParams = crisisParams.extend({ caseId: id });
export const taskParams = caseParams.extend({ taskId: id });

export const CONTACT_CHANNELS = ['phone', 'sms', 'whatsapp', 'email', 'in_person'] as const;
export const CONTACT_OUTCOMES = [
  'reached',
  'no_answer',
  'busy',
  'wrong_number',
  'voicemail',
  'message_left',
  'unreachable',
] as const;

export const caseCreateSchema = z
  .strictObject({
    personId: id.optional(),
    householdId: id.optional(),
    type: z.enum(CASE_TYPES),
    summary: z.string().trim().min(3).max(500),
    note: z.string().trim().min(1).max(5000).optional(),
    assigneeId: id.optional(),
    teamId: id.optional(),
  })
  .refine((b) => b.personId || b.householdId, {
    message: 'Link the case to a person or a household.',
    path: ['personId'],
  });

const version = z.number().int().min(1);
export const stateChangeSchema = z.strictObject({
  to: z.enum(CASE_STATES),
  version,
  note: z.string().trim().max(5000).optional(),
});
export const assignSchema = z.strictObject({
  assigneeId: id.nullable().optional(),
  teamId: id.nullable().optional(),
  version,
});
export const prioritySchema = z.strictObject({
  priority: z.number().int().min(1).max(4).nullable(),
  reason: z.string().trim().min(3, 'Say why.').max(500),
  version,
});
export const noteSchema = z.strictObject({ text: z.string().trim().min(1).max(5000) });
export const contactAttemptSchema = z.strictObject({
  channel: z.enum(CONTACT_CHANNELS),
  outcome: z.enum(CONTACT_OUTCOMES),
  note: z.string().trim().max(2000).optional(),
});
export const taskCreateSchema = z.strictObject({
  title: z.string().trim().min(2).max(300),
  dueAt: z.iso.datetime({ offset: true }).optional(),
  assigneeId: id.optional(),
});
export const bulkSchema = z.strictObject({
  caseIds: z.array(id).min(1, 'Choose at least one case.').max(200),
  action: z.enum(['assign', 'close']),
  assigneeId: id.nullable().optional(),
  teamId: id.nullable().optional(),
  note: z.string().trim().max(2000).optional(),
});
export const queueQuerySchema = z.strictObject({
  queue: z.enum(['mine', 'team', 'unassigned', 'overdue', 'open', 'all']).default('open'),
  type: z.enum(CASE_TYPES).optional(),
  state: z.enum(CASE_STATES).optional(),
  personId: id.optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type QueueQuery = z.infer<typeof queueQuerySchema>;

export const caseSchema = z.object({
  id: z.string(),
  number: z.string(),
  crisisId: z.string(),
  personId: z.string().nullable(),
  householdId: z.string().nullable(),
  type: z.enum(CASE_TYPES),
  state: z.enum(CASE_STATES),
  allowedNextStates: z.array(z.enum(CASE_STATES)),
  priority: z.number(),
  priorityReason: z.string(),
  priorityOverridden: z.boolean(),
  summary: z.string(),
  source: z.string(),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  welfareRunId: z.string().nullable(),
  stateChangedAt: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type CaseView = z.infer<typeof caseSchema>;

const caseSubjectSchema = z
  .object({
    householdReference: z.string(),
    fullName: z.string().nullable(),
    fullNameAr: z.string().nullable(),
  })
  .nullable();

/** A queue row: the case and who it is about (null when hidden: a restricted person). */
export const caseQueueItemSchema = caseSchema.extend({ subject: caseSubjectSchema });

export const caseEventSchema = z.object({
  id: z.string(),
  kind: z.string(),
  at: z.string(),
  actorLabel: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export const taskSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  title: z.string(),
  dueAt: z.string().nullable(),
  assigneeId: z.string().nullable(),
  doneAt: z.string().nullable(),
  overdue: z.boolean(),
});

/** A task in "my tasks": with its case's number and who the case is about. */
export const myTaskSchema = taskSchema.extend({
  case: z.object({ number: z.string(), subject: caseSubjectSchema }),
});
