import { Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { personSharesQuery } from '../api/partners';
import { formatDateTime } from '../format';
import { LinkStateBadge, usePartnerLabel } from './partner-bits';
import { Section } from './person-sections';
import { LoadError } from './status';

/** Who received this person's data: partner, date, fields, request. Reading it is audited. */
export function PersonShares({ crisisId, personId }: { crisisId: string; personId: string }) {
  const { t, i18n } = useTranslation();
  const label = usePartnerLabel();
  const shares = useQuery(personSharesQuery(crisisId, personId));
  const rows = shares.data ?? [];
  return (
    <Section id="person-shares" title={t('partners.personShares.title')}>
      {shares.isError && <LoadError error={shares.error} />}
      {shares.data && rows.length === 0 && <Text size="sm">{t('partners.personShares.none')}</Text>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <Table withTableBorder data-testid="person-shares">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('partners.personShares.partner')}</Table.Th>
                <Table.Th scope="col">{t('partners.personShares.when')}</Table.Th>
                <Table.Th scope="col">{t('partners.personShares.fields')}</Table.Th>
                <Table.Th scope="col">{t('partners.personShares.request')}</Table.Th>
                <Table.Th scope="col">{t('partners.personShares.link')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((s) => (
                <Table.Tr key={s.packageId}>
                  <Table.Th scope="row">{s.partner.name}</Table.Th>
                  <Table.Td>
                    {formatDateTime(s.createdAt, i18n.language)}
                    <Text size="xs">{s.createdBy}</Text>
                  </Table.Td>
                  <Table.Td>{s.fields.map((f) => label('field', f)).join(', ')}</Table.Td>
                  <Table.Td>{s.request?.subject ?? '–'}</Table.Td>
                  <Table.Td>
                    <LinkStateBadge state={s.linkState} />
                    <Text size="xs">{t('partners.personShares.downloads', { count: s.downloads })}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Section>
  );
}
