import { Alert, List } from '@mantine/core';
import { type RefObject, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { FieldError } from '../api/types';
import { tones } from '../theme';

/**
 * Turns an API error into messages next to the inputs they concern (`error.fields[].path`), plus a
 * summary for the rest. Messages are computed at render time so they follow a change of language.
 */
export function useApiErrors(formRef?: RefObject<HTMLElement | null>) {
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<unknown>(null);

  const fieldMessage = useCallback(
    (field: FieldError): string => {
      // Server messages are shown as they are when they are in the language on screen.
      if (error instanceof ApiError && error.language?.startsWith(i18n.language)) return field.message;
      if (!(error instanceof ApiError) || !error.language) {
        if (i18n.language === 'en') return field.message;
      }
      return translatedFieldMessage(field, t);
    },
    [error, i18n.language, t],
  );

  const fields = error instanceof ApiError ? error.fields : [];

  /** The message for an input, matching its path or any path below it (`grants.0.role` for `grants`). */
  const fieldError = useCallback(
    (path: string): string | undefined => {
      const field = fields.find(
        (candidate) =>
          candidate.path === path ||
          candidate.path.startsWith(`${path}.`) ||
          candidate.path.startsWith(`${path}[`),
      );
      return field ? fieldMessage(field) : undefined;
    },
    [fields, fieldMessage],
  );

  // After a refused submission, keyboard and screen-reader users land on the first field to fix.
  useEffect(() => {
    if (!error || !formRef?.current) return;
    const invalid = formRef.current.querySelector<HTMLElement>('[aria-invalid="true"]');
    invalid?.focus();
  }, [error, formRef]);

  return { error, setError, clear: () => setError(null), fieldError, fieldMessage };
}

/**
 * A field message worded in the language on screen from the issue code and limits the server sends
 * with it (`too_small` with `minimum`, …); messages without a code get the general sentence.
 */
type FieldKey =
  | `errors.fields.${'required' | 'tooSmall' | 'tooBig' | 'invalidFormat' | 'invalidType' | 'invalidValue' | 'unrecognized'}`
  | 'errors.invalidField';

// A narrow signature: the full typed `t` over the whole catalogue is too deep for this switch.
function translatedFieldMessage(
  field: FieldError,
  t: (key: FieldKey, options?: Record<string, string>) => string,
): string {
  const minimum = field.minimum === undefined ? '' : String(field.minimum);
  const maximum = field.maximum === undefined ? '' : String(field.maximum);
  switch (field.code) {
    case 'too_small':
      return minimum === '1' || minimum === ''
        ? t('errors.fields.required')
        : t('errors.fields.tooSmall', { minimum });
    case 'too_big':
      return t('errors.fields.tooBig', { maximum });
    case 'invalid_format':
    case 'pattern':
    case 'format':
      return t('errors.fields.invalidFormat');
    case 'invalid_type':
    case 'required':
      return t('errors.fields.invalidType');
    case 'invalid_value':
    case 'enum':
      return t('errors.fields.invalidValue');
    case 'unrecognized_keys':
    case 'additionalProperties':
      return t('errors.fields.unrecognized');
    default:
      return t('errors.invalidField');
  }
}

/**
 * The error codes the server sends (`src/lib/errors.ts` and the services' own refusals) that have a
 * sentence of their own under `errors.codes` in every language.
 */
export const KNOWN_ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'invalid_code',
  'second_factor_required',
  'csrf_failed',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
  'bad_request',
  'locked',
  'invalid_transition',
  'version_conflict',
  'idempotency_key_reused',
  'second_person_required',
  'request_closed',
  'offer_closed',
  'offer_expired',
  'plan_stale',
  'run_committed',
  'invalid_list',
  'channel_not_configured',
  'network',
  'internal',
] as const;
export type KnownErrorCode = (typeof KNOWN_ERROR_CODES)[number];

export const isKnownErrorCode = (code: string): code is KnownErrorCode =>
  (KNOWN_ERROR_CODES as readonly string[]).includes(code);

/**
 * A sentence for an API failure, in the language on screen: the sentence for a known code; for a
 * code the console does not know, the server's own words (better than a bare "refused"), and a
 * general sentence when there are none or the server failed.
 */
export function useErrorMessage() {
  const { t } = useTranslation();
  return (error: unknown): string => {
    if (!(error instanceof ApiError)) return t('errors.codes.internal');
    if (isKnownErrorCode(error.code)) return t(`errors.codes.${error.code}`);
    if (error.status >= 500) return t('errors.codes.internal');
    return error.message.trim() || t('errors.codes.unknown');
  };
}

interface ErrorSummaryProps {
  error: unknown;
  /** Paths shown next to their own inputs; other field errors are listed here. */
  shownPaths: string[];
  fieldMessage(field: FieldError): string;
}

/** The form-level part of an API error: the general message and field errors without an input. */
export function ErrorSummary({ error, shownPaths, fieldMessage }: ErrorSummaryProps) {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  if (!error) return null;
  const fields = error instanceof ApiError ? error.fields : [];
  const orphans = fields.filter(
    (field) =>
      !shownPaths.some(
        (path) =>
          field.path === path || field.path.startsWith(`${path}.`) || field.path.startsWith(`${path}[`),
      ),
  );
  return (
    <Alert
      color={tones.danger}
      variant="outline"
      title={t('errors.title')}
      role="alert"
      data-error-code={error instanceof ApiError ? error.code : 'internal'}
    >
      <span dir="auto">{describe(error)}</span>
      {orphans.length > 0 && (
        <List mt="xs" size="sm">
          {orphans.map((field) => (
            <List.Item key={`${field.path}:${field.message}`}>
              <code>{field.path}</code>: {fieldMessage(field)}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/** A sentence for an error code given on its own (the per-case results of a bulk action). */
export function useCodeMessage() {
  const { t } = useTranslation();
  return (code: string): string =>
    isKnownErrorCode(code) ? t(`errors.codes.${code}`) : t('errors.codes.unknown');
}
