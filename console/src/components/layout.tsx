import { AppShell, Burger, Button, Group, Menu, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { can, canSomewhere, useMe, useSession } from '../session';
import { tones } from '../theme';
import { CrisisSwitcher } from './crisis-switcher';
import { LanguageSwitcher } from './language-switcher';

function SkipLink() {
  const { t } = useTranslation();
  return (
    <a className="skip-link" href="#main">
      {t('shell.skipToContent')}
    </a>
  );
}

/** The signed-in frame: header with crisis and language, navigation limited to what `me.abilities` allow. */
export function ConsoleLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis, signOut } = useSession();
  const [navOpen, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const navigate = useNavigate();
  // On narrow screens the switchers move from the header into the navigation drawer.
  const narrow = useMediaQuery('(max-width: 48em)') ?? false;

  const items = [
    { to: '/', label: t('nav.home'), visible: true },
    { to: '/crises', label: t('nav.crises'), visible: canSomewhere(me, 'crisis.read') },
    {
      to: '/dashboard',
      label: t('dashboard.nav'),
      visible: can(me, 'report.read', selectedCrisis?.id) || can(me, 'person.aggregate', selectedCrisis?.id),
    },
    { to: '/sitrep', label: t('sitrep.nav'), visible: can(me, 'report.read', selectedCrisis?.id) },
    {
      to: '/zones',
      label: t('nav.zones'),
      visible: Boolean(selectedCrisis) && can(me, 'crisis.read', selectedCrisis?.id),
    },
    { to: '/registry', label: t('nav.registry'), visible: can(me, 'person.read', selectedCrisis?.id) },
    {
      to: '/registry/new',
      label: t('nav.callCentre'),
      visible: can(me, 'person.create', selectedCrisis?.id),
    },
    { to: '/registry/import', label: t('nav.import'), visible: can(me, 'person.import', selectedCrisis?.id) },
    { to: '/duplicates', label: t('nav.duplicates'), visible: can(me, 'person.read', selectedCrisis?.id) },
    { to: '/crossings', label: t('nav.crossings'), visible: can(me, 'movement.read', selectedCrisis?.id) },
    { to: '/legs', label: t('nav.legs'), visible: can(me, 'movement.read', selectedCrisis?.id) },
    {
      to: '/allocation',
      label: t('nav.allocation'),
      visible: can(me, 'movement.manage', selectedCrisis?.id),
    },
    { to: '/cases', label: t('nav.cases'), visible: can(me, 'case.read', selectedCrisis?.id) },
    { to: '/tasks', label: t('nav.tasks'), visible: can(me, 'case.read', selectedCrisis?.id) },
    { to: '/welfare', label: t('nav.welfare'), visible: can(me, 'case.read', selectedCrisis?.id) },
    { to: '/teams', label: t('nav.teams'), visible: can(me, 'case.update', selectedCrisis?.id) },
    {
      to: '/disclosure',
      label: t('disclosure.nav.figures'),
      visible: ['report.read', 'person.aggregate', 'report.publish'].some((p) =>
        can(me, p, selectedCrisis?.id),
      ),
    },
    {
      to: '/disclosure/rules',
      label: t('disclosure.nav.rules'),
      visible: ['report.read', 'person.aggregate', 'report.publish'].some((p) =>
        can(me, p, selectedCrisis?.id),
      ),
    },
    { to: '/partners', label: t('partners.nav'), visible: can(me, 'partner.read', selectedCrisis?.id) },
    {
      to: '/partners/follow-ups',
      label: t('partners.navFollowUps'),
      visible: can(me, 'partner.read', selectedCrisis?.id),
    },
    {
      to: '/messaging/campaigns',
      label: t('messaging.nav.campaigns'),
      visible: can(me, 'message.send', selectedCrisis?.id),
    },
    {
      to: '/messaging/templates',
      label: t('messaging.nav.templates'),
      visible: can(me, 'message.send', selectedCrisis?.id),
    },
    {
      to: '/messaging/delivery',
      label: t('delivery.nav.delivery'),
      visible: can(me, 'message.send', selectedCrisis?.id),
    },
    {
      to: '/messaging/triage',
      label: t('delivery.nav.triage'),
      visible: can(me, 'message.send', selectedCrisis?.id) && can(me, 'person.read', selectedCrisis?.id),
    },
    {
      to: '/messaging/channels',
      label: t('delivery.nav.channels'),
      visible: can(me, 'message.send', selectedCrisis?.id),
    },
    { to: '/staff', label: t('nav.staff'), visible: canSomewhere(me, 'staff.read') },
    { to: '/audit', label: t('nav.audit'), visible: canSomewhere(me, 'audit.read') },
  ].filter((item) => item.visible);
  // The restricted area has its own heading and appears only to the restricted-cases role.
  const restricted = can(me, 'restricted.read', selectedCrisis?.id)
    ? [{ to: '/restricted', label: t('nav.restrictedCases') }]
    : [];

  const isActive = (to: string) =>
    to === '/'
      ? location.pathname === '/'
      : location.pathname === to ||
        (location.pathname.startsWith(`${to}/`) &&
          ![...items, ...restricted].some(
            (item) => item.to.length > to.length && location.pathname.startsWith(item.to),
          ));

  async function handleSignOut(everywhere: boolean) {
    await signOut(everywhere).catch(() => undefined);
    navigate('/login', { replace: true });
  }

  return (
    <>
      <SkipLink />
      <AppShell
        header={{ height: 64 }}
        navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={navOpen}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={navOpen ? t('shell.closeNavigation') : t('shell.openNavigation')}
                aria-controls="console-navigation"
                aria-expanded={navOpen}
              />
              <Text component={Link} to="/" fw={700} size="lg" className="brand">
                {t('app.name')}
              </Text>
            </Group>
            <Group gap="sm" wrap="wrap" justify="flex-end" align="flex-end">
              {!narrow && <CrisisSwitcher />}
              {!narrow && <LanguageSwitcher />}
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="default" size="xs" data-testid="account-menu">
                    {me.displayName}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>{me.email}</Menu.Label>
                  <Menu.Item onClick={() => void handleSignOut(false)} data-testid="sign-out">
                    {t('shell.signOut')}
                  </Menu.Item>
                  <Menu.Item onClick={() => void handleSignOut(true)} data-testid="sign-out-everywhere">
                    {t('shell.signOutEverywhere')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" id="console-navigation" aria-label={t('nav.label')}>
          {narrow && (
            <Stack gap="xs" mb="md">
              <CrisisSwitcher />
              <LanguageSwitcher />
            </Stack>
          )}
          {items.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              active={isActive(item.to)}
              variant="filled"
              aria-current={isActive(item.to) ? 'page' : undefined}
              onClick={close}
            />
          ))}
          {restricted.length > 0 && (
            <div data-testid="restricted-nav">
              <Text
                id="restricted-nav-heading"
                component="h2"
                size="xs"
                fw={700}
                tt="uppercase"
                c={tones.danger}
                mt="md"
                mb={4}
                px="xs"
              >
                {t('nav.restricted')}
              </Text>
              {restricted.map((item) => (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  active={isActive(item.to)}
                  variant="filled"
                  color={tones.danger}
                  aria-current={isActive(item.to) ? 'page' : undefined}
                  onClick={close}
                />
              ))}
            </div>
          )}
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1}>
          {children}
        </AppShell.Main>
      </AppShell>
    </>
  );
}

/** The frame of the pages used before signing in: login and account set-up. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <SkipLink />
      <header className="public-header">
        <Group justify="space-between" px="md" py="xs">
          <Text fw={700} size="lg">
            {t('app.name')}
          </Text>
          <LanguageSwitcher />
        </Group>
      </header>
      <main id="main" tabIndex={-1} className="public-main">
        {children}
      </main>
    </>
  );
}
