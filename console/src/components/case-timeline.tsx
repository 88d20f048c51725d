import { Paper, Text, Timeline, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CaseEvent } from '../api/cases';
import { formatDateTime } from '../format';
import { useLabel } from './labels';

const str = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

/** The case's history, newest first: opening, notes, calls, tasks, state changes, answers. */
export function CaseTimeline({ events }: { events: CaseEvent[] }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  const ordered = [...events].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

  function describe(event: CaseEvent): string {
    const d = event.data;
    switch (event.kind) {
      case 'opened':
        return label('caseType', str(d.type));
      case 'note':
        return str(d.text);
      case 'contact_attempt':
        return [label('contactChannel', str(d.channel)), label('contactOutcome', str(d.outcome)), str(d.note)]
          .filter(Boolean)
          .join(' — ');
      case 'task_added':
      case 'task_done':
        return [
          str(d.title),
          d.dueAt ? t('cases.dueOn', { date: formatDateTime(str(d.dueAt), i18n.language) }) : '',
        ]
          .filter(Boolean)
          .join(' — ');
      case 'state_changed':
        return [`${label('caseState', str(d.from))} → ${label('caseState', str(d.to))}`, str(d.note)]
          .filter(Boolean)
          .join(' — ');
      case 'priority_changed':
        return `${label('priority', str(d.from))} → ${label('priority', str(d.to))} — ${str(d.reason)}`;
      case 'answer':
        return [label('welfareAnswer', str(d.answer)), str(d.note)].filter(Boolean).join(' — ');
      default:
        return '';
    }
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="timeline-heading">
      <Title order={2} size="h4" id="timeline-heading" mb="sm">
        {t('cases.timeline')}
      </Title>
      <Timeline bulletSize={14} lineWidth={2} data-testid="case-timeline">
        {ordered.map((event) => (
          <Timeline.Item key={event.id} title={label('caseEvent', event.kind)} data-kind={event.kind}>
            <Text size="sm" dir="auto">
              {describe(event)}
            </Text>
            <Text size="xs">
              {formatDateTime(event.at, i18n.language)} · <span dir="auto">{event.actorLabel}</span>
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Paper>
  );
}
