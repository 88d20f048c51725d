import { Alert, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportReport } from '../api/registry-types';
import { tones } from '../theme';

/** The answer of a dry run or an import: figures, then every refused row with its column. */
export function ImportReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const figures = {
    rows: String(report.rows),
    households: String(report.households),
    valid: String(report.valid),
    errors: String(report.errors.length),
  };
  return (
    <section aria-labelledby="import-report-heading" data-testid="import-report">
      <Text fw={700} id="import-report-heading" role="status">
        {report.dryRun
          ? t('imports.dryRunResult', figures)
          : t('imports.importResult', {
              households: String(report.imported),
              persons: String(report.persons),
              errors: String(report.errors.length),
            })}
      </Text>
      {report.errors.length === 0 ? (
        <Alert variant="outline" color="#1b5e20" mt="sm">
          {t('imports.noErrors')}
        </Alert>
      ) : (
        <div className="table-scroll">
          <Table withTableBorder striped mt="sm" data-testid="import-errors">
            <Table.Caption>{t('imports.errorsCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('imports.row')}</Table.Th>
                <Table.Th scope="col">{t('imports.column')}</Table.Th>
                <Table.Th scope="col">{t('imports.problem')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.errors.map((error) => (
                <Table.Tr key={`${error.row}:${error.column}:${error.message}`} c={tones.danger}>
                  <Table.Td>{error.row}</Table.Td>
                  <Table.Td className="mono">{error.column}</Table.Td>
                  <Table.Td>{error.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </section>
  );
}
