import {
  Anchor,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { crisisQuery, queryKeys, refreshCrises } from '../api/queries';
import {
  type Crisis,
  type CrisisInput,
  ELIGIBILITY_CATEGORIES,
  type EligibilityCategory,
} from '../api/types';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { tones } from '../theme';

interface CrisisFormValues {
  name: string;
  slug: string;
  description: string;
  eligibleCategories: EligibilityCategory[];
  permanentResidentsOnlyWithCitizenFamily: boolean;
  privacyNotice: { en: string; fr: string; ar: string };
  retentionDays: number | string;
}

const NEW_CRISIS: CrisisFormValues = {
  name: '',
  slug: '',
  description: '',
  eligibleCategories: ['citizen', 'permanent_resident', 'immediate_family'],
  permanentResidentsOnlyWithCitizenFamily: false,
  privacyNotice: { en: '', fr: '', ar: '' },
  retentionDays: 365,
};

function valuesOf(crisis: Crisis): CrisisFormValues {
  return {
    name: crisis.name,
    slug: crisis.slug,
    description: crisis.description ?? '',
    eligibleCategories: [...crisis.eligibilityPolicy.eligibleCategories],
    permanentResidentsOnlyWithCitizenFamily: crisis.eligibilityPolicy.permanentResidentsOnlyWithCitizenFamily,
    privacyNotice: {
      en: crisis.privacyNotice?.en ?? '',
      fr: crisis.privacyNotice?.fr ?? '',
      ar: crisis.privacyNotice?.ar ?? '',
    },
    retentionDays: crisis.retentionDays,
  };
}

function inputOf(values: CrisisFormValues): CrisisInput {
  const input: CrisisInput = {
    name: values.name.trim(),
    description: values.description,
    eligibilityPolicy: {
      eligibleCategories: values.eligibleCategories,
      permanentResidentsOnlyWithCitizenFamily: values.permanentResidentsOnlyWithCitizenFamily,
    },
    privacyNotice: values.privacyNotice,
  };
  if (values.slug.trim()) input.slug = values.slug.trim();
  if (values.retentionDays !== '') input.retentionDays = Number(values.retentionDays);
  return input;
}

export default function CrisisFormPage() {
  const { crisisId } = useParams();
  const { t } = useTranslation();
  const crisis = useQuery({ ...crisisQuery(crisisId ?? ''), enabled: Boolean(crisisId) });

  if (!crisisId) return <CrisisForm />;
  if (crisis.isPending) return <Loading />;
  if (crisis.isError)
    return (
      <>
        <PageTitle title={t('crises.editTitle')}>{t('crises.editTitle')}</PageTitle>
        <LoadError error={crisis.error} />
      </>
    );
  return <CrisisForm key={crisis.data.id} crisis={crisis.data} />;
}

function CrisisForm({ crisis }: { crisis?: Crisis }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<CrisisFormValues>(() => (crisis ? valuesOf(crisis) : NEW_CRISIS));
  const [saved, setSaved] = useState(false);
  const errors = useApiErrors(formRef);
  const title = crisis ? t('crises.editNamedTitle', { name: crisis.name }) : t('crises.createTitle');

  const set = <K extends keyof CrisisFormValues>(key: K, value: CrisisFormValues[K]) => {
    setSaved(false);
    setValues((current) => ({ ...current, [key]: value }));
  };
  const setNotice = (language: 'en' | 'fr' | 'ar', text: string) =>
    set('privacyNotice', { ...values.privacyNotice, [language]: text });

  const mutation = useMutation({
    mutationFn: (input: CrisisInput) =>
      crisis
        ? api.patch<Crisis>(`/crises/${encodeURIComponent(crisis.id)}`, input)
        : api.post<Crisis>('/crises', input),
    onSuccess: async (saved) => {
      queryClient.setQueryData(queryKeys.crisis(saved.id), saved);
      await refreshCrises(queryClient);
      if (crisis) {
        setValues(valuesOf(saved));
        setSaved(true);
      } else {
        navigate('/crises');
      }
    },
    onError: errors.setError,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    mutation.mutate(inputOf(values));
  }

  const shownPaths = [
    'name',
    'slug',
    'description',
    'eligibilityPolicy',
    'privacyNotice.en',
    'privacyNotice.fr',
    'privacyNotice.ar',
    'retentionDays',
  ];

  return (
    <Stack maw={720}>
      <Anchor component={Link} to="/crises" size="sm">
        {t('crises.backToList')}
      </Anchor>
      <PageTitle title={title}>{title}</PageTitle>
      <form ref={formRef} onSubmit={submit} noValidate aria-label={title}>
        <Stack>
          <ErrorSummary error={errors.error} shownPaths={shownPaths} fieldMessage={errors.fieldMessage} />
          {saved && (
            <Text role="status" c={tones.success} fw={500}>
              {t('common.saved')}
            </Text>
          )}
          <TextInput
            label={t('crises.name')}
            name="name"
            required
            value={values.name}
            onChange={(event) => set('name', event.currentTarget.value)}
            error={errors.fieldError('name')}
          />
          <TextInput
            label={t('crises.slug')}
            description={t('crises.slugHelp')}
            name="slug"
            value={values.slug}
            onChange={(event) => set('slug', event.currentTarget.value)}
            error={errors.fieldError('slug')}
            classNames={{ input: 'mono' }}
          />
          <Textarea
            label={t('crises.description')}
            name="description"
            autosize
            minRows={2}
            value={values.description}
            onChange={(event) => set('description', event.currentTarget.value)}
            error={errors.fieldError('description')}
          />
          <Fieldset legend={t('crises.eligibility')}>
            <Stack gap="sm">
              <Checkbox.Group
                label={t('crises.eligibleCategories')}
                value={values.eligibleCategories}
                onChange={(next) => set('eligibleCategories', next as EligibilityCategory[])}
                error={errors.fieldError('eligibilityPolicy.eligibleCategories')}
              >
                <Stack gap="xs" mt="xs">
                  {ELIGIBILITY_CATEGORIES.map((category) => (
                    <Checkbox key={category} value={category} label={t(`crises.categories.${category}`)} />
                  ))}
                </Stack>
              </Checkbox.Group>
              <Checkbox
                label={t('crises.permanentResidentsOnlyWithCitizenFamily')}
                checked={values.permanentResidentsOnlyWithCitizenFamily}
                onChange={(event) =>
                  set('permanentResidentsOnlyWithCitizenFamily', event.currentTarget.checked)
                }
                error={errors.fieldError('eligibilityPolicy.permanentResidentsOnlyWithCitizenFamily')}
              />
            </Stack>
          </Fieldset>
          <Fieldset legend={t('crises.privacyNotice')}>
            <Stack gap="sm">
              <Textarea
                label={t('crises.privacyNoticeIn', { language: 'English' })}
                lang="en"
                dir="ltr"
                autosize
                minRows={3}
                value={values.privacyNotice.en}
                onChange={(event) => setNotice('en', event.currentTarget.value)}
                error={errors.fieldError('privacyNotice.en')}
              />
              <Textarea
                label={t('crises.privacyNoticeIn', { language: 'Français' })}
                lang="fr"
                dir="ltr"
                autosize
                minRows={3}
                value={values.privacyNotice.fr}
                onChange={(event) => setNotice('fr', event.currentTarget.value)}
                error={errors.fieldError('privacyNotice.fr')}
              />
              <Textarea
                label={t('crises.privacyNoticeIn', { language: 'العربية' })}
                lang="ar"
                dir="rtl"
                autosize
                minRows={3}
                value={values.privacyNotice.ar}
                onChange={(event) => setNotice('ar', event.currentTarget.value)}
                error={errors.fieldError('privacyNotice.ar')}
              />
            </Stack>
          </Fieldset>
          <NumberInput
            label={t('crises.retentionDays')}
            description={t('crises.retentionHelp')}
            name="retentionDays"
            min={0}
            max={3650}
            allowDecimal={false}
            allowNegative={false}
            value={values.retentionDays}
            onChange={(value) => set('retentionDays', value)}
            error={errors.fieldError('retentionDays')}
          />
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {crisis ? t('common.save') : t('crises.create')}
            </Button>
            <Button variant="default" component={Link} to="/crises">
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
