/** Shapes of the registry, duplicates and crossings API (`docs/registry.md`, `docs/crossings.md`). */

export const PERSON_STATUSES = [
  'registered',
  'verified',
  'safe',
  'awaiting_departure',
  'departed',
  'arrived',
  'missing',
  'deceased',
  'withdrawn',
] as const;
export const INTENTIONS = ['leave', 'stay', 'undecided'] as const;
export const ELIGIBILITIES = ['eligible', 'not_eligible', 'to_verify'] as const;
export const VULNERABILITIES = [
  'medical',
  'mobility',
  'pregnancy',
  'unaccompanied_minor',
  'elderly',
] as const;
export const CHANNELS = ['portal_self', 'portal_on_behalf', 'api', 'call_centre', 'import', 'sms'] as const;
export const RELATIONSHIPS = [
  'head',
  'spouse',
  'child',
  'parent',
  'sibling',
  'grandparent',
  'grandchild',
  'other_relative',
  'other',
] as const;
export const SEXES = ['female', 'male', 'unknown'] as const;
export const DOCUMENT_TYPES = [
  'passport',
  'national_id',
  'permanent_resident_card',
  'birth_certificate',
  'other',
] as const;
export const SIDE_STATUSES = ['open', 'restricted', 'closed'] as const;

export type PersonStatus = (typeof PERSON_STATUSES)[number];
export type Intention = (typeof INTENTIONS)[number];
export type Relationship = (typeof RELATIONSHIPS)[number];
export type SideStatus = (typeof SIDE_STATUSES)[number];

export interface NameParts {
  given: string | null;
  father: string | null;
  grandfather: string | null;
  family: string | null;
  full: string | null;
}

export interface PersonSummary {
  id: string;
  crisisId: string;
  householdId: string;
  reference: string;
  relationship: string;
  nameLatin: NameParts;
  nameArabic: NameParts;
  displayName: string;
  sex: string;
  birthDate: string | null;
  birthPrecision: 'day' | 'year' | 'unknown';
  zoneId: string | null;
  place: string | null;
  intention: string;
  status: string;
  eligibility: string;
  eligibilityReason: string;
  eligibilityCategory: string | null;
  vulnerabilities: string[];
  channel: string;
  createdAt: string;
  updatedAt: string;
}

export interface PersonDocument {
  id: string;
  type: string;
  number: string;
  numberNormalised: string;
  issuingCountry: string | null;
  expiryDate: string | null;
}

export interface Contact {
  id: string;
  personId: string | null;
  kind: 'phone' | 'email';
  value: string;
  whatsapp: boolean;
}

export interface PersonDetail extends PersonSummary {
  birthPlace: string | null;
  nationalities: string[];
  citizenPersonId: string | null;
  latitude: number | null;
  longitude: number | null;
  locationConfirmedAt: string | null;
  needs: string | null;
  documents: PersonDocument[];
  contacts: Contact[];
}

export interface Household {
  id: string;
  reference: string;
  channel: string;
  registeredBy: string;
  registrant: { name: string | null; relationship: string | null; contact: string | null };
  headPersonId: string | null;
  safeReportedAt: string | null;
  createdAt: string;
  members: PersonSummary[];
  contacts: Contact[];
}

export interface HistoryEntry {
  id: string;
  at: string;
  kind: string;
  status: string | null;
  reason: string | null;
  changes: Record<string, unknown> | null;
  actorLabel: string;
}

export interface PersonPage {
  person: PersonDetail;
  household: Household;
  history: HistoryEntry[];
  audit: { seq: number; at: string; actorLabel: string; action: string }[];
}

export interface PersonList {
  items: PersonSummary[];
  total: number;
  limit: number;
  offset: number;
}

/** The short description of a registration used by matching (duplicates, list matches). */
export interface MatchPerson {
  id: string;
  householdId: string;
  reference: string;
  fullName: string | null;
  fullNameAr: string | null;
  dateOfBirth: string | null;
  sex: string;
  passportNumber: string | null;
}

export interface FieldExplanation {
  field: string;
  level: string;
  weight: number;
  detail?: string;
}

export type DuplicateStatus = 'pending' | 'same' | 'not_same' | 'unsure';
export type DuplicateBand = 'match' | 'review';

export interface DuplicatePair {
  id: string;
  score: number;
  band: DuplicateBand;
  status: DuplicateStatus;
  foundAt: string;
  explanation: FieldExplanation[];
  a: MatchPerson;
  b: MatchPerson;
}

export interface DuplicateSearch {
  registrations: number;
  pairsFound: number;
  newlyQueued: number;
  seconds: number;
}

export interface IdentityDecision {
  id: string;
  personA: string;
  personB: string;
  decidedBy: string | null;
  decidedAt: string;
  note: string;
}

export interface Registrations {
  personId: string;
  registrations: MatchPerson[];
  decisions: IdentityDecision[];
}

export interface RegistrationAnswer {
  reference: string;
  updateSecret: string;
  updateUrl: string;
  receivedAt: string;
  members: number;
  householdId: string;
  personIds: string[];
}

export interface OpeningWindow {
  days: number[];
  opens: string;
  closes: string;
}

export interface CrossingSide {
  id: string;
  name: string;
  operator: string;
  status: SideStatus;
  statusNote: string;
  statusSource: string;
  statusChangedAt: string | null;
  openingWindows: OpeningWindow[];
  publicNotice: { en: string; fr: string; ar: string } | null;
}

export interface Crossing {
  id: string;
  crisisId: string;
  name: string;
  code: string;
  description: string;
  requiresApprovedList: boolean;
  status: 'active' | 'archived';
  overallStatus: SideStatus;
  sides: CrossingSide[];
  createdAt: string;
  updatedAt: string;
}

export interface CrossingEvent {
  id: string;
  sideId: string;
  sideName: string;
  status: SideStatus;
  note: string;
  source: string;
  at: string;
  recordedBy: string | null;
}

export interface ListSummary {
  id: string;
  crossingPointId: string;
  listDate: string;
  source: string;
  fileName: string;
  format: 'csv' | 'xlsx' | 'pdf';
  rowCount: number;
  byNationality: Record<string, number>;
  importedAt: string;
  matchedAt: string | null;
  matches: { autoLinked: number; pending: number; confirmed: number; rejected: number };
}

export interface ListEntry {
  id: string;
  rowNo: number;
  sourceRef: string;
  fullName: string;
  fullNameAr: string | null;
  passportNumber: string | null;
  nationality: string | null;
  dateOfBirth: string | null;
  sex?: string | null;
}

export type ListMatchStatus = 'auto_linked' | 'pending' | 'confirmed' | 'rejected';

export interface ListMatch {
  id: string;
  score: number;
  decision: 'match' | 'review';
  status: ListMatchStatus;
  explanation: FieldExplanation[];
  reviewedBy: string | null;
  reviewedAt: string | null;
  entry: ListEntry;
  person: MatchPerson;
}

export interface ListMatchRun {
  listId: string;
  entries: number;
  registryPersons: number;
  autoLinked: number;
  pending: number;
  keptDecisions: number;
  seconds: number;
}

export interface ImportReport {
  rows: number;
  households: number;
  valid: number;
  imported: number;
  persons: number;
  dryRun: boolean;
  errors: { row: number; column: string; message: string }[];
}

/** Fields an imported column can feed (`map=column:field`). */
export const IMPORT_FIELDS = [
  'household',
  'relationship',
  'given_name',
  'father_name',
  'grandfather_name',
  'family_name',
  'full_name',
  'given_name_ar',
  'family_name_ar',
  'full_name_ar',
  'sex',
  'birth_date',
  'nationalities',
  'category',
  'passport',
  'national_id',
  'phone',
  'email',
  'whatsapp',
  'zone',
  'place',
  'intention',
  'vulnerabilities',
  'needs',
] as const;
