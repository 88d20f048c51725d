import { Anchor, Button, FileInput, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { apiUpload } from '../api/client';
import { crossingPath, registryKeys } from '../api/registry';
import type { ListSummary } from '../api/registry-types';
import { formatDateTime } from '../format';
import { ErrorSummary, useApiErrors } from './api-errors';

const today = () => new Date().toISOString().slice(0, 10);

/** Uploads a day's approved list: the date and source go first, then the file (CSV, XLSX or PDF). */
export function ListUploadForm({
  crisisId,
  crossingId,
  crossingName,
}: {
  crisisId: string;
  crossingId: string;
  crossingName: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [listDate, setListDate] = useState(today);
  const [source, setSource] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<ListSummary | null>(null);
  const errors = useApiErrors(formRef);
  const mutation = useMutation({
    mutationFn: () => {
      const form = new FormData();
      form.append('listDate', listDate.trim());
      form.append('source', source.trim());
      if (file) form.append('file', file, file.name);
      return apiUpload<ListSummary>(`${crossingPath(crisisId, crossingId)}/lists`, form);
    },
    onSuccess: async (summary) => {
      setUploaded(summary);
      setFile(null);
      await queryClient.invalidateQueries({ queryKey: registryKeys.lists(crisisId) });
    },
    onError: errors.setError,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    setUploaded(null);
    mutation.mutate();
  }

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      aria-label={t('lists.uploadFor', { crossing: crossingName })}
    >
      <Stack gap="xs">
        <ErrorSummary
          error={errors.error}
          shownPaths={['listDate', 'source', 'file']}
          fieldMessage={errors.fieldMessage}
        />
        <Group align="flex-start" wrap="wrap">
          <TextInput
            label={t('lists.date')}
            description="YYYY-MM-DD"
            required
            value={listDate}
            onChange={(e) => setListDate(e.currentTarget.value)}
            error={errors.fieldError('listDate')}
          />
          <TextInput
            label={t('lists.source')}
            description={t('lists.sourceHelp')}
            required
            value={source}
            onChange={(e) => setSource(e.currentTarget.value)}
            error={errors.fieldError('source')}
          />
          <FileInput
            label={t('lists.file')}
            description={t('lists.fileHelp')}
            required
            clearable
            clearButtonProps={{ 'aria-label': t('common.clearFile') }}
            accept=".csv,.xlsx,.pdf,text/csv,application/pdf,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            value={file}
            onChange={setFile}
            error={errors.fieldError('file')}
            data-testid="list-file"
            w={240}
          />
          <Button type="submit" mt={46} loading={mutation.isPending}>
            {t('lists.upload')}
          </Button>
        </Group>
        <Text role="status" size="sm">
          {uploaded && t('lists.uploaded', { rows: String(uploaded.rowCount), date: uploaded.listDate })}
        </Text>
      </Stack>
    </form>
  );
}

export function nationalityCounts(list: ListSummary): string {
  return Object.entries(list.byNationality)
    .sort((a, b) => b[1] - a[1])
    .map(([nationality, count]) => `${nationality || '—'}: ${count}`)
    .join(', ');
}

/** The approved lists of a crossing, newest day first, each leading to its review page. */
export function ListsTable({ lists, locale }: { lists: ListSummary[]; locale: string }) {
  const { t } = useTranslation();
  if (lists.length === 0) return <Text size="sm">{t('lists.none')}</Text>;
  return (
    <div className="table-scroll">
      <Table withTableBorder data-testid="lists-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('lists.date')}</Table.Th>
            <Table.Th scope="col">{t('lists.source')}</Table.Th>
            <Table.Th scope="col">{t('lists.rows')}</Table.Th>
            <Table.Th scope="col">{t('lists.byNationality')}</Table.Th>
            <Table.Th scope="col">{t('lists.matching')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lists.map((list) => (
            <Table.Tr key={list.id}>
              <Table.Th scope="row">
                <Anchor component={Link} to={`/lists/${encodeURIComponent(list.id)}`}>
                  {t('lists.listOf', { date: list.listDate })}
                </Anchor>
                <Text size="xs">
                  {list.fileName} · {formatDateTime(list.importedAt, locale)}
                </Text>
              </Table.Th>
              <Table.Td>{list.source}</Table.Td>
              <Table.Td>{list.rowCount}</Table.Td>
              <Table.Td>{nationalityCounts(list)}</Table.Td>
              <Table.Td>
                {list.matchedAt
                  ? t('lists.matchCounts', {
                      auto: String(list.matches.autoLinked),
                      pending: String(list.matches.pending),
                      confirmed: String(list.matches.confirmed),
                      rejected: String(list.matches.rejected),
                    })
                  : t('lists.notMatched')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
