import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { queueDueCampaigns } from '../../src/modules/messaging/campaign.service.js';
import { OutboxWorker } from '../../src/modules/messaging/delivery/outbox-worker.js';
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
import { addZones, onePerson, registerPublic } from './registry-data.js';

// Synthetic people and staff only.
const PASSWORD = 'cobalt-wren-harbour-27';
const ar = (n: number) => n.toLocaleString('ar');

describe('messaging in Arabic: compose, approve by a second person, send, see delivery', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    crisisId = (await server.createCrisis({ name: 'Exercise Messaging' })).id;
    await addZones(server, crisisId);
    for (const [given, family, arabic, phone] of [
      ['Salma', 'Exemplar', 'سلمى المثال', '+970 59 811 0001'],
      ['Karim', 'Exemplar', 'كريم المثال', '+970 59 811 0002'],
    ] as const) {
      await registerPublic(server, crisisId, {
        ...onePerson({ given, family, arabic, phone }),
        locale: 'ar',
      });
    }
    // The development channel: the worker "delivers" SMS at once and the console shows them.
    const at = new Date().toISOString();
    await server.ctx.db.db
      .insertInto('message_channels')
      .values({
        id: newId(),
        crisis_id: crisisId,
        channel: 'sms',
        provider: 'console',
        settings: '{}',
        secret_env: null,
        rate_per_second: 100,
        enabled: 1,
        created_at: at,
        updated_at: at,
      })
      .execute();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a template in three languages, a campaign to people who want to leave, two-person approval, delivery', async () => {
    const t = messages('ar');
    const writer = await server.createStaff({
      email: 'writer@example.test',
      password: PASSWORD,
      displayName: 'Wafa Writer',
      grants: [{ role: 'crisis_manager', crisisId }],
    });
    const approver = await server.createStaff({
      email: 'approver@example.test',
      password: PASSWORD,
      displayName: 'Adel Approver',
      grants: [{ role: 'crisis_manager', crisisId }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, watch } = await openPage(context, server.url);
    await signIn(page, {
      serverUrl: server.url,
      email: 'writer@example.test',
      password: PASSWORD,
      totpSecret: writer.totpSecret,
      locale: 'ar',
    });
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');

    // The template: Arabic and English, with the live SMS counter for each.
    await page.getByRole('navigation').getByRole('link', { name: t.messaging.nav.templates }).click();
    await page.getByText(t.messaging.templates.empty).waitFor();
    await page.getByRole('button', { name: t.messaging.templates.new }).click();
    await field(page, t.messaging.templates.name).fill('إعلان معبر رفح');
    await page.getByRole('tab', { name: t.messaging.languages.ar }).click();
    await page
      .getByTestId('template-body-ar')
      .fill(
        'مرحباً {{name}}، يُتوقع فتح معبر {{crossing}} غداً الساعة 09:00. إذا كان اسمك على القائمة فتوجّه إلى البوابة. المرجع {{reference}}',
      );
    const arCounter = page.getByTestId('sms-counter-ar');
    await expect.poll(() => arCounter.textContent()).toContain(t.messaging.sms.ucs2);
    expect(await arCounter.textContent()).toContain(ar(2));
    await page.getByRole('tab', { name: t.messaging.languages.en }).click();
    await page
      .getByTestId('template-body-en')
      .fill(
        'Hello {{name}}, the {{crossing}} crossing is expected to open tomorrow at 09:00. Ref {{reference}}',
      );
    await expect.poll(() => page.getByTestId('sms-counter-en').textContent()).toContain(t.messaging.sms.gsm);
    await page.getByRole('tab', { name: t.messaging.languages.fr }).click();
    await page
      .getByTestId('template-body-fr')
      .fill('Bonjour {{name}}, le passage de {{crossing}} devrait ouvrir demain à 09:00. Réf. {{reference}}');
    await expect.poll(() => page.getByTestId('sms-counter-fr').textContent()).toContain(t.messaging.sms.gsm);
    await page.getByRole('button', { name: t.messaging.templates.save }).click();
    await page.getByTestId('template-saved').waitFor();
    await expect.poll(() => page.getByTestId('templates-table').textContent()).toContain('إعلان معبر رفح');
    await expectNoAxeViolations(page, 'messaging templates');

    // The approval threshold of the crisis: more than one person needs a second approval.
    await page
      .getByRole('navigation')
      .getByRole('link', { name: t.messaging.nav.campaigns, exact: true })
      .click();
    await page.getByTestId('approval-threshold').waitFor();
    await page.getByTestId('threshold-input').fill('1');
    await page.getByRole('button', { name: t.messaging.settings.save }).click();
    await expect.poll(() => page.getByTestId('approval-threshold').textContent()).not.toContain(ar(500));

    // The campaign: people who want to leave, by SMS then email, with the crossing's name.
    await page.getByRole('link', { name: t.messaging.campaigns.new }).click();
    await field(page, t.messaging.editor.name).fill('فتح معبر رفح غداً');
    await page.getByTestId('campaign-template').selectOption({ label: 'إعلان معبر رفح' });
    await page.getByTestId('campaign-variable-crossing').fill('رفح');
    await page.getByRole('checkbox', { name: t.labels.intention.leave }).check();
    const count = page.getByTestId('audience-count');
    await expect.poll(() => count.textContent()).toContain(t.messaging.count.by.sms.replace('{{n}}', ar(2)));
    expect(await count.textContent()).toContain(ar(2));
    // Case states are several checkboxes: nobody here has a case in either, then the filter goes.
    await page.getByTestId('audience-caseState-new').check();
    await page.getByTestId('audience-caseState-waiting_person').check();
    await expect
      .poll(() => count.textContent())
      .not.toContain(t.messaging.count.by.sms.replace('{{n}}', ar(2)));
    await page.getByTestId('audience-caseState-new').uncheck();
    await page.getByTestId('audience-caseState-waiting_person').uncheck();
    await expect.poll(() => count.textContent()).toContain(t.messaging.count.by.sms.replace('{{n}}', ar(2)));
    await expectNoAxeViolations(page, 'campaign editor');
    await page.getByRole('button', { name: t.messaging.editor.save }).click();
    await page.getByRole('heading', { level: 1, name: 'فتح معبر رفح غداً' }).waitFor();
    const campaignUrl = page.url();
    const preview = page.getByTestId('campaign-preview');
    await expect.poll(() => preview.textContent()).toContain('سلمى المثال');
    expect(await preview.textContent()).toContain('يُتوقع فتح معبر رفح غداً');

    await page.getByRole('button', { name: t.messaging.campaign.submit }).click();
    await expect
      .poll(() => page.getByTestId('campaign-status').textContent())
      .toBe(t.messaging.campaignStatus.awaiting_approval);
    // The writer cannot approve their own campaign.
    await page.getByRole('button', { name: t.messaging.campaign.approve }).click();
    await expect
      .poll(() => page.getByTestId('campaign-error').textContent())
      .toBe(t.messaging.campaign.secondPerson);
    await expectNoAxeViolations(page, 'campaign awaiting approval');

    // A colleague approves and sends.
    const context2 = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const second = await openPage(context2, server.url);
    const page2 = second.page;
    await signIn(page2, {
      serverUrl: server.url,
      email: 'approver@example.test',
      password: PASSWORD,
      totpSecret: approver.totpSecret,
      locale: 'ar',
    });
    await page2.goto(campaignUrl);
    await page2.getByRole('button', { name: t.messaging.campaign.approve }).click();
    await expect
      .poll(() => page2.getByTestId('campaign-status').textContent())
      .toBe(t.messaging.campaignStatus.approved);
    await page2.getByRole('button', { name: t.messaging.campaign.sendNow }).click();
    await expect
      .poll(() => page2.getByTestId('campaign-status').textContent())
      .toBe(t.messaging.campaignStatus.queued);
    expect(await page2.getByTestId('progress-queued').textContent()).toBe(ar(2));

    // The worker sends through the development channel; the page follows the counts by itself.
    const worker = new OutboxWorker(server.ctx, { workerId: 'e2e-worker' });
    try {
      const drained = await worker.drainUntilIdle();
      expect(drained.sent).toBe(2);
    } finally {
      worker.close();
    }
    await expect
      .poll(() => page2.getByTestId('progress-delivered').textContent(), { timeout: 10_000 })
      .toBe(ar(2));
    expect(await page2.getByTestId('progress-queued').textContent()).toBe(ar(0));
    await queueDueCampaigns(server.ctx, new Date());
    await page2.reload();
    await expect
      .poll(() => page2.getByTestId('campaign-status').textContent())
      .toBe(t.messaging.campaignStatus.done);
    await expectNoAxeViolations(page2, 'campaign done');

    // Each person's page shows the message in Arabic, delivered.
    const person = await server.ctx.db.db
      .selectFrom('persons')
      .select('id')
      .where('full_name_ar', '=', 'سلمى المثال')
      .executeTakeFirstOrThrow();
    await page2.goto(`${server.url}/console/registry/${person.id}`);
    const history = page2.getByTestId('person-messages');
    await expect.poll(() => history.textContent()).toContain('مرحباً سلمى المثال، يُتوقع فتح معبر رفح غداً');
    expect(await history.getByTestId('message-status').first().textContent()).toBe(
      t.messaging.messageStatus.delivered,
    );
    await expectNoAxeViolations(page2, 'person messages');
    expectCleanPage(watch);
    expectCleanPage(second.watch);
    await context.close();
    await context2.close();
  });
});
