import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { initI18n, initialLocale } from './i18n';

const locale = initialLocale();
const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element');

void initI18n(locale).then(() => {
  createRoot(container).render(
    <StrictMode>
      <App initialLocale={locale} />
    </StrictMode>,
  );
});
