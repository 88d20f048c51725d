import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { receiveInbound } from '../../src/modules/messaging/delivery/inbound.service.js';
import { findChannelRow } from '../../src/modules/messaging/delivery/outbox.repository.js';
import { OutboxWorker } from '../../src/modules/messaging/delivery/outbox-worker.js';
import {
  insertCampaignWithMessages,
  insertChannel,
} from '../../src/modules/messaging/delivery/testing/outbox-fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  assertConsoleBuilt,
  expectCleanPage,
  expectNoAxeViolations,
  field,
  launchBrowser,
  messages,
  openPage,
  signIn,
} from './browser.js';

// Synthetic people and staff only.
const PASSWORD = 'amber-kestrel-meadow-41';

describe('delivery in French: channels, the dashboard with a parked message retried, triage', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    crisisId = (await server.createCrisis({ name: 'Exercice Messagerie' })).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a manager adds a channel, sees a parked message and its reason, retries it; an officer triages a reply', async () => {
    const t = messages('fr');
    const manager = await server.createStaff({
      email: 'manager@example.test',
      password: PASSWORD,
      grants: [{ role: 'crisis_manager', crisisId }],
    });
    const officer = await server.createStaff({
      email: 'officer@example.test',
      password: PASSWORD,
      grants: [{ role: 'consular_officer', crisisId }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, watch } = await openPage(context, server.url);
    await signIn(page, {
      serverUrl: server.url,
      email: 'manager@example.test',
      password: PASSWORD,
      totpSecret: manager.totpSecret,
      locale: 'fr',
    });

    // A development SMS channel, added through the page.
    // The navigation lists the page (it may sit below the fold of a long menu); open it by its address.
    expect(
      await page.getByRole('navigation').getByRole('link', { name: t.delivery.nav.channels }).count(),
    ).toBe(1);
    await page.goto(`${server.url}/console/messaging/channels`);
    await page.getByText(t.delivery.channels.empty).waitFor();
    await page.getByTestId('channel-new').click();
    await field(page, t.delivery.channels.provider).selectOption('console');
    await page.getByTestId('channel-save').click();
    await expect
      .poll(() => page.getByTestId('channels-table').textContent())
      .toContain(t.delivery.providers.console);
    await expectNoAxeViolations(page, 'delivery channels');

    // A WhatsApp channel whose token variable is missing on the worker: its message is parked.
    await insertChannel(server.ctx, {
      crisisId,
      channel: 'whatsapp',
      provider: 'webhook',
      settings: { url: 'http://127.0.0.1:9/send' },
      secretEnv: 'MESSAGING_E2E_MISSING',
    });
    await insertCampaignWithMessages(server.ctx, {
      crisisId,
      recipients: [
        { address: '+970599700001', channel: 'sms', language: 'fr', body: 'Le passage ouvre demain à 9 h.' },
        { address: '+970599700002', channel: 'whatsapp', language: 'fr', body: 'Le passage ouvre demain.' },
      ],
    });
    const worker = new OutboxWorker(server.ctx, { env: {} });
    try {
      expect(await worker.drainUntilIdle()).toMatchObject({ sent: 1, parked: 1 });
    } finally {
      worker.close();
    }
    await page.goto(`${server.url}/console/messaging/delivery`);
    const failures = page.getByTestId('delivery-failures');
    await expect.poll(() => failures.textContent()).toContain('MESSAGING_E2E_MISSING');
    expect(
      await page.getByTestId('delivery-campaigns').locator('[data-status="delivered"]').first().textContent(),
    ).toBe('1');
    // The parked message itself, with its reason, and the console outbox with the delivered SMS.
    await expect.poll(() => page.getByTestId('delivery-messages').textContent()).toContain('+970599700002');
    await field(page, t.delivery.messages.show).selectOption('console');
    await expect
      .poll(() => page.getByTestId('delivery-messages').textContent())
      .toContain('Le passage ouvre demain à 9 h.');
    await expectNoAxeViolations(page, 'delivery dashboard');
    await page
      .getByTestId('delivery-campaigns')
      .getByRole('button', { name: new RegExp(t.delivery.dashboard.retryParked) })
      .click();
    await page.getByText(t.delivery.dashboard.requeued.replace('{{count}}', '1')).waitFor();
    const row = await server.ctx.db.db
      .selectFrom('messages')
      .select('status')
      .where('address', '=', '+970599700002')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('queued');
    expectCleanPage(watch);

    // A reply from an unknown number lands in triage; a consular officer closes it with a note.
    const sms = await server.ctx.db.db
      .selectFrom('message_channels')
      .select('id')
      .where('crisis_id', '=', crisisId)
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    await receiveInbound(server.ctx, (await findChannelRow(server.ctx.db.db, sms.id))!, {
      providerMessageId: 'e2e-inbound-1',
      from: '+970599799999',
      body: 'Nous sommes 4 à l’école, la route est coupée',
    });
    const context2 = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const second = await openPage(context2, server.url);
    await signIn(second.page, {
      serverUrl: server.url,
      email: 'officer@example.test',
      password: PASSWORD,
      totpSecret: officer.totpSecret,
      locale: 'fr',
    });
    expect(
      await second.page.getByRole('navigation').getByRole('link', { name: t.delivery.nav.triage }).count(),
    ).toBe(1);
    await second.page.goto(`${server.url}/console/messaging/triage`);
    const item = second.page.getByTestId('triage-item');
    await expect.poll(() => item.textContent()).toContain('la route est coupée');
    expect(await item.textContent()).toContain(t.delivery.triage.unknownSender);
    await expectNoAxeViolations(second.page, 'triage');
    await field(item, t.delivery.triage.resolveNote).fill('Transmis à l’équipe des mouvements');
    await item.getByTestId('triage-resolve').click();
    await second.page.getByText(t.delivery.triage.empty).waitFor();
    const resolved = await server.ctx.db.db
      .selectFrom('inbound_messages')
      .select(['triage_status', 'note'])
      .where('provider_message_id', '=', 'e2e-inbound-1')
      .executeTakeFirstOrThrow();
    expect(resolved).toEqual({ triage_status: 'resolved', note: 'Transmis à l’équipe des mouvements' });
    expectCleanPage(second.watch);
  });
});
