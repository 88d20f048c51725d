import {
  Alert,
  Button,
  CopyButton,
  Group,
  Image,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, api, setCsrfToken } from '../api/client';
import type { Enrollment, Me, TokenInfo } from '../api/types';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { useSession } from '../session';
import { tones } from '../theme';

const MIN_PASSWORD_LENGTH = 12;

/**
 * One page for the first-administrator setup link, invitations and password resets: choose a
 * password, enrol an authenticator app, then keep the recovery codes.
 */
export default function AcceptPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token');
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [result, setResult] = useState<{ me: Me; recoveryCodes: string[] } | null>(null);
  // What the link is for: it decides the wording and whether an email address is asked for.
  const tokenInfo = useQuery({
    queryKey: ['token-info', token],
    queryFn: () => api.post<TokenInfo>('/auth/token-info', { token }, { quietUnauthenticated: true }),
    enabled: Boolean(token) && !enrollment && !result,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });

  if (!token || tokenInfo.isError) {
    const expired = tokenInfo.error instanceof ApiError && tokenInfo.error.status === 404;
    return (
      <>
        <PageTitle title={t('accept.title')}>{t('accept.title')}</PageTitle>
        {token && !expired ? (
          <LoadError error={tokenInfo.error} />
        ) : (
          <Alert color={tones.danger} variant="outline" role="alert">
            {token ? t('accept.invalidToken') : t('accept.missingToken')}
          </Alert>
        )}
      </>
    );
  }

  if (result) {
    return (
      <RecoveryCodes
        codes={result.recoveryCodes}
        onDone={() => {
          signedIn(result.me);
          navigate('/', { replace: true });
        }}
      />
    );
  }

  if (enrollment) {
    return <EnrolAuthenticator enrollment={enrollment} onConfirmed={setResult} />;
  }

  if (!tokenInfo.data) return <Loading />;
  return <ChoosePassword token={token} info={tokenInfo.data} onAccepted={setEnrollment} />;
}

const TITLES = {
  setup: 'accept.setupTitle',
  invitation: 'accept.title',
  reset: 'accept.resetTitle',
} as const;

function ChoosePassword({
  token,
  info,
  onAccepted,
}: {
  token: string;
  info: TokenInfo;
  onAccepted(enrollment: Enrollment): void;
}) {
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const needsEmail = info.purpose === 'setup';
  const [email, setEmail] = useState(info.email ?? '');
  const [displayName, setDisplayName] = useState(info.displayName ?? '');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [localErrors, setLocalErrors] = useState<{ password?: string; confirmation?: string }>({});
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors(formRef);

  async function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    const problems: typeof localErrors = {};
    if (password.length < MIN_PASSWORD_LENGTH)
      problems.password = t('accept.passwordTooShort', { min: MIN_PASSWORD_LENGTH });
    if (password !== confirmation) problems.confirmation = t('accept.passwordsDiffer');
    setLocalErrors(problems);
    if (problems.password || problems.confirmation) {
      requestAnimationFrame(() =>
        formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      );
      return;
    }
    setBusy(true);
    try {
      const body: Record<string, string> = { token, displayName: displayName.trim(), password };
      if (needsEmail) body.email = email.trim();
      const answer = await api.post<{ enrollment: Enrollment; csrfToken: string }>(
        '/auth/invitations/accept',
        body,
        {
          quietUnauthenticated: true,
        },
      );
      setCsrfToken(answer.csrfToken);
      onAccepted(answer.enrollment);
    } catch (error) {
      errors.setError(error);
    } finally {
      setBusy(false);
    }
  }

  const title = t(TITLES[info.purpose] ?? 'accept.title');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <Text mb="md">{info.purpose === 'reset' ? t('accept.resetIntro') : t('accept.intro')}</Text>
      {info.email && !needsEmail && (
        <Text mb="md">
          {t('accept.forAccount')} <strong className="mono">{info.email}</strong>
        </Text>
      )}
      <Paper withBorder p="lg" radius="md">
        <form ref={formRef} onSubmit={submit} noValidate aria-label={t('accept.passwordStep')}>
          <Stack>
            <ErrorSummary
              error={errors.error}
              shownPaths={['email', 'displayName', 'password']}
              fieldMessage={errors.fieldMessage}
            />
            {needsEmail && (
              <TextInput
                label={t('accept.email')}
                description={t('accept.emailHelp')}
                type="email"
                name="email"
                autoComplete="username"
                required
                value={email}
                onChange={(event) => setEmail(event.currentTarget.value)}
                error={errors.fieldError('email')}
              />
            )}
            <TextInput
              label={t('accept.displayName')}
              name="displayName"
              autoComplete="name"
              required
              value={displayName}
              onChange={(event) => setDisplayName(event.currentTarget.value)}
              error={errors.fieldError('displayName')}
            />
            <PasswordInput
              label={t('accept.password')}
              description={t('accept.passwordHelp', { min: MIN_PASSWORD_LENGTH })}
              name="new-password"
              autoComplete="new-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={localErrors.password ?? errors.fieldError('password')}
            />
            <PasswordInput
              label={t('accept.confirmPassword')}
              name="confirm-password"
              autoComplete="new-password"
              required
              value={confirmation}
              onChange={(event) => setConfirmation(event.currentTarget.value)}
              error={localErrors.confirmation}
            />
            <Button type="submit" loading={busy}>
              {t('accept.continue')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </>
  );
}

function EnrolAuthenticator({
  enrollment,
  onConfirmed,
}: {
  enrollment: Enrollment;
  onConfirmed(result: { me: Me; recoveryCodes: string[] }): void;
}) {
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors(formRef);

  async function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      const answer = await api.post<{ recoveryCodes: string[]; me: Me }>(
        '/auth/totp/confirm',
        { code: code.trim() },
        { quietUnauthenticated: true },
      );
      onConfirmed(answer);
    } catch (error) {
      errors.setError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle title={t('accept.totpTitle')}>{t('accept.totpTitle')}</PageTitle>
      <Paper withBorder p="lg" radius="md">
        <Stack>
          <Text>{t('accept.totpIntro')}</Text>
          <Image
            src={enrollment.qrDataUrl}
            alt={t('accept.qrAlt')}
            w={200}
            h={200}
            fit="contain"
            className="qr-code"
          />
          <div>
            <Text size="sm">{t('accept.secretLabel')}</Text>
            <Group gap="xs">
              <Text className="mono" data-testid="totp-secret" fw={600}>
                {enrollment.secret}
              </Text>
              <CopyButton value={enrollment.secret}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="default" onClick={copy}>
                    {copied ? t('common.copied') : t('common.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </div>
          <form ref={formRef} onSubmit={submit} noValidate aria-label={t('accept.totpTitle')}>
            <Stack>
              <ErrorSummary error={errors.error} shownPaths={['code']} fieldMessage={errors.fieldMessage} />
              <TextInput
                label={t('accept.code')}
                description={t('login.codeHelp')}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                required
                value={code}
                onChange={(event) => setCode(event.currentTarget.value.replace(/\D/g, ''))}
                error={errors.fieldError('code')}
              />
              <Button type="submit" loading={busy}>
                {t('accept.confirmCode')}
              </Button>
            </Stack>
          </form>
        </Stack>
      </Paper>
    </>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('accept.recoveryTitle')}>{t('accept.recoveryTitle')}</PageTitle>
      <Paper withBorder p="lg" radius="md">
        <Stack>
          <Text>{t('accept.recoveryIntro')}</Text>
          <Title order={2} size="h4">
            {t('accept.recoveryListTitle')}
          </Title>
          <ul className="recovery-codes mono" data-testid="recovery-codes">
            {codes.map((code) => (
              <li key={code}>{code}</li>
            ))}
          </ul>
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? t('common.copied') : t('accept.copyCodes')}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onDone}>{t('accept.savedContinue')}</Button>
        </Stack>
      </Paper>
    </>
  );
}
