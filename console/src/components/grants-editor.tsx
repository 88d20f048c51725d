import { ActionIcon, Button, Fieldset, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { rolesQuery } from '../api/queries';
import { type Grant, ROLE_IDS } from '../api/types';
import { useMe } from '../session';
import { tones } from '../theme';

const ALL_CRISES = '*';

/** Role + crisis pairs; "all crises" is a grant with `crisisId: null`. */
export function GrantsEditor({
  value,
  onChange,
  error,
  legend,
}: {
  value: Grant[];
  onChange(grants: Grant[]): void;
  error?: string;
  legend: string;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const roles = useQuery(rolesQuery);
  const roleIds = roles.data?.map((role) => role.id) ?? [...ROLE_IDS];
  const roleLabel = (id: string) =>
    t(`roles.${id}` as 'roles.administrator', {
      defaultValue: roles.data?.find((role) => role.id === id)?.name ?? id,
    });

  const update = (index: number, grant: Grant) =>
    onChange(value.map((current, i) => (i === index ? grant : current)));

  return (
    <Fieldset legend={legend}>
      <Stack gap="sm">
        {value.length === 0 && <Text size="sm">{t('staff.noGrants')}</Text>}
        {value.map((grant, index) => (
          // Grants have no identity of their own; their position is what the form edits.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above.
          <Group key={index} align="flex-end" gap="xs" wrap="nowrap">
            <NativeSelect
              label={t('staff.grantRole', { number: index + 1 })}
              value={grant.role}
              onChange={(event) => update(index, { ...grant, role: event.currentTarget.value })}
              data={roleIds.map((id) => ({ value: id, label: roleLabel(id) }))}
            />
            <NativeSelect
              label={t('staff.grantCrisis', { number: index + 1 })}
              value={grant.crisisId ?? ALL_CRISES}
              onChange={(event) => {
                const crisisId = event.currentTarget.value;
                update(index, { ...grant, crisisId: crisisId === ALL_CRISES ? null : crisisId });
              }}
              data={[
                { value: ALL_CRISES, label: t('staff.allCrises') },
                ...me.crises.map((crisis) => ({ value: crisis.id, label: crisis.name })),
              ]}
            />
            <ActionIcon
              variant="default"
              size="lg"
              mb={2}
              aria-label={t('staff.removeGrant', { number: index + 1 })}
              onClick={() => onChange(value.filter((_, i) => i !== index))}
            >
              <span aria-hidden="true">×</span>
            </ActionIcon>
          </Group>
        ))}
        {error && (
          <Text c={tones.danger} size="sm" role="alert">
            {error}
          </Text>
        )}
        <Group>
          <Button
            variant="default"
            size="xs"
            onClick={() =>
              onChange([
                ...value,
                { role: roleIds[0] ?? 'consular_officer', crisisId: me.crises[0]?.id ?? null },
              ])
            }
          >
            {t('staff.addGrant')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

/** "Consular officer (Gaza 2023)", for tables. */
export function useGrantLabel() {
  const { t } = useTranslation();
  const me = useMe();
  return (grant: Grant) => {
    const role = t(`roles.${grant.role}` as 'roles.administrator', { defaultValue: grant.role });
    const crisis = grant.crisisId
      ? (me.crises.find((candidate) => candidate.id === grant.crisisId)?.name ?? grant.crisisId)
      : t('staff.allCrises');
    return t('staff.grantLabel', { role, crisis });
  };
}
