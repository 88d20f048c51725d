import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../test/fixtures/persons/registrations.js';
import { seedCrisis } from '../../../test/fixtures/persons/seed.js';
import { createTestContext, DIALECTS } from '../../../test/helpers/context.js';
import { buildApp } from '../../app.js';
import type { AppContext } from '../../app-context.js';
import { normaliseReferenceCode } from './reference-code.js';

for (const dialect of DIALECTS) {
  describe(`POST /api/v1/public/registrations (${dialect})`, () => {
    let ctx: AppContext;
    let app: FastifyInstance;
    let close: () => Promise<void>;
    let crisisId: string;

    beforeAll(async () => {
      ({ ctx, close } = await createTestContext(dialect, { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' }));
      app = await buildApp(ctx);
      crisisId = (await seedCrisis(ctx)).crisis.id;
    });
    afterAll(async () => {
      await app.close();
      await close();
    });

    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: payload as object,
        headers,
      });

    it('stores a household with its members, documents, contacts and derived eligibility', async () => {
      const res = await post(familyRegistration());
      expect(res.statusCode).toBe(201);
      const body = res.json<{
        reference: string;
        updateSecret: string;
        updateUrl: string;
        members: number;
      }>();
      expect(normaliseReferenceCode(body.reference)).toBe(body.reference);
      expect(body.updateSecret).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(body.updateUrl).toContain(`/u/${body.reference.replaceAll('-', '')}/${body.updateSecret}`);
      expect(body.members).toBe(5);

      const household = await ctx.db.db
        .selectFrom('households')
        .selectAll()
        .where('reference', '=', body.reference)
        .executeTakeFirstOrThrow();
      expect(household.update_secret_hash).not.toContain(body.updateSecret);
      expect(household.channel).toBe('portal_self');
      const persons = await ctx.db.db
        .selectFrom('persons')
        .selectAll()
        .where('household_id', '=', household.id)
        .execute();
      expect(persons).toHaveLength(5);
      const by = (rel: string) => persons.filter((p) => p.relationship === rel);
      expect(by('head')[0]!.eligibility).toBe('eligible');
      expect(by('spouse')[0]!.eligibility_reason).toBe('immediate_family_of_citizen');
      expect(by('spouse')[0]!.citizen_person_id).toBe(by('head')[0]!.id);
      expect(by('spouse')[0]!.birth_precision).toBe('year');
      expect(by('parent')[0]!.eligibility_reason).toBe('permanent_resident_with_citizen_family');
      const docs = await ctx.db.db
        .selectFrom('person_documents')
        .selectAll()
        .where('crisis_id', '=', crisisId)
        .execute();
      expect(docs.map((d) => d.number_normalised)).toContain('X12345678');
      const contacts = await ctx.db.db
        .selectFrom('person_contacts')
        .selectAll()
        .where('household_id', '=', household.id)
        .execute();
      expect(contacts.map((c) => c.value)).toEqual(['+970599123456']);
      const history = await ctx.db.db
        .selectFrom('person_history')
        .selectAll()
        .where('crisis_id', '=', crisisId)
        .execute();
      expect(history.filter((h) => h.kind === 'registered').length).toBeGreaterThanOrEqual(5);
    });

    it('rejects unknown fields and names bad fields', async () => {
      const unknown = await post({ ...familyRegistration(), favouriteColour: 'blue' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.fields).toContainEqual({
        path: 'favouriteColour',
        message: 'Unknown field.',
      });

      const bad = familyRegistration();
      bad.members[0]!.documents = [
        { mrz: 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C37UTO7408122F1204159ZE184226B<<<<<10' },
      ];
      bad.contacts = [{ phone: '12' }];
      bad.location = { zone: 'ATLANTIS' };
      const res = await post(bad);
      expect(res.statusCode).toBe(400);
      const paths = res.json<{ error: { fields: { path: string }[] } }>().error.fields.map((f) => f.path);
      expect(paths).toEqual(
        expect.arrayContaining(['members.0.documents.0.mrz', 'contacts.0.phone', 'location.zone']),
      );
    });

    it('fills a passport from its MRZ when every check digit holds', async () => {
      const body = familyRegistration();
      body.members[0]!.documents = [
        { mrz: 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10' },
      ];
      const res = await post(body);
      expect(res.statusCode).toBe(201);
      const doc = await ctx.db.db
        .selectFrom('person_documents')
        .selectAll()
        .where('number', '=', 'L898902C3')
        .executeTakeFirstOrThrow();
      expect(doc).toMatchObject({ type: 'passport', issuing_country: 'UTO', expiry_date: '2012-04-15' });
    });

    it('answers a retry with the same Idempotency-Key with the first answer, also concurrently', async () => {
      const body = familyRegistration({ intention: 'undecided' });
      const key = 'retry-key-0001';
      const replies = await Promise.all(
        Array.from({ length: 12 }, () => post(body, { 'idempotency-key': key })),
      );
      for (const r of replies) expect(r.statusCode).toBe(201);
      const references = new Set(replies.map((r) => r.json<{ reference: string }>().reference));
      expect(references.size).toBe(1);
      const later = await post(body, { 'idempotency-key': key });
      expect(later.json()).toEqual(replies[0]!.json());
      const count = await ctx.db.db
        .selectFrom('households')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('reference', 'in', [...references])
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1);
      const other = await post({ ...body, intention: 'stay' }, { 'idempotency-key': key });
      expect(other.statusCode).toBe(422);
    });

    it('shows in the metrics where the intake spent its time, and how many registrations each commit held', async () => {
      const count = async (series: string) => {
        const text = (await app.inject('/metrics')).body;
        const line = text.split('\n').find((l) => l.startsWith(series));
        return line ? Number(line.slice(series.length).trim()) : 0;
      };
      const writes = await count('corridor_intake_stage_seconds_count{stage="write"}');
      const commits = await count('corridor_intake_transaction_registrations_count');
      expect((await post(familyRegistration())).statusCode).toBe(201);
      expect(await count('corridor_intake_stage_seconds_count{stage="write"}')).toBe(writes + 1);
      expect(await count('corridor_intake_stage_seconds_count{stage="build"}')).toBeGreaterThan(0);
      expect(await count('corridor_intake_transaction_registrations_count')).toBe(commits + 1);
    });

    it('is tagged public in the OpenAPI document', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
        paths: Record<string, { post?: { tags?: string[] } }>;
      }>();
      expect(doc.paths['/api/v1/public/registrations']?.post?.tags).toContain('public');
    });
  });
}
