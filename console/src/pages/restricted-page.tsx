import { Anchor, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { RESTRICTED_KINDS, RESTRICTED_STATUSES, restrictedListQuery } from '../api/restricted';
import { ArabicName, useLabel } from '../components/labels';
import { PageTitle } from '../components/page-title';
import { RestrictedBanner, WithCrisis } from '../components/restricted-bits';
import { RestrictedCreateForm } from '../components/restricted-forms';
import { LoadError, Loading, StatusBadge } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe } from '../session';

/** Hostage and missing-person cases: seen and changed by the restricted-cases cell only. */
export default function RestrictedPage() {
  const { t } = useTranslation();
  return (
    <WithCrisis title={t('restricted.title')}>
      {(crisisId) => <Restricted key={crisisId} crisisId={crisisId} />}
    </WithCrisis>
  );
}

function Restricted({ crisisId }: { crisisId: string }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const kind = params.get('kind') ?? '';
  const list = useQuery(restrictedListQuery(crisisId, status, kind));
  function update(key: string, value: string) {
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  }
  const rows = list.data ?? [];
  return (
    <Stack>
      <PageTitle title={t('restricted.title')}>{t('restricted.title')}</PageTitle>
      <RestrictedBanner />
      <Group align="flex-end">
        <NativeSelect
          label={t('restricted.kind')}
          value={kind}
          onChange={(event) => update('kind', event.currentTarget.value)}
          data={[
            { value: '', label: t('registry.any') },
            ...RESTRICTED_KINDS.map((value) => ({ value, label: label('restrictedKind', value) })),
          ]}
        />
        <NativeSelect
          label={t('restricted.status')}
          value={status}
          onChange={(event) => update('status', event.currentTarget.value)}
          data={[
            { value: '', label: t('registry.any') },
            ...RESTRICTED_STATUSES.map((value) => ({ value, label: label('restrictedStatus', value) })),
          ]}
        />
      </Group>
      {list.isPending && <Loading />}
      {list.isError && <LoadError error={list.error} />}
      {list.data && rows.length === 0 && <Text>{t('restricted.empty')}</Text>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <Table withTableBorder data-testid="restricted-table">
            <Table.Caption>{t('restricted.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('restricted.name')}</Table.Th>
                <Table.Th scope="col">{t('cases.number')}</Table.Th>
                <Table.Th scope="col">{t('restricted.kind')}</Table.Th>
                <Table.Th scope="col">{t('restricted.status')}</Table.Th>
                <Table.Th scope="col">{t('restricted.citizenship')}</Table.Th>
                <Table.Th scope="col">{t('restricted.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/restricted/${encodeURIComponent(item.id)}`}>
                      {item.person.fullName || <ArabicName>{item.person.fullNameAr}</ArabicName>}
                    </Anchor>
                    {item.person.fullName && item.person.fullNameAr && (
                      <Text size="sm">
                        <ArabicName>{item.person.fullNameAr}</ArabicName>
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td className="mono">{item.number}</Table.Td>
                  <Table.Td>{label('restrictedKind', item.kind)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={item.status} label={label('restrictedStatus', item.status)} />
                  </Table.Td>
                  <Table.Td>{label('citizenship', item.citizenship)}</Table.Td>
                  <Table.Td>{formatDateTime(item.updatedAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {can(me, 'restricted.update', crisisId) && <RestrictedCreateForm crisisId={crisisId} />}
    </Stack>
  );
}
