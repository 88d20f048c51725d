import { Alert, Paper } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { setupQuery } from '../api/queries';
import { LoginForm } from '../components/login-form';
import { PageTitle } from '../components/page-title';
import { useSession } from '../session';
import { tones } from '../theme';

/** Only paths inside the console are followed after sign-in, never another site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { me, signedIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const setup = useQuery(setupQuery);

  if (me) return <Navigate to={next} replace />;

  return (
    <>
      <PageTitle title={t('login.title')}>{t('login.title')}</PageTitle>
      {setup.data?.needsSetup && (
        <Alert color={tones.info} variant="outline" mb="md" title={t('login.needsSetupTitle')}>
          {t('login.needsSetup')}
        </Alert>
      )}
      <Paper withBorder p="lg" radius="md">
        <LoginForm
          onSignedIn={(signedInMe) => {
            signedIn(signedInMe);
            navigate(next, { replace: true });
          }}
        />
      </Paper>
    </>
  );
}
