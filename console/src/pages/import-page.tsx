import {
  Button,
  FileInput,
  Group,
  NativeSelect,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { apiUploadWithProgress } from '../api/client';
import { crisisPath, registryKeys } from '../api/registry';
import { IMPORT_FIELDS, type ImportReport } from '../api/registry-types';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { ImportReportView } from '../components/import-report';
import { PageTitle } from '../components/page-title';
import { can, useMe, useSession } from '../session';

/** The header line of a CSV file, split on its separator (comma, semicolon or tab), quotes removed. */
export function csvHeaders(firstLine: string): string[] {
  const line = firstLine.replace(/^\uFEFF/, '').replace(/\r$/, '');
  const separator = [',', ';', '\t'].reduce((best, candidate) =>
    line.split(candidate).length > line.split(best).length ? candidate : best,
  );
  return line.split(separator).map((cell) =>
    cell
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim(),
  );
}

async function readHeaders(file: File): Promise<string[] | null> {
  if (!/\.csv$/i.test(file.name) && file.type !== 'text/csv') return null;
  const head = await file.slice(0, 64 * 1024).text();
  return csvHeaders(head.split('\n')[0] ?? '');
}

/** Spreadsheet import: choose the file, map its columns, check it (dry run), then import. */
export default function ImportPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const title = t('imports.title');
  if (!selectedCrisis || !can(me, 'person.import', selectedCrisis.id)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{selectedCrisis ? t('imports.notAllowed') : t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <Importer key={selectedCrisis.id} crisisId={selectedCrisis.id} />;
}

function Importer({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[] | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [checked, setChecked] = useState<ImportReport | null>(null);
  const [progress, setProgress] = useState(0);
  const errors = useApiErrors(formRef);

  const mapParam = Object.entries(mapping)
    .filter(([, field]) => field)
    .map(([column, field]) => `${column}:${field}`)
    .join(',');

  const send = useMutation({
    mutationFn: (dryRun: boolean) => {
      const form = new FormData();
      if (file) form.append('file', file, file.name);
      setProgress(0);
      return apiUploadWithProgress<ImportReport>(
        `${crisisPath(crisisId)}/imports/persons`,
        form,
        { dryRun: String(dryRun), map: mapParam || undefined },
        setProgress,
      );
    },
    onSuccess: async (report) => {
      if (report.dryRun) {
        setChecked(report);
        return;
      }
      setChecked(null);
      await queryClient.invalidateQueries({ queryKey: registryKeys.persons(crisisId) });
    },
    onError: errors.setError,
  });

  async function choose(next: File | null) {
    setFile(next);
    setChecked(null);
    setMapping({});
    send.reset();
    errors.clear();
    setHeaders(next ? await readHeaders(next) : null);
  }

  function run(dryRun: boolean) {
    errors.clear();
    send.mutate(dryRun);
  }

  const report = send.data ?? null;
  const canImport = Boolean(checked && checked.valid > 0) && !send.isPending;

  return (
    <Stack>
      <PageTitle title={t('imports.title')}>{t('imports.title')}</PageTitle>
      <Text size="sm">{t('imports.intro')}</Text>
      <Paper withBorder p="md">
        <form
          ref={formRef}
          noValidate
          onSubmit={(event) => event.preventDefault()}
          aria-label={t('imports.title')}
        >
          <Stack>
            <ErrorSummary error={errors.error} shownPaths={['file']} fieldMessage={errors.fieldMessage} />
            <FileInput
              label={t('imports.file')}
              description={t('imports.fileHelp')}
              required
              clearable
              clearButtonProps={{ 'aria-label': t('common.clearFile') }}
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              value={file}
              onChange={(next) => void choose(next)}
              error={errors.fieldError('file')}
              maw={420}
            />
            {file && headers && (
              <section aria-labelledby="mapping-heading">
                <Title order={2} size="h4" id="mapping-heading" mb="xs">
                  {t('imports.mapping')}
                </Title>
                <Text size="sm" mb="xs">
                  {t('imports.mappingHelp')}
                </Text>
                <Table withTableBorder data-testid="column-mapping">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('imports.column')}</Table.Th>
                      <Table.Th scope="col">{t('imports.field')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {headers.map((header) => (
                      <Table.Tr key={header}>
                        <Table.Th scope="row" className="mono">
                          {header}
                        </Table.Th>
                        <Table.Td>
                          <NativeSelect
                            aria-label={t('imports.fieldFor', { column: header })}
                            value={mapping[header] ?? ''}
                            onChange={(event) => {
                              const value = event.currentTarget.value;
                              setMapping({ ...mapping, [header]: value });
                              setChecked(null);
                            }}
                            data={[
                              { value: '', label: t('imports.automatic') },
                              ...IMPORT_FIELDS.map((field) => ({ value: field, label: field })),
                            ]}
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </section>
            )}
            {file && !headers && <Text size="sm">{t('imports.xlsxMapping')}</Text>}
            <Group>
              <Button onClick={() => run(true)} disabled={!file} loading={send.isPending && send.variables}>
                {t('imports.check')}
              </Button>
              <Button
                onClick={() => run(false)}
                disabled={!canImport}
                loading={send.isPending && !send.variables}
              >
                {checked ? t('imports.importValid', { valid: String(checked.valid) }) : t('imports.import')}
              </Button>
            </Group>
            {send.isPending && (
              <Stack gap={4}>
                <Text size="sm">{progress < 1 ? t('imports.sending') : t('imports.processing')}</Text>
                <Progress
                  value={Math.round(progress * 100)}
                  animated={progress >= 1}
                  striped={progress >= 1}
                  aria-label={t('imports.progress')}
                />
              </Stack>
            )}
          </Stack>
        </form>
      </Paper>
      {report && <ImportReportView report={report} />}
      {report && !report.dryRun && report.imported > 0 && (
        <Group>
          <Button component={Link} to="/registry?channel=import" variant="default">
            {t('imports.seeImported')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
