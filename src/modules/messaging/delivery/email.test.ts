import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedCrisis } from '../../../../test/fixtures/persons/seed.js';
import { createTestContext, DIALECTS } from '../../../../test/helpers/context.js';
import type { AppContext } from '../../../app-context.js';
import { OutboxWorker } from './outbox-worker.js';
import { insertCampaignWithMessages, insertChannel } from './testing/outbox-fixtures.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server: requires a login, refuses one mailbox permanently and one temporarily once. */
async function startSmtp(): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  let tempFailures = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'crisis-cell' && auth.password === 'smtp pw')
        return cb(null, { user: 'crisis-cell' });
      cb(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, cb) {
      if (address.address === 'nobody@example.org') {
        const e = new Error('Mailbox unavailable') as Error & { responseCode: number };
        e.responseCode = 550;
        return cb(e);
      }
      if (address.address === 'busy@example.org' && tempFailures++ === 0) {
        const e = new Error('Try again later') as Error & { responseCode: number };
        e.responseCode = 451;
        return cb(e);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Decodes one MIME part (quoted-printable or base64) well enough to read the text. */
function textPart(raw: string, type: 'plain' | 'html' = 'plain'): string {
  const head = `Content-Type: text/${type}; charset=utf-8\r\nContent-Transfer-Encoding: `;
  const at = raw.indexOf(head);
  if (at < 0) throw new Error(`no text/${type} part in\n${raw}`);
  const rest = raw.slice(at + head.length);
  const encoding = rest.slice(0, rest.indexOf('\r\n'));
  const body = rest.slice(rest.indexOf('\r\n\r\n') + 4, rest.indexOf('\r\n--'));
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable')
    return Buffer.from(
      body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return body;
}

function decodedSubject(raw: string): string {
  const line = raw.match(/^Subject: (.*(?:\r\n[ \t].*)*)/m)![1]!;
  return line
    .replace(/\r\n[ \t]/g, ' ')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

for (const dialect of DIALECTS) {
  describe(`email over SMTP (${dialect})`, () => {
    let ctx: AppContext;
    let close: () => Promise<void>;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let crisisId: string;

    beforeEach(async () => {
      ({ ctx, close } = await createTestContext(dialect));
      crisisId = (await seedCrisis(ctx)).crisis.id;
      smtp = await startSmtp();
    });
    afterEach(async () => {
      await smtp.close();
      await close();
    });

    it('delivers Arabic and French mail to a real SMTP server, parks 5xx, retries 4xx', async () => {
      await insertChannel(ctx, {
        crisisId,
        channel: 'email',
        provider: 'smtp',
        settings: {
          host: '127.0.0.1',
          port: smtp.port,
          from: 'Crisis cell <cell@example.org>',
          user: 'crisis-cell',
          timeoutMs: 3000,
          concurrency: 2,
        },
        secretEnv: 'MESSAGING_SMTP_PASSWORD',
      });
      const arabic = 'يُتوقع أن يفتح معبر رفح غداً الساعة 09:00. إذا كان اسمك على القائمة، توجّه إلى البوابة.';
      const { messageIds } = await insertCampaignWithMessages(ctx, {
        crisisId,
        recipients: [
          {
            address: 'layla@example.org',
            channel: 'email',
            language: 'ar',
            subject: 'معبر رفح: فتح متوقع غداً',
            body: arabic,
          },
          {
            address: 'marie@example.org',
            channel: 'email',
            language: 'fr',
            subject: 'Point de passage',
            body: 'Le passage ouvrira demain à 09 h 00.',
          },
          { address: 'nobody@example.org', channel: 'email', subject: 'Crossing', body: 'x' },
          { address: 'busy@example.org', channel: 'email', subject: 'Crossing', body: 'Later is fine.' },
        ],
      });
      const worker = new OutboxWorker(ctx, {
        env: { MESSAGING_SMTP_PASSWORD: 'smtp pw' },
        backoffBaseMs: 20,
        backoffMaxMs: 40,
        pollMs: 10,
      });
      await worker.drainUntilIdle();
      await new Promise((r) => setTimeout(r, 80));
      await worker.drainUntilIdle();
      worker.close();

      const rows = await ctx.db.db
        .selectFrom('messages')
        .select(['id', 'status', 'attempts', 'last_error', 'provider_message_id'])
        .where('id', 'in', messageIds)
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const [ar, fr, nobody, busy] = messageIds.map((id) => byId.get(id)!);
      expect(ar!.status).toBe('sent');
      expect(ar!.provider_message_id).toBe(`<${messageIds[0]}@corridor.invalid>`);
      expect(fr!.status).toBe('sent');
      expect(nobody!.status).toBe('parked');
      expect(nobody!.last_error).toContain('550');
      expect(busy!.status).toBe('sent');
      expect(busy!.attempts).toBe(2);

      expect(smtp.received.map((r) => r.to[0]).sort()).toEqual([
        'busy@example.org',
        'layla@example.org',
        'marie@example.org',
      ]);
      const mail = smtp.received.find((r) => r.to[0] === 'layla@example.org')!;
      expect(mail.from).toBe('cell@example.org');
      expect(decodedSubject(mail.raw)).toBe('معبر رفح: فتح متوقع غداً');
      expect(textPart(mail.raw)).toBe(arabic);
      expect(textPart(mail.raw, 'html')).toContain('<div dir="rtl" lang="ar">');
      const french = smtp.received.find((r) => r.to[0] === 'marie@example.org')!;
      expect(textPart(french.raw)).toBe('Le passage ouvrira demain à 09 h 00.');
    });

    it('parks mail when the SMTP password is wrong (a configuration error, not a retry loop)', async () => {
      await insertChannel(ctx, {
        crisisId,
        channel: 'email',
        provider: 'smtp',
        settings: {
          host: '127.0.0.1',
          port: smtp.port,
          from: 'cell@example.org',
          user: 'crisis-cell',
          timeoutMs: 3000,
        },
        secretEnv: 'MESSAGING_SMTP_PASSWORD',
      });
      const { messageIds } = await insertCampaignWithMessages(ctx, {
        crisisId,
        recipients: [{ address: 'layla@example.org', channel: 'email', subject: 'x', body: 'y' }],
      });
      const worker = new OutboxWorker(ctx, { env: { MESSAGING_SMTP_PASSWORD: 'wrong' } });
      await worker.drainUntilIdle();
      worker.close();
      const row = await ctx.db.db
        .selectFrom('messages')
        .select(['status', 'last_error'])
        .where('id', '=', messageIds[0]!)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('parked');
      expect(row.last_error).toContain('535');
      expect(smtp.received).toHaveLength(0);
    });
  });
}
