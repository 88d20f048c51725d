import { Anchor, Badge, Button, Group, Paper, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { type Contact, partnerQuery, profilesQuery } from '../api/partners';
import { PageTitle } from '../components/page-title';
import { usePartnerLabel } from '../components/partner-bits';
import { PartnerEngagements } from '../components/partner-engagements';
import { ContactForm, PartnerForm, useRemoveContact } from '../components/partner-forms';
import { PackageBuilder, PackageList } from '../components/partner-package-builder';
import { ProfileEditor } from '../components/partner-profile-editor';
import { PartnerRequests } from '../components/partner-requests';
import { ActionText, LoadError, Loading } from '../components/status';
import { can, useMe, useSession } from '../session';
import { tones } from '../theme';

/** One partner: contacts, engagements, requests, sharing profiles and the packages sent. */
export default function PartnerPage() {
  const { t } = useTranslation();
  const { partnerId = '' } = useParams();
  const { selectedCrisis } = useSession();
  if (!selectedCrisis) {
    return (
      <>
        <PageTitle title={t('partners.title')}>{t('partners.title')}</PageTitle>
        <Text>{t('registry.noCrisis')}</Text>
      </>
    );
  }
  return (
    <Partner key={`${selectedCrisis.id}:${partnerId}`} crisisId={selectedCrisis.id} partnerId={partnerId} />
  );
}

function Partner({ crisisId, partnerId }: { crisisId: string; partnerId: string }) {
  const { t } = useTranslation();
  const label = usePartnerLabel();
  const me = useMe();
  const partner = useQuery(partnerQuery(crisisId, partnerId));
  const [editing, setEditing] = useState(false);
  const canManage = can(me, 'partner.manage', crisisId);
  const canShare = can(me, 'share.create', crisisId);
  if (partner.isPending) return <Loading />;
  if (partner.isError) return <LoadError error={partner.error} />;
  const p = partner.data;
  return (
    <Stack>
      <Anchor component={Link} to="/partners" size="sm">
        {t('partners.back')}
      </Anchor>
      <PageTitle title={p.name}>{p.name}</PageTitle>
      <Group gap="xs">
        <Badge variant="light" color="dark" radius="sm">
          {label('kind', p.kind)}
        </Badge>
        {p.country && (
          <Badge variant="outline" radius="sm">
            {p.country}
          </Badge>
        )}
      </Group>
      {p.notes && (
        <Text style={{ whiteSpace: 'pre-wrap' }} dir="auto">
          {p.notes}
        </Text>
      )}
      {canManage && !editing && (
        <Group>
          <Button variant="default" size="xs" onClick={() => setEditing(true)}>
            {t('partners.editPartner')}
          </Button>
        </Group>
      )}
      {editing && <PartnerForm crisisId={crisisId} partner={p} onDone={() => setEditing(false)} />}
      <Tabs defaultValue="contacts" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="contacts">{t('partners.tabs.contacts')}</Tabs.Tab>
          <Tabs.Tab value="engagements">{t('partners.tabs.engagements')}</Tabs.Tab>
          <Tabs.Tab value="requests">{t('partners.tabs.requests')}</Tabs.Tab>
          <Tabs.Tab value="sharing">{t('partners.tabs.sharing')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="contacts" pt="md">
          <Contacts crisisId={crisisId} partnerId={partnerId} contacts={p.contacts} canManage={canManage} />
        </Tabs.Panel>
        <Tabs.Panel value="engagements" pt="md">
          <PartnerEngagements crisisId={crisisId} partnerId={partnerId} canManage={canManage} />
        </Tabs.Panel>
        <Tabs.Panel value="requests" pt="md">
          <PartnerRequests crisisId={crisisId} partnerId={partnerId} canManage={canManage} />
        </Tabs.Panel>
        <Tabs.Panel value="sharing" pt="md">
          <Sharing crisisId={crisisId} partnerId={partnerId} canManage={canManage} canShare={canShare} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Contacts({
  crisisId,
  partnerId,
  contacts,
  canManage,
}: {
  crisisId: string;
  partnerId: string;
  contacts: Contact[];
  canManage: boolean;
}) {
  const { t } = useTranslation();
  const label = usePartnerLabel();
  const remove = useRemoveContact(crisisId, partnerId);
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Stack>
      <Text size="sm">{t('partners.contactsAudited')}</Text>
      {contacts.length === 0 && <Text>{t('partners.noContacts')}</Text>}
      {contacts.length > 0 && (
        <div className="table-scroll">
          <Table withTableBorder data-testid="contacts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('partners.contactName')}</Table.Th>
                <Table.Th scope="col">{t('partners.contactRole')}</Table.Th>
                <Table.Th scope="col">{t('partners.email')}</Table.Th>
                <Table.Th scope="col">{t('partners.phone')}</Table.Th>
                <Table.Th scope="col">{t('partners.contactLanguage')}</Table.Th>
                {canManage && <Table.Th scope="col">{t('partners.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {contacts.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Th scope="row" dir="auto">
                    {c.name}
                  </Table.Th>
                  <Table.Td dir="auto">{c.role}</Table.Td>
                  <Table.Td dir="ltr">
                    {c.email && <Anchor href={`mailto:${c.email}`}>{c.email}</Anchor>}
                  </Table.Td>
                  <Table.Td dir="ltr">{c.phone}</Table.Td>
                  <Table.Td>{label('language', c.language)}</Table.Td>
                  {canManage && (
                    <Table.Td>
                      <Group gap="xs">
                        <Button size="xs" variant="default" onClick={() => setEditing(c.id)}>
                          <ActionText text={t('common.edit')} target={c.name} />
                        </Button>
                        <Button
                          size="xs"
                          variant="outline"
                          color={tones.danger}
                          loading={remove.isPending && remove.variables === c.id}
                          onClick={() => remove.mutate(c.id)}
                        >
                          <ActionText text={t('partners.removeContact')} target={c.name} />
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {canManage && editing && (
        <Paper withBorder p="md">
          <ContactForm
            crisisId={crisisId}
            partnerId={partnerId}
            contact={contacts.find((c) => c.id === editing)}
            onDone={() => setEditing(null)}
          />
        </Paper>
      )}
      {canManage && !editing && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            {t('partners.addContact')}
          </Title>
          <ContactForm crisisId={crisisId} partnerId={partnerId} />
        </Paper>
      )}
    </Stack>
  );
}

function Sharing({
  crisisId,
  partnerId,
  canManage,
  canShare,
}: {
  crisisId: string;
  partnerId: string;
  canManage: boolean;
  canShare: boolean;
}) {
  const { t } = useTranslation();
  const label = usePartnerLabel();
  const profiles = useQuery(profilesQuery(crisisId, partnerId));
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('partners.profiles.title')}
      </Title>
      {profiles.isError && <LoadError error={profiles.error} />}
      {profiles.data?.length === 0 && <Text>{t('partners.profiles.none')}</Text>}
      {(profiles.data ?? []).map((p) =>
        editing === p.id ? (
          <ProfileEditor
            key={`${p.id}:${p.version}`}
            crisisId={crisisId}
            partnerId={partnerId}
            profile={p}
            onDone={() => setEditing(null)}
          />
        ) : (
          <Paper key={p.id} withBorder p="sm" data-profile={p.name}>
            <Group justify="space-between">
              <Stack gap={0}>
                <Text fw={700}>{p.name}</Text>
                <Text size="sm">
                  {p.fields.map((f) => label(p.kind === 'persons' ? 'field' : 'table', f)).join(', ')}
                </Text>
              </Stack>
              {canManage && (
                <Button size="xs" variant="default" onClick={() => setEditing(p.id)}>
                  <ActionText text={t('common.edit')} target={p.name} />
                </Button>
              )}
            </Group>
          </Paper>
        ),
      )}
      {canManage && !editing && <ProfileEditor crisisId={crisisId} partnerId={partnerId} />}
      {canShare && <PackageBuilder crisisId={crisisId} partnerId={partnerId} />}
      <Title order={2} size="h3">
        {t('partners.packages.title')}
      </Title>
      <PackageList crisisId={crisisId} partnerId={partnerId} canRevoke={canShare} />
    </Stack>
  );
}
