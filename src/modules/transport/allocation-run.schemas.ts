import { z } from 'zod';

const id = z.string().min(1).max(100);

export const allocationRunParams = z.strictObject({ crisisId: id, runId: id });

export const allocationRunRequestSchema = z.strictObject({
  legIds: z.array(id).min(1).max(200),
  method: z.enum(['auto', 'exact', 'fast']).default('auto'),
  pins: z
    .array(z.strictObject({ householdId: id, legId: id }))
    .max(5_000)
    .default([]),
  exclusions: z.array(id).max(20_000).default([]),
  allowSplit: z.array(id).max(20_000).default([]),
});
export type AllocationRunRequest = z.output<typeof allocationRunRequestSchema>;

export const allocationCommitSchema = z.strictObject({
  deadlineHours: z
    .number()
    .min(0.25)
    .max(24 * 30),
});

const places = { seats: z.number(), lapInfants: z.number(), stretchers: z.number() };

export const allocationRunSchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  status: z.enum(['proposed', 'committed']),
  method: z.enum(['exact', 'fast']),
  planStatus: z.enum(['optimal', 'feasible', 'pins-released']),
  request: z.object({
    legIds: z.array(z.string()),
    method: z.enum(['auto', 'exact', 'fast']),
    pins: z.array(z.object({ householdId: z.string(), legId: z.string() })),
    exclusions: z.array(z.string()),
    allowSplit: z.array(z.string()),
  }),
  legs: z.array(
    z.object({
      legId: z.string(),
      name: z.string(),
      departureAt: z.string(),
      capacity: z.object(places),
      alreadyHeld: z.object(places),
      planned: z.object(places),
      empty: z.object(places),
    }),
  ),
  assignments: z.array(
    z.object({
      householdId: z.string(),
      householdReference: z.string(),
      personId: z.string(),
      name: z.string(),
      legId: z.string(),
    }),
  ),
  unassigned: z.array(
    z.object({ personId: z.string(), householdId: z.string(), reason: z.string(), message: z.string() }),
  ),
  explanations: z.array(
    z.object({
      code: z.string(),
      message: z.string(),
      legId: z.string().optional(),
      householdId: z.string().optional(),
      zone: z.string().optional(),
      kind: z.string().optional(),
    }),
  ),
  /** Registrations left out because a confirmed duplicate of the same person is planned or seated. */
  duplicates: z.array(
    z.object({
      personId: z.string(),
      householdId: z.string(),
      householdReference: z.string(),
      keptPersonId: z.string(),
      keptHouseholdId: z.string(),
      keptHouseholdReference: z.string(),
      reason: z.enum(['seat-held', 'collapsed']),
      message: z.string(),
    }),
  ),
  figures: z.object({
    householdsConsidered: z.number(),
    peopleConsidered: z.number(),
    peopleMoved: z.number(),
    priorityMoved: z.number(),
    splitHouseholds: z.number(),
    splitHouseholdIds: z.array(z.string()),
    objective: z.number(),
    bound: z.number().nullable(),
    seconds: z.number(),
  }),
  createdAt: z.string(),
  committedAt: z.string().nullable(),
});
export type AllocationRun = z.infer<typeof allocationRunSchema>;
