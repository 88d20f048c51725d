import { Anchor, Button, Group, List, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { crisisPath, listMatchesQuery, listsQuery, registrationsQuery, registryKeys } from '../api/registry';
import type { IdentityDecision, MatchPerson } from '../api/registry-types';
import { formatDateTime } from '../format';
import { can, useMe } from '../session';
import { ErrorSummary, useApiErrors } from './api-errors';
import { ArabicName } from './labels';
import { Section } from './person-sections';
import { ActionText, LoadError, Loading } from './status';

/** Every registration merged with this person, and the decisions that joined them (with undo). */
export function PersonRegistrations({ crisisId, personId }: { crisisId: string; personId: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const registrations = useQuery(registrationsQuery(crisisId, personId));
  const canUndo = can(me, 'matching.review', crisisId);
  const byId = new Map((registrations.data?.registrations ?? []).map((person) => [person.id, person]));
  const describe = (id: string) => {
    const person = byId.get(id);
    return person ? `${person.fullName ?? person.fullNameAr ?? ''} (${person.reference})` : id;
  };
  return (
    <Section id="registrations" title={t('person.registrations')}>
      {registrations.isPending && <Loading />}
      {registrations.isError && <LoadError error={registrations.error} />}
      {registrations.data && (
        <Stack gap="sm">
          {registrations.data.registrations.length <= 1 ? (
            <Text>{t('person.onlyRegistration')}</Text>
          ) : (
            <Table withTableBorder data-testid="registrations-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('registry.columns.name')}</Table.Th>
                  <Table.Th scope="col">{t('registry.columns.reference')}</Table.Th>
                  <Table.Th scope="col">{t('registry.columns.birth')}</Table.Th>
                  <Table.Th scope="col">{t('duplicates.passport')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {registrations.data.registrations.map((person) => (
                  <RegistrationRow key={person.id} person={person} current={person.id === personId} />
                ))}
              </Table.Tbody>
            </Table>
          )}
          {registrations.data.decisions.length > 0 && (
            <List spacing="xs" listStyleType="none" data-testid="identity-decisions">
              {registrations.data.decisions.map((decision) => (
                <List.Item key={decision.id}>
                  <Group gap="sm">
                    <Text size="sm">
                      {t('person.mergedOn', {
                        a: describe(decision.personA),
                        b: describe(decision.personB),
                        at: formatDateTime(decision.decidedAt, i18n.language),
                      })}
                    </Text>
                    {canUndo && (
                      <UndoButton
                        crisisId={crisisId}
                        personId={personId}
                        decision={decision}
                        target={`${describe(decision.personA)} / ${describe(decision.personB)}`}
                      />
                    )}
                  </Group>
                </List.Item>
              ))}
            </List>
          )}
        </Stack>
      )}
    </Section>
  );
}

function RegistrationRow({ person, current }: { person: MatchPerson; current: boolean }) {
  const name = person.fullName ?? '';
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={500}>
        {current ? (
          <span aria-current="page">{name || <ArabicName>{person.fullNameAr}</ArabicName>}</span>
        ) : (
          <Anchor component={Link} to={`/registry/${encodeURIComponent(person.id)}`}>
            {name || <ArabicName>{person.fullNameAr}</ArabicName>}
          </Anchor>
        )}
        {name && person.fullNameAr && (
          <Text size="sm">
            <ArabicName>{person.fullNameAr}</ArabicName>
          </Text>
        )}
      </Table.Th>
      <Table.Td className="mono">{person.reference}</Table.Td>
      <Table.Td>{person.dateOfBirth ?? ''}</Table.Td>
      <Table.Td className="mono">{person.passportNumber ?? ''}</Table.Td>
    </Table.Tr>
  );
}

function UndoButton({
  crisisId,
  personId,
  decision,
  target,
}: {
  crisisId: string;
  personId: string;
  decision: IdentityDecision;
  target: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errors = useApiErrors();
  const mutation = useMutation({
    mutationFn: () =>
      api.post(`${crisisPath(crisisId)}/identity-decisions/${encodeURIComponent(decision.id)}/revoke`, {}),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: registryKeys.registrations(crisisId, personId) }),
        queryClient.invalidateQueries({ queryKey: registryKeys.duplicates(crisisId) }),
      ]),
    onError: errors.setError,
  });
  return (
    <>
      <Button size="xs" variant="default" loading={mutation.isPending} onClick={() => mutation.mutate()}>
        <ActionText text={t('person.undoMerge')} target={target} />
      </Button>
      <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
    </>
  );
}

/** "On the list for <date>": lists where this person was linked automatically or confirmed. */
export function OnTheLists({ crisisId, personId }: { crisisId: string; personId: string }) {
  const { t } = useTranslation();
  const lists = useQuery(listsQuery(crisisId));
  const matched = (lists.data ?? []).filter((list) => list.matches.autoLinked + list.matches.confirmed > 0);
  return (
    <Section id="lists" title={t('person.lists')}>
      {lists.isPending && <Loading />}
      {lists.isError && <LoadError error={lists.error} />}
      {lists.data && (
        <ListsFor
          crisisId={crisisId}
          personId={personId}
          listIds={matched.map((list) => list.id)}
          dates={matched.map((list) => list.listDate)}
        />
      )}
    </Section>
  );
}

function ListsFor({
  crisisId,
  personId,
  listIds,
  dates,
}: {
  crisisId: string;
  personId: string;
  listIds: string[];
  dates: string[];
}) {
  const { t } = useTranslation();
  // One request per list with links; lists are daily, so this stays a handful.
  const confirmed = useQueries({
    queries: listIds.map((listId) => listMatchesQuery(crisisId, listId, 'confirmed')),
  });
  const auto = useQueries({
    queries: listIds.map((listId) => listMatchesQuery(crisisId, listId, 'auto_linked')),
  });
  if ([...confirmed, ...auto].some((query) => query.isPending)) return <Loading />;
  const on = listIds
    .map((id, index) => ({ id, date: dates[index] ?? '' }))
    .filter((_, index) =>
      [confirmed[index], auto[index]].some((query) =>
        query?.data?.some((match) => match.person.id === personId),
      ),
    );
  if (on.length === 0) return <Text>{t('person.notOnList')}</Text>;
  return (
    <List data-testid="on-lists">
      {on.map((list) => (
        <List.Item key={list.id}>
          <Anchor component={Link} to={`/lists/${encodeURIComponent(list.id)}`}>
            {t('person.onListFor', { date: list.date })}
          </Anchor>
        </List.Item>
      ))}
    </List>
  );
}
