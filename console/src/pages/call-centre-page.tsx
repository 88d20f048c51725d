import {
  Button,
  Group,
  Kbd,
  List,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { zonesQuery } from '../api/queries';
import { crisisPath, registryKeys } from '../api/registry';
import { INTENTIONS, type RegistrationAnswer } from '../api/registry-types';
import { ErrorSummary, useApiErrors } from '../components/api-errors';
import { useLabel } from '../components/labels';
import { type MemberDraft, MemberFields, memberBody, newMember } from '../components/member-fields';
import { PageTitle } from '../components/page-title';
import { can, useMe, useSession } from '../session';

const ZONE_KEY = 'corridor.console.callCentreZone';

function storedZone(crisisId: string): string {
  try {
    return localStorage.getItem(`${ZONE_KEY}.${crisisId}`) ?? '';
  } catch {
    return '';
  }
}

/** Call-centre intake: one household in under a minute, with the keyboard only. */
export default function CallCentrePage() {
  const { t } = useTranslation();
  const me = useMe();
  const { selectedCrisis } = useSession();
  const title = t('callCentre.title');
  if (!selectedCrisis || !can(me, 'person.create', selectedCrisis.id)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Text>{selectedCrisis ? t('callCentre.notAllowed') : t('registry.noCrisis')}</Text>
      </>
    );
  }
  return <CallCentre key={selectedCrisis.id} crisisId={selectedCrisis.id} />;
}

function CallCentre({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<RegistrationAnswer | null>(null);
  const [round, setRound] = useState(0);
  return (
    <Stack>
      <PageTitle title={t('callCentre.title')}>{t('callCentre.title')}</PageTitle>
      {saved ? (
        <Saved
          answer={saved}
          onAnother={() => {
            setSaved(null);
            setRound(round + 1);
          }}
        />
      ) : (
        <IntakeForm key={round} crisisId={crisisId} onSaved={setSaved} />
      )}
    </Stack>
  );
}

function Saved({ answer, onAnother }: { answer: RegistrationAnswer; onAnother(): void }) {
  const { t } = useTranslation();
  const another = useRef<HTMLButtonElement>(null);
  useEffect(() => another.current?.focus(), []);
  const firstPerson = answer.personIds[0];
  return (
    <Paper withBorder p="xl" role="status" aria-labelledby="saved-heading">
      <Stack align="center" gap="md">
        <Title order={2} id="saved-heading" size="h3">
          {t('callCentre.savedTitle', { number: String(answer.members) })}
        </Title>
        <Text>{t('callCentre.referenceIs')}</Text>
        <Text className="reference-big mono" data-testid="saved-reference" dir="ltr">
          {answer.reference}
        </Text>
        <Text size="sm">{t('callCentre.readBack')}</Text>
        <Group>
          <Button ref={another} onClick={onAnother} data-testid="register-another">
            {t('callCentre.another')}
          </Button>
          {firstPerson && (
            <Button component={Link} variant="default" to={`/registry/${encodeURIComponent(firstPerson)}`}>
              {t('callCentre.openPerson')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function IntakeForm({ crisisId, onSaved }: { crisisId: string; onSaved(answer: RegistrationAnswer): void }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const zones = useQuery(zonesQuery(crisisId));
  const [phone, setPhone] = useState('');
  const [zone, setZone] = useState(() => storedZone(crisisId));
  const [place, setPlace] = useState('');
  const [intention, setIntention] = useState('leave');
  const [caller, setCaller] = useState<'self' | 'relative'>('self');
  const [registrantName, setRegistrantName] = useState('');
  const [registrantRelationship, setRegistrantRelationship] = useState('');
  const [members, setMembers] = useState<MemberDraft[]>([newMember(0, 0)]);
  const [nextKey, setNextKey] = useState(1);
  const [focusMember, setFocusMember] = useState<number | null>(null);
  const errors = useApiErrors(formRef);

  useEffect(() => {
    if (focusMember === null) return;
    formRef.current?.querySelector<HTMLInputElement>(`[data-member-first="${focusMember}"]`)?.focus();
    setFocusMember(null);
  }, [focusMember]);

  const mutation = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {
        registeredBy: caller,
        intention,
        locale: i18n.language,
        members: members.map(memberBody),
      };
      if (phone.trim()) body.contacts = [{ phone: phone.trim() }];
      if (zone || place.trim())
        body.location = { ...(zone && { zone }), ...(place.trim() && { place: place.trim() }) };
      if (caller === 'relative') {
        body.registrant = {
          name: registrantName.trim(),
          relationship: registrantRelationship.trim(),
          ...(phone.trim() && { phone: phone.trim() }),
        };
      }
      return api.post<RegistrationAnswer>(`${crisisPath(crisisId)}/registrations`, body);
    },
    onSuccess: async (answer) => {
      try {
        localStorage.setItem(`${ZONE_KEY}.${crisisId}`, zone);
      } catch {
        // The default zone is a convenience only.
      }
      onSaved(answer);
      await queryClient.invalidateQueries({ queryKey: registryKeys.persons(crisisId) });
    },
    onError: errors.setError,
  });

  function addMember() {
    setMembers([...members, newMember(nextKey, members.length)]);
    setNextKey(nextKey + 1);
    setFocusMember(members.length);
  }

  function removeMember() {
    if (members.length > 1) setMembers(members.slice(0, -1));
  }

  function shortcuts(event: KeyboardEvent<HTMLFormElement>) {
    if (!(event.altKey || event.ctrlKey) || event.shiftKey) return;
    const action = { KeyM: addMember, KeyK: removeMember }[event.code];
    if (!action || (event.ctrlKey && event.altKey)) return;
    event.preventDefault();
    action();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mutation.isPending) return;
    errors.clear();
    mutation.mutate();
  }

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      onKeyDown={shortcuts}
      noValidate
      aria-describedby="call-centre-keys"
    >
      <Stack>
        <Paper withBorder p="sm" id="call-centre-keys">
          <Text size="sm" fw={600}>
            {t('callCentre.keysTitle')}
          </Text>
          <List size="sm" listStyleType="none">
            <List.Item>
              <Kbd>Enter</Kbd> {t('callCentre.keySave')}
            </List.Item>
            <List.Item>
              <Kbd>Alt</Kbd>+<Kbd>M</Kbd> / <Kbd>Ctrl</Kbd>+<Kbd>M</Kbd> {t('callCentre.keyAdd')}
            </List.Item>
            <List.Item>
              <Kbd>Alt</Kbd>+<Kbd>K</Kbd> / <Kbd>Ctrl</Kbd>+<Kbd>K</Kbd> {t('callCentre.keyRemove')}
            </List.Item>
            <List.Item>{t('callCentre.keyZone')}</List.Item>
          </List>
        </Paper>
        <ErrorSummary
          error={errors.error}
          shownPaths={['contacts', 'location', 'intention', 'registrant', 'members']}
          fieldMessage={errors.fieldMessage}
        />
        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            <TextInput
              label={t('callCentre.phone')}
              description={t('callCentre.phoneHelp')}
              type="tel"
              dir="ltr"
              value={phone}
              onChange={(event) => setPhone(event.currentTarget.value)}
              error={errors.fieldError('contacts')}
              autoComplete="off"
              autoFocus
            />
            <NativeSelect
              label={t('callCentre.zone')}
              value={zone}
              onChange={(event) => setZone(event.currentTarget.value)}
              data={[
                { value: '', label: t('person.notSet') },
                ...(zones.data ?? [])
                  .filter((candidate) => candidate.status === 'active')
                  .map((candidate) => ({ value: candidate.code, label: candidate.name })),
              ]}
              error={errors.fieldError('location.zone')}
            />
            <TextInput
              label={t('callCentre.place')}
              value={place}
              onChange={(event) => setPlace(event.currentTarget.value)}
              error={errors.fieldError('location.place')}
              autoComplete="off"
            />
            <NativeSelect
              label={t('callCentre.intention')}
              value={intention}
              onChange={(event) => setIntention(event.currentTarget.value)}
              data={INTENTIONS.map((value) => ({ value, label: label('intention', value) }))}
            />
            <NativeSelect
              label={t('callCentre.caller')}
              value={caller}
              onChange={(event) => setCaller(event.currentTarget.value === 'relative' ? 'relative' : 'self')}
              data={[
                { value: 'self', label: t('callCentre.callerSelf') },
                { value: 'relative', label: t('callCentre.callerRelative') },
              ]}
            />
            {caller === 'relative' && (
              <>
                <TextInput
                  label={t('callCentre.registrantName')}
                  required
                  value={registrantName}
                  onChange={(event) => setRegistrantName(event.currentTarget.value)}
                  error={errors.fieldError('registrant')}
                  autoComplete="off"
                />
                <TextInput
                  label={t('callCentre.registrantRelationship')}
                  required
                  value={registrantRelationship}
                  onChange={(event) => setRegistrantRelationship(event.currentTarget.value)}
                  autoComplete="off"
                />
              </>
            )}
          </SimpleGrid>
        </Paper>
        {members.map((member, index) => (
          <MemberFields
            key={member.key}
            member={member}
            index={index}
            fieldError={errors.fieldError}
            onChange={(next) => setMembers(members.map((candidate, i) => (i === index ? next : candidate)))}
          />
        ))}
        <Group>
          <Button type="submit" loading={mutation.isPending}>
            {t('callCentre.save')}
          </Button>
          <Button variant="default" onClick={addMember}>
            {t('callCentre.addMember')}
          </Button>
          {members.length > 1 && (
            <Button variant="default" onClick={removeMember}>
              {t('callCentre.removeMember')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
