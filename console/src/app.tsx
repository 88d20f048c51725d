import { Center, DirectionProvider, Loader, MantineProvider, Stack, Text } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ApiError } from './api/client';
import type { Locale } from './api/types';
import { Dialog } from './components/dialog';
import { ConsoleLayout, PublicLayout } from './components/layout';
import { LoginForm } from './components/login-form';
import { directionOf } from './i18n';
import { SessionProvider, useSession } from './session';
import { cssVariablesResolver, theme } from './theme';

const LoginPage = lazy(() => import('./pages/login-page'));
const AcceptPage = lazy(() => import('./pages/accept-page'));
const HomePage = lazy(() => import('./pages/home-page'));
const CrisesPage = lazy(() => import('./pages/crises-page'));
const CrisisFormPage = lazy(() => import('./pages/crisis-form-page'));
const ZonesPage = lazy(() => import('./pages/zones-page'));
const StaffPage = lazy(() => import('./pages/staff-page'));
const AuditPage = lazy(() => import('./pages/audit-page'));
const RegistryPage = lazy(() => import('./pages/registry-page'));
const PersonPage = lazy(() => import('./pages/person-page'));
const CallCentrePage = lazy(() => import('./pages/call-centre-page'));
const ImportPage = lazy(() => import('./pages/import-page'));
const DuplicatesPage = lazy(() => import('./pages/duplicates-page'));
const CrossingsPage = lazy(() => import('./pages/crossings-page'));
const ListPage = lazy(() => import('./pages/list-page'));
const CasesPage = lazy(() => import('./pages/cases-page'));
const CasePage = lazy(() => import('./pages/case-page'));
const TasksPage = lazy(() => import('./pages/tasks-page'));
const WelfarePage = lazy(() => import('./pages/welfare-page'));
const TeamsPage = lazy(() => import('./pages/teams-page'));
const RestrictedPage = lazy(() => import('./pages/restricted-page'));
const RestrictedCasePage = lazy(() => import('./pages/restricted-case-page'));
const LegsPage = lazy(() => import('./pages/legs-page'));
const LegPage = lazy(() => import('./pages/leg-page'));
const CheckInPage = lazy(() => import('./pages/check-in-page'));
const AllocationPage = lazy(() => import('./pages/allocation-page'));
const DisclosureFiguresPage = lazy(() => import('./pages/disclosure-figures-page'));
const DisclosureRulesPage = lazy(() => import('./pages/disclosure-rules-page'));
const PartnersPage = lazy(() => import('./pages/partners-page'));
const PartnerPage = lazy(() => import('./pages/partner-page'));
const PartnerFollowUpsPage = lazy(() => import('./pages/partner-follow-ups-page'));
const MessagingTemplatesPage = lazy(() => import('./pages/messaging-templates-page'));
const MessagingCampaignsPage = lazy(() => import('./pages/messaging-campaigns-page'));
const MessagingCampaignNewPage = lazy(() => import('./pages/messaging-campaign-new-page'));
const MessagingCampaignPage = lazy(() => import('./pages/messaging-campaign-page'));
const MessagingDeliveryPage = lazy(() => import('./pages/messaging-delivery-page'));
const MessagingTriagePage = lazy(() => import('./pages/messaging-triage-page'));
const MessagingChannelsPage = lazy(() => import('./pages/messaging-channels-page'));
const DashboardPage = lazy(() => import('./pages/dashboard-page'));
const SitrepPage = lazy(() => import('./pages/sitrep-page'));
const NotFoundPage = lazy(() => import('./pages/not-found-page'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) will not change by asking again; network trouble and 5xx may.
      retry: (failureCount, error) =>
        failureCount < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

/** Pages behind sign-in. Someone without a session is sent to the login page and brought back after. */
function RequireSession({ children }: { children: ReactNode }) {
  const { me, isLoading } = useSession();
  const location = useLocation();
  if (isLoading) return <PageLoader />;
  if (!me) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <ConsoleLayout>
      <Suspense fallback={<PageLoader />}>{children}</Suspense>
      <SessionExpiredDialog />
    </ConsoleLayout>
  );
}

/** Asks to sign in again over the current page, so that a half-filled form survives an expired session. */
function SessionExpiredDialog() {
  const { t } = useTranslation();
  const { me, sessionExpired, signedIn } = useSession();
  return (
    <Dialog
      opened={sessionExpired}
      onClose={() => undefined}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title={t('session.expiredTitle')}
      centered
    >
      <Stack>
        <Text>{t('session.expiredText')}</Text>
        <LoginForm email={me?.email} onSignedIn={signedIn} />
      </Stack>
    </Dialog>
  );
}

function Public({ children }: { children: ReactNode }) {
  return (
    <PublicLayout>
      <Suspense fallback={<PageLoader />}>{children}</Suspense>
    </PublicLayout>
  );
}

function ConsoleRoutes() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <Public>
            <LoginPage />
          </Public>
        }
      />
      <Route
        path="/accept"
        element={
          <Public>
            <AcceptPage />
          </Public>
        }
      />
      <Route
        path="/"
        element={
          <RequireSession>
            <HomePage />
          </RequireSession>
        }
      />
      <Route
        path="/crises"
        element={
          <RequireSession>
            <CrisesPage />
          </RequireSession>
        }
      />
      <Route
        path="/crises/new"
        element={
          <RequireSession>
            <CrisisFormPage />
          </RequireSession>
        }
      />
      <Route
        path="/crises/:crisisId"
        element={
          <RequireSession>
            <CrisisFormPage />
          </RequireSession>
        }
      />
      <Route
        path="/zones"
        element={
          <RequireSession>
            <ZonesPage />
          </RequireSession>
        }
      />
      <Route
        path="/staff"
        element={
          <RequireSession>
            <StaffPage />
          </RequireSession>
        }
      />
      <Route
        path="/audit"
        element={
          <RequireSession>
            <AuditPage />
          </RequireSession>
        }
      />
      <Route
        path="/registry"
        element={
          <RequireSession>
            <RegistryPage />
          </RequireSession>
        }
      />
      <Route
        path="/registry/new"
        element={
          <RequireSession>
            <CallCentrePage />
          </RequireSession>
        }
      />
      <Route
        path="/registry/import"
        element={
          <RequireSession>
            <ImportPage />
          </RequireSession>
        }
      />
      <Route
        path="/registry/:personId"
        element={
          <RequireSession>
            <PersonPage />
          </RequireSession>
        }
      />
      <Route
        path="/duplicates"
        element={
          <RequireSession>
            <DuplicatesPage />
          </RequireSession>
        }
      />
      <Route
        path="/crossings"
        element={
          <RequireSession>
            <CrossingsPage />
          </RequireSession>
        }
      />
      <Route
        path="/lists/:listId"
        element={
          <RequireSession>
            <ListPage />
          </RequireSession>
        }
      />
      {(
        [
          ['/cases', <CasesPage key="cases" />],
          ['/cases/:caseId', <CasePage key="case" />],
          ['/tasks', <TasksPage key="tasks" />],
          ['/welfare', <WelfarePage key="welfare" />],
          ['/teams', <TeamsPage key="teams" />],
          ['/restricted', <RestrictedPage key="restricted" />],
          ['/restricted/:caseId', <RestrictedCasePage key="restricted-case" />],
          ['/legs', <LegsPage key="legs" />],
          ['/legs/:legId', <LegPage key="leg" />],
          ['/check-in/:legId', <CheckInPage key="check-in" />],
          ['/allocation', <AllocationPage key="allocation" />],
          ['/dashboard', <DashboardPage key="dashboard" />],
          ['/sitrep', <SitrepPage key="sitrep" />],
          ['/messaging/templates', <MessagingTemplatesPage key="messaging-templates" />],
          ['/messaging/campaigns', <MessagingCampaignsPage key="messaging-campaigns" />],
          ['/messaging/campaigns/new', <MessagingCampaignNewPage key="messaging-campaign-new" />],
          ['/messaging/campaigns/:campaignId', <MessagingCampaignPage key="messaging-campaign" />],
          ['/messaging/delivery', <MessagingDeliveryPage key="messaging-delivery" />],
          ['/messaging/triage', <MessagingTriagePage key="messaging-triage" />],
          ['/messaging/channels', <MessagingChannelsPage key="messaging-channels" />],
          ['/partners', <PartnersPage key="partners" />],
          ['/partners/follow-ups', <PartnerFollowUpsPage key="partner-follow-ups" />],
          ['/partners/:partnerId', <PartnerPage key="partner" />],
          ['/disclosure', <DisclosureFiguresPage key="disclosure" />],
          ['/disclosure/rules', <DisclosureRulesPage key="disclosure-rules" />],
        ] as const
      ).map(([path, page]) => (
        <Route key={path} path={path} element={<RequireSession>{page}</RequireSession>} />
      ))}
      <Route
        path="*"
        element={
          <RequireSession>
            <NotFoundPage />
          </RequireSession>
        }
      />
    </Routes>
  );
}

export function App({ initialLocale }: { initialLocale: Locale }) {
  return (
    <QueryClientProvider client={queryClient}>
      <DirectionProvider initialDirection={directionOf(initialLocale)} detectDirection={false}>
        <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
          <BrowserRouter basename="/console">
            <SessionProvider>
              <ConsoleRoutes />
            </SessionProvider>
          </BrowserRouter>
        </MantineProvider>
      </DirectionProvider>
    </QueryClientProvider>
  );
}
