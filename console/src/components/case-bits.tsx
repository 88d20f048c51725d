import { Badge, Group, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Case, CaseSubject } from '../api/cases';
import { tones } from '../theme';
import { useLabel } from './labels';

// Dark enough for text contrast above 4.5:1 on white.
const PRIORITY_COLOURS: Record<number, string> = {
  1: '#a51d1d',
  2: '#8a4b00',
  3: '#0b4f8a',
  4: '#343a40',
};

/** The priority ("Critical") and why ("Medical need"), or the reviewer's own reason when overridden. */
export function PriorityBadge({
  item,
}: {
  item: Pick<Case, 'priority' | 'priorityReason' | 'priorityOverridden'>;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <Group gap={6} wrap="nowrap" data-testid="priority">
      <Badge variant="filled" radius="sm" color={PRIORITY_COLOURS[item.priority] ?? tones.neutral}>
        {label('priority', String(item.priority))}
      </Badge>
      <Text size="xs" dir="auto">
        {item.priorityOverridden
          ? t('cases.overridden', { reason: item.priorityReason })
          : label('priorityReason', item.priorityReason)}
      </Text>
    </Group>
  );
}

export function StateBadge({ state }: { state: string }) {
  const label = useLabel();
  const colour = state === 'closed' || state === 'resolved' ? tones.success : tones.info;
  return (
    <Badge variant="outline" radius="sm" color={colour} data-testid="case-state">
      {label('caseState', state)}
    </Badge>
  );
}

export function OverdueBadge() {
  const { t } = useTranslation();
  return (
    <Badge variant="filled" radius="sm" color={tones.danger} data-testid="overdue">
      {t('cases.overdue')}
    </Badge>
  );
}

/** A progress bar made of counts, each part labelled for screen readers. */
export function CountsBar({
  parts,
  total,
}: {
  parts: { key: string; label: string; value: number; colour: string }[];
  total: number;
}) {
  return (
    <div className="counts-bar" aria-hidden="true">
      {parts.map((part) =>
        part.value > 0 ? (
          <span
            key={part.key}
            style={{ flexGrow: part.value, background: part.colour }}
            title={`${part.label}: ${part.value}`}
          />
        ) : null,
      )}
      {total === 0 && <VisuallyHidden>0</VisuallyHidden>}
    </div>
  );
}

/**
 * Who a queue row is about: the name as registered (Latin, else Arabic — the registry's rule, with
 * the Arabic under the Latin when both exist) and the household reference. Nothing for a hidden one.
 */
export function CaseSubjectCell({ subject }: { subject: CaseSubject | null }) {
  if (!subject) return <Text size="sm">—</Text>;
  const primary = subject.fullName ?? subject.fullNameAr;
  const secondary = subject.fullName && subject.fullNameAr ? subject.fullNameAr : null;
  return (
    <div data-testid="case-subject">
      {primary && (
        <Text size="sm" fw={500} dir="auto" data-testid="case-subject-name">
          {primary}
        </Text>
      )}
      {secondary && (
        <Text size="sm" dir="rtl" lang="ar">
          {secondary}
        </Text>
      )}
      <Text size="xs" className="mono" dir="ltr" data-testid="case-subject-reference">
        {subject.householdReference}
      </Text>
    </div>
  );
}
