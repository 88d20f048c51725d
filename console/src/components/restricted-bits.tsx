import { Alert, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import NotFoundPage from '../pages/not-found-page';
import { can, useMe, useSession } from '../session';
import { tones } from '../theme';
import { PageTitle } from './page-title';

/** The mark on every restricted page: what is here is seen by the restricted-cases cell only. */
export function RestrictedBanner() {
  const { t } = useTranslation();
  return (
    <Alert
      color={tones.danger}
      variant="outline"
      className="restricted-banner"
      title={t('restricted.banner')}
      data-testid="restricted-banner"
    >
      {t('restricted.bannerText')}
    </Alert>
  );
}

/**
 * The crisis chosen in the header, or a page that says one is needed. Someone without the
 * restricted role gets the console's ordinary "page not found": the area does not exist for them.
 */
export function WithCrisis({ title, children }: { title: string; children(crisisId: string): ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  if (!can(me, 'restricted.read', selectedCrisis?.id)) return <NotFoundPage />;
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <>{children(selectedCrisis.id)}</>;
}
