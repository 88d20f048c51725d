import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { isLocale, LOCALES } from '../i18n';
import { useSession } from '../session';

// Each language is named in itself, so that someone who cannot read the current one finds theirs.
const NATIVE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français', ar: 'العربية' };

export function LanguageSwitcher() {
  const { t } = useTranslation();
  const { locale, changeLocale } = useSession();
  return (
    <NativeSelect
      label={t('shell.language')}
      size="xs"
      data-testid="language-switcher"
      value={locale}
      onChange={(event) => {
        const next = event.currentTarget.value;
        if (isLocale(next)) void changeLocale(next);
      }}
      data={LOCALES.map((value) => ({ value, label: NATIVE_NAMES[value] }))}
      classNames={{ root: 'header-field', label: 'header-field-label' }}
    />
  );
}
