import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageTitle } from '../components/page-title';

export default function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('notFound.title')}>{t('notFound.title')}</PageTitle>
      <Text>
        {t('notFound.text')}{' '}
        <Anchor component={Link} to="/">
          {t('nav.home')}
        </Anchor>
      </Text>
    </>
  );
}
