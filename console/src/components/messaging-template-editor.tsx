import {
  Button,
  Group,
  List,
  NativeSelect,
  Paper,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import {
  CAMPAIGN_VARIABLES,
  MESSAGE_LANGUAGES,
  type MessageLanguage,
  messagingKeys,
  messagingPath,
  PERSON_VARIABLES,
  renderTemplate,
  TEMPLATE_PURPOSES,
  type Template,
  type TemplateBodies,
  templatePath,
} from '../api/messaging';
import { ErrorSummary, useApiErrors } from './api-errors';
import { SmsCounter, useDebounced } from './messaging-bits';

type Draft = Record<MessageLanguage, { subject: string; body: string }>;

const toDraft = (bodies: TemplateBodies | undefined): Draft => ({
  en: { subject: bodies?.en?.subject ?? '', body: bodies?.en?.body ?? '' },
  fr: { subject: bodies?.fr?.subject ?? '', body: bodies?.fr?.body ?? '' },
  ar: { subject: bodies?.ar?.subject ?? '', body: bodies?.ar?.body ?? '' },
});

/** Only the languages written: an empty tab means "no text in this language". */
function toBodies(draft: Draft): TemplateBodies {
  const out: TemplateBodies = {};
  for (const lang of MESSAGE_LANGUAGES) {
    const { subject, body } = draft[lang];
    if (body.trim()) out[lang] = subject.trim() ? { subject: subject.trim(), body } : { body };
  }
  return out;
}

/**
 * Writes or edits a template: name, purpose, and one tab per language with subject (email) and
 * text; under each text the SMS length, encoding and parts, computed by the server as you type.
 */
export function TemplateEditor({
  crisisId,
  template,
  onDone,
}: {
  crisisId: string;
  template?: Template;
  onDone(template: Template): void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const [name, setName] = useState(template?.name ?? '');
  const [purpose, setPurpose] = useState(template?.purpose ?? 'general');
  const [draft, setDraft] = useState<Draft>(toDraft(template?.bodies));
  const [tab, setTab] = useState<MessageLanguage>('en');
  const bodies = toBodies(draft);
  const settled = useDebounced(bodies, 300);
  const render = useQuery({
    queryKey: ['messaging', crisisId, 'render', settled],
    queryFn: ({ signal }) => renderTemplate(crisisId, { bodies: settled }, signal),
    enabled: Object.keys(settled).length > 0,
    retry: false,
  });

  const save = useMutation({
    mutationFn: () => {
      const body = { name, purpose, bodies };
      return template
        ? api.patch<Template>(templatePath(crisisId, template.id), body)
        : api.post<Template>(`${messagingPath(crisisId)}/templates`, body);
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: messagingKeys.templates(crisisId) });
      onDone(saved);
    },
    onError: errors.setError,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    errors.clear();
    save.mutate();
  }

  const set = (lang: MessageLanguage, field: 'subject' | 'body', value: string) =>
    setDraft((d) => ({ ...d, [lang]: { ...d[lang], [field]: value } }));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="template-editor-heading">
      <form ref={formRef} onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h3" id="template-editor-heading">
            {template
              ? t('messaging.templates.editTitle', { name: template.name })
              : t('messaging.templates.newTitle')}
          </Title>
          <Group align="flex-start" grow>
            <TextInput
              label={t('messaging.templates.name')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.fieldError('name')}
              dir="auto"
              data-testid="template-name"
            />
            <NativeSelect
              label={t('messaging.templates.purpose')}
              value={purpose}
              onChange={(e) => setPurpose(e.currentTarget.value)}
              data={TEMPLATE_PURPOSES.map((value) => ({
                value,
                label: t(`messaging.purposes.${value}`),
              }))}
            />
          </Group>
          <Tabs value={tab} onChange={(value) => setTab((value as MessageLanguage) ?? 'en')}>
            <Tabs.List aria-label={t('messaging.templates.languages')}>
              {MESSAGE_LANGUAGES.map((lang) => (
                <Tabs.Tab key={lang} value={lang} data-testid={`template-tab-${lang}`}>
                  {t(`messaging.languages.${lang}`)}
                  {draft[lang].body.trim() ? ' ✓' : ''}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {MESSAGE_LANGUAGES.map((lang) => (
              <Tabs.Panel key={lang} value={lang} pt="sm">
                <Stack gap="xs" lang={lang} dir={lang === 'ar' ? 'rtl' : 'ltr'}>
                  <TextInput
                    label={t('messaging.templates.subject')}
                    description={t('messaging.templates.subjectHelp')}
                    value={draft[lang].subject}
                    onChange={(e) => set(lang, 'subject', e.currentTarget.value)}
                    error={errors.fieldError(`bodies.${lang}.subject`)}
                    data-testid={`template-subject-${lang}`}
                  />
                  <Textarea
                    label={t('messaging.templates.body')}
                    autosize
                    minRows={4}
                    value={draft[lang].body}
                    onChange={(e) => set(lang, 'body', e.currentTarget.value)}
                    error={errors.fieldError(`bodies.${lang}.body`)}
                    data-testid={`template-body-${lang}`}
                  />
                  {draft[lang].body.trim() && (
                    <SmsCounter info={render.data?.languages[lang]?.sms} testId={`sms-counter-${lang}`} />
                  )}
                  {render.data?.languages[lang] && (
                    <Text
                      size="sm"
                      dir="auto"
                      className="message-sample"
                      data-testid={`template-sample-${lang}`}
                    >
                      {t('messaging.templates.sample')}: {render.data.languages[lang]?.body}
                    </Text>
                  )}
                </Stack>
              </Tabs.Panel>
            ))}
          </Tabs>
          <VariablesHelp />
          <ErrorSummary
            error={errors.error}
            shownPaths={[
              'name',
              ...MESSAGE_LANGUAGES.flatMap((l) => [`bodies.${l}.body`, `bodies.${l}.subject`]),
            ]}
            fieldMessage={errors.fieldMessage}
          />
          <Group>
            <Button type="submit" loading={save.isPending} data-testid="template-save">
              {t('messaging.templates.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** Which {{variables}} a text may use and where their values come from. */
export function VariablesHelp() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" bg="gray.0">
      <Text fw={600} size="sm">
        {t('messaging.variables.title')}
      </Text>
      <List size="sm" spacing={2}>
        {[...PERSON_VARIABLES, ...CAMPAIGN_VARIABLES].map((v) => (
          <List.Item key={v}>
            <code dir="ltr">{`{{${v}}}`}</code> — {t(`messaging.variables.${v}`)}
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}
