import { Alert, Badge, Center, Loader, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { tones } from '../theme';
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
    <Alert color={tones.danger} variant="outline" title={t('errors.loadTitle')} role="alert">
      {describe(error)}
    </Alert>
  );
}

const STATUS_COLOURS: Record<string, string> = {
  active: '#1b5e20',
  closed: '#343a40',
  archived: '#343a40',
  invited: '#0b4f8a',
  disabled: '#a51d1d',
};

/** A status word in a badge; colours are dark enough to keep text contrast above 4.5:1. */
export function StatusBadge({ status, label }: { status: string; label: string }) {
  return (
    <Badge color={STATUS_COLOURS[status] ?? '#343a40'} variant="outline" radius="sm">
      {label}
    </Badge>
  );
}

/**
 * A button text that names what it acts on for screen readers ("Edit Exercise Alpha") while
 * showing only the verb; the visible words stay at the start of the accessible name.
 */
export function ActionText({ text, target }: { text: string; target: string }) {
  return (
    <>
      {text}
      <VisuallyHidden> {target}</VisuallyHidden>
    </>
  );
}
