import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe, useSession } from '../session';

export function CrisisSwitcher() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis, selectCrisis } = useSession();
  if (me.crises.length === 0) return null;
  return (
    <NativeSelect
      label={t('shell.crisis')}
      size="xs"
      data-testid="crisis-switcher"
      value={selectedCrisis?.id ?? ''}
      onChange={(event) => selectCrisis(event.currentTarget.value)}
      data={me.crises.map((crisis) => ({
        value: crisis.id,
        label: crisis.status === 'closed' ? t('shell.closedCrisis', { name: crisis.name }) : crisis.name,
      }))}
      classNames={{ root: 'header-field', label: 'header-field-label' }}
    />
  );
}
