import { z } from 'zod';

export const LEG_KINDS = ['flight', 'bus', 'ship'] as const;
export const LEG_STATUSES = ['planned', 'confirmed', 'boarding', 'departed', 'arrived', 'cancelled'] as const;
export type LegStatus = (typeof LEG_STATUSES)[number];
export const PLACE_KINDS = ['seat', 'lap', 'stretcher'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];
export const ASSIGNMENT_STATUSES = [
  'offered',
  'confirmed',
  'declined',
  'expired',
  'cancelled',
  'checked_in',
  'boarded',
  'no_show',
  'refused',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];
export const MANIFEST_PROFILES = ['airline', 'crossing_authority', 'receiving_country'] as const;
export type ManifestProfile = (typeof MANIFEST_PROFILES)[number];

const id = z.string().min(1).max(100);
const isoTime = z.iso.datetime({ offset: true, message: 'Use an ISO-8601 date and time.' });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.');
const count = z.number().int().min(0).max(10_000);

const legFields = {
  kind: z.enum(LEG_KINDS),
  name: z.string().trim().min(1).max(120),
  origin: z.string().trim().min(1).max(200),
  destination: z.string().trim().min(1).max(200),
  assemblyPoint: z.string().trim().min(1).max(300),
  reportAt: isoTime.nullable(),
  departureAt: isoTime,
  seats: count,
  lapPlaces: count,
  stretcherPlaces: count,
  operator: z.string().trim().max(200),
  costPerSeat: z.number().min(0).max(1_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'Use an ISO 4217 code such as USD.'),
  nextLegId: id.nullable(),
  crossingPointId: id.nullable(),
  crossingListDate: day.nullable(),
  reachableZoneIds: z.array(id).max(200),
};

export const legCreateSchema = z
  .strictObject({
    ...legFields,
    reportAt: legFields.reportAt.default(null),
    lapPlaces: count.default(0),
    stretcherPlaces: count.default(0),
    operator: legFields.operator.default(''),
    costPerSeat: legFields.costPerSeat.default(0),
    currency: legFields.currency.default('USD'),
    nextLegId: legFields.nextLegId.default(null),
    crossingPointId: legFields.crossingPointId.default(null),
    crossingListDate: legFields.crossingListDate.default(null),
    reachableZoneIds: legFields.reachableZoneIds.default([]),
  })
  .refine((l) => l.reportAt === null || Date.parse(l.reportAt) <= Date.parse(l.departureAt), {
    message: 'People report before departure.',
    path: ['reportAt'],
  })
  .refine((l) => (l.crossingPointId === null) === (l.crossingListDate === null), {
    message: 'A leg through a crossing names the crossing and the list date together.',
    path: ['crossingListDate'],
  });

export const legUpdateSchema = z.strictObject({
  version: z.number().int().min(1),
  kind: legFields.kind.optional(),
  name: legFields.name.optional(),
  origin: legFields.origin.optional(),
  destination: legFields.destination.optional(),
  assemblyPoint: legFields.assemblyPoint.optional(),
  reportAt: legFields.reportAt.optional(),
  departureAt: legFields.departureAt.optional(),
  seats: legFields.seats.optional(),
  lapPlaces: legFields.lapPlaces.optional(),
  stretcherPlaces: legFields.stretcherPlaces.optional(),
  operator: legFields.operator.optional(),
  costPerSeat: legFields.costPerSeat.optional(),
  currency: legFields.currency.optional(),
  nextLegId: legFields.nextLegId.optional(),
  crossingPointId: legFields.crossingPointId.optional(),
  crossingListDate: legFields.crossingListDate.optional(),
  reachableZoneIds: legFields.reachableZoneIds.optional(),
});

export const legStatusChangeSchema = z.strictObject({
  to: z.enum(LEG_STATUSES),
  version: z.number().int().min(1),
  reason: z.string().trim().max(500).default(''),
});

export const legSchema = z.object({
  id: z.string(),
  crisisId: z.string(),
  kind: z.enum(LEG_KINDS),
  name: z.string(),
  origin: z.string(),
  destination: z.string(),
  assemblyPoint: z.string(),
  reportAt: z.string().nullable(),
  departureAt: z.string(),
  capacity: z.object({ seats: z.number(), lapPlaces: z.number(), stretcherPlaces: z.number() }),
  operator: z.string(),
  costPerSeat: z.number(),
  currency: z.string(),
  status: z.enum(LEG_STATUSES),
  /** Statuses this leg may move to next. */
  allowedTransitions: z.array(z.enum(LEG_STATUSES)),
  nextLegId: z.string().nullable(),
  crossingPointId: z.string().nullable(),
  crossingListDate: z.string().nullable(),
  reachableZoneIds: z.array(z.string()),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Leg = z.infer<typeof legSchema>;

export const assignHouseholdSchema = z.strictObject({
  householdId: id,
  /** Only these members (a split the coordinator allows); all active members when left out. */
  personIds: z.array(id).min(1).max(50).optional(),
  allowSplit: z.boolean().default(false),
  offerDeadline: isoTime,
});

export const assignmentSchema = z.object({
  id: z.string(),
  legId: z.string(),
  personId: z.string(),
  householdId: z.string(),
  householdReference: z.string(),
  name: z.string(),
  placeKind: z.enum(PLACE_KINDS),
  status: z.enum(ASSIGNMENT_STATUSES),
  code: z.string(),
  offerDeadline: z.string(),
  reason: z.string().nullable(),
  respondedAt: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

export const assignmentEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  reason: z.string().nullable(),
  actorLabel: z.string(),
});

export const legCountsSchema = z.object({
  legId: z.string(),
  capacity: z.object({ seats: z.number(), lapPlaces: z.number(), stretcherPlaces: z.number() }),
  offered: z.number(),
  confirmed: z.number(),
  checkedIn: z.number(),
  boarded: z.number(),
  noShow: z.number(),
  refused: z.number(),
  emptySeats: z.number(),
  emptyLapPlaces: z.number(),
  emptyStretcherPlaces: z.number(),
});
export type LegCounts = z.infer<typeof legCountsSchema>;

export const checkInSchema = z.strictObject({
  /** The assignment code on the confirmation, or the household's reference code. */
  code: z.string().trim().min(4).max(20),
});

export const boardingOutcomeSchema = z.strictObject({
  outcome: z.enum(['boarded', 'no_show', 'refused']),
  reason: z.string().trim().max(500).optional(),
});

export const cancelAssignmentSchema = z.strictObject({
  reason: z.string().trim().min(1, 'Say why the seat is cancelled.').max(500),
});

export const manifestRequestSchema = z.strictObject({
  profile: z.enum(MANIFEST_PROFILES),
  format: z.enum(['csv', 'pdf']),
  /** Who receives it (an airline desk, a liaison officer…), kept in the log. */
  recipient: z.string().trim().min(1).max(200),
});

export const manifestLogSchema = z.object({
  id: z.string(),
  legId: z.string(),
  profile: z.enum(MANIFEST_PROFILES),
  recipient: z.string(),
  format: z.enum(['csv', 'pdf']),
  rowCount: z.number(),
  sha256: z.string(),
  issuedBy: z.string().nullable(),
  issuedAt: z.string(),
});

export const legFiguresSchema = z.object({
  legId: z.string(),
  name: z.string(),
  kind: z.enum(LEG_KINDS),
  status: z.enum(LEG_STATUSES),
  departureAt: z.string(),
  /** Seats plus stretcher places: people who need a place of their own. */
  capacity: z.number(),
  allocated: z.number(),
  confirmed: z.number(),
  boarded: z.number(),
  noShow: z.number(),
  /** Boarded over capacity once the leg has gone; confirmed-or-later over capacity before. */
  fillRate: z.number(),
  noShowRate: z.number().nullable(),
});

export const publicLinkSchema = {
  reference: z.string().min(9).max(20),
  secret: z.string().min(16).max(100),
};

export const publicOfferSchema = z.object({
  legId: z.string(),
  kind: z.enum(LEG_KINDS),
  name: z.string(),
  origin: z.string(),
  destination: z.string(),
  assemblyPoint: z.string(),
  reportAt: z.string().nullable(),
  departureAt: z.string(),
  offerDeadline: z.string(),
  status: z.enum(ASSIGNMENT_STATUSES),
  people: z.array(z.object({ givenName: z.string(), code: z.string(), status: z.enum(ASSIGNMENT_STATUSES) })),
});
export type PublicOffer = z.infer<typeof publicOfferSchema>;

export const crisisParams = z.strictObject({ crisisId: id });
export const legParams = crisisParams.extend({ legId: id });
export const assignmentParams = legParams.extend({ assignmentId: id });
