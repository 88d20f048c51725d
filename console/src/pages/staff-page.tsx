import { Button, CopyButton, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { queryKeys, staffQuery } from '../api/queries';
import type { Grant, Invitation, PasswordReset, Staff } from '../api/types';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { Dialog } from '../components/dialog';
import { GrantsEditor, useGrantLabel } from '../components/grants-editor';
import { PageTitle } from '../components/page-title';
import { ActionText, LoadError, Loading, StatusBadge } from '../components/status';
import { formatDateTime } from '../format';
import { canSomewhere, useMe } from '../session';
import { tones } from '../theme';

type OpenDialog =
  | { kind: 'invite' }
  | { kind: 'grants'; staff: Staff }
  | { kind: 'reset'; staff: Staff }
  | { kind: 'status'; staff: Staff };

export default function StaffPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const staff = useQuery(staffQuery);
  const grantLabel = useGrantLabel();
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const canManage = canSomewhere(me, 'staff.manage');

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <PageTitle title={t('staff.title')}>{t('staff.title')}</PageTitle>
        {canManage && <Button onClick={() => setDialog({ kind: 'invite' })}>{t('staff.invite')}</Button>}
      </Group>
      {staff.isPending && <Loading />}
      {staff.isError && <LoadError error={staff.error} />}
      {staff.data && (
        <div className="table-scroll">
          <Table striped withTableBorder data-testid="staff-table">
            <Table.Caption>{t('staff.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('staff.name')}</Table.Th>
                <Table.Th scope="col">{t('staff.email')}</Table.Th>
                <Table.Th scope="col">{t('staff.status')}</Table.Th>
                <Table.Th scope="col">{t('staff.roles')}</Table.Th>
                <Table.Th scope="col">{t('staff.lastLogin')}</Table.Th>
                {canManage && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {staff.data.map((member) => (
                <Table.Tr key={member.id}>
                  <Table.Th scope="row" fw={500}>
                    {member.displayName}
                  </Table.Th>
                  <Table.Td className="mono">{member.email}</Table.Td>
                  <Table.Td>
                    <Stack gap={4} align="flex-start">
                      <StatusBadge status={member.status} label={t(`staff.statuses.${member.status}`)} />
                      {!member.mfaEnabled && member.status !== 'invited' && (
                        <Text size="xs">{t('staff.noSecondFactor')}</Text>
                      )}
                      {member.lockedUntil && new Date(member.lockedUntil) > new Date() && (
                        <Text size="xs">
                          {t('staff.lockedUntil', {
                            time: formatDateTime(member.lockedUntil, i18n.language),
                          })}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    {member.grants.map((grant) => (
                      <div key={`${grant.role}:${grant.crisisId}`}>{grantLabel(grant)}</div>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    {member.lastLoginAt
                      ? formatDateTime(member.lastLoginAt, i18n.language)
                      : t('staff.never')}
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      <Group gap="xs">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setDialog({ kind: 'grants', staff: member })}
                        >
                          <ActionText text={t('staff.changeRoles')} target={member.displayName} />
                        </Button>
                        {member.id !== me.id && (
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => setDialog({ kind: 'status', staff: member })}
                          >
                            <ActionText
                              text={member.status === 'disabled' ? t('staff.enable') : t('staff.disable')}
                              target={member.displayName}
                            />
                          </Button>
                        )}
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setDialog({ kind: 'reset', staff: member })}
                        >
                          <ActionText text={t('staff.reset')} target={member.displayName} />
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {dialog?.kind === 'invite' && <InviteDialog onClose={() => setDialog(null)} />}
      {dialog?.kind === 'grants' && <GrantsDialog staff={dialog.staff} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'reset' && <ResetDialog staff={dialog.staff} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'status' && <StatusDialog staff={dialog.staff} onClose={() => setDialog(null)} />}
    </Stack>
  );
}

function LinkToShare({ label, url, expiresAt }: { label: string; url: string; expiresAt: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="xs">
      <TextInput
        label={label}
        value={url}
        readOnly
        classNames={{ input: 'mono' }}
        onFocus={(event) => event.currentTarget.select()}
        data-testid="share-url"
      />
      <Group>
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Button size="xs" onClick={copy}>
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
        <Text size="sm">{t('staff.expiresAt', { time: formatDateTime(expiresAt, i18n.language) })}</Text>
      </Group>
      <Text size="sm">{t('staff.shareSafely')}</Text>
    </Stack>
  );
}

function InviteDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const me = useMe();
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [grants, setGrants] = useState<Grant[]>([
    { role: 'consular_officer', crisisId: me.crises[0]?.id ?? null },
  ]);
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const errors = useApiErrors(formRef);
  const mutation = useMutation({
    mutationFn: () =>
      api.post<Invitation>('/staff/invitations', {
        email: email.trim(),
        displayName: displayName.trim(),
        grants,
      }),
    onSuccess: async (answer) => {
      setInvitation(answer);
      await queryClient.invalidateQueries({ queryKey: queryKeys.staff });
    },
    onError: errors.setError,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    mutation.mutate();
  }

  return (
    <Dialog opened onClose={onClose} title={t('staff.inviteTitle')} size="lg">
      {invitation ? (
        <Stack>
          <Text role="status">{t('staff.invited', { name: invitation.staff.displayName })}</Text>
          <LinkToShare
            label={t('staff.invitationUrl')}
            url={invitation.invitationUrl}
            expiresAt={invitation.expiresAt}
          />
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form ref={formRef} onSubmit={submit} noValidate aria-label={t('staff.inviteTitle')}>
          <Stack>
            <ErrorSummary
              error={errors.error}
              shownPaths={['email', 'displayName', 'grants']}
              fieldMessage={errors.fieldMessage}
            />
            <TextInput
              label={t('staff.email')}
              type="email"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={errors.fieldError('email')}
            />
            <TextInput
              label={t('staff.name')}
              required
              value={displayName}
              onChange={(event) => setDisplayName(event.currentTarget.value)}
              error={errors.fieldError('displayName')}
            />
            <GrantsEditor
              legend={t('staff.roles')}
              value={grants}
              onChange={setGrants}
              error={errors.fieldError('grants')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={mutation.isPending}>
                {t('staff.sendInvitation')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Dialog>
  );
}

function GrantsDialog({ staff, onClose }: { staff: Staff; onClose(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [grants, setGrants] = useState<Grant[]>(staff.grants);
  const errors = useApiErrors(formRef);
  const mutation = useMutation({
    mutationFn: () => api.patch<Staff>(`/staff/${encodeURIComponent(staff.id)}`, { grants }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.staff });
      onClose();
    },
    onError: errors.setError,
  });
  return (
    <Dialog
      opened
      onClose={onClose}
      title={t('staff.changeRolesNamed', { name: staff.displayName })}
      size="lg"
    >
      <form
        ref={formRef}
        onSubmit={(event) => {
          event.preventDefault();
          errors.clear();
          mutation.mutate();
        }}
        noValidate
        aria-label={t('staff.changeRolesNamed', { name: staff.displayName })}
      >
        <Stack>
          <ErrorSummary error={errors.error} shownPaths={['grants']} fieldMessage={errors.fieldMessage} />
          <GrantsEditor
            legend={t('staff.roles')}
            value={grants}
            onChange={setGrants}
            error={errors.fieldError('grants')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}

function StatusDialog({ staff, onClose }: { staff: Staff; onClose(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errors = useApiErrors();
  const enabling = staff.status === 'disabled';
  const mutation = useMutation({
    mutationFn: () =>
      api.patch<Staff>(`/staff/${encodeURIComponent(staff.id)}`, {
        status: enabling ? 'active' : 'disabled',
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.staff });
      onClose();
    },
    onError: errors.setError,
  });
  return (
    <Dialog opened onClose={onClose} title={enabling ? t('staff.enableTitle') : t('staff.disableTitle')}>
      <Stack>
        <Text>
          {enabling
            ? t('staff.enableConfirm', { name: staff.displayName })
            : t('staff.disableConfirm', { name: staff.displayName })}
        </Text>
        <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color={enabling ? undefined : tones.danger}
            loading={mutation.isPending}
            onClick={() => mutation.mutate()}
          >
            {enabling ? t('staff.enable') : t('staff.disable')}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}

function ResetDialog({ staff, onClose }: { staff: Staff; onClose(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errors = useApiErrors();
  const mutation = useMutation({
    mutationFn: () => api.post<PasswordReset>(`/staff/${encodeURIComponent(staff.id)}/password-reset`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.staff }),
    onError: errors.setError,
  });
  return (
    <Dialog opened onClose={onClose} title={t('staff.resetTitle', { name: staff.displayName })} size="lg">
      {mutation.data ? (
        <Stack>
          <LinkToShare
            label={t('staff.resetUrl')}
            url={mutation.data.resetUrl}
            expiresAt={mutation.data.expiresAt}
          />
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          <Text>{t('staff.resetConfirm', { name: staff.displayName })}</Text>
          <ErrorSummary error={errors.error} shownPaths={[]} fieldMessage={errors.fieldMessage} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button color={tones.danger} loading={mutation.isPending} onClick={() => mutation.mutate()}>
              {t('staff.reset')}
            </Button>
          </Group>
        </Stack>
      )}
    </Dialog>
  );
}
