import { publicActor } from '../../access/actor.js';
import type { AppContext } from '../../app-context.js';
import { recordAudit } from '../../audit/audit.service.js';
import { nowIso } from '../../lib/clock.js';
import { validationFailed } from '../../lib/errors.js';
import { hashSecret } from '../../lib/ids.js';
import { findCrisisById } from '../crises/crisis.repository.js';
import { toCrisis } from '../crises/crisis.service.js';
import { resolveActiveCrisis } from './crisis-directory.js';
import { deriveEligibility } from './person.policy.js';
import {
  findHouseholdByLink,
  type HouseholdRow,
  insertContacts,
  insertDocuments,
  insertHistory,
  insertPersons,
  listContacts,
  listHouseholdMembers,
  type PersonRow,
  updateHouseholdRow,
  updatePersonRow,
  updatePersonsOfHousehold,
} from './person.repository.js';
import type { Intention, MemberInput, Relationship } from './person.schemas.js';
import { normaliseEmail, normalisePhone } from './person-normalise.js';
import { normaliseReferenceCode } from './reference-code.js';
import { buildRegistrationRows } from './registration-rows.js';
import { newRowId } from './row-id.js';

export interface HouseholdView {
  household: HouseholdRow;
  members: PersonRow[];
  contacts: { kind: string; value: string }[];
}

/**
 * The household behind a private update link, or undefined. A wrong secret and an unknown
 * reference give the same undefined, so the link reveals nothing about which part was wrong.
 */
export async function openHouseholdLink(
  ctx: AppContext,
  reference: string,
  secret: string,
): Promise<HouseholdView | undefined> {
  const ref = normaliseReferenceCode(reference);
  if (!ref || secret.length < 16 || secret.length > 64) return undefined;
  const household = await findHouseholdByLink(ctx.db.db, ref, hashSecret(secret));
  if (!household) return undefined;
  const [members, contacts] = await Promise.all([
    listHouseholdMembers(ctx.db.db, household.id),
    listContacts(ctx.db.db, [household.id]),
  ]);
  return { household, members, contacts: contacts.map((c) => ({ kind: c.kind, value: c.value })) };
}

export type LinkChange =
  | { kind: 'location'; zone: string; place: string; intention: Intention }
  | { kind: 'safe' }
  | { kind: 'contacts'; phone: string; email: string; whatsapp: boolean }
  | { kind: 'add_member'; member: MemberInput };

/** Applies a change sent through the update link: history for every person touched, audited. */
export async function updateByLink(ctx: AppContext, view: HouseholdView, change: LinkChange): Promise<void> {
  const { household } = view;
  const at = nowIso();
  const history = (personId: string, kind: string, changes: unknown, status: string | null = null) => ({
    id: newRowId(),
    person_id: personId,
    crisis_id: household.crisis_id,
    at,
    kind,
    status,
    reason: 'update link',
    changes: changes === null ? null : JSON.stringify(changes),
    actor_id: null,
    actor_label: 'public',
  });
  const audit =
    (action: string, detail: unknown) => (trx: Parameters<Parameters<typeof ctx.db.writer.write>[0]>[0]) =>
      recordAudit(trx, ctx.db.dialect, publicActor, {
        action,
        entityType: 'household',
        entityId: household.id,
        crisisId: household.crisis_id,
        change: detail,
      });

  if (change.kind === 'location') {
    const zones = change.zone ? (await resolveActiveCrisis(ctx, household.crisis_id, change.zone)).zones : [];
    const zone = zones.find((z) => z.code === change.zone);
    if (change.zone && !zone)
      throw validationFailed([{ path: 'location.zone', message: 'Unknown zone for this crisis.' }]);
    const patch = {
      zone_id: zone?.id ?? null,
      place: change.place || null,
      intention: change.intention,
      location_confirmed_at: at,
      updated_at: at,
    };
    await ctx.db.writer.write(async (trx) => {
      await updatePersonsOfHousehold(trx, household.id, patch);
      await insertHistory(
        trx,
        view.members.map((m) =>
          history(m.id, 'update_link', {
            zone: change.zone,
            place: change.place,
            intention: change.intention,
          }),
        ),
      );
      await audit('household.location_updated', change)(trx);
    });
    return;
  }
  if (change.kind === 'safe') {
    await ctx.db.writer.write(async (trx) => {
      await updateHouseholdRow(trx, household.id, { safe_reported_at: at, updated_at: at });
      await updatePersonsOfHousehold(trx, household.id, { status: 'safe', updated_at: at });
      await insertHistory(
        trx,
        view.members.map((m) => history(m.id, 'status', null, 'safe')),
      );
      await audit('household.reported_safe', null)(trx);
    });
    return;
  }
  if (change.kind === 'contacts') {
    const phone = change.phone ? normalisePhone(change.phone) : undefined;
    const email = change.email ? normaliseEmail(change.email) : undefined;
    const errors = [
      ...(change.phone && !phone ? [{ path: 'contacts.0.phone', message: 'Not a valid phone number.' }] : []),
      ...(change.email && !email
        ? [{ path: 'contacts.0.email', message: 'Not a valid email address.' }]
        : []),
    ];
    if (errors.length > 0) throw validationFailed(errors);
    const known = new Set(view.contacts.map((c) => c.value));
    const rows = [
      ...(phone && !known.has(phone)
        ? [{ kind: 'phone', value: phone, whatsapp: change.whatsapp ? 1 : 0 }]
        : []),
      ...(email && !known.has(email) ? [{ kind: 'email', value: email, whatsapp: 0 }] : []),
    ].map((c) => ({
      ...c,
      id: newRowId(),
      household_id: household.id,
      person_id: null,
      crisis_id: household.crisis_id,
      created_at: at,
    }));
    await ctx.db.writer.write(async (trx) => {
      await insertContacts(trx, rows);
      await insertHistory(
        trx,
        view.members.map((m) => history(m.id, 'update_link', { contacts: rows.map((r) => r.kind) })),
      );
      await audit('household.contacts_added', { count: rows.length })(trx);
    });
    return;
  }
  // A new member joins the household: built like a registration, then attached to this household.
  const crisisRow = await findCrisisById(ctx.db.db, household.crisis_id);
  if (!crisisRow) throw validationFailed([{ path: 'crisis', message: 'The crisis is closed.' }]);
  const crisis = toCrisis(crisisRow);
  const first = view.members[0];
  const built = buildRegistrationRows(
    {
      registeredBy: 'self',
      intention: (first?.intention ?? 'undecided') as Intention,
      members: [{ ...change.member, relationship: 'head' }],
    },
    crisis,
    [],
    { channel: household.channel as 'portal_self', actorId: null, actorLabel: 'public', staffId: null, at },
  );
  if ('errors' in built) throw validationFailed(built.errors);
  const person = {
    ...built.rows.persons[0]!,
    household_id: household.id,
    relationship: change.member.relationship === 'head' ? 'other_relative' : change.member.relationship,
    zone_id: first?.zone_id ?? null,
    place: first?.place ?? null,
  };
  const members = [...view.members, { ...person, reference: household.reference } as PersonRow];
  const decisions = deriveEligibility(
    crisis.eligibilityPolicy,
    members.map((m) => ({
      relationship: m.relationship as Relationship,
      category: (m.eligibility_category ?? null) as never,
    })),
  );
  const added = decisions.at(-1)!;
  Object.assign(person, {
    eligibility: added.eligibility,
    eligibility_reason: added.reason,
    eligibility_category: added.category,
    citizen_person_id: added.derivedFrom === null ? null : members[added.derivedFrom]!.id,
  });
  await ctx.db.writer.write(async (trx) => {
    await insertPersons(trx, [person]);
    await insertDocuments(
      trx,
      built.rows.documents.map((d) => ({ ...d, person_id: person.id })),
    );
    await insertContacts(
      trx,
      built.rows.contacts.map((c) => ({ ...c, household_id: household.id, person_id: person.id })),
    );
    await insertHistory(trx, [history(person.id, 'registered', null, 'registered')]);
    for (const [i, m] of view.members.entries()) {
      const d = decisions[i]!;
      if (d.eligibility !== m.eligibility)
        await updatePersonRow(trx, m.id, {
          eligibility: d.eligibility,
          eligibility_reason: d.reason,
          updated_at: at,
        });
    }
    await audit('household.member_added', { personId: person.id })(trx);
  });
}
