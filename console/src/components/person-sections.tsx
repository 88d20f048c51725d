import { Anchor, Badge, Paper, Table, Text, Timeline, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { HistoryEntry, Household, PersonDetail, PersonPage } from '../api/registry-types';
import { formatDateTime } from '../format';
import { ArabicName, joinName, useLabel } from './labels';

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`${id}-heading`}>
      <Title order={2} size="h3" id={`${id}-heading`} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

export function HouseholdSection({ household, currentId }: { household: Household; currentId: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <Section id="household" title={t('person.household', { reference: household.reference })}>
      {household.registrant.name && (
        <Text size="sm" mb="xs">
          {t('person.registeredBy', {
            name: household.registrant.name,
            relationship: household.registrant.relationship ?? '',
          })}
        </Text>
      )}
      <div className="table-scroll">
        <Table withTableBorder data-testid="household-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('registry.columns.name')}</Table.Th>
              <Table.Th scope="col">{t('person.relationship')}</Table.Th>
              <Table.Th scope="col">{t('person.birthDate')}</Table.Th>
              <Table.Th scope="col">{t('registry.columns.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {household.members.map((member) => {
              const latin = joinName(member.nameLatin);
              const arabic = joinName(member.nameArabic);
              const name = latin || arabic || member.displayName;
              return (
                <Table.Tr key={member.id}>
                  <Table.Th scope="row" fw={500}>
                    {member.id === currentId ? (
                      <span aria-current="page" dir="auto">
                        {name}
                      </span>
                    ) : (
                      <Anchor component={Link} to={`/registry/${encodeURIComponent(member.id)}`} dir="auto">
                        {name}
                      </Anchor>
                    )}
                    {latin && arabic && (
                      <Text size="sm">
                        <ArabicName>{arabic}</ArabicName>
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td>
                    {label('relationship', member.relationship)}
                    {household.headPersonId === member.id && (
                      <Badge ms="xs" variant="outline" radius="sm" color="#0b4f8a">
                        {t('person.head')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{member.birthDate ?? ''}</Table.Td>
                  <Table.Td>{label('status', member.status)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </div>
    </Section>
  );
}

export function DocumentsSection({ person }: { person: PersonDetail }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <Section id="documents" title={t('person.documents')}>
      {person.documents.length === 0 ? (
        <Text>{t('person.noDocuments')}</Text>
      ) : (
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('person.documentType')}</Table.Th>
              <Table.Th scope="col">{t('person.documentNumber')}</Table.Th>
              <Table.Th scope="col">{t('person.issuingCountry')}</Table.Th>
              <Table.Th scope="col">{t('person.expiry')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {person.documents.map((document) => (
              <Table.Tr key={document.id}>
                <Table.Td>{label('documentType', document.type)}</Table.Td>
                <Table.Td className="mono">{document.number}</Table.Td>
                <Table.Td>{document.issuingCountry ?? ''}</Table.Td>
                <Table.Td>{document.expiryDate ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

function describeChanges(changes: Record<string, unknown> | null): string {
  if (!changes) return '';
  return Object.keys(changes).join(', ');
}

export function HistorySection({ history }: { history: HistoryEntry[] }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  return (
    <Section id="history" title={t('person.history')}>
      {history.length === 0 ? (
        <Text>{t('person.noHistory')}</Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} data-testid="history">
          {history.map((entry) => (
            <Timeline.Item
              key={entry.id}
              title={
                <Text fw={600} size="sm">
                  {label('historyKind', entry.kind)}
                  {entry.status && entry.kind !== 'registered' ? ` — ${label('status', entry.status)}` : ''}
                </Text>
              }
            >
              <Text size="sm">
                {formatDateTime(entry.at, i18n.language)} · {entry.actorLabel}
              </Text>
              {entry.reason && (
                <Text size="sm" dir="auto">
                  {entry.kind === 'registered'
                    ? t('person.channelWas', { channel: label('channel', entry.reason) })
                    : t('person.reasonWas', { reason: entry.reason })}
                </Text>
              )}
              {entry.changes && Object.keys(entry.changes).length > 0 && (
                <Text size="xs">{t('person.changed', { fields: describeChanges(entry.changes) })}</Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Section>
  );
}

export function AuditSection({ audit, locale }: { audit: PersonPage['audit']; locale: string }) {
  const { t } = useTranslation();
  return (
    <Section id="person-audit" title={t('person.audit')}>
      {audit.length === 0 ? (
        <Text>{t('person.noAudit')}</Text>
      ) : (
        <div className="table-scroll">
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('audit.at')}</Table.Th>
                <Table.Th scope="col">{t('audit.actor')}</Table.Th>
                <Table.Th scope="col">{t('audit.action')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {audit.map((entry) => (
                <Table.Tr key={entry.seq}>
                  <Table.Td>{formatDateTime(entry.at, locale)}</Table.Td>
                  <Table.Td>{entry.actorLabel}</Table.Td>
                  <Table.Td className="mono">{entry.action}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Section>
  );
}
