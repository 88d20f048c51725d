import { Badge, Group, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FieldExplanation } from '../api/registry-types';

const FIELDS = ['name', 'dateOfBirth', 'passportNumber', 'sex', 'phone'];
const LEVELS = [
  'exact',
  'equivalent',
  'close',
  'subset',
  'reordered',
  'partial',
  'different',
  'year',
  'near',
  'agree',
  'disagree',
  'missing',
];

type Strength = 'strongFor' | 'for' | 'none' | 'against' | 'strongAgainst';

function strength(weight: number): Strength {
  if (weight >= 4) return 'strongFor';
  if (weight > 0) return 'for';
  if (weight === 0) return 'none';
  if (weight > -4) return 'against';
  return 'strongAgainst';
}

const STRENGTH_COLOURS: Record<Strength, string> = {
  strongFor: '#1b5e20',
  for: '#2b6a2f',
  none: '#343a40',
  against: '#8a4b00',
  strongAgainst: '#a51d1d',
};

/**
 * How each field weighed in a comparison, in words: "Passport number: the same", "Name: equivalent
 * across scripts or spellings", with how strongly it counts for or against the two being one person.
 */
export function Explanation({ items }: { items: FieldExplanation[] }) {
  const { t } = useTranslation();
  return (
    <List size="sm" spacing={4} listStyleType="none" className="explanation">
      {items.map((item) => {
        const field = FIELDS.includes(item.field)
          ? t(`explain.fields.${item.field}` as 'explain.fields.name')
          : item.field;
        const level = LEVELS.includes(item.level)
          ? t(`explain.levels.${item.level}` as 'explain.levels.exact')
          : item.level;
        const s = strength(item.weight);
        return (
          <List.Item key={item.field} data-field={item.field} data-level={item.level}>
            <Group gap="xs" wrap="wrap">
              <Text size="sm" span fw={600}>
                {t('explain.line', { field, level })}
              </Text>
              <Badge variant="outline" radius="sm" color={STRENGTH_COLOURS[s]} size="sm">
                {t(`explain.strength.${s}`)}
              </Badge>
              {item.detail && (
                <Text size="xs" span dir="auto">
                  {item.detail}
                </Text>
              )}
            </Group>
          </List.Item>
        );
      })}
    </List>
  );
}
