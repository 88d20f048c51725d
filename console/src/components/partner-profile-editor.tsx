import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiRequest } from '../api/client';
import {
  AGGREGATE_TABLES,
  ELIGIBILITIES,
  INTENTIONS,
  PERSON_STATUSES,
  partnerKeys,
  partnerPath,
  type Selection,
  SHARE_FIELDS,
  type SharingProfile,
} from '../api/partners';
import { zonesQuery } from '../api/queries';
import { crisisPath } from '../api/registry';
import { legsQuery } from '../api/transport';
import { can, useMe } from '../session';
import { ErrorSummary, useApiErrors } from './api-errors';
import { useLabel } from './labels';
import { usePartnerLabel } from './partner-bits';

/**
 * Which fields and which people a partner may receive. Person profiles pick from the fixed field
 * catalogue and the registry filters; aggregate profiles pick publishable tables (sent as HXL).
 */
export function ProfileEditor({
  crisisId,
  partnerId,
  profile,
  onDone,
}: {
  crisisId: string;
  partnerId: string;
  profile?: SharingProfile;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const label = usePartnerLabel();
  const personLabel = useLabel();
  const me = useMe();
  const queryClient = useQueryClient();
  const zones = useQuery(zonesQuery(crisisId));
  const legs = useQuery({ ...legsQuery(crisisId), enabled: can(me, 'movement.read', crisisId) });
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const headingId = useId();
  const [name, setName] = useState(profile?.name ?? '');
  const [kind, setKind] = useState<'persons' | 'aggregates'>(profile?.kind ?? 'persons');
  const [fields, setFields] = useState<string[]>(profile?.fields ?? []);
  const initial = profile?.selection ?? {};
  const [zone, setZone] = useState(initial.zone ?? '');
  const [status, setStatus] = useState<string[]>(initial.status ?? []);
  const [intention, setIntention] = useState<string[]>(initial.intention ?? []);
  const [eligibility, setEligibility] = useState<string[]>(initial.eligibility ?? []);
  const [onList, setOnList] = useState(initial.onList ?? false);
  const [listDate, setListDate] = useState(initial.listDate ?? '');
  const [allocated, setAllocated] = useState(initial.allocated ?? false);
  const [legId, setLegId] = useState(initial.legId ?? '');
  const [personIds, setPersonIds] = useState((initial.personIds ?? []).join('\n'));

  const selection = (): Selection => {
    if (kind === 'aggregates') return {};
    const ids = personIds
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    return {
      ...(zone ? { zone } : {}),
      ...(status.length ? { status } : {}),
      ...(intention.length ? { intention } : {}),
      ...(eligibility.length ? { eligibility } : {}),
      ...(onList ? { onList: true, ...(listDate ? { listDate } : {}) } : {}),
      ...(allocated ? { allocated: true, ...(legId ? { legId } : {}) } : {}),
      ...(ids.length ? { personIds: ids } : {}),
    };
  };
  const save = useMutation({
    mutationFn: () => {
      const body = { name, kind, fields, selection: selection() };
      return profile
        ? apiRequest<SharingProfile>(
            'PUT',
            `${crisisPath(crisisId)}/sharing-profiles/${encodeURIComponent(profile.id)}`,
            {
              body: { ...body, version: profile.version },
            },
          )
        : api.post<SharingProfile>(`${partnerPath(crisisId, partnerId)}/sharing-profiles`, body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: partnerKeys.all(crisisId) });
      if (!profile) {
        setName('');
        setFields([]);
      }
      onDone?.();
    },
    onError: errors.setError,
  });
  const catalogue: readonly string[] = kind === 'persons' ? SHARE_FIELDS : AGGREGATE_TABLES;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <form
        ref={formRef}
        noValidate
        data-testid="profile-form"
        onSubmit={(event) => {
          event.preventDefault();
          errors.clear();
          save.mutate();
        }}
      >
        <Stack>
          <Title order={3} size="h4" id={headingId}>
            {profile ? t('partners.profiles.edit', { name: profile.name }) : t('partners.profiles.add')}
          </Title>
          <ErrorSummary
            error={errors.error}
            shownPaths={['name', 'kind', 'fields', 'selection']}
            fieldMessage={errors.fieldMessage}
          />
          <TextInput
            label={t('partners.profiles.name')}
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.fieldError('name')}
          />
          <Radio.Group
            label={t('partners.profiles.kind')}
            value={kind}
            onChange={(value) => {
              setKind(value as 'persons' | 'aggregates');
              setFields([]);
            }}
          >
            <Group mt={4}>
              <Radio value="persons" label={t('partners.profiles.kindPersons')} />
              <Radio value="aggregates" label={t('partners.profiles.kindAggregates')} />
            </Group>
          </Radio.Group>
          <Checkbox.Group
            label={kind === 'persons' ? t('partners.profiles.fields') : t('partners.profiles.tables')}
            description={
              kind === 'persons' ? t('partners.profiles.fieldsHint') : t('partners.profiles.tablesHint')
            }
            value={fields}
            onChange={setFields}
            error={errors.fieldError('fields')}
            withAsterisk
          >
            <SimpleGrid cols={{ base: 1, sm: 3 }} mt={4} data-testid="profile-fields">
              {catalogue.map((value) => (
                <Checkbox
                  key={value}
                  value={value}
                  label={label(kind === 'persons' ? 'field' : 'table', value)}
                />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          {kind === 'persons' && (
            <Stack gap="sm">
              <Title order={4} size="h5">
                {t('partners.profiles.people')}
              </Title>
              <NativeSelect
                label={t('partners.profiles.zone')}
                value={zone}
                onChange={(event) => setZone(event.currentTarget.value)}
                data={[
                  { value: '', label: t('partners.profiles.anyZone') },
                  ...(zones.data ?? []).map((z) => ({ value: z.id, label: z.name })),
                ]}
                error={errors.fieldError('selection.zone')}
              />
              <Checkbox.Group
                label={t('partners.profiles.intention')}
                value={intention}
                onChange={setIntention}
              >
                <Group mt={4}>
                  {INTENTIONS.map((value) => (
                    <Checkbox key={value} value={value} label={personLabel('intention', value)} />
                  ))}
                </Group>
              </Checkbox.Group>
              <Checkbox.Group label={t('partners.profiles.status')} value={status} onChange={setStatus}>
                <Group mt={4}>
                  {PERSON_STATUSES.map((value) => (
                    <Checkbox key={value} value={value} label={personLabel('status', value)} />
                  ))}
                </Group>
              </Checkbox.Group>
              <Checkbox.Group
                label={t('partners.profiles.eligibility')}
                value={eligibility}
                onChange={setEligibility}
              >
                <Group mt={4}>
                  {ELIGIBILITIES.map((value) => (
                    <Checkbox key={value} value={value} label={personLabel('eligibility', value)} />
                  ))}
                </Group>
              </Checkbox.Group>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Stack gap={4}>
                  <Checkbox
                    label={t('partners.profiles.onList')}
                    checked={onList}
                    onChange={(event) => setOnList(event.currentTarget.checked)}
                  />
                  {onList && (
                    <TextInput
                      type="date"
                      label={t('partners.profiles.listDate')}
                      value={listDate}
                      onChange={(event) => setListDate(event.currentTarget.value)}
                      error={errors.fieldError('selection.listDate')}
                    />
                  )}
                </Stack>
                <Stack gap={4}>
                  <Checkbox
                    label={t('partners.profiles.allocated')}
                    checked={allocated}
                    onChange={(event) => setAllocated(event.currentTarget.checked)}
                  />
                  {allocated && legs.data && (
                    <NativeSelect
                      label={t('partners.profiles.leg')}
                      value={legId}
                      onChange={(event) => setLegId(event.currentTarget.value)}
                      data={[
                        { value: '', label: t('partners.profiles.anyLeg') },
                        ...legs.data.map((leg) => ({ value: leg.id, label: leg.name })),
                      ]}
                      error={errors.fieldError('selection.legId')}
                    />
                  )}
                </Stack>
              </SimpleGrid>
              <Textarea
                label={t('partners.profiles.personIds')}
                description={t('partners.profiles.personIdsHint')}
                dir="ltr"
                value={personIds}
                onChange={(event) => setPersonIds(event.currentTarget.value)}
                error={errors.fieldError('selection.personIds')}
              />
            </Stack>
          )}
          <Group justify="flex-end">
            {onDone && profile && (
              <Button variant="default" onClick={onDone}>
                {t('common.cancel')}
              </Button>
            )}
            <Button type="submit" loading={save.isPending}>
              {profile ? t('common.save') : t('partners.profiles.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
