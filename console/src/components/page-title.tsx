import { Title } from '@mantine/core';
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router-dom';

/**
 * The page's one `h1`. It also names the browser tab and, after a navigation inside the console,
 * takes the focus so that screen-reader users hear where they arrived.
 */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  const location = useLocation();

  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);

  useEffect(() => {
    // The first page of a visit keeps the browser's own focus; later navigations move it here.
    if (location.key !== 'default') ref.current?.focus();
  }, [location.key]);

  return (
    <Title order={1} ref={ref} tabIndex={-1} className="page-title" mb="md">
      {children}
    </Title>
  );
}
