import { systemActor } from '../../src/access/actor.js';
import { createZone } from '../../src/modules/crises/crisis.service.js';
import type { RegistrationBody } from '../../src/modules/persons/person.schemas.js';
import type { TestServer } from '../helpers/server.js';

// Synthetic people only: made-up names, numbers and places.

/** The zones the registration fixtures refer to by code. */
export async function addZones(server: TestServer, crisisId: string): Promise<void> {
  const actor = systemActor('test');
  await createZone(server.ctx, actor, crisisId, { name: 'Khan Younis', code: 'KHAN-YOUNIS' });
  await createZone(server.ctx, actor, crisisId, { name: 'Rafah', code: 'RAFAH' });
  await createZone(server.ctx, actor, crisisId, { name: 'Gaza City', code: 'GAZA-CITY' });
}

/** Registers a household through the public API, as the portal does. */
export async function registerPublic(
  server: TestServer,
  crisisId: string,
  body: RegistrationBody,
): Promise<{ reference: string }> {
  const answer = await fetch(`${server.url}/api/v1/public/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, crisis: crisisId }),
  });
  if (answer.status !== 201) throw new Error(`registration refused: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as { reference: string };
}

/** One person, registering alone (a second registration of someone already known, for instance). */
export function onePerson(input: {
  given: string;
  family: string;
  arabic?: string;
  birthDate?: string;
  sex?: 'female' | 'male';
  passport?: string;
  phone?: string;
  zone?: string;
}): RegistrationBody {
  return {
    registeredBy: 'self',
    intention: 'leave',
    location: { zone: input.zone ?? 'RAFAH' },
    ...(input.phone && { contacts: [{ phone: input.phone }] }),
    members: [
      {
        relationship: 'head',
        nameLatin: { given: input.given, family: input.family },
        ...(input.arabic && { nameArabic: { full: input.arabic } }),
        ...(input.birthDate && { birthDate: input.birthDate }),
        ...(input.sex && { sex: input.sex }),
        eligibilityCategory: 'citizen',
        ...(input.passport && {
          documents: [{ type: 'passport' as const, number: input.passport, issuingCountry: 'USA' }],
        }),
      },
    ],
  };
}
