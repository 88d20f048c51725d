import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { DuplicatePair, MatchPerson } from '../api/registry-types';
import { Explanation } from './explanation';
import { ArabicName, useLabel } from './labels';
import { StatusBadge } from './status';

export type PairDecision = 'same' | 'not_same' | 'unsure';

const KEYS: Record<string, PairDecision> = { s: 'same', n: 'not_same', u: 'unsure' };

/** One registration of a pair: names in both scripts, birth, sex, passport, reference. */
export function PersonCard({ person, heading }: { person: MatchPerson; heading: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <Paper withBorder p="sm" className="pair-side">
      <Text size="xs" fw={700} tt="uppercase">
        {heading}
      </Text>
      <Text fw={600}>
        <Anchor component={Link} to={`/registry/${encodeURIComponent(person.id)}`}>
          {person.fullName || <ArabicName>{person.fullNameAr}</ArabicName> || person.reference}
        </Anchor>
      </Text>
      {person.fullName && person.fullNameAr && (
        <Text>
          <ArabicName>{person.fullNameAr}</ArabicName>
        </Text>
      )}
      <dl className="facts compact">
        <div className="fact">
          <dt>{t('duplicates.birth')}</dt>
          <dd>{person.dateOfBirth ?? '—'}</dd>
        </div>
        <div className="fact">
          <dt>{t('duplicates.sex')}</dt>
          <dd>{label('sex', person.sex)}</dd>
        </div>
        <div className="fact">
          <dt>{t('duplicates.passport')}</dt>
          <dd className="mono">{person.passportNumber ?? '—'}</dd>
        </div>
        <div className="fact">
          <dt>{t('duplicates.reference')}</dt>
          <dd className="mono">{person.reference}</dd>
        </div>
      </dl>
    </Paper>
  );
}

/** A candidate pair side by side, the evidence, and the three decisions (also keys S, N, U). */
export function PairCard({
  pair,
  canDecide,
  pending,
  onDecide,
}: {
  pair: DuplicatePair;
  canDecide: boolean;
  pending: boolean;
  onDecide(decision: PairDecision): void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const headingId = `pair-${pair.id}`;
  const names = `${pair.a.fullName ?? pair.a.fullNameAr ?? pair.a.reference} / ${pair.b.fullName ?? pair.b.fullNameAr ?? pair.b.reference}`;

  function keys(event: KeyboardEvent<HTMLElement>) {
    if (!canDecide || pair.status !== 'pending' || event.target !== event.currentTarget) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const decision = KEYS[event.key.toLowerCase()];
    if (!decision) return;
    event.preventDefault();
    onDecide(decision);
  }

  return (
    <Paper
      withBorder
      p="md"
      component="article"
      aria-labelledby={headingId}
      tabIndex={0}
      onKeyDown={keys}
      className="pair"
      data-pair={pair.id}
    >
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id={headingId}>
            <span dir="auto">{names}</span>
          </Title>
          <Group gap="xs">
            <Badge variant="outline" radius="sm" color={pair.band === 'match' ? '#1b5e20' : '#8a4b00'}>
              {t(`duplicates.bands.${pair.band}`)}
            </Badge>
            <StatusBadge status={pair.status} label={label('duplicateStatus', pair.status)} />
            <Text size="xs">{t('duplicates.score', { score: pair.score.toFixed(1) })}</Text>
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <PersonCard person={pair.a} heading={t('duplicates.first')} />
          <PersonCard person={pair.b} heading={t('duplicates.second')} />
        </SimpleGrid>
        <Explanation items={pair.explanation} />
        {canDecide && pair.status === 'pending' && (
          <Group gap="xs">
            <Button size="sm" onClick={() => onDecide('same')} loading={pending} aria-keyshortcuts="S">
              {t('duplicates.same')} <kbd className="key-hint">S</kbd>
            </Button>
            <Button
              size="sm"
              variant="default"
              onClick={() => onDecide('not_same')}
              disabled={pending}
              aria-keyshortcuts="N"
            >
              {t('duplicates.notSame')} <kbd className="key-hint">N</kbd>
            </Button>
            <Button
              size="sm"
              variant="default"
              onClick={() => onDecide('unsure')}
              disabled={pending}
              aria-keyshortcuts="U"
            >
              {t('duplicates.unsure')} <kbd className="key-hint">U</kbd>
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
