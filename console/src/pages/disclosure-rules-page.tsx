import {
  Anchor,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Paper,
  Radio,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  BAND_KEYS,
  type BandKey,
  BREAKDOWNS,
  type BreakdownKey,
  type DisclosureRules,
  type FigureStyle,
  type RulesView,
  rulesQuery,
  saveRules,
} from '../api/disclosure';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

/** The disclosure rules of the selected crisis: editable with report.publish, readable otherwise. */
export default function DisclosureRulesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const title = t('disclosure.rulesTitle');
  const rules = useQuery({ ...rulesQuery(selectedCrisis?.id ?? ''), enabled: Boolean(selectedCrisis) });
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{t('disclosure.noCrisis')}</Text>
      </>
    );
  }
  return (
    <Stack>
      <PageTitle title={title}>{title}</PageTitle>
      <Text>{t('disclosure.rulesIntro')}</Text>
      <Anchor component={Link} to="/disclosure">
        {t('disclosure.figuresLink')}
      </Anchor>
      {rules.isPending && <Loading />}
      {rules.isError && <LoadError error={rules.error} />}
      {rules.data && (
        <RulesForm
          key={selectedCrisis.id}
          view={rules.data}
          editable={can(me, 'report.publish', selectedCrisis.id)}
        />
      )}
    </Stack>
  );
}

type BandRow = { key: BandKey; used: boolean; from: number | string };
type BreakdownRow = { key: BreakdownKey; used: boolean; style: FigureStyle };

function RulesForm({ view, editable }: { view: RulesView; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const [saved, setSaved] = useState(false);
  const [minCount, setMinCount] = useState<number | string>(view.rules.minCount);
  const [roundingBase, setRoundingBase] = useState<number | string>(view.rules.roundingBase);
  const [bands, setBands] = useState<BandRow[]>(
    BAND_KEYS.map((key) => {
      const band = view.rules.bands.find((b) => b.key === key);
      return { key, used: Boolean(band), from: band?.from ?? '' };
    }),
  );
  const [breakdowns, setBreakdowns] = useState<BreakdownRow[]>(
    BREAKDOWNS.map((key) => {
      const b = view.rules.breakdowns.find((x) => x.key === key);
      return { key, used: Boolean(b), style: b?.style ?? 'rounded' };
    }),
  );
  const [restricted, setRestricted] = useState(view.rules.restricted);
  const [advice, setAdvice] = useState(view.rules.publicAdvice);

  const mutation = useMutation({
    mutationFn: () => {
      const rules: DisclosureRules = {
        minCount: Number(minCount),
        roundingBase: Number(roundingBase),
        bands: bands.filter((b) => b.used).map((b) => ({ key: b.key, from: Number(b.from) })),
        breakdowns: breakdowns.filter((b) => b.used).map((b) => ({ key: b.key, style: b.style })),
        restricted,
        publicAdvice: advice,
      };
      return saveRules(view.crisisId, rules, view.version);
    },
    onSuccess: async () => {
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ['crises', view.crisisId, 'disclosure'] });
    },
    onError: errors.setError,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    setSaved(false);
    mutation.mutate();
  }

  return (
    <Paper withBorder p="md">
      <form ref={formRef} onSubmit={submit} noValidate aria-label={t('disclosure.rulesTitle')}>
        <Fieldset variant="unstyled" disabled={!editable}>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {view.isDefault
                ? t('disclosure.defaultRules')
                : t('disclosure.updatedAt', { time: formatDateTime(view.updatedAt, i18n.language) })}
            </Text>
            <ErrorSummary
              error={errors.error}
              shownPaths={['rules.minCount', 'rules.roundingBase', 'rules.bands', 'rules.breakdowns']}
              fieldMessage={errors.fieldMessage}
            />
            <Group align="flex-start" grow>
              <NumberInput
                label={t('disclosure.minCount')}
                description={t('disclosure.minCountHelp')}
                name="minCount"
                min={2}
                value={minCount}
                onChange={setMinCount}
                error={errors.fieldError('rules.minCount')}
              />
              <NumberInput
                label={t('disclosure.roundingBase')}
                description={t('disclosure.roundingBaseHelp')}
                name="roundingBase"
                min={1}
                value={roundingBase}
                onChange={setRoundingBase}
                error={errors.fieldError('rules.roundingBase')}
              />
            </Group>

            <Title order={2} size="h4">
              {t('disclosure.bands')}
            </Title>
            <Text size="sm">{t('disclosure.bandsHelp')}</Text>
            {errors.fieldError('rules.bands') && (
              <Text c="#a51d1d" size="sm" role="alert">
                {errors.fieldError('rules.bands')}
              </Text>
            )}
            <div className="table-scroll">
              <Table>
                <Table.Tbody>
                  {bands.map((band, i) => (
                    <Table.Tr key={band.key}>
                      <Table.Td>
                        <Checkbox
                          label={t(`disclosure.band.${band.key}`)}
                          checked={band.used}
                          onChange={(e) => {
                            const used = e.currentTarget.checked;
                            setBands((all) => all.map((b, j) => (j === i ? { ...b, used } : b)));
                          }}
                        />
                      </Table.Td>
                      <Table.Td>
                        <NumberInput
                          aria-label={t('disclosure.bandFrom', { band: t(`disclosure.band.${band.key}`) })}
                          min={1}
                          value={band.from}
                          disabled={!band.used}
                          onChange={(from) =>
                            setBands((all) => all.map((b, j) => (j === i ? { ...b, from } : b)))
                          }
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>

            <Title order={2} size="h4">
              {t('disclosure.breakdowns')}
            </Title>
            <div className="table-scroll">
              <Table>
                <Table.Tbody>
                  {breakdowns.map((b, i) => (
                    <Table.Tr key={b.key}>
                      <Table.Td>
                        <Checkbox
                          label={t(`disclosure.tables.${b.key}`)}
                          checked={b.used}
                          data-testid={`breakdown-${b.key}`}
                          onChange={(e) => {
                            const used = e.currentTarget.checked;
                            setBreakdowns((all) => all.map((x, j) => (j === i ? { ...x, used } : x)));
                          }}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Select
                          aria-label={t('disclosure.styleOf', { table: t(`disclosure.tables.${b.key}`) })}
                          value={b.style}
                          disabled={!b.used}
                          allowDeselect={false}
                          data={[
                            { value: 'rounded', label: t('disclosure.style.rounded') },
                            { value: 'band', label: t('disclosure.style.band') },
                          ]}
                          onChange={(v) => {
                            const style: FigureStyle = v === 'band' ? 'band' : 'rounded';
                            setBreakdowns((all) => all.map((x, j) => (j === i ? { ...x, style } : x)));
                          }}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>

            <Radio.Group
              label={t('disclosure.restricted')}
              description={t('disclosure.restrictedHelp')}
              value={restricted}
              onChange={(v) => setRestricted(v === 'total_only' ? 'total_only' : 'exclude')}
            >
              <Stack gap="xs" mt="xs">
                <Radio value="exclude" label={t('disclosure.restrictedExclude')} />
                <Radio value="total_only" label={t('disclosure.restrictedTotalOnly')} />
              </Stack>
            </Radio.Group>

            <Title order={2} size="h4">
              {t('disclosure.advice')}
            </Title>
            {(['en', 'fr', 'ar'] as const).map((lang) => (
              <Textarea
                key={lang}
                label={t(`disclosure.adviceIn.${lang}`)}
                dir={lang === 'ar' ? 'rtl' : 'ltr'}
                lang={lang}
                autosize
                minRows={2}
                value={advice[lang]}
                onChange={(e) => {
                  const text = e.currentTarget.value;
                  setAdvice((all) => ({ ...all, [lang]: text }));
                }}
                error={errors.fieldError(`rules.publicAdvice.${lang}`)}
              />
            ))}
            {editable ? (
              <Group>
                <Button type="submit" loading={mutation.isPending} data-testid="save-rules">
                  {t('disclosure.save')}
                </Button>
                <span role="status">{saved && t('disclosure.saved')}</span>
              </Group>
            ) : (
              <Text size="sm">{t('disclosure.readOnly')}</Text>
            )}
          </Stack>
        </Fieldset>
      </form>
    </Paper>
  );
}
