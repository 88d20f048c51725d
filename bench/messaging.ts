/**
 * Messaging benchmark: queue a 100,000-recipient campaign with the campaign service's real
 * `queueCampaign` (audience resolution, rendering, durable batched outbox inserts) on SQLite, then
 * drain it with the real outbox worker to a local fake SMS gateway (generic JSON webhook protocol)
 * with the channel's throttle set high. At the gateway, against the outbox: `duplicates` counts
 * messages whose id reached the gateway more than once (idempotency keys not credited), `lost`
 * outbox rows the gateway never accepted.
 *
 *   npm run bench:messaging          (BENCH_RECIPIENTS=100000)
 *
 * Prints progress to stderr and, last, one JSON line:
 * {"recipients":…,"queueSeconds":…,"messagesPerSec":…,"duplicates":0,"lost":0}
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Insertable } from 'kysely';
import { createAppContext } from '../src/app-context.js';
import { loadConfig } from '../src/config.js';
import type { HouseholdTable, PersonContactTable, PersonTable } from '../src/db/schema.js';
import { newId } from '../src/lib/ids.js';
import { createLogger } from '../src/lib/logger.js';
import { queueCampaign } from '../src/modules/messaging/campaign.service.js';
import { OutboxWorker } from '../src/modules/messaging/delivery/outbox-worker.js';
import { insertChannel } from '../src/modules/messaging/delivery/testing/outbox-fixtures.js';
import { seedCrisis } from '../test/fixtures/persons/seed.js';

const recipients = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const log = (text: string) => process.stderr.write(`${text}\n`);

const dataDir = mkdtempSync(join(tmpdir(), 'corridor-bench-messaging-'));
const ctx = await createAppContext(
  loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
  }),
  createLogger('silent'),
);
/** The fake SMS gateway runs in its own thread, so it does not take the worker's event loop. */
type GatewayMessage =
  | { type: 'ready'; url: string; token: string }
  | {
      type: 'stats';
      requests: number;
      replays: number;
      accepted: [string, number][];
      requested: [string, number][];
    };
const thread = new Worker(new URL('../src/jobs/tsx-worker.mjs', import.meta.url), {
  workerData: {
    workerModule: new URL('../src/modules/messaging/delivery/testing/gateway-thread.ts', import.meta.url)
      .href,
  },
});
const ask = <T extends GatewayMessage['type']>(type: T, send?: string) =>
  new Promise<Extract<GatewayMessage, { type: T }>>((resolve) => {
    const listen = (m: GatewayMessage) => {
      if (m.type !== type) return;
      thread.off('message', listen);
      resolve(m as Extract<GatewayMessage, { type: T }>);
    };
    thread.on('message', listen);
    if (send) thread.postMessage(send);
  });
const gateway = await ask('ready');
try {
  const { crisis, zones } = await seedCrisis(ctx, 'Messaging benchmark crisis');
  const zoneId = zones[1]!.id;
  // 100,000 reachable people, one household and one phone each, written straight to the tables.
  const started = Date.now();
  const at = new Date().toISOString();
  for (let from = 0; from < recipients; from += 5_000) {
    const n = Math.min(5_000, recipients - from);
    const households: HouseholdTable[] = [];
    const persons: Insertable<PersonTable>[] = [];
    const contacts: PersonContactTable[] = [];
    for (let i = from; i < from + n; i += 1) {
      const householdId = newId();
      const personId = newId();
      households.push({
        id: householdId,
        crisis_id: crisis.id,
        reference: `BENCH-${String(i).padStart(7, '0')}`,
        update_secret_hash: `bench-${i}`,
        channel: 'import',
        registered_by: 'self',
        registrant_name: null,
        registrant_relationship: null,
        registrant_contact: null,
        registered_by_staff_id: null,
        locale: i % 3 === 0 ? 'ar' : i % 3 === 1 ? 'fr' : 'en',
        head_person_id: personId,
        safe_reported_at: null,
        created_at: at,
        updated_at: at,
        anonymised_at: null,
      });
      persons.push({
        id: personId,
        crisis_id: crisis.id,
        household_id: householdId,
        relationship: 'head',
        given_name: `Given${i}`,
        father_name: null,
        grandfather_name: null,
        family_name: 'Synthetic',
        full_name: `Given${i} Synthetic`,
        given_name_ar: null,
        father_name_ar: null,
        grandfather_name_ar: null,
        family_name_ar: null,
        full_name_ar: null,
        sex: 'unknown',
        birth_date: '1990',
        birth_precision: 'year',
        birth_place: null,
        nationalities: '["US"]',
        eligibility_category: 'citizen',
        citizen_person_id: null,
        eligibility: 'eligible',
        eligibility_reason: 'citizen',
        zone_id: zoneId,
        place: null,
        latitude: null,
        longitude: null,
        location_confirmed_at: null,
        intention: 'leave',
        vulnerabilities: '[]',
        needs: null,
        status: 'registered',
        channel: 'import',
        search_text: `given${i} synthetic`,
        created_at: at,
        updated_at: at,
        anonymised_at: null,
      });
      contacts.push({
        id: newId(),
        household_id: householdId,
        person_id: null,
        crisis_id: crisis.id,
        kind: 'phone',
        value: `+97059${String(1_000_000 + i).padStart(7, '0')}`,
        whatsapp: 0,
        created_at: at,
      });
    }
    await ctx.db.writer.write(async (trx) => {
      for (let i = 0; i < n; i += 400) {
        await trx
          .insertInto('households')
          .values(households.slice(i, i + 400))
          .execute();
        await trx
          .insertInto('persons')
          .values(persons.slice(i, i + 400))
          .execute();
        await trx
          .insertInto('person_contacts')
          .values(contacts.slice(i, i + 400))
          .execute();
      }
    });
  }
  log(`registry: ${recipients} people in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  await insertChannel(ctx, {
    crisisId: crisis.id,
    channel: 'sms',
    provider: 'webhook',
    settings: { url: `${gateway.url}/send`, concurrency: 64, timeoutMs: 10_000 },
    secretEnv: 'MESSAGING_BENCH_TOKEN',
    ratePerSecond: 10_000,
  });
  const templateId = newId();
  const campaignId = newId();
  await ctx.db.writer.write(async (trx) => {
    await trx
      .insertInto('message_templates')
      .values({
        id: templateId,
        crisis_id: crisis.id,
        name: 'Rafah opening',
        purpose: 'list_notice',
        bodies: JSON.stringify({
          en: { body: 'The Rafah crossing is expected to open tomorrow at 09:00. Reference {{reference}}.' },
          fr: {
            body: 'Le point de passage de Rafah devrait ouvrir demain à 09h00. Référence {{reference}}.',
          },
          ar: { body: 'من المتوقع أن يفتح معبر رفح غداً الساعة 09:00. المرجع {{reference}}.' },
        }),
        created_by: null,
        created_at: at,
        updated_at: at,
        archived_at: null,
      })
      .execute();
    await trx
      .insertInto('message_campaigns')
      .values({
        id: campaignId,
        crisis_id: crisis.id,
        name: 'Rafah opening',
        template_id: templateId,
        purpose: 'list_notice',
        audience: '{}',
        channels: '["sms"]',
        variables: '{}',
        status: 'approved',
        recipient_count: 0,
        source: 'staff',
        source_id: null,
        created_by: null,
        submitted_by: null,
        approved_by: null,
        approved_at: at,
        scheduled_at: at,
        queued_at: null,
        cancelled_by: null,
        cancelled_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
  });

  const queueStart = performance.now();
  const queued = await queueCampaign(ctx, campaignId);
  const queueSeconds = (performance.now() - queueStart) / 1000;
  log(`queued ${queued.inserted} messages in ${queueSeconds.toFixed(2)} s`);

  const worker = new OutboxWorker(ctx, { env: { MESSAGING_BENCH_TOKEN: gateway.token }, batchSize: 1_000 });
  const drainStart = performance.now();
  const progress = setInterval(
    () => void ask('stats', 'stats').then((st) => log(`gateway: ${st.requests} requests`)),
    5_000,
  );
  const result = await worker.drainUntilIdle();
  clearInterval(progress);
  const drainSeconds = (performance.now() - drainStart) / 1000;
  worker.close();

  const outbox = await ctx.db.db
    .selectFrom('messages')
    .select(['id', 'status'])
    .where('campaign_id', '=', campaignId)
    .execute();
  const stats = await ask('stats', 'stats');
  const accepted = new Map(stats.accepted);
  // Strict: a message that reached the gateway twice counts, even if the gateway's idempotency key
  // would have kept the person from receiving it twice.
  const duplicates = stats.requested.filter(([, count]) => count > 1).length;
  const lost = outbox.filter((m) => !accepted.has(m.id)).length;
  const inOutbox = new Set(outbox.map((m) => m.id));
  const unknown = stats.accepted.filter(([id]) => !inOutbox.has(id)).length;
  log(
    `drained ${result.sent} in ${drainSeconds.toFixed(2)} s (retried ${result.retried}, parked ${result.parked}, unknown at gateway ${unknown})`,
  );
  process.stdout.write(
    `${JSON.stringify({
      recipients: queued.recipients,
      queueSeconds: Number(queueSeconds.toFixed(2)),
      messagesPerSec: Math.round(result.sent / drainSeconds),
      duplicates,
      lost,
    })}\n`,
  );
} finally {
  thread.postMessage('close');
  await new Promise((resolve) => thread.once('exit', resolve));
  await ctx.db.close();
  rmSync(dataDir, { recursive: true, force: true });
}
