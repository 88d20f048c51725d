import { Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { caseKeys, type Loan, type LoanAction, loansQuery } from '../api/cases';
import { api, isApiError } from '../api/client';
import { crisisPath } from '../api/registry';
import { can, useMe } from '../session';
import { ErrorSummary, useApiErrors } from './api-errors';
import { useLabel } from './labels';
import { Section } from './person-sections';
import { ActionText, LoadError, StatusBadge } from './status';

/** Evacuation loans: offered, promissory note signed, disbursed, repaid (or waived). */
export function PersonLoans({ crisisId, personId }: { crisisId: string; personId: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const me = useMe();
  const canUpdate = can(me, 'case.update', crisisId);
  const queryClient = useQueryClient();
  const loans = useQuery(loansQuery(crisisId, personId));
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const actionErrors = useApiErrors();
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [repayment, setRepayment] = useState<Record<string, string>>({});
  const refresh = () => queryClient.invalidateQueries({ queryKey: caseKeys.loans(crisisId, personId) });
  const create = useMutation({
    mutationFn: () =>
      api.post<Loan>(`${crisisPath(crisisId)}/loans`, {
        personId,
        amount: amount.trim(),
        currency: currency.trim().toUpperCase(),
      }),
    onSuccess: async () => {
      setAmount('');
      await refresh();
    },
    onError: errors.setError,
  });
  const act = useMutation({
    mutationFn: ({ loan, action }: { loan: Loan; action: LoanAction }) =>
      api.post<Loan>(`${crisisPath(crisisId)}/loans/${encodeURIComponent(loan.id)}`, {
        action,
        version: loan.version,
        ...(action === 'record_repayment' ? { amount: (repayment[loan.id] ?? '').trim() } : {}),
      }),
    onSuccess: async () => {
      actionErrors.clear();
      setRepayment({});
      await refresh();
    },
    onError: async (error) => {
      actionErrors.setError(error);
      if (isApiError(error, 'version_conflict')) await refresh();
    },
  });
  const rows = loans.data ?? [];
  const actions = (loan: Loan): LoanAction[] =>
    loan.status === 'offered'
      ? ['sign_note', 'waive']
      : loan.status === 'signed'
        ? ['disburse', 'waive']
        : loan.status === 'disbursed'
          ? ['record_repayment', 'waive']
          : [];
  return (
    <Section id="person-loans" title={t('loans.title')}>
      <Stack gap="sm">
        {loans.isError && <LoadError error={loans.error} />}
        {loans.data && rows.length === 0 && <Text size="sm">{t('loans.none')}</Text>}
        <ErrorSummary error={actionErrors.error} shownPaths={[]} fieldMessage={actionErrors.fieldMessage} />
        {rows.length > 0 && (
          <div className="table-scroll">
            <Table withTableBorder data-testid="loans-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('loans.amount')}</Table.Th>
                  <Table.Th scope="col">{t('loans.repaid')}</Table.Th>
                  <Table.Th scope="col">{t('loans.outstanding')}</Table.Th>
                  <Table.Th scope="col">{t('loans.status')}</Table.Th>
                  <Table.Th scope="col">{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((loan) => (
                  <Table.Tr key={loan.id} data-loan={loan.id}>
                    <Table.Th scope="row" className="mono">{`${loan.amount} ${loan.currency}`}</Table.Th>
                    <Table.Td className="mono">{loan.repaid}</Table.Td>
                    <Table.Td className="mono">{loan.outstanding}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={loan.status} label={label('loanStatus', loan.status)} />
                      {loan.promissoryNoteSigned && <Text size="xs">{t('loans.noteSigned')}</Text>}
                    </Table.Td>
                    <Table.Td>
                      {canUpdate && (
                        <Group gap="xs" align="flex-end">
                          {actions(loan).includes('record_repayment') && (
                            <TextInput
                              size="xs"
                              label={t('loans.repayment')}
                              value={repayment[loan.id] ?? ''}
                              onChange={(event) => {
                                const value = event.currentTarget.value;
                                setRepayment((current) => ({ ...current, [loan.id]: value }));
                              }}
                              error={actionErrors.fieldError('amount')}
                            />
                          )}
                          {actions(loan).map((action) => (
                            <Button
                              key={action}
                              size="xs"
                              variant={action === 'waive' ? 'default' : 'filled'}
                              loading={
                                act.isPending &&
                                act.variables?.loan.id === loan.id &&
                                act.variables.action === action
                              }
                              onClick={() => act.mutate({ loan, action })}
                            >
                              <ActionText
                                text={t(`loans.actions.${action}`)}
                                target={`${loan.amount} ${loan.currency}`}
                              />
                            </Button>
                          ))}
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
        {canUpdate && (
          <form
            ref={formRef}
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              errors.clear();
              create.mutate();
            }}
          >
            <Stack gap="sm">
              <ErrorSummary
                error={errors.error}
                shownPaths={['amount', 'currency']}
                fieldMessage={errors.fieldMessage}
              />
              <Group align="flex-start">
                <TextInput
                  label={t('loans.amount')}
                  required
                  value={amount}
                  onChange={(event) => setAmount(event.currentTarget.value)}
                  error={errors.fieldError('amount')}
                  inputMode="decimal"
                />
                <TextInput
                  label={t('loans.currency')}
                  required
                  value={currency}
                  onChange={(event) => setCurrency(event.currentTarget.value)}
                  error={errors.fieldError('currency')}
                  maxLength={3}
                />
              </Group>
              <Group>
                <Button type="submit" loading={create.isPending}>
                  {t('loans.create')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Section>
  );
}
