import { Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MESSAGE_LANGUAGES, type Template, templatesQuery } from '../api/messaging';
import { TemplateEditor } from '../components/messaging-template-editor';
import { PageTitle } from '../components/page-title';
import { ActionText, LoadError, Loading } from '../components/status';
import { formatDateTime } from '../format';
import { can, useMe, useSession } from '../session';

/** Message templates of the crisis, and the editor for a new one or the one chosen. */
export default function MessagingTemplatesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const title = t('messaging.templates.title');
  if (!selectedCrisis || !can(me, 'message.send', selectedCrisis.id)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{selectedCrisis ? t('messaging.notAllowed') : t('registry.noCrisis')}</Text>
      </>
    );
  }
  return (
    <Stack key={selectedCrisis.id}>
      <PageTitle title={title}>{title}</PageTitle>
      <Templates crisisId={selectedCrisis.id} />
    </Stack>
  );
}

function Templates({ crisisId }: { crisisId: string }) {
  const { t, i18n } = useTranslation();
  const templates = useQuery(templatesQuery(crisisId));
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  if (templates.isPending) return <Loading />;
  if (templates.isError) return <LoadError error={templates.error} />;
  return (
    <Stack>
      <Group>
        <Button onClick={() => setEditing('new')} data-testid="template-new">
          {t('messaging.templates.new')}
        </Button>
      </Group>
      {saved && (
        <Text role="status" c="green.9" data-testid="template-saved">
          {t('messaging.templates.saved', { name: saved })}
        </Text>
      )}
      {editing && (
        <TemplateEditor
          key={editing === 'new' ? 'new' : editing.id}
          crisisId={crisisId}
          template={editing === 'new' ? undefined : editing}
          onDone={(template) => {
            setEditing(null);
            setSaved(template.name);
          }}
        />
      )}
      {templates.data.length === 0 ? (
        <Text>{t('messaging.templates.empty')}</Text>
      ) : (
        <div className="table-scroll">
          <Table withTableBorder data-testid="templates-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('messaging.templates.name')}</Table.Th>
                <Table.Th scope="col">{t('messaging.templates.purpose')}</Table.Th>
                <Table.Th scope="col">{t('messaging.templates.languages')}</Table.Th>
                <Table.Th scope="col">{t('messaging.templates.variablesUsed')}</Table.Th>
                <Table.Th scope="col">{t('messaging.templates.updated')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('common.edit')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {templates.data.map((template) => (
                <Table.Tr key={template.id}>
                  <Table.Th scope="row" dir="auto">
                    {template.name}
                  </Table.Th>
                  <Table.Td>
                    {t(`messaging.purposes.${template.purpose}` as 'messaging.purposes.general')}
                  </Table.Td>
                  <Table.Td>
                    {MESSAGE_LANGUAGES.filter((l) => template.bodies[l])
                      .map((l) => t(`messaging.languages.${l}`))
                      .join(', ')}
                  </Table.Td>
                  <Table.Td dir="ltr">
                    <code>{template.variables.join(', ')}</code>
                  </Table.Td>
                  <Table.Td>{formatDateTime(template.updatedAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setEditing(template)}>
                      <ActionText text={t('common.edit')} target={template.name} />
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Stack>
  );
}
