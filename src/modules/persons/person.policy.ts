import type { EligibilityCategory, EligibilityPolicy } from '../crises/crisis.schemas.js';
import type { Eligibility, Relationship } from './person.schemas.js';

/** What the eligibility rules need to know about one member of a household. */
export interface EligibilityMember {
  relationship: Relationship;
  category: EligibilityCategory | null;
}

export interface EligibilityDecision {
  category: EligibilityCategory | null;
  eligibility: Eligibility;
  /** A stable reason code, shown to staff (translated by the console). */
  reason: string;
  /** Index of the household member the eligibility derives from (the citizen), if any. */
  derivedFrom: number | null;
}

const isImmediateFamilyOfHead = (r: Relationship) => r === 'spouse' || r === 'child';

/**
 * Eligibility of every member of a household under the crisis policy:
 * - a citizen is eligible when the policy covers citizens;
 * - a spouse or child of a citizen in the household is immediate family (derived when not given);
 * - a permanent resident is eligible only with citizen family when the policy says so;
 * - anything the rules cannot settle is left "to verify" for an officer, never refused silently.
 */
export function deriveEligibility(
  policy: EligibilityPolicy,
  members: readonly EligibilityMember[],
): EligibilityDecision[] {
  const covered = new Set(policy.eligibleCategories);
  const citizenIndex = members.findIndex((m) => m.category === 'citizen');
  const headIndex = members.findIndex((m) => m.relationship === 'head');
  const headIsCitizen = headIndex >= 0 && members[headIndex]!.category === 'citizen';
  const hasCitizen = citizenIndex >= 0;

  return members.map((m, i): EligibilityDecision => {
    let category = m.category;
    // The citizen a family member derives from: the head when the member is the head's spouse or
    // child, otherwise the first citizen of the household (an officer can correct it).
    const citizenOf = headIsCitizen && isImmediateFamilyOfHead(m.relationship) ? headIndex : citizenIndex;
    if (category === null && headIsCitizen && isImmediateFamilyOfHead(m.relationship))
      category = 'immediate_family';
    if (category === null)
      return { category, eligibility: 'to_verify', reason: 'category_unknown', derivedFrom: null };
    if (!covered.has(category))
      return { category, eligibility: 'not_eligible', reason: 'category_not_covered', derivedFrom: null };
    switch (category) {
      case 'citizen':
        return { category, eligibility: 'eligible', reason: 'citizen', derivedFrom: null };
      case 'immediate_family':
        return hasCitizen && citizenOf !== i
          ? {
              category,
              eligibility: 'eligible',
              reason: 'immediate_family_of_citizen',
              derivedFrom: citizenOf,
            }
          : {
              category,
              eligibility: 'to_verify',
              reason: 'citizen_relative_not_registered',
              derivedFrom: null,
            };
      case 'permanent_resident':
        if (!policy.permanentResidentsOnlyWithCitizenFamily) {
          return { category, eligibility: 'eligible', reason: 'permanent_resident', derivedFrom: null };
        }
        return hasCitizen
          ? {
              category,
              eligibility: 'eligible',
              reason: 'permanent_resident_with_citizen_family',
              derivedFrom: citizenIndex,
            }
          : {
              category,
              eligibility: 'not_eligible',
              reason: 'permanent_resident_without_citizen_family',
              derivedFrom: null,
            };
      case 'other_person_of_interest':
        return {
          category,
          eligibility: 'to_verify',
          reason: 'person_of_interest_needs_decision',
          derivedFrom: null,
        };
    }
    return { category, eligibility: 'to_verify', reason: 'category_unknown', derivedFrom: null };
  });
}

/** Export columns, by what the caller may see. Identity documents and contacts need person.update. */
export const EXPORT_COLUMNS_BASIC = [
  'reference',
  'displayName',
  'nameLatin',
  'nameArabic',
  'sex',
  'birthDate',
  'relationship',
  'zone',
  'place',
  'intention',
  'status',
  'eligibility',
  'eligibilityReason',
  'vulnerabilities',
  'channel',
  'createdAt',
] as const;
export const EXPORT_COLUMNS_SENSITIVE = ['documents', 'phones', 'emails', 'nationalities'] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS_BASIC)[number] | (typeof EXPORT_COLUMNS_SENSITIVE)[number];
