import { Anchor, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageTitle } from '../components/page-title';
import { can, canSomewhere, useMe, useSession } from '../session';

export default function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const links = [
    { to: '/crises', label: t('nav.crises'), visible: canSomewhere(me, 'crisis.read') },
    {
      to: '/zones',
      label: t('nav.zones'),
      visible: Boolean(selectedCrisis) && can(me, 'crisis.read', selectedCrisis?.id),
    },
    { to: '/staff', label: t('nav.staff'), visible: canSomewhere(me, 'staff.read') },
    { to: '/audit', label: t('nav.audit'), visible: canSomewhere(me, 'audit.read') },
  ].filter((link) => link.visible);

  return (
    <Stack>
      <PageTitle title={t('home.title')}>{t('home.welcome', { name: me.displayName })}</PageTitle>
      <Text>
        {selectedCrisis ? t('home.currentCrisis', { name: selectedCrisis.name }) : t('home.noCrisis')}
      </Text>
      {links.length > 0 ? (
        <List>
          {links.map((link) => (
            <List.Item key={link.to}>
              <Anchor component={Link} to={link.to}>
                {link.label}
              </Anchor>
            </List.Item>
          ))}
        </List>
      ) : (
        <Text>{t('home.nothingYet')}</Text>
      )}
    </Stack>
  );
}
