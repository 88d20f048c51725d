import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { NameParts } from '../api/registry-types';

export type LabelGroup =
  | 'status'
  | 'eligibility'
  | 'eligibilityReason'
  | 'intention'
  | 'vulnerability'
  | 'channel'
  | 'relationship'
  | 'sex'
  | 'documentType'
  | 'category'
  | 'sideStatus'
  | 'historyKind'
  | 'matchStatus'
  | 'duplicateStatus'
  | 'caseType'
  | 'caseState'
  | 'priority'
  | 'priorityReason'
  | 'queue'
  | 'contactChannel'
  | 'contactOutcome'
  | 'welfareAnswer'
  | 'loanStatus'
  | 'caseEvent'
  | 'restrictedKind'
  | 'restrictedStatus'
  | 'citizenship'
  | 'restrictedEvent';

/**
 * Words for the codes the API sends (statuses, reasons, channels…), in the language on screen. A
 * code the console does not know yet is shown as it is rather than hidden.
 */
export function useLabel() {
  const { t } = useTranslation();
  return useCallback(
    (group: LabelGroup, value: string | null | undefined): string =>
      value ? t(`labels.${group}.${value}` as 'common.loading', { defaultValue: value }) : '',
    [t],
  );
}

/** The name parts in reading order, or the full name when only that was given. */
export function joinName(name: NameParts | null | undefined): string {
  if (!name) return '';
  const parts = [name.given, name.father, name.grandfather, name.family].filter(Boolean).join(' ');
  return parts || name.full || '';
}

/** A name in Arabic script, marked so that screen readers and the layout treat it as Arabic. */
export function ArabicName({ children }: { children: string | null | undefined }) {
  if (!children) return null;
  return (
    <span lang="ar" dir="rtl">
      {children}
    </span>
  );
}
