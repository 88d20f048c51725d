import { Anchor, Button, Group, NativeSelect, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { CASE_TYPES, type Case, caseKeys, casesQuery } from '../api/cases';
import { api } from '../api/client';
import { crisisPath } from '../api/registry';
import { can, useMe } from '../session';
import { ErrorSummary, useApiErrors } from './api-errors';
import { PriorityBadge, StateBadge } from './case-bits';
import { Dialog } from './dialog';
import { useLabel } from './labels';
import { Section } from './person-sections';
import { LoadError } from './status';

/** The person's cases, and "Open a case" for whoever works cases. */
export function PersonCases({ crisisId, personId }: { crisisId: string; personId: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const me = useMe();
  const cases = useQuery(casesQuery(crisisId, { queue: 'all', type: '', state: '', personId }));
  const [opening, setOpening] = useState(false);
  const rows = cases.data?.items ?? [];
  return (
    <Section id="person-cases" title={t('cases.personCases')}>
      <Stack gap="sm">
        {cases.isError && <LoadError error={cases.error} />}
        {cases.data && rows.length === 0 && <Text size="sm">{t('cases.noneForPerson')}</Text>}
        {rows.length > 0 && (
          <div className="table-scroll">
            <Table withTableBorder data-testid="person-cases">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('cases.number')}</Table.Th>
                  <Table.Th scope="col">{t('cases.summary')}</Table.Th>
                  <Table.Th scope="col">{t('cases.type')}</Table.Th>
                  <Table.Th scope="col">{t('cases.state')}</Table.Th>
                  <Table.Th scope="col">{t('cases.priority')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Th scope="row">
                      <Anchor component={Link} to={`/cases/${encodeURIComponent(item.id)}`} className="mono">
                        {item.number}
                      </Anchor>
                    </Table.Th>
                    <Table.Td dir="auto">{item.summary}</Table.Td>
                    <Table.Td>{label('caseType', item.type)}</Table.Td>
                    <Table.Td>
                      <StateBadge state={item.state} />
                    </Table.Td>
                    <Table.Td>
                      <PriorityBadge item={item} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
        {can(me, 'case.update', crisisId) && (
          <Group>
            <Button onClick={() => setOpening(true)}>{t('cases.open')}</Button>
          </Group>
        )}
      </Stack>
      {opening && (
        <OpenCaseDialog crisisId={crisisId} personId={personId} onClose={() => setOpening(false)} />
      )}
    </Section>
  );
}

function OpenCaseDialog({
  crisisId,
  personId,
  onClose,
}: {
  crisisId: string;
  personId: string;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const [type, setType] = useState<string>('departure_assistance');
  const [summary, setSummary] = useState('');
  const [note, setNote] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.post<Case>(`${crisisPath(crisisId)}/cases`, {
        personId,
        type,
        summary,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: caseKeys.all(crisisId) });
      navigate(`/cases/${encodeURIComponent(created.id)}`);
    },
    onError: errors.setError,
  });
  return (
    <Dialog opened onClose={onClose} title={t('cases.open')}>
      <form
        ref={formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          errors.clear();
          create.mutate();
        }}
      >
        <Stack>
          <ErrorSummary
            error={errors.error}
            shownPaths={['type', 'summary', 'note']}
            fieldMessage={errors.fieldMessage}
          />
          <NativeSelect
            label={t('cases.type')}
            value={type}
            onChange={(event) => setType(event.currentTarget.value)}
            error={errors.fieldError('type')}
            data={CASE_TYPES.filter((value) => value !== 'welfare_check').map((value) => ({
              value,
              label: label('caseType', value),
            }))}
          />
          <TextInput
            label={t('cases.summary')}
            required
            value={summary}
            onChange={(event) => setSummary(event.currentTarget.value)}
            error={errors.fieldError('summary')}
          />
          <Textarea
            label={t('cases.note')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            error={errors.fieldError('note')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('cases.openButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
