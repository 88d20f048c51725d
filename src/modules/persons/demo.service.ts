import { systemActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Crisis } from '../crises/crisis.schemas.js';
import { createCrisis, createZone, listCrisesIn, listZonesFor } from '../crises/crisis.service.js';
import { type DemoName, FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES } from './demo-names.js';
import type { MemberInput, RegistrationBody } from './person.schemas.js';
import { insertRegistrations } from './registration.repository.js';
import { buildRegistrationRows, type RegistrationRows } from './registration-rows.js';

export const DEMO_CRISIS = { name: 'Israel–Gaza, October 2023', slug: 'israel-gaza-october-2023' };
const DEMO_ZONES = [
  { name: 'Gaza City', code: 'GAZA-CITY' },
  { name: 'North Gaza', code: 'NORTH-GAZA' },
  { name: 'Deir al-Balah', code: 'DEIR-AL-BALAH' },
  { name: 'Khan Younis', code: 'KHAN-YOUNIS' },
  { name: 'Rafah', code: 'RAFAH' },
  { name: 'Israel (awaiting a flight)', code: 'ISRAEL' },
];

/** A small seeded generator, so the demo is the same on every machine. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof random>;

const pad = (n: number) => String(n).padStart(2, '0');
const date = (rng: Rng, from: number, to: number) =>
  `${from + rng.int(to - from + 1)}-${pad(1 + rng.int(12))}-${pad(1 + rng.int(28))}`;

interface Person {
  given: DemoName;
  father: DemoName;
  family: DemoName;
  sex: 'female' | 'male';
  birth: string;
  relationship: MemberInput['relationship'];
  category: MemberInput['eligibilityCategory'];
  passport?: string;
}

function household(
  rng: Rng,
  n: number,
): { people: Person[]; zone: string; phone: string; intention: RegistrationBody['intention'] } {
  const family = rng.pick(FAMILY_NAMES);
  const headFather = rng.pick(MALE_NAMES);
  const head: Person = {
    given: rng.pick(MALE_NAMES),
    father: headFather,
    family,
    sex: 'male',
    birth: date(rng, 1955, 1995),
    relationship: 'head',
    category: rng.chance(0.8) ? 'citizen' : 'permanent_resident',
    passport: `${String.fromCharCode(65 + rng.int(26))}${String(10_000_000 + n * 7919).slice(0, 8)}`,
  };
  const people: Person[] = [head];
  if (rng.chance(0.85))
    people.push({
      given: rng.pick(FEMALE_NAMES),
      father: rng.pick(MALE_NAMES),
      family: rng.pick(FAMILY_NAMES),
      sex: 'female',
      birth: date(rng, 1960, 2000),
      relationship: 'spouse',
      category: rng.chance(0.3) ? 'citizen' : undefined,
    });
  for (let i = rng.int(6); i > 0; i -= 1) {
    const sex = rng.chance(0.5) ? 'female' : 'male';
    people.push({
      given: rng.pick(sex === 'female' ? FEMALE_NAMES : MALE_NAMES),
      father: head.given,
      family,
      sex,
      birth: date(rng, 2005, 2023),
      relationship: 'child',
      category: undefined,
    });
  }
  if (rng.chance(0.15))
    people.push({
      given: rng.pick(FEMALE_NAMES),
      father: rng.pick(MALE_NAMES),
      family,
      sex: 'female',
      birth: String(1935 + rng.int(20)),
      relationship: 'parent',
      category: 'permanent_resident',
    });
  const zone = rng.chance(0.06) ? 'ISRAEL' : rng.pick(DEMO_ZONES.slice(0, 5)).code;
  return {
    people,
    zone,
    phone: `+97059${String(1_000_000 + ((n * 104_729) % 8_999_999))}`,
    intention:
      zone === 'ISRAEL' ? 'leave' : rng.pick(['leave', 'leave', 'leave', 'stay', 'undecided'] as const),
  };
}

/** The same people as a channel would type them: Latin spelling varies, Arabic may be missing. */
function asBody(
  rng: Rng,
  h: ReturnType<typeof household>,
  channel: 'portal_self' | 'portal_on_behalf' | 'call_centre',
): RegistrationBody {
  const withArabic = channel !== 'portal_on_behalf' || rng.chance(0.3);
  return {
    registeredBy: channel === 'portal_on_behalf' ? 'relative' : 'self',
    ...(channel === 'portal_on_behalf'
      ? {
          registrant: {
            name: `${rng.pick(MALE_NAMES).latin[0]} ${h.people[0]!.family.latin[0]}`,
            relationship: 'brother',
            phone: `+1202555${String(1000 + rng.int(8999))}`,
          },
        }
      : {}),
    locale: channel === 'portal_on_behalf' ? 'en' : 'ar',
    intention: h.intention,
    location: { zone: h.zone },
    contacts: [{ phone: h.phone, whatsapp: rng.chance(0.7) }],
    members: h.people.map((p) => ({
      relationship: p.relationship,
      nameLatin: {
        given: rng.pick(p.given.latin),
        father: rng.pick(p.father.latin),
        family: rng.pick(p.family.latin),
      },
      ...(withArabic ? { nameArabic: { given: p.given.ar, father: p.father.ar, family: p.family.ar } } : {}),
      sex: p.sex,
      birthDate: channel === 'call_centre' && rng.chance(0.5) ? p.birth.slice(0, 4) : p.birth,
      ...(p.category ? { eligibilityCategory: p.category } : {}),
      ...(p.passport && rng.chance(0.7)
        ? { documents: [{ type: 'passport' as const, number: p.passport, issuingCountry: 'USA' }] }
        : {}),
      ...(p.relationship === 'parent'
        ? { vulnerabilities: ['elderly' as const, ...(rng.chance(0.5) ? ['mobility' as const] : [])] }
        : {}),
    })),
  };
}

async function ensureCrisis(ctx: AppContext): Promise<Crisis> {
  const actor = systemActor('demo');
  const existing = (await listCrisesIn(ctx, 'all')).find((c) => c.slug === DEMO_CRISIS.slug);
  const crisis =
    existing ??
    (await createCrisis(ctx, actor, {
      ...DEMO_CRISIS,
      description: 'Synthetic demonstration data: every person in it is made up.',
      retentionDays: 180,
    }));
  const zones = await listZonesFor(ctx, actor, crisis.id);
  for (const z of DEMO_ZONES)
    if (!zones.some((x) => x.code === z.code)) await createZone(ctx, actor, crisis.id, z);
  return crisis;
}

/**
 * Loads the synthetic "Israel–Gaza, October 2023" crisis: zones and `households` made-up
 * households registered through the portal, by relatives abroad and by the call centre, about
 * one in six registered twice through different channels, some in Israel waiting for flights.
 */
export async function loadDemo(
  ctx: AppContext,
  households = 3000,
  seed = 2023,
): Promise<{ crisisId: string; households: number; persons: number }> {
  const crisis = await ensureCrisis(ctx);
  const zones = await listZonesFor(ctx, systemActor('demo'), crisis.id);
  const rng = random(seed);
  const batch: RegistrationRows[] = [];
  let registrations = 0;
  let persons = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch.splice(0);
    await ctx.db.writer.write((trx) => insertRegistrations(trx, rows, [], ctx.db.sqlite));
  };
  for (let n = 0; n < households; n += 1) {
    const h = household(rng, n);
    const first = rng.pick(['portal_self', 'portal_self', 'portal_on_behalf', 'call_centre'] as const);
    const channels = rng.chance(0.17)
      ? [
          first,
          rng.pick((['portal_self', 'portal_on_behalf', 'call_centre'] as const).filter((c) => c !== first)),
        ]
      : [first];
    for (const channel of channels) {
      const built = buildRegistrationRows(asBody(rng, h, channel), crisis, zones, {
        channel,
        actorId: null,
        actorLabel: channel === 'call_centre' ? 'demo call centre' : 'public',
        staffId: null,
        at: new Date(Date.UTC(2023, 9, 8 + rng.int(30), rng.int(24), rng.int(60))).toISOString(),
      });
      if ('errors' in built) throw new Error(`demo data is invalid: ${JSON.stringify(built.errors)}`);
      // Those already in Israel wait for a charter flight.
      if (h.zone === 'ISRAEL') for (const p of built.rows.persons) p.status = 'awaiting_departure';
      batch.push(built.rows);
      registrations += 1;
      persons += built.rows.persons.length;
      if (batch.length >= 200) await flush();
    }
  }
  await flush();
  await ctx.db.writer.write((trx) =>
    recordAudit(trx, ctx.db.dialect, systemActor('demo'), {
      action: 'demo.loaded',
      entityType: 'crisis',
      entityId: crisis.id,
      crisisId: crisis.id,
      change: { registrations, persons, seed },
    }),
  );
  return { crisisId: crisis.id, households: registrations, persons };
}
