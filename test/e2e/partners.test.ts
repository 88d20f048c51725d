import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  assertConsoleBuilt,
  documentLocale,
  expectCleanPage,
  expectNoAxeViolations,
  field,
  launchBrowser,
  messages,
  openPage,
  signIn,
} from './browser.js';
import { addZones, onePerson, registerPublic } from './registry-data.js';

// Synthetic data only.
const PASSWORD = 'quartz-osprey-meadow-27';

describe('partners, engagements and data sharing in the console', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    crisisId = (await server.createCrisis({ name: 'Exercise Partners' })).id;
    await addZones(server, crisisId);
    await registerPublic(
      server,
      crisisId,
      onePerson({
        given: 'Samira',
        family: 'Exemplar',
        birthDate: '1985-04-04',
        sex: 'female',
        passport: 'Q1122334',
      }),
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('creates a partner, logs an engagement with an overdue follow-up, builds a package, downloads it once and revokes it', async () => {
    const t = messages('en');
    const p = t.partners;
    const email = 'liaison@example.test';
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: 'Lina Liaison',
      grants: [{ role: 'partner_liaison', crisisId }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, watch } = await openPage(context, server.url);
    await signIn(page, { serverUrl: server.url, email, password: PASSWORD, totpSecret: staff.totpSecret });
    await page.getByRole('navigation').getByRole('link', { name: p.nav, exact: true }).click();
    await page.getByText(p.empty).waitFor();
    // Link lifetimes are the crisis's defaults, and only shown to the liaison (not theirs to change).
    await page.getByTestId('link-settings').waitFor();
    expect(await page.getByTestId('link-settings').textContent()).toContain('72 hours');
    await expect.poll(() => page.getByLabel(p.settings.maxHours).count()).toBe(0);

    const partnerForm = page.getByTestId('partner-form');
    await field(partnerForm, p.name).fill('Exercise Crossing Authority');
    await field(partnerForm, p.kind).selectOption('crossing_authority');
    await field(partnerForm, p.country).fill('eg');
    await partnerForm.getByRole('button', { name: p.addPartner }).click();
    await page.getByRole('link', { name: 'Exercise Crossing Authority' }).click();
    await page.getByRole('heading', { name: 'Exercise Crossing Authority', level: 1 }).waitFor();
    await expectNoAxeViolations(page, 'partner page');

    // A call yesterday, with a follow-up due yesterday: it shows as overdue.
    await page.getByRole('tab', { name: p.tabs.engagements }).click();
    const engagement = page.getByTestId('engagement-form');
    await field(engagement, p.subject).fill('Opening hours of the gate');
    await field(engagement, p.outcome).fill('Open from 09:00 tomorrow.');
    await engagement.getByRole('button', { name: p.followUps.add }).click();
    const row = engagement.getByTestId('follow-up-row');
    await field(row, p.followUps.text).fill('Send the names for the list');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await field(row, p.followUps.due).fill(yesterday);
    await engagement.getByRole('button', { name: p.saveEngagement }).click();
    const logged = page.locator('[data-engagement="Opening hours of the gate"]');
    await logged.waitFor();
    await expect.poll(() => logged.getByTestId('overdue').count()).toBe(1);
    await expectNoAxeViolations(page, 'engagements tab');

    // My follow-ups: the overdue one is there, and marking it done clears the flag.
    await page.getByRole('navigation').getByRole('link', { name: p.navFollowUps }).click();
    const mine = page.locator('[data-follow-up="Send the names for the list"]');
    await mine.waitFor();
    await mine.getByRole('button', { name: new RegExp(p.followUps.markDone) }).click();
    await expect.poll(() => mine.getByTestId('overdue').count()).toBe(0);
    await page.goBack();

    // A profile with two fields, a preview, then the package and its link, shown once.
    await page.getByRole('tab', { name: p.tabs.sharing }).click();
    const profile = page.getByTestId('profile-form');
    await field(profile, p.profiles.name).fill('Names and passports');
    await profile.getByLabel(p.labels.field.nameLatin, { exact: true }).check();
    await profile.getByLabel(p.labels.field.documentNumber, { exact: true }).check();
    await profile.getByRole('button', { name: p.profiles.add }).click();
    await page.locator('[data-profile="Names and passports"]').waitFor();

    const builder = page.getByTestId('package-form');
    await builder.getByRole('button', { name: p.packages.preview }).click();
    const preview = page.getByTestId('package-preview');
    await preview.getByText('1 person', { exact: true }).waitFor();
    await expect.poll(() => preview.getByText(p.labels.field.documentNumber).count()).toBe(1);
    await builder.getByRole('button', { name: p.packages.buildButton }).click();
    const link = (await page.getByTestId('package-link').textContent())?.trim() ?? '';
    expect(link).toMatch(/\/api\/v1\/shares\/[A-Za-z0-9_-]{22}$/);
    await expectNoAxeViolations(page, 'sharing tab with the new link');

    // The partner's download (no session): exactly the two fields, and the logged digest.
    const download = await fetch(link);
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    const text = bytes.toString('utf8');
    expect(text).toContain('Name (Latin),Document number');
    expect(text).toContain('Samira Exemplar,Q1122334');
    expect(text).not.toContain('1985-04-04');
    const list = page.getByTestId('package-list');
    const digest = createHash('sha256').update(bytes).digest('hex');
    await expect.poll(() => list.locator(`[title="${digest}"]`).count()).toBe(1);

    // Revoked: the list says so and the link answers 404.
    await list.getByRole('button', { name: new RegExp(p.packages.revoke) }).click();
    await list.locator('[data-link-state="revoked"]').waitFor();
    expect((await fetch(link)).status).toBe(404);
    // The link was shown once: hidden, it is gone from the page for good.
    await page.getByRole('button', { name: p.packages.hideLink }).click();
    await expect.poll(() => page.getByTestId('package-link').count()).toBe(0);
    expectCleanPage(watch);
    await context.close();
  });
  test('in Arabic, right to left: the crisis manager reads the partners and shortens the links', async () => {
    const ar = messages('ar').partners;
    const email = 'manager@example.test';
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: 'Mona Manager',
      grants: [{ role: 'crisis_manager', crisisId }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, watch } = await openPage(context, server.url);
    await signIn(page, {
      serverUrl: server.url,
      email,
      password: PASSWORD,
      totpSecret: staff.totpSecret,
      locale: 'ar',
    });
    await page.getByRole('navigation').getByRole('link', { name: ar.nav, exact: true }).click();
    await page.getByRole('heading', { name: ar.title, level: 1 }).waitFor();
    expect(await documentLocale(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    await page.getByRole('link', { name: 'Exercise Crossing Authority' }).waitFor();
    await field(page, ar.settings.maxHours).fill('48');
    await field(page, ar.settings.defaultHours).fill('24');
    await page.getByRole('button', { name: ar.settings.save }).click();
    await expect.poll(async () => page.getByTestId('link-settings').textContent()).toContain('48');
    await expectNoAxeViolations(page, 'partners page in Arabic');
    expectCleanPage(watch);
    await context.close();
  });
});
