import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { zonesQuery } from '../api/queries';
import { personQuery } from '../api/registry';
import type { PersonDetail } from '../api/registry-types';
import { ArabicName, joinName, useLabel } from '../components/labels';
import { MessagingHistory } from '../components/messaging-history';
import { PageTitle } from '../components/page-title';
import { PersonCases } from '../components/person-cases';
import { PersonEditDialog } from '../components/person-edit';
import { PersonLoans } from '../components/person-loans';
import { OnTheLists, PersonRegistrations } from '../components/person-registrations';
import {
  AuditSection,
  DocumentsSection,
  HistorySection,
  HouseholdSection,
} from '../components/person-sections';
import { PersonShares } from '../components/person-shares';
import { LoadError, Loading, StatusBadge } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

/** Everything known about one registered person, with the edits, merges and lists behind it. */
export default function PersonPage() {
  const { t } = useTranslation();
  const { personId = '' } = useParams();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('person.title')}>{t('person.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <Person key={`${selectedCrisis.id}:${personId}`} crisisId={selectedCrisis.id} personId={personId} />;
}

function Person({ crisisId, personId }: { crisisId: string; personId: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const label = useLabel();
  const page = useQuery(personQuery(crisisId, personId));
  const zones = useQuery(zonesQuery(crisisId));
  const [editing, setEditing] = useState(false);

  if (page.isPending) return <Loading />;
  if (page.isError) {
    return (
      <>
        <PageTitle title={t('person.title')}>{t('person.title')}</PageTitle>
        <LoadError error={page.error} />
      </>
    );
  }
  const { person, household, history, audit } = page.data;
  const name = joinName(person.nameLatin) || joinName(person.nameArabic) || person.displayName;
  const zone = zones.data?.find((candidate) => candidate.id === person.zoneId)?.name;

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <PageTitle title={name}>
            <span dir="auto">{name}</span>
          </PageTitle>
          <Group gap="sm" mt={-8}>
            <Text className="mono" fw={600} data-testid="person-reference">
              {person.reference}
            </Text>
            <StatusBadge status={person.status} label={label('status', person.status)} />
          </Group>
        </div>
        <Group gap="xs">
          <Button component={Link} to="/registry" variant="default">
            {t('person.backToRegistry')}
          </Button>
          {can(me, 'person.update', crisisId) && (
            <Button onClick={() => setEditing(true)}>{t('person.edit')}</Button>
          )}
        </Group>
      </Group>

      <Details person={person} zone={zone} />
      <Eligibility person={person} />
      <HouseholdSection household={household} currentId={person.id} />
      <DocumentsSection person={person} />
      {can(me, 'case.read', crisisId) && <PersonCases crisisId={crisisId} personId={person.id} />}
      {can(me, 'case.read', crisisId) && <PersonLoans crisisId={crisisId} personId={person.id} />}
      <PersonRegistrations crisisId={crisisId} personId={person.id} />
      <PersonShares crisisId={crisisId} personId={person.id} />
      {can(me, 'movement.read', crisisId) && <OnTheLists crisisId={crisisId} personId={person.id} />}
      <MessagingHistory crisisId={crisisId} personId={person.id} />
      <HistorySection history={history} />
      <AuditSection audit={audit} locale={i18n.language} />
      {editing && (
        <PersonEditDialog
          crisisId={crisisId}
          person={person}
          zones={zones.data ?? []}
          onClose={() => setEditing(false)}
        />
      )}
    </Stack>
  );
}

export function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd>{children || '—'}</dd>
    </div>
  );
}

function Details({ person, zone }: { person: PersonDetail; zone: string | undefined }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="person-details-heading">
      <Title order={2} size="h3" id="person-details-heading" mb="sm">
        {t('person.details')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} component="dl" className="facts">
        <Fact term={t('person.nameLatin')}>{joinName(person.nameLatin)}</Fact>
        <Fact term={t('person.nameArabic')}>
          <ArabicName>{joinName(person.nameArabic)}</ArabicName>
        </Fact>
        <Fact term={t('person.relationship')}>{label('relationship', person.relationship)}</Fact>
        <Fact term={t('person.sex')}>{label('sex', person.sex)}</Fact>
        <Fact term={t('person.birthDate')}>{person.birthDate}</Fact>
        <Fact term={t('person.birthPlace')}>{person.birthPlace}</Fact>
        <Fact term={t('person.nationalities')}>{person.nationalities.join(', ')}</Fact>
        <Fact term={t('person.category')}>{label('category', person.eligibilityCategory)}</Fact>
        <Fact term={t('person.location')}>{[zone, person.place].filter(Boolean).join(' — ')}</Fact>
        <Fact term={t('person.intention')}>{label('intention', person.intention)}</Fact>
        <Fact term={t('person.vulnerabilities')}>
          {person.vulnerabilities.map((value) => label('vulnerability', value)).join(', ')}
        </Fact>
        <Fact term={t('person.needs')}>{person.needs}</Fact>
        <Fact term={t('person.channel')}>{label('channel', person.channel)}</Fact>
        <Fact term={t('person.registered')}>{formatDateTime(person.createdAt, i18n.language)}</Fact>
        <Fact term={t('person.contacts')}>
          {person.contacts.map((contact) => (
            <div key={contact.id} className="mono" dir="ltr">
              {contact.value}
              {contact.whatsapp ? ` (${t('person.whatsapp')})` : ''}
            </div>
          ))}
        </Fact>
      </SimpleGrid>
    </Paper>
  );
}

function Eligibility({ person }: { person: PersonDetail }) {
  const { t } = useTranslation();
  const label = useLabel();
  const colour =
    person.eligibility === 'eligible'
      ? '#1b5e20'
      : person.eligibility === 'not_eligible'
        ? '#a51d1d'
        : '#8a4b00';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="person-eligibility-heading">
      <Title order={2} size="h3" id="person-eligibility-heading" mb="sm">
        {t('person.eligibility')}
      </Title>
      <Group gap="sm">
        <Badge variant="outline" radius="sm" color={colour} data-testid="eligibility">
          {label('eligibility', person.eligibility)}
        </Badge>
        <Text data-testid="eligibility-reason">{label('eligibilityReason', person.eligibilityReason)}</Text>
        {person.citizenPersonId && (
          <Anchor component={Link} to={`/registry/${encodeURIComponent(person.citizenPersonId)}`}>
            {t('person.citizenRelative')}
          </Anchor>
        )}
      </Group>
    </Paper>
  );
}
