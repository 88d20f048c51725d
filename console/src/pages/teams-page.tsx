import { Button, Checkbox, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { caseKeys, type Team, teamsQuery } from '../api/cases';
import { api } from '../api/client';
import { staffQuery } from '../api/queries';
import { crisisPath } from '../api/registry';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { PageTitle } from '../components/page-title';
import { ActionText, LoadError, Loading } from '../components/status';
import { can, canSomewhere, useMe, useSession } from '../session';

/** Teams of the crisis that cases can be assigned to, and who is in each. */
export default function TeamsPage() {
  const { t } = useTranslation();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('teams.title')}>{t('teams.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <Teams key={selectedCrisis.id} crisisId={selectedCrisis.id} />;
}

function Teams({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const teams = useQuery(teamsQuery(crisisId));
  // Naming colleagues needs the staff directory; without it a team can hold only oneself.
  const staff = useQuery({ ...staffQuery, enabled: canSomewhere(me, 'staff.read') });
  const people = (staff.data ?? [])
    .filter(
      (member) =>
        member.status === 'active' &&
        member.grants.some((grant) => grant.crisisId === null || grant.crisisId === crisisId),
    )
    .map((member) => ({ id: member.id, name: member.displayName }));
  const candidates = people.some((person) => person.id === me.id)
    ? people
    : [{ id: me.id, name: me.displayName }, ...people];
  const nameOf = (id: string) =>
    candidates.find((person) => person.id === id)?.name ?? t('cases.someoneElse');
  const [editing, setEditing] = useState<Team | null>(null);
  return (
    <Stack>
      <PageTitle title={t('teams.title')}>{t('teams.title')}</PageTitle>
      {teams.isPending && <Loading />}
      {teams.isError && <LoadError error={teams.error} />}
      {teams.data && teams.data.length === 0 && <Text>{t('teams.empty')}</Text>}
      {teams.data && teams.data.length > 0 && (
        <div className="table-scroll">
          <Table withTableBorder data-testid="teams-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('teams.name')}</Table.Th>
                <Table.Th scope="col">{t('teams.members')}</Table.Th>
                <Table.Th scope="col">{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {teams.data.map((team) => (
                <Table.Tr key={team.id}>
                  <Table.Th scope="row">{team.name}</Table.Th>
                  <Table.Td>{team.memberIds.map(nameOf).join(', ')}</Table.Td>
                  <Table.Td>
                    {can(me, 'case.update', crisisId) && (
                      <Button size="xs" variant="default" onClick={() => setEditing(team)}>
                        <ActionText text={t('common.edit')} target={team.name} />
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {can(me, 'case.update', crisisId) && (
        <TeamForm
          key={editing?.id ?? 'new'}
          crisisId={crisisId}
          team={editing}
          candidates={candidates}
          onDone={() => setEditing(null)}
        />
      )}
    </Stack>
  );
}

function TeamForm({
  crisisId,
  team,
  candidates,
  onDone,
}: {
  crisisId: string;
  team: Team | null;
  candidates: { id: string; name: string }[];
  onDone(): void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const [name, setName] = useState(team?.name ?? '');
  const [members, setMembers] = useState<string[]>(team?.memberIds ?? []);
  const save = useMutation({
    mutationFn: () =>
      api.post<Team>(`${crisisPath(crisisId)}/teams`, {
        ...(team ? { id: team.id } : {}),
        name,
        memberIds: members,
      }),
    onSuccess: async () => {
      setName('');
      setMembers([]);
      await queryClient.invalidateQueries({ queryKey: caseKeys.teams(crisisId) });
      onDone();
    },
    onError: errors.setError,
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="team-form-heading">
      <Title order={2} size="h3" id="team-form-heading" mb="sm">
        {team ? t('teams.editTitle', { name: team.name }) : t('teams.create')}
      </Title>
      <form
        ref={formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          errors.clear();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <ErrorSummary
            error={errors.error}
            shownPaths={['name', 'memberIds']}
            fieldMessage={errors.fieldMessage}
          />
          <TextInput
            label={t('teams.name')}
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.fieldError('name')}
          />
          <Checkbox.Group
            label={t('teams.members')}
            value={members}
            onChange={setMembers}
            error={errors.fieldError('memberIds')}
          >
            <Stack gap={6} mt={6}>
              {candidates.map((person) => (
                <Checkbox key={person.id} value={person.id} label={person.name} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Group>
            <Button type="submit" loading={save.isPending}>
              {team ? t('common.save') : t('teams.createButton')}
            </Button>
            {team && (
              <Button variant="default" onClick={onDone}>
                {t('common.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
