import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalClient } from '../../test/fixtures/persons/portal-client.js';
import { seedCrisis } from '../../test/fixtures/persons/seed.js';
import { createTestContext } from '../../test/helpers/context.js';
import { buildApp } from '../app.js';
import type { AppContext } from '../app-context.js';
import { intakeFor } from '../modules/persons/registration-intake.js';
import { keysOf } from './i18n.js';

describe('public portal', () => {
  let ctx: AppContext;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let slug: string;

  beforeAll(async () => {
    ({ ctx, close } = await createTestContext('sqlite', {
      PORTAL_RATE_LIMIT_PER_MINUTE: '100000',
      // Load shedding soon and on a small backlog, so the overload case below is quick to make.
      INTAKE_MAX_WAIT_SECONDS: '0.2',
      INTAKE_MIN_QUEUED: '5',
    }));
    app = await buildApp(ctx);
    slug = (await seedCrisis(ctx)).crisis.slug;
  });
  afterAll(async () => {
    await app.close();
    await close();
  });

  /** A one-person household walked to its review page (not sent yet) in `lang`. */
  async function reviewOf(lang: string, given: string, family: string, phone: string) {
    const c = new PortalClient(app);
    const pick = await c.get(`/${lang}/`);
    let res = await c.get(pick.headers.location as string);
    res = await c.submit(res.body, { accept: 'yes' });
    res = await c.submit(res.body, { registeredBy: 'self' });
    res = await c.submit(res.body, { m0_given: given, m0_family: family, m0_category: 'citizen' });
    res = await c.submit(res.body, { c_phone: phone });
    res = await c.submit(res.body, { l_zone: 'RAFAH', intention: 'leave' });
    return { c, review: res.body };
  }

  it('has the same message keys in English, French and Arabic', () => {
    expect(keysOf('fr')).toEqual(keysOf('en'));
    expect(keysOf('ar')).toEqual(keysOf('en'));
  });

  it('registers a household in Arabic without JavaScript, keeping what was typed on errors', async () => {
    const c = new PortalClient(app);
    const home = await c.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('href="/ar/"');
    const pick = await c.get('/ar/');
    expect(pick.statusCode).toBe(302);
    let page = (await c.get(pick.headers.location as string)).body;
    expect(page).toContain('dir="rtl"');
    expect(page).not.toContain('<script');

    let res = await c.submit(page, {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('يجب الموافقة للتسجيل.');
    res = await c.submit(res.body, { accept: 'yes' });
    res = await c.submit(res.body, { registeredBy: 'self' });
    expect(res.body).toContain('أفراد الأسرة');
    // Add a second person, then send with a bad birth date: the error is in Arabic and names stay.
    res = await c.submit(
      res.body,
      {
        m0_nameArabic: 'سمير عادل التستاوي',
        m0_given: 'Samir',
        m0_family: 'Testawi',
        m0_category: 'citizen',
      },
      'add',
    );
    // The first person is checked and folded into one line; the new one is open.
    expect(res.body).toContain('<bdi>Samir Testawi</bdi>');
    expect(res.body).toContain('name="m1_given"');
    expect(res.body).not.toContain('name="m0_given"');
    res = await c.submit(res.body, {
      m0_nameArabic: 'سمير عادل التستاوي',
      m0_given: 'Samir',
      m0_family: 'Testawi',
      m0_category: 'citizen',
      m1_relationship: 'spouse',
      m1_nameArabic: 'ليلى التستاوي',
      m1_birthDate: '19x4',
      m1_vuln: ['pregnancy'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('تحقّق من هذه القيمة.');
    expect(res.body).toContain('value="ليلى التستاوي"');
    expect(res.body).toContain('value="pregnancy" checked');
    // Switching language mid-way keeps every answer.
    const french = await c.submit(
      res.body,
      { m1_nameArabic: 'ليلى التستاوي', m1_birthDate: '19x4' },
      'lang:fr',
    );
    expect(french.body).toContain('lang="fr"');
    expect(french.body).toContain('Personnes du foyer');
    expect(french.body).toContain('value="ليلى التستاوي"');
    expect(french.body).toContain('action="/fr/c/');
    page = (await c.submit(french.body, {}, 'lang:ar')).body;
    res = await c.submit(page, {
      m0_nameArabic: 'سمير عادل التستاوي',
      m0_given: 'Samir',
      m0_family: 'Testawi',
      m0_category: 'citizen',
      m1_relationship: 'spouse',
      m1_nameArabic: 'ليلى التستاوي',
      m1_birthDate: '1984',
      m1_vuln: ['pregnancy'],
    });
    expect(res.body).toContain('كيف نتواصل معك؟');
    res = await c.submit(res.body, { c_phone: '+970 59 912 3456', c_whatsapp: 'yes' });
    res = await c.submit(res.body, { l_zone: 'KHAN-YOUNIS', l_place: 'قرب المدرسة', intention: 'leave' });
    expect(res.body).toContain('راجع وأرسل');
    const review = res.body;
    res = await c.submit(review, {}, 'send');
    expect(res.statusCode).toBe(200);
    const reference = /<p class="ref" dir="ltr">([^<]+)<\/p>/.exec(res.body)![1]!;
    const link = /<a href="(http[^"]+\/u\/[^"]+)">/.exec(res.body)![1]!;
    // Sending the same review page again (double tap, reload) registers once and shows the same code.
    const again = await c.submit(review, {}, 'send');
    expect(again.body).toContain(reference);
    const households = await ctx.db.db
      .selectFrom('households')
      .selectAll()
      .where('reference', '=', reference)
      .execute();
    expect(households).toHaveLength(1);
    const persons = await ctx.db.db
      .selectFrom('persons')
      .selectAll()
      .where('household_id', '=', households[0]!.id)
      .execute();
    expect(persons.map((p) => p.eligibility_reason).sort()).toEqual([
      'citizen',
      'immediate_family_of_citizen',
    ]);
    for (const url of ['/', `/ar/c/${slug}/`])
      expect(
        Buffer.byteLength((await c.get(url)).body) + Buffer.byteLength((await c.get('/portal.css')).body),
      ).toBeLessThan(30_000);
    expect(Buffer.byteLength(res.body)).toBeLessThan(30_000);

    // The update link: move to Rafah, then "we are safe", then add a member.
    const path = new URL(link).pathname;
    const update = await c.get(path);
    expect(update.statusCode).toBe(200);
    const forms = update.body.split('<form ');
    const formWith = (action: string) => `<form ${forms.find((f) => f.includes(`value="${action}"`))!}`;
    const moved = await c.submit(
      formWith('location'),
      { l_zone: 'RAFAH', l_place: 'خيمة', intention: 'leave' },
      'location',
    );
    expect(moved.statusCode).toBe(303);
    const rafah = await ctx.db.db
      .selectFrom('zones')
      .select('id')
      .where('code', '=', 'RAFAH')
      .executeTakeFirstOrThrow();
    const after = await ctx.db.db
      .selectFrom('persons')
      .select(['zone_id', 'status'])
      .where('household_id', '=', households[0]!.id)
      .execute();
    expect(after.every((p) => p.zone_id === rafah.id)).toBe(true);
    expect((await c.submit(formWith('safe'), {}, 'safe')).statusCode).toBe(303);
    const badMember = await c.submit(
      formWith('add_member'),
      { m_relationship: 'child', m_given: '', m_birthDate: '2019' },
      'add_member',
    );
    expect(badMember.statusCode).toBe(400);
    expect(badMember.body).toContain('value="2019"');
    expect(
      (
        await c.submit(
          formWith('add_member'),
          { m_relationship: 'child', m_given: 'Yousef', m_birthDate: '2019' },
          'add_member',
        )
      ).statusCode,
    ).toBe(303);
    const final = await ctx.db.db
      .selectFrom('persons')
      .select(['status', 'eligibility_reason', 'relationship'])
      .where('household_id', '=', households[0]!.id)
      .execute();
    expect(final).toHaveLength(3);
    expect(final.find((p) => p.relationship === 'child')?.eligibility_reason).toBe(
      'immediate_family_of_citizen',
    );
  });

  it('keeps the review page when the database refuses the write, and registers once on the next Send', async () => {
    const { c, review } = await reviewOf('fr', 'Nadia', 'Refusova', '+970 59 912 7777');
    let res: Awaited<ReturnType<PortalClient['submit']>>;
    const sqlite = ctx.db.sqlite!;
    sqlite.exec(
      "create trigger refuse_households before insert on households begin select raise(abort, 'disk full'); end",
    );
    try {
      res = await c.submit(review, {}, 'send');
    } finally {
      sqlite.exec('drop trigger refuse_households');
    }
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('Rien de ce que vous avez saisi n’est perdu');
    expect(res.body).toContain('Refusova');
    const count = () =>
      ctx.db.db.selectFrom('persons').select('id').where('family_name', '=', 'Refusova').execute();
    expect(await count()).toHaveLength(0);

    res = await c.submit(res.body, {}, 'send');
    expect(res.statusCode).toBe(200);
    expect(await count()).toHaveLength(1);
  });

  it('asks to send again in a minute when too many register at once, keeping the review page', async () => {
    const { c, review } = await reviewOf('ar', 'هالة', 'المزدحمي', '+970 59 912 7788');
    let res: Awaited<ReturnType<PortalClient['submit']>>;
    // Others fill the intake's backlog and wait longer than allowed (as in a surge on a slow disk):
    // this registration is not taken.
    const admission = intakeFor(ctx).admission!;
    const others = 5;
    for (let i = 0; i < others; i += 1) expect(admission.admit().admitted).toBe(true);
    try {
      await new Promise((r) => setTimeout(r, 300));
      res = await c.submit(review, {}, 'send');
    } finally {
      admission.answered(others, 300);
    }
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.body).toContain('يسجّل كثيرون في هذه اللحظة');
    expect(res.body).toContain('dir="rtl"');
    expect(res.body).toContain('المزدحمي');
    const count = () =>
      ctx.db.db.selectFrom('persons').select('id').where('family_name', '=', 'المزدحمي').execute();
    expect(await count()).toHaveLength(0);

    res = await c.submit(res.body, {}, 'send');
    expect(res.statusCode).toBe(200);
    expect(await count()).toHaveLength(1);
  });

  it('keeps every page of a 20-person household under 30 KB, with earlier people folded', async () => {
    const c = new PortalClient(app);
    let res = await c.get(`/ar/c/${slug}/`);
    res = await c.submit(res.body, { accept: 'yes' });
    res = await c.submit(res.body, { registeredBy: 'self' });
    const css = Buffer.byteLength((await c.get('/portal.css')).body);
    for (let i = 0; i < 19; i += 1) {
      res = await c.submit(
        res.body,
        {
          [`m${i}_given`]: `Person${i}`,
          [`m${i}_nameArabic`]: 'محمد عبد الرحمن الحداد',
          [`m${i}_birthDate`]: '2001',
        },
        'add',
      );
      expect(res.statusCode).toBe(200);
      expect(Buffer.byteLength(res.body) + css).toBeLessThan(30_000);
    }
    res = await c.submit(res.body, { m19_given: 'Person19' }, 'edit:3');
    expect(res.body).toContain('value="Person3"');
    expect(res.body).not.toContain('name="m19_given"');
    res = await c.submit(res.body, { m3_given: 'Person3b' }, 'remove:5');
    expect(res.body).toContain('value="Person3b"');
    expect(res.body).not.toContain('Person5<');
    res = await c.submit(res.body, { m3_given: 'Person3b' });
    expect(res.body).toContain('c_phone');
  });

  it('limits requests per address and answers in the page language', async () => {
    const limited = await createTestContext('sqlite', { PORTAL_RATE_LIMIT_PER_MINUTE: '3' });
    const small = await buildApp(limited.ctx);
    try {
      const codes = [];
      for (let i = 0; i < 4; i += 1)
        codes.push((await small.inject({ method: 'GET', url: '/fr/' })).statusCode);
      expect(codes.slice(0, 3).every((c) => c < 400)).toBe(true);
      const last = await small.inject({ method: 'GET', url: '/fr/' });
      expect(last.statusCode).toBe(429);
      expect(last.headers['content-type']).toContain('text/html');
      expect(last.body).toContain('Trop de tentatives');
    } finally {
      await small.close();
      await limited.close();
    }
  });

  it('gives the same answer for an unknown reference and a wrong secret', async () => {
    const c = new PortalClient(app);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/public/registrations',
      payload: {
        registeredBy: 'self',
        intention: 'stay',
        members: [{ relationship: 'head', nameLatin: { given: 'Test' } }],
      },
    });
    const { reference, updateSecret } = res.json<{ reference: string; updateSecret: string }>();
    const wrongSecret = await c.get(`/u/${reference.replaceAll('-', '')}/${'A'.repeat(22)}`);
    const unknown = await c.get(`/u/346346346/${updateSecret}`);
    expect(wrongSecret.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrongSecret.body).toBe(unknown.body);
  });

  it('refuses a form without the anti-forgery cookie, a tampered draft and a filled honeypot', async () => {
    const c = new PortalClient(app);
    const page = (await c.get(`/en/c/${slug}/`)).body;
    const cookie = c.cookie;
    c.cookie = '';
    expect((await c.submit(page, { accept: 'yes' })).statusCode).toBe(403);
    c.cookie = cookie;
    const tampered = page.replace(/name="draft" value="([^".]+)\./, 'name="draft" value="$1x.');
    expect((await c.submit(tampered, { accept: 'yes' })).statusCode).toBe(403);
    expect((await c.submit(page, { accept: 'yes', website: 'http://spam.example' })).statusCode).toBe(400);
    expect((await c.submit(page, { accept: 'yes' })).statusCode).toBe(200);
  });
});
