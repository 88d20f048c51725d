import { Badge, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PublishedCategory, PublishedCell, PublishedTable } from '../api/disclosure';

/** A category's label in the reader's language (zones keep their own names). */
export function useCategoryLabel() {
  const { t } = useTranslation();
  return (dimension: string | null, category: PublishedCategory): string =>
    dimension === 'zone'
      ? category.key === 'none'
        ? t('disclosure.values.zone.none')
        : category.label
      : String(t(`disclosure.values.${dimension}.${category.key}`, category.label));
}

/** One cell as the public reads it, or why it is hidden (analyst view). */
export function DisclosureCell({ cell, roundingBase }: { cell: PublishedCell; roundingBase: number }) {
  const { t } = useTranslation();
  if (cell.status === 'suppressed') {
    return (
      <Badge
        variant="outline"
        color={cell.reason === 'small' ? '#a51d1d' : cell.reason === 'restricted' ? '#5c2d91' : '#343a40'}
        radius="sm"
        data-reason={cell.reason ?? 'hidden'}
      >
        {t(`disclosure.reason.${cell.reason ?? 'hidden'}`)}
      </Badge>
    );
  }
  if (cell.value === null) return <span>{cell.band ? t(`disclosure.band.${cell.band}`) : '0'}</span>;
  if (cell.value === 0 || roundingBase === 1) return <span>{cell.value}</span>;
  return <span>{t('disclosure.about', { n: cell.value })}</span>;
}

/** A published table with its margins; hidden cells show their reason. */
export function DisclosureTable({ table, roundingBase }: { table: PublishedTable; roundingBase: number }) {
  const { t } = useTranslation();
  const label = useCategoryLabel();
  const heading = `disclosure-table-${table.id}`;
  const cell = (c: PublishedCell) => <DisclosureCell cell={c} roundingBase={roundingBase} />;
  return (
    <section aria-labelledby={heading} data-testid={`disclosure-table-${table.id}`}>
      <Title order={3} size="h4" id={heading} mb="xs">
        {String(t(`disclosure.tables.${table.id}`, table.id))}{' '}
        <Text span size="sm" c="dimmed">
          ({t(`disclosure.style.${table.style}`)})
        </Text>
      </Title>
      <div className="table-scroll">
        <Table withTableBorder withColumnBorders>
          {table.columnDimension && (
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">
                  {String(t(`disclosure.dimension.${table.rowDimension}`, table.rowDimension ?? ''))}
                </Table.Th>
                {table.columns.map((c) => (
                  <Table.Th scope="col" key={c.key}>
                    {label(table.columnDimension, c)}
                  </Table.Th>
                ))}
                <Table.Th scope="col">{t('disclosure.total')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
          )}
          <Table.Tbody>
            {table.rows.map((r, i) => (
              <Table.Tr key={r.key}>
                <Table.Th scope="row">{label(table.rowDimension, r)}</Table.Th>
                {table.cells[i]!.map((c, j) => (
                  <Table.Td key={table.columns[j]?.key ?? 'value'}>{cell(c)}</Table.Td>
                ))}
                {table.rowTotals && <Table.Td>{cell(table.rowTotals[i]!)}</Table.Td>}
              </Table.Tr>
            ))}
            {table.columnTotals && (
              <Table.Tr>
                <Table.Th scope="row">{t('disclosure.total')}</Table.Th>
                {table.columnTotals.map((c, j) => (
                  <Table.Td key={table.columns[j]!.key}>{cell(c)}</Table.Td>
                ))}
                <Table.Td>{cell(table.grandTotal)}</Table.Td>
              </Table.Tr>
            )}
            {!table.columnTotals && (
              <Table.Tr>
                <Table.Th scope="row">{t('disclosure.total')}</Table.Th>
                <Table.Td>{cell(table.grandTotal)}</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </div>
    </section>
  );
}
