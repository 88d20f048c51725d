import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import {
  colleaguesQuery,
  ENGAGEMENT_CHANNELS,
  type EngagementChannel,
  type PartnerSummary,
  partnerKeys,
} from '../api/partners';
import { crisisPath } from '../api/registry';
import { ErrorSummary, useApiErrors } from './api-errors';
import { fromLocalInput, toLocalInput } from './leg-form';
import { usePartnerLabel } from './partner-bits';

interface FollowUpDraft {
  key: number;
  text: string;
  ownerId: string;
  dueDate: string;
}

/** Logs an engagement: when, how, who (partners and our staff), subject, outcome and follow-ups. */
export function EngagementForm({
  crisisId,
  partners,
  defaultPartnerId,
  myId,
}: {
  crisisId: string;
  partners: PartnerSummary[];
  defaultPartnerId?: string;
  myId: string;
}) {
  const { t } = useTranslation();
  const label = usePartnerLabel();
  const queryClient = useQueryClient();
  const colleagues = useQuery(colleaguesQuery(crisisId));
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const headingId = useId();
  const [occurredAt, setOccurredAt] = useState(() => toLocalInput(new Date().toISOString()));
  const [channel, setChannel] = useState<EngagementChannel>('call');
  const [partnerIds, setPartnerIds] = useState<string[]>(defaultPartnerId ? [defaultPartnerId] : []);
  const [participantIds, setParticipantIds] = useState<string[]>([myId]);
  const [subject, setSubject] = useState('');
  const [outcome, setOutcome] = useState('');
  const [followUps, setFollowUps] = useState<FollowUpDraft[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const save = useMutation({
    mutationFn: () =>
      api.post(`${crisisPath(crisisId)}/engagements`, {
        occurredAt: fromLocalInput(occurredAt),
        channel,
        partnerIds,
        participantIds,
        subject,
        outcome,
        followUps: followUps.map(({ text, ownerId, dueDate }) => ({ text, ownerId, dueDate })),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: partnerKeys.all(crisisId) });
      setSubject('');
      setOutcome('');
      setFollowUps([]);
    },
    onError: errors.setError,
  });
  const people = colleagues.data ?? [];
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <form
        ref={formRef}
        noValidate
        data-testid="engagement-form"
        onSubmit={(event) => {
          event.preventDefault();
          errors.clear();
          save.mutate();
        }}
      >
        <Stack>
          <Title order={2} size="h3" id={headingId}>
            {t('partners.logEngagement')}
          </Title>
          <ErrorSummary
            error={errors.error}
            shownPaths={[
              'occurredAt',
              'channel',
              'partnerIds',
              'participantIds',
              'subject',
              'outcome',
              'followUps',
            ]}
            fieldMessage={errors.fieldMessage}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              type="datetime-local"
              label={t('partners.occurredAt')}
              required
              value={occurredAt}
              onChange={(event) => setOccurredAt(event.currentTarget.value)}
              error={errors.fieldError('occurredAt')}
            />
            <NativeSelect
              label={t('partners.channel')}
              value={channel}
              onChange={(event) => setChannel(event.currentTarget.value as EngagementChannel)}
              data={ENGAGEMENT_CHANNELS.map((value) => ({ value, label: label('channel', value) }))}
              error={errors.fieldError('channel')}
            />
          </SimpleGrid>
          <Checkbox.Group
            label={t('partners.partnersInvolved')}
            value={partnerIds}
            onChange={setPartnerIds}
            error={errors.fieldError('partnerIds')}
            withAsterisk
          >
            <Group gap="md" mt={4}>
              {partners.map((p) => (
                <Checkbox key={p.id} value={p.id} label={p.name} />
              ))}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group
            label={t('partners.ourParticipants')}
            value={participantIds}
            onChange={setParticipantIds}
            error={errors.fieldError('participantIds')}
          >
            <Group gap="md" mt={4}>
              {people.map((p) => (
                <Checkbox key={p.id} value={p.id} label={p.displayName} />
              ))}
            </Group>
          </Checkbox.Group>
          <TextInput
            label={t('partners.subject')}
            required
            value={subject}
            onChange={(event) => setSubject(event.currentTarget.value)}
            error={errors.fieldError('subject')}
          />
          <Textarea
            label={t('partners.outcome')}
            autosize
            minRows={2}
            value={outcome}
            onChange={(event) => setOutcome(event.currentTarget.value)}
            error={errors.fieldError('outcome')}
          />
          <Title order={3} size="h4">
            {t('partners.followUps.title')}
          </Title>
          {followUps.map((f, i) => (
            <Fieldset
              key={f.key}
              data-testid="follow-up-row"
              legend={t('partners.followUps.number', { n: String(i + 1) })}
            >
              <SimpleGrid cols={{ base: 1, sm: 4 }}>
                <TextInput
                  label={t('partners.followUps.text')}
                  required
                  value={f.text}
                  onChange={(event) => {
                    const text = event.currentTarget.value;
                    setFollowUps((all) => all.map((x) => (x.key === f.key ? { ...x, text } : x)));
                  }}
                  error={errors.fieldError(`followUps.${i}.text`)}
                />
                <NativeSelect
                  label={t('partners.followUps.owner')}
                  value={f.ownerId}
                  onChange={(event) => {
                    const ownerId = event.currentTarget.value;
                    setFollowUps((all) => all.map((x) => (x.key === f.key ? { ...x, ownerId } : x)));
                  }}
                  data={people.map((p) => ({ value: p.id, label: p.displayName }))}
                  error={errors.fieldError(`followUps.${i}.ownerId`)}
                />
                <TextInput
                  type="date"
                  label={t('partners.followUps.due')}
                  required
                  value={f.dueDate}
                  onChange={(event) => {
                    const dueDate = event.currentTarget.value;
                    setFollowUps((all) => all.map((x) => (x.key === f.key ? { ...x, dueDate } : x)));
                  }}
                  error={errors.fieldError(`followUps.${i}.dueDate`)}
                />
                <Button
                  variant="default"
                  mt="lg"
                  onClick={() => setFollowUps((all) => all.filter((x) => x.key !== f.key))}
                >
                  {t('partners.followUps.remove')}
                </Button>
              </SimpleGrid>
            </Fieldset>
          ))}
          <Group justify="space-between">
            <Button
              variant="default"
              onClick={() => {
                setFollowUps((all) => [
                  ...all,
                  { key: nextKey, text: '', ownerId: myId, dueDate: new Date().toISOString().slice(0, 10) },
                ]);
                setNextKey((k) => k + 1);
              }}
            >
              {t('partners.followUps.add')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('partners.saveEngagement')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
