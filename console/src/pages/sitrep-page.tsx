import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import {
  archiveQuery,
  fetchReportHtml,
  REPORT_LANGS,
  type ReportLang,
  reportingKeys,
  reportPdfUrl,
  type SituationReport,
  saveNarrative,
  sitrepQuery,
  utcToday,
} from '../api/reporting';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { HeadlineFigures } from '../components/dashboard-figures';
import { PageTitle } from '../components/page-title';
import { LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { tones } from '../theme';

/**
 * The daily situation report: figures from the records, a short narrative the crisis manager
 * writes, a preview of the HTML, the PDF per language, and the archive of past days.
 */
export default function SitrepPage() {
  const { t } = useTranslation();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('sitrep.title')}>{t('sitrep.title')}</PageTitle>
        <Text>{t('dashboard.noCrisis')}</Text>
      </>
    );
  }
  return <Report key={selectedCrisis.id} crisisId={selectedCrisis.id} />;
}

function Report({ crisisId }: { crisisId: string }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const day = params.get('day') ?? utcToday();
  const report = useQuery(sitrepQuery(crisisId, day));
  return (
    <Stack>
      <PageTitle title={t('sitrep.title')}>
        {t('sitrep.title')} · {day}
      </PageTitle>
      <Group align="flex-end">
        <TextInput
          type="date"
          label={t('sitrep.day')}
          value={day}
          max={utcToday()}
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (value) setParams({ day: value });
          }}
        />
      </Group>
      {report.isPending && <Loading />}
      {report.isError && <LoadError error={report.error} />}
      {report.data && (
        <>
          <Group gap="xs">
            <Badge variant="outline" color={report.data.archived ? tones.success : '#0b4f8a'} radius="sm">
              {report.data.archived ? t('sitrep.archived') : t('sitrep.live')}
            </Badge>
            {report.data.archived && (
              <Text size="sm" c="dimmed">
                {t('sitrep.version', { version: report.data.version })}
                {report.data.updatedAt &&
                  ` · ${t('sitrep.updated', { at: formatDateTime(report.data.updatedAt, i18n.language) })}`}
              </Text>
            )}
          </Group>
          <HeadlineFigures figures={report.data.content.figures} />
          <Narrative key={day} crisisId={crisisId} report={report.data} />
          <Downloads crisisId={crisisId} day={day} />
          <Preview crisisId={crisisId} day={day} version={report.data.version} />
        </>
      )}
      <Archive crisisId={crisisId} />
    </Stack>
  );
}

function Narrative({ crisisId, report }: { crisisId: string; report: SituationReport }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState(report.narrative);
  const [refresh, setRefresh] = useState(false);
  const today = report.day === utcToday();
  const errors = useApiErrors();
  const save = useMutation({
    mutationFn: () =>
      saveNarrative(crisisId, report.day, {
        narrative: text,
        version: report.version,
        refreshFigures: refresh,
      }),
    onMutate: () => errors.clear(),
    onError: (error) => errors.setError(error),
    onSuccess: (saved) => {
      queryClient.setQueryData(reportingKeys.sitrep(crisisId, report.day), saved);
      void queryClient.invalidateQueries({ queryKey: reportingKeys.archive(crisisId) });
    },
  });
  if (!report.canEdit) {
    return (
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          {t('sitrep.narrative')}
        </Title>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{report.narrative || '–'}</Text>
        <Text size="sm" c="dimmed" mt="xs">
          {t('sitrep.readOnly')}
        </Text>
      </Paper>
    );
  }
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <ErrorSummary
            error={errors.error}
            shownPaths={['narrative', 'version']}
            fieldMessage={errors.fieldMessage}
          />
          <Textarea
            label={t('sitrep.narrative')}
            description={t('sitrep.narrativeHelp')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            autosize
            minRows={4}
            maxLength={4000}
            error={errors.fieldError('narrative')}
            data-testid="sitrep-narrative"
          />
          {today && report.archived && (
            <Checkbox
              label={t('sitrep.refresh')}
              checked={refresh}
              onChange={(e) => setRefresh(e.currentTarget.checked)}
            />
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('sitrep.save')}
            </Button>
            {save.isSuccess && (
              <Text role="status" c={tones.success}>
                {t('sitrep.saved')}
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function Downloads({ crisisId, day }: { crisisId: string; day: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return (
    <Group>
      {REPORT_LANGS.map((lang) => (
        <Button
          key={lang}
          component="a"
          href={reportPdfUrl(crisisId, day, lang)}
          download={`situation-report-${day}-${lang}.pdf`}
          variant="default"
          data-testid={`sitrep-pdf-${lang}`}
          // The first download archives today's report: show that once the file has gone.
          onClick={() =>
            setTimeout(
              () => void queryClient.invalidateQueries({ queryKey: reportingKeys.all(crisisId) }),
              1500,
            )
          }
        >
          {t('sitrep.download', { lang: t(`sitrep.langs.${lang}`) })}
        </Button>
      ))}
    </Group>
  );
}

/** The HTML report in a sandboxed frame (no script runs in it), in the chosen language. */
function Preview({ crisisId, day, version }: { crisisId: string; day: string; version: number }) {
  const { t, i18n } = useTranslation();
  const [lang, setLang] = useState<ReportLang>(
    (REPORT_LANGS as readonly string[]).includes(i18n.language) ? (i18n.language as ReportLang) : 'en',
  );
  const html = useQuery({
    queryKey: [...reportingKeys.sitrep(crisisId, day), 'html', lang, version],
    queryFn: () => fetchReportHtml(crisisId, day, lang),
  });
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('sitrep.preview')}
        </Title>
        <SegmentedControl
          aria-label={t('sitrep.language')}
          value={lang}
          onChange={(value) => setLang(value as ReportLang)}
          data={REPORT_LANGS.map((l) => ({ value: l, label: t(`sitrep.langs.${l}`) }))}
        />
      </Group>
      {html.isPending && <Loading />}
      {html.isError && <LoadError error={html.error} />}
      {html.data && (
        <iframe
          title={t('sitrep.preview')}
          sandbox=""
          srcDoc={html.data}
          style={{ width: '100%', height: 900, border: '1px solid #d0d7de' }}
          data-testid="sitrep-preview"
        />
      )}
    </Paper>
  );
}

function Archive({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const archive = useQuery(archiveQuery(crisisId));
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        {t('sitrep.archive')}
      </Title>
      {archive.isPending && <Loading />}
      {archive.isError && <LoadError error={archive.error} />}
      {archive.data?.length === 0 && <Text>{t('sitrep.noArchive')}</Text>}
      {archive.data && archive.data.length > 0 && (
        <Table striped data-testid="sitrep-archive">
          <thead>
            <tr>
              <th>{t('sitrep.day')}</th>
              <th>{t('sitrep.narrative')}</th>
              <th>{t('sitrep.pdfs')}</th>
            </tr>
          </thead>
          <tbody>
            {archive.data.map((r) => (
              <tr key={r.day}>
                <td>
                  <Anchor component={Link} to={`/sitrep?day=${r.day}`}>
                    {r.day}
                  </Anchor>
                </td>
                <td>{r.narrativeExcerpt || '–'}</td>
                <td>{r.pdfLanguages.join(', ') || '–'}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Paper>
  );
}
