import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken } from '../api/client';
import type { Me } from '../api/types';
import { ErrorSummary, useApiErrors } from './api-errors';

interface LoginFormProps {
  onSignedIn(me: Me): void;
  /** Pre-filled and read-only when signing in again after the session ended. */
  email?: string;
}

/** Email and password, then the second factor: a code from the authenticator app or a recovery code. */
export function LoginForm({ onSignedIn, email: knownEmail }: LoginFormProps) {
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [step, setStep] = useState<'password' | 'second-factor'>('password');
  const [email, setEmail] = useState(knownEmail ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors(formRef);

  async function submitPassword(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      const answer = await api.post<{ mfaRequired: boolean; csrfToken: string }>(
        '/auth/login',
        { email: email.trim(), password },
        { quietUnauthenticated: true },
      );
      setCsrfToken(answer.csrfToken);
      setPassword('');
      setStep('second-factor');
    } catch (error) {
      errors.setError(error);
    } finally {
      setBusy(false);
    }
  }

  async function submitSecondFactor(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      const body = useRecovery ? { recoveryCode: recoveryCode.trim() } : { code: code.trim() };
      const answer = await api.post<{ me: Me }>('/auth/mfa', body, { quietUnauthenticated: true });
      onSignedIn(answer.me);
    } catch (error) {
      errors.setError(error);
    } finally {
      setBusy(false);
    }
  }

  if (step === 'password') {
    return (
      <form ref={formRef} onSubmit={submitPassword} noValidate>
        <Stack>
          <ErrorSummary
            error={errors.error}
            shownPaths={['email', 'password']}
            fieldMessage={errors.fieldMessage}
          />
          <TextInput
            label={t('login.email')}
            type="email"
            name="email"
            autoComplete="username"
            required
            readOnly={Boolean(knownEmail)}
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={errors.fieldError('email')}
          />
          <PasswordInput
            label={t('login.password')}
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={errors.fieldError('password')}
          />
          <Button type="submit" loading={busy}>
            {t('login.continue')}
          </Button>
        </Stack>
      </form>
    );
  }

  return (
    <form ref={formRef} onSubmit={submitSecondFactor} noValidate>
      <Stack>
        <ErrorSummary
          error={errors.error}
          shownPaths={['code', 'recoveryCode']}
          fieldMessage={errors.fieldMessage}
        />
        {useRecovery ? (
          <TextInput
            key="recovery"
            label={t('login.recoveryCode')}
            description={t('login.recoveryCodeHelp')}
            name="recoveryCode"
            autoComplete="off"
            autoFocus
            required
            value={recoveryCode}
            onChange={(event) => setRecoveryCode(event.currentTarget.value)}
            error={errors.fieldError('recoveryCode')}
          />
        ) : (
          <TextInput
            key="code"
            label={t('login.code')}
            description={t('login.codeHelp')}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            autoFocus
            required
            value={code}
            onChange={(event) => setCode(event.currentTarget.value.replace(/\D/g, ''))}
            error={errors.fieldError('code')}
          />
        )}
        <Button type="submit" loading={busy}>
          {t('login.signIn')}
        </Button>
        <Text size="sm">
          <Anchor
            component="button"
            type="button"
            onClick={() => {
              setUseRecovery((value) => !value);
              errors.clear();
            }}
          >
            {useRecovery ? t('login.useAuthenticator') : t('login.useRecoveryCode')}
          </Anchor>
        </Text>
        <Text size="sm">
          <Anchor
            component="button"
            type="button"
            onClick={() => {
              setStep('password');
              setCode('');
              setRecoveryCode('');
              errors.clear();
            }}
          >
            {t('login.startAgain')}
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}
