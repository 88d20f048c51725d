import {
  Button,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiRequest } from '../api/client';
import {
  CONTACT_LANGUAGES,
  type Contact,
  PARTNER_KINDS,
  type PartnerKind,
  type PartnerRequest,
  type PartnerSummary,
  partnerKeys,
  partnerPath,
  partnersPath,
  REQUEST_KINDS,
  type RequestKind,
} from '../api/partners';
import { crisisPath } from '../api/registry';
import { ErrorSummary, useApiErrors } from './api-errors';
import { usePartnerLabel } from './partner-bits';

/** A new partner, or changes to one. */
export function PartnerForm({
  crisisId,
  partner,
  onDone,
}: {
  crisisId: string;
  partner?: PartnerSummary;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const label = usePartnerLabel();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const headingId = useId();
  const [name, setName] = useState(partner?.name ?? '');
  const [kind, setKind] = useState<PartnerKind>(partner?.kind ?? 'government');
  const [country, setCountry] = useState(partner?.country ?? '');
  const [notes, setNotes] = useState(partner?.notes ?? '');
  const save = useMutation({
    mutationFn: () => {
      const body = { name, kind, country: country.trim() ? country.trim().toUpperCase() : null, notes };
      return partner
        ? api.patch<PartnerSummary>(partnerPath(crisisId, partner.id), body)
        : api.post<PartnerSummary>(partnersPath(crisisId), body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: partnerKeys.all(crisisId) });
      if (!partner) {
        setName('');
        setCountry('');
        setNotes('');
      }
      onDone?.();
    },
    onError: errors.setError,
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <form
        ref={formRef}
        noValidate
        data-testid="partner-form"
        onSubmit={(event) => {
          event.preventDefault();
          errors.clear();
          save.mutate();
        }}
      >
        <Stack>
          <Title order={2} size="h3" id={headingId}>
            {partner ? t('partners.editPartner') : t('partners.addPartner')}
          </Title>
          <ErrorSummary
            error={errors.error}
            shownPaths={['name', 'kind', 'country', 'notes']}
            fieldMessage={errors.fieldMessage}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('partners.name')}
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={errors.fieldError('name')}
            />
            <NativeSelect
              label={t('partners.kind')}
              value={kind}
              onChange={(event) => setKind(event.currentTarget.value as PartnerKind)}
              data={PARTNER_KINDS.map((value) => ({ value, label: label('kind', value) }))}
              error={errors.fieldError('kind')}
            />
            <TextInput
              label={t('partners.country')}
              description={t('partners.countryHint')}
              maxLength={2}
              value={country}
              onChange={(event) => setCountry(event.currentTarget.value)}
              error={errors.fieldError('country')}
            />
          </SimpleGrid>
          <Textarea
            label={t('partners.notes')}
            value={notes}
            onChange={(event) => setNotes(event.currentTarget.value)}
            error={errors.fieldError('notes')}
          />
          <Group justify="flex-end">
            {onDone && partner && (
              <Button variant="default" onClick={onDone}>
                {t('common.cancel')}
              </Button>
            )}
            <Button type="submit" loading={save.isPending}>
              {partner ? t('common.save') : t('partners.addPartner')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** A contact person at a partner. */
export function ContactForm({
  crisisId,
  partnerId,
  contact,
  onDone,
}: {
  crisisId: string;
  partnerId: string;
  contact?: Contact;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const label = usePartnerLabel();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const [name, setName] = useState(contact?.name ?? '');
  const [role, setRole] = useState(contact?.role ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [phone, setPhone] = useState(contact?.phone ?? '');
  const [language, setLanguage] = useState(contact?.language ?? '');
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name,
        role,
        email: email.trim() || null,
        phone: phone.trim() || null,
        language: language || null,
      };
      const path = `${partnerPath(crisisId, partnerId)}/contacts`;
      return contact
        ? api.patch<Contact>(`${path}/${encodeURIComponent(contact.id)}`, body)
        : api.post<Contact>(path, body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: partnerKeys.all(crisisId) });
      if (!contact) {
        setName('');
        setRole('');
        setEmail('');
        setPhone('');
        setLanguage('');
      }
      onDone?.();
    },
    onError: errors.setError,
  });
  return (
    <form
      ref={formRef}
      noValidate
      data-testid="contact-form"
      onSubmit={(event) => {
        event.preventDefault();
        errors.clear();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <ErrorSummary
          error={errors.error}
          shownPaths={['name', 'role', 'email', 'phone', 'language']}
          fieldMessage={errors.fieldMessage}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('partners.contactName')}
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.fieldError('name')}
          />
          <TextInput
            label={t('partners.contactRole')}
            value={role}
            onChange={(event) => setRole(event.currentTarget.value)}
            error={errors.fieldError('role')}
          />
          <NativeSelect
            label={t('partners.contactLanguage')}
            value={language}
            onChange={(event) => setLanguage(event.currentTarget.value)}
            data={[
              { value: '', label: t('partners.notGiven') },
              ...CONTACT_LANGUAGES.map((value) => ({ value, label: label('language', value) })),
            ]}
            error={errors.fieldError('language')}
          />
          <TextInput
            label={t('partners.email')}
            type="email"
            dir="ltr"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={errors.fieldError('email')}
          />
          <TextInput
            label={t('partners.phone')}
            type="tel"
            dir="ltr"
            value={phone}
            onChange={(event) => setPhone(event.currentTarget.value)}
            error={errors.fieldError('phone')}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          {onDone && contact && (
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
          )}
          <Button type="submit" loading={save.isPending}>
            {contact ? t('common.save') : t('partners.addContact')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Removes a contact after the click; the list refreshes. */
export function useRemoveContact(crisisId: string, partnerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (contactId: string) =>
      apiRequest<void>(
        'DELETE',
        `${partnerPath(crisisId, partnerId)}/contacts/${encodeURIComponent(contactId)}`,
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: partnerKeys.all(crisisId) }),
  });
}

/** A new request to a partner (a draft until it is sent), or changes to the wording of one. */
export function RequestForm({
  crisisId,
  partnerId,
  request,
  onDone,
}: {
  crisisId: string;
  partnerId: string;
  request?: PartnerRequest;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const label = usePartnerLabel();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useApiErrors(formRef);
  const [kind, setKind] = useState<RequestKind>(request?.kind ?? 'crossing_list_submission');
  const [subject, setSubject] = useState(request?.subject ?? '');
  const [details, setDetails] = useState(request?.details ?? '');
  const save = useMutation({
    mutationFn: () =>
      request
        ? api.patch(`${crisisPath(crisisId)}/partner-requests/${encodeURIComponent(request.id)}`, {
            version: request.version,
            kind,
            subject,
            details,
          })
        : api.post(`${crisisPath(crisisId)}/partner-requests`, { partnerId, kind, subject, details }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: partnerKeys.all(crisisId) });
      if (!request) {
        setSubject('');
        setDetails('');
      }
      onDone?.();
    },
    onError: errors.setError,
  });
  return (
    <form
      ref={formRef}
      noValidate
      data-testid="request-form"
      onSubmit={(event) => {
        event.preventDefault();
        errors.clear();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <ErrorSummary
          error={errors.error}
          shownPaths={['kind', 'subject', 'details']}
          fieldMessage={errors.fieldMessage}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('partners.requestKind')}
            value={kind}
            onChange={(event) => setKind(event.currentTarget.value as RequestKind)}
            data={REQUEST_KINDS.map((value) => ({ value, label: label('requestKind', value) }))}
            error={errors.fieldError('kind')}
          />
          <TextInput
            label={t('partners.subject')}
            required
            value={subject}
            onChange={(event) => setSubject(event.currentTarget.value)}
            error={errors.fieldError('subject')}
          />
        </SimpleGrid>
        <Textarea
          label={t('partners.details')}
          value={details}
          onChange={(event) => setDetails(event.currentTarget.value)}
          error={errors.fieldError('details')}
        />
        <Group justify="flex-end">
          {request && onDone && (
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
          )}
          <Button type="submit" loading={save.isPending}>
            {request ? t('common.save') : t('partners.addRequest')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
