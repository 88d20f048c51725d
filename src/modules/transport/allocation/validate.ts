import { type AllocationProblem, type ListEntry, PLACE_KINDS } from './types.js';

export interface InputIssue {
  /** Path of the offending field, e.g. `households[3].members[0].id`. */
  path: string;
  message: string;
}

/** Thrown when the problem is malformed; lists every issue with the field it concerns. */
export class AllocationInputError extends Error {
  readonly issues: readonly InputIssue[];

  constructor(issues: readonly InputIssue[]) {
    const head = issues
      .slice(0, 5)
      .map((issue) => `${issue.path}: ${issue.message}`)
      .join('; ');
    super(`invalid allocation problem (${issues.length} issue${issues.length === 1 ? '' : 's'}): ${head}`);
    this.name = 'AllocationInputError';
    this.issues = issues;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

const isId = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Checks the problem and throws {@link AllocationInputError} naming every bad field. */
export function validateProblem(problem: AllocationProblem): void {
  const issues: InputIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (!Array.isArray(problem.households)) add('households', 'must be an array');
  if (!Array.isArray(problem.legs)) add('legs', 'must be an array');
  if (issues.length > 0) throw new AllocationInputError(issues);

  const legIds = new Set<string>();
  problem.legs.forEach((leg, l) => {
    const at = `legs[${l}]`;
    if (!isId(leg.id)) add(`${at}.id`, 'must be a non-empty string');
    else if (legIds.has(leg.id)) add(`${at}.id`, `duplicate leg id "${leg.id}"`);
    else legIds.add(leg.id);
    if (!isCalendarDate(leg.departureDate)) add(`${at}.departureDate`, 'must be a date YYYY-MM-DD');
    for (const kind of PLACE_KINDS) {
      const capacity = leg.capacity?.[kind];
      if (!isCount(capacity)) add(`${at}.capacity.${kind}`, 'must be a non-negative integer');
      const taken = leg.alreadyAllocated?.[kind];
      if (taken === undefined) continue;
      if (!isCount(taken)) add(`${at}.alreadyAllocated.${kind}`, 'must be a non-negative integer');
      else if (isCount(capacity) && taken > capacity)
        add(`${at}.alreadyAllocated.${kind}`, `${taken} already allocated but the capacity is ${capacity}`);
    }
    if (!Array.isArray(leg.reachableFromZones) || !leg.reachableFromZones.every(isId))
      add(`${at}.reachableFromZones`, 'must be an array of zone names');
    const list = leg.requiresApprovedList;
    if (list !== undefined) {
      if (!isId(list.crossingId)) add(`${at}.requiresApprovedList.crossingId`, 'must be a non-empty string');
      if (!isCalendarDate(list.date)) add(`${at}.requiresApprovedList.date`, 'must be a date YYYY-MM-DD');
    }
  });

  const householdIds = new Set<string>();
  const memberIds = new Set<string>();
  problem.households.forEach((household, h) => {
    const at = `households[${h}]`;
    if (!isId(household.id)) add(`${at}.id`, 'must be a non-empty string');
    else if (householdIds.has(household.id)) add(`${at}.id`, `duplicate household id "${household.id}"`);
    else householdIds.add(household.id);
    if (!isId(household.zone)) add(`${at}.zone`, 'must be a non-empty string');
    if (household.pinnedLegId !== undefined && !legIds.has(household.pinnedLegId))
      add(`${at}.pinnedLegId`, `unknown leg "${household.pinnedLegId}"`);
    (household.excludedLegIds ?? []).forEach((legId, i) => {
      if (!legIds.has(legId)) add(`${at}.excludedLegIds[${i}]`, `unknown leg "${legId}"`);
      else if (legId === household.pinnedLegId)
        add(`${at}.excludedLegIds[${i}]`, `leg "${legId}" is both pinned and excluded`);
    });
    if (!Array.isArray(household.members) || household.members.length === 0) {
      add(`${at}.members`, 'must list at least one member');
      return;
    }
    if (household.members.every((member) => member.lapInfant && !member.stretcher))
      add(`${at}.members`, 'lap infants must travel with a member who is not a lap infant');
    household.members.forEach((member, m) => {
      const mat = `${at}.members[${m}]`;
      if (!isId(member.id)) add(`${mat}.id`, 'must be a non-empty string');
      else if (memberIds.has(member.id)) add(`${mat}.id`, `duplicate person id "${member.id}"`);
      else memberIds.add(member.id);
      if (member.lapInfant && member.stretcher)
        add(`${mat}.lapInfant`, 'a person needing a stretcher place cannot also be a lap infant');
      if (
        member.waitingDays !== undefined &&
        (typeof member.waitingDays !== 'number' ||
          !Number.isFinite(member.waitingDays) ||
          member.waitingDays < 0)
      )
        add(`${mat}.waitingDays`, 'must be a non-negative number');
      const until = member.documentsValidUntil;
      if (until !== undefined && until !== null && !isCalendarDate(until))
        add(`${mat}.documentsValidUntil`, 'must be a date YYYY-MM-DD or null');
      (member.approvedFor ?? []).forEach((entry: ListEntry, e: number) => {
        if (!isId(entry.crossingId)) add(`${mat}.approvedFor[${e}].crossingId`, 'must be a non-empty string');
        if (!isCalendarDate(entry.date)) add(`${mat}.approvedFor[${e}].date`, 'must be a date YYYY-MM-DD');
      });
    });
  });
  if (issues.length > 0) throw new AllocationInputError(issues);
}
