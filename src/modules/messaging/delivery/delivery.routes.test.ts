import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyRegistration } from '../../../../test/fixtures/persons/registrations.js';
import { call, type Session, signIn } from '../../../../test/helpers/api.js';
import { DIALECTS } from '../../../../test/helpers/context.js';
import { startTestServer, type TestServer } from '../../../../test/helpers/server.js';
import { systemActor } from '../../../access/actor.js';
import { startWelfareRun } from '../../cases/welfare.service.js';
import type { RegistrationBody } from '../../persons/person.schemas.js';
import { OutboxWorker } from './outbox-worker.js';
import {
  type FakeGateway,
  postSignedJson,
  postTwilioForm,
  startFakeGateway,
} from './testing/fake-gateway.js';
import { insertCampaignWithMessages } from './testing/outbox-fixtures.js';

const single = (
  crisis: string,
  phone: string,
  locale: 'en' | 'fr' | 'ar',
  given: string,
): RegistrationBody => ({
  crisis,
  registeredBy: 'self',
  locale,
  intention: 'undecided',
  location: { zone: 'KHAN-YOUNIS' },
  contacts: [{ phone }],
  members: [
    {
      relationship: 'head',
      nameLatin: { given, family: 'Synthetic' },
      sex: 'female',
      birthDate: '1990',
      nationalities: ['US'],
      eligibilityCategory: 'citizen',
    },
  ],
});

for (const dialect of DIALECTS) {
  describe(`delivery: channels, callbacks, inbound replies and triage (${dialect})`, () => {
    let server: TestServer;
    let manager: Session;
    let officer: Session;
    let analyst: Session;
    let crisisId: string;
    let gw: FakeGateway;
    let smsChannelId: string;
    let waChannelId: string;
    let base: string;
    let seq = 0;
    const env = process.env;

    const register = async (body: RegistrationBody) => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(201);
      const h = await server.ctx.db.db
        .selectFrom('households')
        .select('id')
        .where('reference', '=', res.json().reference)
        .executeTakeFirstOrThrow();
      return server.ctx.db.db
        .selectFrom('persons')
        .select(['id', 'given_name', 'given_name_ar', 'status', 'intention'])
        .where('household_id', '=', h.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    };
    const person = (id: string) =>
      server.ctx.db.db
        .selectFrom('persons')
        .select(['status', 'intention'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const inbound = (from: string, text: string, id = `in-${++seq}`) =>
      postSignedJson(
        `${server.url}/api/v1/public/messaging/${smsChannelId}/inbound`,
        env.MESSAGING_SMS_TOKEN!,
        {
          id,
          from,
          text,
        },
      );
    const replyOf = async (messageId: string | null) =>
      messageId
        ? server.ctx.db.db
            .selectFrom('messages')
            .select(['body', 'language', 'address', 'campaign_id', 'status', 'channel', 'segments'])
            .where('id', '=', messageId)
            .executeTakeFirstOrThrow()
        : undefined;

    beforeAll(async () => {
      gw = await startFakeGateway();
      env.MESSAGING_SMS_TOKEN = gw.token;
      server = await startTestServer({ dialect, env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
      crisisId = (await server.createCrisis({ name: 'Messaging crisis' })).id;
      const { createZone } = await import('../../crises/crisis.service.js');
      await createZone(server.ctx, systemActor(), crisisId, { name: 'Khan Younis', code: 'KHAN-YOUNIS' });
      base = `/api/v1/crises/${crisisId}/messaging`;
      const m = await server.createStaff({
        email: 'cm@example.org',
        password: 'manager pw 123',
        grants: [{ role: 'crisis_manager', crisisId }],
      });
      manager = await signIn(server.app, 'cm@example.org', 'manager pw 123', m.totpSecret);
      const o = await server.createStaff({
        email: 'co@example.org',
        password: 'officer pw 123',
        grants: [{ role: 'consular_officer', crisisId }],
      });
      officer = await signIn(server.app, 'co@example.org', 'officer pw 123', o.totpSecret);
      const a = await server.createStaff({
        email: 'an@example.org',
        password: 'analyst pw 123',
        grants: [{ role: 'analyst', crisisId }],
      });
      analyst = await signIn(server.app, 'an@example.org', 'analyst pw 123', a.totpSecret);
    });
    afterAll(async () => {
      await server?.close();
      await gw?.close();
      delete env.MESSAGING_SMS_TOKEN;
      delete env.MESSAGING_TWILIO_TOKEN;
    });

    it('configures channels with validated settings, secrets only by variable name, and tests them', async () => {
      const noSecret = await call(server.app, manager, 'POST', `${base}/channels`, {
        channel: 'sms',
        provider: 'webhook',
        settings: { url: `${gw.url}/send` },
      });
      expect(noSecret.statusCode).toBe(400);
      expect(noSecret.json().error.fields[0].path).toBe('secretEnv');
      const coreSecret = await call(server.app, manager, 'POST', `${base}/channels`, {
        channel: 'sms',
        provider: 'webhook',
        settings: { url: `${gw.url}/send` },
        secretEnv: 'SECRET_KEY',
      });
      expect(coreSecret.statusCode).toBe(400);
      expect(coreSecret.json().error.fields[0].path).toBe('secretEnv');
      const badUrl = await call(server.app, manager, 'POST', `${base}/channels`, {
        channel: 'sms',
        provider: 'webhook',
        settings: { url: 'ftp://x' },
        secretEnv: 'MESSAGING_SMS_TOKEN',
      });
      expect(badUrl.statusCode).toBe(400);
      expect(badUrl.json().error.fields[0].path).toBe('settings.url');
      const wrongProvider = await call(server.app, manager, 'POST', `${base}/channels`, {
        channel: 'email',
        provider: 'twilio',
        settings: {},
      });
      expect(wrongProvider.json().error.fields[0].path).toBe('provider');
      const forbidden = await call(server.app, analyst, 'POST', `${base}/channels`, {
        channel: 'sms',
        provider: 'console',
      });
      expect(forbidden.statusCode).toBe(403);
      const officerTry = await call(server.app, officer, 'POST', `${base}/channels`, {
        channel: 'sms',
        provider: 'console',
      });
      expect(officerTry.statusCode).toBe(403);

      const created = await call(server.app, manager, 'POST', `${base}/channels`, {
        channel: 'sms',
        provider: 'webhook',
        settings: { url: `${gw.url}/send`, timeoutMs: 2000 },
        secretEnv: 'MESSAGING_SMS_TOKEN',
        ratePerSecond: 50,
      });
      expect(created.statusCode, created.body).toBe(201);
      smsChannelId = created.json().id;
      expect(created.json()).toMatchObject({ secretSet: true, settings: { url: `${gw.url}/send` } });
      expect(created.body).not.toContain(gw.token);
      const twice = await call(server.app, manager, 'POST', `${base}/channels`, {
        channel: 'sms',
        provider: 'console',
      });
      expect(twice.statusCode).toBe(409);

      const test = await call(server.app, manager, 'POST', `${base}/channels/${smsChannelId}/test`, {
        to: '+970599000001',
      });
      expect(test.json()).toMatchObject({ ok: true });
      expect(gw.requests.at(-1)!.to).toBe('+970599000001');

      const listed = await call(server.app, officer, 'GET', `${base}/channels`);
      expect(listed.json().items.map((c: { id: string }) => c.id)).toEqual([smsChannelId]);

      // WhatsApp over the Twilio-shaped API; the token variable is missing at first.
      const wa = await call(server.app, manager, 'POST', `${base}/channels`, {
        channel: 'whatsapp',
        provider: 'twilio',
        settings: { baseUrl: gw.url, accountSid: gw.accountSid, from: '+15005550006' },
        secretEnv: 'MESSAGING_TWILIO_TOKEN',
      });
      expect(wa.statusCode, wa.body).toBe(201);
      waChannelId = wa.json().id;
      expect(wa.json().secretSet).toBe(false);
      const failing = await call(server.app, manager, 'POST', `${base}/channels/${waChannelId}/test`, {
        to: '+970599000001',
      });
      expect(failing.json()).toMatchObject({ ok: false, permanent: true });
      expect(failing.json().error).toContain('MESSAGING_TWILIO_TOKEN');
      const edited = await call(server.app, manager, 'PATCH', `${base}/channels/${waChannelId}`, {
        ratePerSecond: 25,
      });
      expect(edited.json()).toMatchObject({ ratePerSecond: 25, provider: 'twilio' });
    });

    it('parks messages of a channel whose secret is missing, then sends them after a retry', async () => {
      const { messageIds } = await insertCampaignWithMessages(server.ctx, {
        crisisId,
        recipients: [{ address: '+970599000002', channel: 'whatsapp', body: 'مرحبا' }],
      });
      const worker = new OutboxWorker(server.ctx, { env, pollMs: 10 });
      await worker.drainUntilIdle();
      let row = await server.ctx.db.db
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', messageIds[0]!)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('parked');
      expect(row.last_error).toContain('MESSAGING_TWILIO_TOKEN is not set');

      env.MESSAGING_TWILIO_TOKEN = gw.token;
      const dash = await call(server.app, manager, 'GET', `${base}/delivery`);
      expect(dash.json().failures[0]).toMatchObject({ status: 'parked', count: 1 });
      const retry = await call(server.app, manager, 'POST', `${base}/messages/retry`, {
        channel: 'whatsapp',
      });
      expect(retry.json()).toEqual({ requeued: 1 });
      await worker.drainUntilIdle();
      worker.close();
      row = await server.ctx.db.db
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', messageIds[0]!)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('sent');
      const req = gw.requests.find((r) => r.messageId === messageIds[0])!;
      expect(req).toMatchObject({
        protocol: 'twilio',
        to: 'whatsapp:+970599000002',
        from: 'whatsapp:+15005550006',
        text: 'مرحبا',
      });
      expect(row.provider_message_id).toMatch(/^SM[0-9a-f]{32}$/);

      // Twilio status callbacks: signed over the full public URL and the sorted form fields.
      const url = `${server.url}${new URL(req.statusUrl).pathname}${new URL(req.statusUrl).search}`;
      const form = {
        MessageSid: row.provider_message_id!,
        MessageStatus: 'delivered',
        AccountSid: gw.accountSid,
      };
      const bad = await postTwilioForm(url, url, gw.token, form, { badSignature: true });
      expect(bad.status).toBe(401);
      expect(
        (
          await server.ctx.db.db
            .selectFrom('messages')
            .select('status')
            .where('id', '=', row.id)
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('sent');
      const otherUrl = await postTwilioForm(url, `${url}&x=1`, gw.token, form);
      expect(otherUrl.status).toBe(401);
      const good = await postTwilioForm(url, url, gw.token, form);
      expect(await good.json()).toEqual({ outcome: 'applied' });
      const again = await postTwilioForm(url, url, gw.token, form);
      expect(await again.json()).toEqual({ outcome: 'duplicate' });
      const late = await postTwilioForm(url, url, gw.token, { ...form, MessageStatus: 'sent' });
      expect(await late.json()).toEqual({ outcome: 'ignored' });
      expect(
        (
          await server.ctx.db.db
            .selectFrom('messages')
            .select('status')
            .where('id', '=', row.id)
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('delivered');
    });

    it('applies generic gateway callbacks once, never backwards, and refuses bad signatures', async () => {
      const { messageIds } = await insertCampaignWithMessages(server.ctx, {
        crisisId,
        recipients: [1, 2].map((i) => ({ address: `+97059900010${i}`, channel: 'sms' as const })),
      });
      const worker = new OutboxWorker(server.ctx, { env, pollMs: 10 });
      await worker.drainUntilIdle();
      worker.close();
      const [a, b] = messageIds as [string, string];
      const statusUrl = `${server.url}/api/v1/public/messaging/${smsChannelId}/status`;
      const status = async (id: string) =>
        await server.ctx.db.db
          .selectFrom('messages')
          .select(['status', 'last_error'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();

      const forged = await postSignedJson(
        statusUrl,
        env.MESSAGING_SMS_TOKEN!,
        { id: a, status: 'failed' },
        { badSignature: true },
      );
      expect(forged.status).toBe(401);
      const unsigned = await fetch(statusUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: a, status: 'failed' }),
      });
      expect(unsigned.status).toBe(401);
      expect((await status(a)).status).toBe('sent');

      const delivered = { eventId: 'ev-1', id: a, status: 'delivered' };
      expect(await (await postSignedJson(statusUrl, env.MESSAGING_SMS_TOKEN!, delivered)).json()).toEqual({
        outcome: 'applied',
      });
      expect(await (await postSignedJson(statusUrl, env.MESSAGING_SMS_TOKEN!, delivered)).json()).toEqual({
        outcome: 'duplicate',
      });
      // Out of order: "sent" arrives after "delivered".
      expect(
        await (
          await postSignedJson(statusUrl, env.MESSAGING_SMS_TOKEN!, {
            eventId: 'ev-0',
            id: a,
            status: 'sent',
          })
        ).json(),
      ).toEqual({ outcome: 'ignored' });
      expect((await status(a)).status).toBe('delivered');
      // By the gateway's id, a bounce with its reason.
      const gwId = gw.accepted.get(b)!.providerId;
      expect(
        await (
          await postSignedJson(statusUrl, env.MESSAGING_SMS_TOKEN!, {
            providerMessageId: gwId,
            status: 'undelivered',
            error: 'handset off',
          })
        ).json(),
      ).toEqual({ outcome: 'applied' });
      expect(await status(b)).toEqual({ status: 'failed', last_error: 'undelivered: handset off' });
      const badBody = await postSignedJson(statusUrl, env.MESSAGING_SMS_TOKEN!, {
        id: a,
        status: 'exploded',
      });
      expect(badBody.status).toBe(400);
      expect(
        ((await badBody.json()) as { error: { fields: { path: string }[] } }).error.fields[0]!.path,
      ).toBe('status');
      const events = await server.ctx.db.db
        .selectFrom('message_events')
        .select('status')
        .where('message_id', '=', a)
        .execute();
      expect(events.map((e) => e.status).sort()).toEqual(['delivered', 'sent', 'sent']);
    });

    it('applies a burst of callbacks in groups: every one recorded, audited per group', async () => {
      const { messageIds } = await insertCampaignWithMessages(server.ctx, {
        crisisId,
        recipients: Array.from({ length: 40 }, (_, i) => ({
          address: `+9705998${String(10_000 + i)}`,
          channel: 'sms' as const,
        })),
      });
      const worker = new OutboxWorker(server.ctx, { env, pollMs: 10 });
      await worker.drainUntilIdle();
      worker.close();
      const statusUrl = `${server.url}/api/v1/public/messaging/${smsChannelId}/status`;
      const before = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('seq')
        .where('action', '=', 'message.status_callbacks')
        .execute();
      const answers = await Promise.all(
        messageIds.map(async (id) =>
          (
            await postSignedJson(statusUrl, env.MESSAGING_SMS_TOKEN!, {
              eventId: `burst-${id}`,
              id,
              status: 'delivered',
            })
          ).json(),
        ),
      );
      expect(answers).toEqual(messageIds.map(() => ({ outcome: 'applied' })));
      const delivered = await server.ctx.db.db
        .selectFrom('messages')
        .select('id')
        .where('id', 'in', messageIds)
        .where('status', '=', 'delivered')
        .execute();
      expect(delivered).toHaveLength(40);
      const after = await server.ctx.db.db
        .selectFrom('audit_log')
        .select('seq')
        .where('action', '=', 'message.status_callbacks')
        .execute();
      expect(after.length - before.length).toBeGreaterThan(0);
      expect(after.length - before.length).toBeLessThan(40);
    });

    it('understands SAFE, LEAVE, STAY and HELP in English, French and Arabic and confirms in the person’s language', async () => {
      const cases: [string, 'en' | 'fr' | 'ar', string, string][] = [
        ['+970599100001', 'en', 'safe', 'safe'],
        ['+970599100002', 'fr', 'Sûr', 'safe'],
        ['+970599100003', 'fr', 'en sécurité !', 'safe'],
        ['+970599100004', 'ar', 'آمن', 'safe'],
        ['+970599100005', 'ar', 'بخير', 'safe'],
        ['+970599100006', 'en', 'LEAVE', 'leave'],
        ['+970599100007', 'fr', 'partir', 'leave'],
        ['+970599100008', 'ar', 'مغادرة', 'leave'],
        ['+970599100009', 'ar', 'أريد المغادرة', 'leave'],
        ['+970599100010', 'en', 'Stay', 'stay'],
        ['+970599100011', 'fr', 'RESTER', 'stay'],
        ['+970599100012', 'ar', 'البقاء', 'stay'],
        ['+970599100013', 'en', 'help my father is hurt', 'help'],
        ['+970599100014', 'fr', 'aide', 'help'],
        ['+970599100015', 'ar', 'مساعدة', 'help'],
      ];
      for (const [phone, locale, text, keyword] of cases) {
        const [p] = await register(single(crisisId, phone, locale, `P${phone.slice(-2)}`));
        const res = await inbound(phone, text);
        expect(res.status, await res.clone().text()).toBe(200);
        const body = (await res.json()) as { id: string; outcome: string };
        expect(body.outcome, `${text}`).toBe('applied');
        const row = await server.ctx.db.db
          .selectFrom('inbound_messages')
          .selectAll()
          .where('id', '=', body.id)
          .executeTakeFirstOrThrow();
        expect(row).toMatchObject({ keyword, person_id: p!.id, triage_status: 'none' });
        const reply = await replyOf(row.reply_message_id);
        expect(reply).toMatchObject({
          language: locale,
          address: phone,
          campaign_id: null,
          status: 'queued',
        });
        const after = await person(p!.id);
        if (keyword === 'safe') {
          expect(after.status).toBe('safe');
          expect(reply!.body).toMatch(
            locale === 'ar' ? /بأمان/ : locale === 'fr' ? /en sécurité/ : /you are safe/,
          );
        }
        if (keyword === 'leave' || keyword === 'stay') expect(after.intention).toBe(keyword);
        if (keyword === 'help') {
          const c = await server.ctx.db.db
            .selectFrom('cases')
            .select(['type', 'source'])
            .where('person_id', '=', p!.id)
            .execute();
          expect(c).toEqual([{ type: 'other', source: 'sms' }]);
        }
      }
      // The person's history keeps the change and where it came from.
      const leaver = await server.ctx.db.db
        .selectFrom('person_contacts')
        .innerJoin('persons', 'persons.household_id', 'person_contacts.household_id')
        .select('persons.id')
        .where('person_contacts.value', '=', '+970599100006')
        .executeTakeFirstOrThrow();
      const history = await server.ctx.db.db
        .selectFrom('person_history')
        .select(['reason', 'changes'])
        .where('person_id', '=', leaver.id)
        .where('kind', '=', 'edit')
        .execute();
      expect(history[0]!.reason).toBe('Replied "LEAVE" by sms');
    });

    it('takes YES / OUI / نعم as the answer to an open welfare check, and only then', async () => {
      for (const [phone, locale, text] of [
        ['+970599200001', 'en', 'yes'],
        ['+970599200002', 'fr', 'Oui'],
        ['+970599200003', 'ar', 'نعم'],
      ] as const) {
        const [p] = await register(single(crisisId, phone, locale, 'Welfare'));
        const run = await startWelfareRun(server.ctx, systemActor(), crisisId, {
          name: 'Check after shelling',
          question: 'Are you safe? Reply YES',
          personIds: [p!.id],
          followUpAfterHours: 6,
          callAfterHours: 12,
        });
        expect(run).toBeTruthy();
        const res = (await (await inbound(phone, text)).json()) as { outcome: string };
        expect(res.outcome).toBe('applied');
        const c = await server.ctx.db.db
          .selectFrom('cases')
          .select('state')
          .where('person_id', '=', p!.id)
          .executeTakeFirstOrThrow();
        expect(c.state).toBe('resolved');
        expect((await person(p!.id)).status).toBe('safe');
      }
      const [q] = await register(single(crisisId, '+970599200004', 'en', 'NoCheck'));
      const res = (await (await inbound('+970599200004', 'yes')).json()) as { outcome: string };
      expect(res.outcome).toBe('triage');
      expect((await person(q!.id)).status).toBe('registered');
    });

    it('asks which member on a family phone (given names only) and accepts the number in the next reply', async () => {
      const phone = '+970599300001';
      const family = await register(
        familyRegistration({ crisis: crisisId, contacts: [{ phone }], locale: 'ar' }),
      );
      const first = (await (await inbound(phone, 'LEAVE')).json()) as { id: string; outcome: string };
      expect(first.outcome).toBe('ask_member');
      const asked = await server.ctx.db.db
        .selectFrom('inbound_messages')
        .selectAll()
        .where('id', '=', first.id)
        .executeTakeFirstOrThrow();
      const question = await replyOf(asked.reply_message_id);
      expect(question!.language).toBe('ar');
      expect(question!.body).toContain('1 لـ سمير');
      expect(question!.body).toContain('2 لـ ليلى');
      expect(question!.body).not.toContain('التستاوي');
      const second = (await (await inbound(phone, '٢')).json()) as { id: string; outcome: string };
      expect(second.outcome).toBe('applied');
      expect((await person(family[1]!.id)).intention).toBe('leave');
      expect((await person(family[0]!.id)).intention).toBe('leave'); // registered with "leave"
      const spouseOnly = await register(
        familyRegistration({
          crisis: crisisId,
          contacts: [{ phone: '+970599300002' }],
          intention: 'undecided',
        }),
      );
      const ask = (await (await inbound('+970599300002', 'stay')).json()) as { id: string };
      await inbound('+970599300002', '3');
      expect((await person(spouseOnly[2]!.id)).intention).toBe('stay');
      expect((await person(spouseOnly[1]!.id)).intention).toBe('undecided');
      const resolved = await server.ctx.db.db
        .selectFrom('inbound_messages')
        .select(['triage_status', 'person_id'])
        .where('id', '=', ask.id)
        .executeTakeFirstOrThrow();
      expect(resolved).toEqual({ triage_status: 'resolved', person_id: spouseOnly[2]!.id });
    });

    it('takes replies from the Twilio-shaped gateway, signed over the public URL, and answers TwiML', async () => {
      const [p] = await register(single(crisisId, '+970599500001', 'fr', 'Twilio'));
      const url = `${server.url}/api/v1/public/messaging/${waChannelId}/inbound`;
      const form = {
        MessageSid: 'SM0123456789abcdef0123456789abcdef',
        AccountSid: gw.accountSid,
        From: 'whatsapp:+970599500001',
        To: 'whatsapp:+15005550006',
        Body: 'PARTIR',
      };
      const forged = await postTwilioForm(url, url, env.MESSAGING_TWILIO_TOKEN!, form, {
        badSignature: true,
      });
      expect(forged.status).toBe(401);
      expect((await person(p!.id)).intention).toBe('undecided');
      const res = await postTwilioForm(url, url, env.MESSAGING_TWILIO_TOKEN!, form);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/xml');
      expect(await res.text()).toContain('<Response></Response>');
      expect((await person(p!.id)).intention).toBe('leave');
      const row = await server.ctx.db.db
        .selectFrom('inbound_messages')
        .selectAll()
        .where('provider_message_id', '=', form.MessageSid)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ channel: 'whatsapp', from_address: '+970599500001', outcome: 'applied' });
      expect(await replyOf(row.reply_message_id)).toMatchObject({ language: 'fr', address: '+970599500001' });
      // Twilio retries a webhook it thinks failed: the same MessageSid changes nothing.
      expect((await postTwilioForm(url, url, env.MESSAGING_TWILIO_TOKEN!, form)).status).toBe(200);
      const all = await server.ctx.db.db
        .selectFrom('inbound_messages')
        .select('id')
        .where('provider_message_id', '=', form.MessageSid)
        .execute();
      expect(all).toHaveLength(1);
    });

    it('puts free text and unknown senders in triage, idempotently, where staff resolve, link and reply', async () => {
      const [p] = await register(single(crisisId, '+970599400001', 'en', 'Freetext'));
      const text = await inbound('+970599400001', 'The road to the school is blocked', 'gw-dup-1');
      const again = await inbound('+970599400001', 'The road to the school is blocked', 'gw-dup-1');
      const t1 = (await text.json()) as { id: string; outcome: string };
      expect(t1.outcome).toBe('triage');
      expect(await again.json()).toMatchObject({ id: t1.id, duplicate: true });
      const unknown = (await (await inbound('+970599499999', 'safe')).json()) as {
        id: string;
        outcome: string;
      };
      expect(unknown.outcome).toBe('unmatched');
      const forged = await postSignedJson(
        `${server.url}/api/v1/public/messaging/${smsChannelId}/inbound`,
        env.MESSAGING_SMS_TOKEN!,
        { id: 'x', from: '+970599400001', text: 'safe' },
        { badSignature: true },
      );
      expect(forged.status).toBe(401);
      expect(
        await server.ctx.db.db
          .selectFrom('inbound_messages')
          .select('id')
          .where('provider_message_id', '=', 'x')
          .executeTakeFirst(),
      ).toBeUndefined();

      const denied = await call(server.app, analyst, 'GET', `${base}/triage`);
      expect(denied.statusCode).toBe(403);
      const list = await call(server.app, officer, 'GET', `${base}/triage`);
      expect(list.statusCode, list.body).toBe(200);
      const items = list.json().items as { id: string; person: { id: string } | null; body: string }[];
      const free = items.find((i) => i.id === t1.id)!;
      expect(free).toMatchObject({ body: 'The road to the school is blocked', person: { id: p!.id } });
      expect(items.some((i) => i.id === unknown.id)).toBe(true);

      const replied = await call(server.app, officer, 'POST', `${base}/triage/${t1.id}/reply`, {
        text: 'Thank you, noted.',
      });
      expect(replied.statusCode, replied.body).toBe(200);
      expect(await replyOf(replied.json().messageId)).toMatchObject({
        address: '+970599400001',
        body: 'Thank you, noted.',
        segments: 1,
      });
      // A long Arabic answer by SMS is counted in UCS-2 parts (67 characters each), like a campaign's.
      const longArabic = 'شكرا لكم، تم تسجيل رسالتكم وسنتصل بكم قريبا. '.repeat(3).trim();
      const long = await call(server.app, officer, 'POST', `${base}/triage/${t1.id}/reply`, {
        text: longArabic,
      });
      expect(long.statusCode, long.body).toBe(200);
      expect(await replyOf(long.json().messageId)).toMatchObject({
        channel: 'sms',
        segments: Math.ceil(longArabic.length / 67),
      });
      const resolved = await call(server.app, officer, 'POST', `${base}/triage/${t1.id}/resolve`, {
        note: 'Passed to the movement team',
      });
      expect(resolved.json()).toEqual({ id: t1.id, triageStatus: 'resolved' });
      expect(
        (await call(server.app, officer, 'POST', `${base}/triage/${t1.id}/resolve`, { note: 'again' }))
          .statusCode,
      ).toBe(409);
      const noNote = await call(server.app, officer, 'POST', `${base}/triage/${unknown.id}/resolve`, {});
      expect(noNote.json().error.fields[0].path).toBe('note');

      // The unknown sender turns out to be a registered person using a borrowed phone: SAFE applies once linked.
      const managerLink = await call(server.app, manager, 'POST', `${base}/triage/${unknown.id}/link`, {
        personId: p!.id,
      });
      expect(managerLink.statusCode).toBe(403);
      const linked = await call(server.app, officer, 'POST', `${base}/triage/${unknown.id}/link`, {
        personId: p!.id,
      });
      expect(linked.statusCode, linked.body).toBe(200);
      expect((await person(p!.id)).status).toBe('safe');
      const open = (await call(server.app, officer, 'GET', `${base}/triage`)).json().items as {
        id: string;
      }[];
      expect(open.map((i) => i.id)).not.toContain(unknown.id);
    });
  });
}
