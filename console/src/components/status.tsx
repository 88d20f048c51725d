import { Alert, Badge, Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from './api-errors';

/** Shown while a list loads; announced to screen readers. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <Center py="lg" role="status">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

export function LoadError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  return (
    <Alert color="red" variant="outline" title={t('errors.loadTitle')} role="alert">
      {describe(error)}
    </Alert>
  );
}

const STATUS_COLOURS: Record<string, string> = {
  active: 'green.9',
  closed: 'gray.8',
  archived: 'gray.8',
  invited: 'blue.9',
  disabled: 'red.9',
};

/** A status word in a badge; colours are dark enough to keep text contrast above 4.5:1. */
export function StatusBadge({ status, label }: { status: string; label: string }) {
  return (
    <Badge color={STATUS_COLOURS[status] ?? 'gray.8'} variant="outline" radius="sm">
      {label}
    </Badge>
  );
}
