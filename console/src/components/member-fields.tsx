import { Fieldset, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { RELATIONSHIPS, SEXES } from '../api/registry-types';
import { ELIGIBILITY_CATEGORIES } from '../api/types';
import { useLabel } from './labels';

export interface MemberDraft {
  key: number;
  relationship: string;
  given: string;
  family: string;
  arabic: string;
  sex: string;
  birthDate: string;
  category: string;
  passport: string;
}

export function newMember(key: number, index: number): MemberDraft {
  return {
    key,
    relationship: index === 0 ? 'head' : index === 1 ? 'spouse' : 'child',
    given: '',
    family: '',
    arabic: '',
    sex: 'unknown',
    birthDate: '',
    category: index === 0 ? 'citizen' : '',
    passport: '',
  };
}

/** The registration body's member, with only what was typed. */
export function memberBody(member: MemberDraft): Record<string, unknown> {
  const body: Record<string, unknown> = { relationship: member.relationship, sex: member.sex };
  const given = member.given.trim();
  const family = member.family.trim();
  if (given || family) body.nameLatin = { ...(given && { given }), ...(family && { family }) };
  if (member.arabic.trim()) body.nameArabic = { full: member.arabic.trim() };
  if (member.birthDate.trim()) body.birthDate = member.birthDate.trim();
  if (member.category) body.eligibilityCategory = member.category;
  if (member.passport.trim()) body.documents = [{ type: 'passport', number: member.passport.trim() }];
  return body;
}

/** One household member of the call-centre form: names in both scripts, sex, birth, category, passport. */
export function MemberFields({
  member,
  index,
  onChange,
  fieldError,
}: {
  member: MemberDraft;
  index: number;
  onChange(member: MemberDraft): void;
  fieldError(path: string): string | undefined;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const path = `members.${index}`;
  const set = (key: keyof MemberDraft) => (event: { currentTarget: { value: string } }) =>
    onChange({ ...member, [key]: event.currentTarget.value });
  const legend = t('callCentre.member', { number: String(index + 1) });
  return (
    <Fieldset legend={legend} data-testid={`member-${index}`}>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        <TextInput
          label={t('callCentre.givenName')}
          value={member.given}
          onChange={set('given')}
          error={fieldError(`${path}.nameLatin`)}
          autoComplete="off"
          data-member-first={index}
        />
        <TextInput
          label={t('callCentre.familyName')}
          value={member.family}
          onChange={set('family')}
          autoComplete="off"
        />
        <TextInput
          label={t('callCentre.arabicName')}
          lang="ar"
          dir="rtl"
          value={member.arabic}
          onChange={set('arabic')}
          error={fieldError(`${path}.nameArabic`)}
          autoComplete="off"
        />
        <NativeSelect
          label={t('callCentre.relationship')}
          value={member.relationship}
          onChange={set('relationship')}
          data={RELATIONSHIPS.map((value) => ({ value, label: label('relationship', value) }))}
          error={fieldError(`${path}.relationship`)}
        />
        <NativeSelect
          label={t('callCentre.sex')}
          value={member.sex}
          onChange={set('sex')}
          data={SEXES.map((value) => ({ value, label: label('sex', value) }))}
        />
        <TextInput
          label={t('callCentre.birthDate')}
          description={t('person.birthDateHelp')}
          value={member.birthDate}
          onChange={set('birthDate')}
          error={fieldError(`${path}.birthDate`)}
          inputMode="numeric"
          autoComplete="off"
        />
        <NativeSelect
          label={t('callCentre.category')}
          value={member.category}
          onChange={set('category')}
          data={[
            { value: '', label: t('person.notSet') },
            ...ELIGIBILITY_CATEGORIES.map((value) => ({ value, label: label('category', value) })),
          ]}
          error={fieldError(`${path}.eligibilityCategory`)}
        />
        <TextInput
          label={t('callCentre.passport')}
          value={member.passport}
          onChange={set('passport')}
          error={fieldError(`${path}.documents`)}
          autoComplete="off"
          classNames={{ input: 'mono' }}
        />
      </SimpleGrid>
    </Fieldset>
  );
}
