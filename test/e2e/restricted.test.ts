import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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

// Synthetic people only.
const PASSWORD = 'cobalt-meadow-lighthouse-08';

describe('restricted area', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;
  let caseUrl = '';

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    crisisId = (await server.createCrisis({ name: 'Exercise Restricted' })).id;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function staffMember(role: string, name: string) {
    const email = `${name}@example.test`;
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: `Staff ${name}`,
      grants: [{ role, crisisId }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const opened = await openPage(context, server.url);
    await signIn(opened.page, {
      serverUrl: server.url,
      email,
      password: PASSWORD,
      totpSecret: staff.totpSecret,
    });
    return { ...opened, context };
  }

  test('the restricted officer opens a hostage case and records a release dated 20 October', async () => {
    const t = messages('en');
    const { page, watch, context } = await staffMember('restricted_cases_officer', 'restricted.officer');
    const section = page.getByTestId('restricted-nav');
    await section.getByRole('heading', { name: t.nav.restricted }).waitFor();
    await section.getByRole('link', { name: t.nav.restrictedCases }).click();
    await page.getByRole('heading', { level: 1, name: t.restricted.title }).waitFor();
    await page.getByTestId('restricted-banner').getByText(t.restricted.banner, { exact: true }).waitFor();

    // A case needs a name in one script or the other: the refusal sits next to the Latin name.
    const form = page.getByRole('region', { name: t.restricted.create });
    await page.getByRole('button', { name: t.restricted.createButton }).click();
    await expect.poll(() => field(form, t.restricted.fullName).getAttribute('aria-invalid')).toBe('true');
    await expectNoAxeViolations(page, 'restricted list with a refused field');

    await field(form, t.restricted.kind).selectOption('hostage');
    await field(form, t.restricted.status).selectOption('confirmed_held');
    await field(form, t.restricted.citizenship).selectOption('unconfirmed');
    await field(form, t.restricted.fullName).fill('Dalia Samplewood');
    await field(form, t.restricted.fullNameAr).fill('داليا سامبلوود');
    await field(form, t.restricted.dateOfBirth).fill('1991');
    await field(form, t.restricted.nationalities).fill('USA');
    await field(form, t.restricted.eventDate).fill('2023-10-07');
    await field(form, t.restricted.circumstances).fill('Taken from a synthetic village during the attack.');
    await field(form, t.restricted.lastPlace).fill('Synthetic border village');
    await page.getByRole('button', { name: t.restricted.createButton }).click();
    await page.getByRole('heading', { level: 1, name: 'Dalia Samplewood' }).waitFor();
    caseUrl = page.url();
    await page.getByTestId('restricted-banner').waitFor();

    // The release, dated the day it happened, and the citizenship confirmed the same day.
    const change = page.getByRole('region', { name: t.restricted.changeStatus });
    await field(change, t.restricted.status).selectOption('released');
    await field(change, t.restricted.citizenship).selectOption('confirmed');
    await field(change, t.restricted.happenedOn).fill('2023-10-20');
    await field(change, t.restricted.changeNote).fill('Released after mediation.');
    await change.getByRole('button', { name: t.restricted.saveChange }).click();
    const timeline = page.getByTestId('restricted-timeline');
    const released = t.restricted.statusOn
      .replace('{{status}}', t.labels.restrictedStatus.released)
      .replace('{{date}}', 'October 20, 2023');
    await timeline.getByText(released).waitFor();
    await timeline
      .getByText(
        t.restricted.citizenshipOn
          .replace('{{citizenship}}', t.labels.citizenship.confirmed)
          .replace('{{date}}', 'October 20, 2023'),
      )
      .waitFor();
    await timeline.getByText('Released after mediation.').waitFor();
    await page.getByTestId('restricted-status').getByText(t.labels.restrictedStatus.released).waitFor();

    await field(page, t.restricted.liaisonName).fill('Sami Samplewood');
    await field(page, t.restricted.relationship).fill('Brother');
    await field(page, t.restricted.phone).fill('+1 555 0100');
    await page.getByRole('button', { name: t.restricted.addLiaison }).click();
    await page.getByTestId('liaisons-table').getByText('Sami Samplewood').waitFor();
    await field(page.locator('#restricted-tasks-heading').locator('..'), t.cases.taskTitle).fill(
      'Arrange the family call',
    );
    await page
      .locator('#restricted-tasks-heading')
      .locator('..')
      .getByRole('button', { name: t.cases.addTask })
      .click();
    await page
      .getByTestId('restricted-tasks-table')
      .getByRole('rowheader', { name: 'Arrange the family call' })
      .waitFor();
    await expectNoAxeViolations(page, 'restricted case file');

    // The list filters by status.
    await page.getByRole('link', { name: t.restricted.back }).click();
    await field(page, t.restricted.status).first().selectOption('released');
    await page.getByTestId('restricted-table').getByRole('link', { name: 'Dalia Samplewood' }).waitFor();
    await field(page, t.restricted.status).first().selectOption('missing');
    await page.getByText(t.restricted.empty).waitFor();
    expectCleanPage(watch);
    await context.close();
  });

  test('a consular officer of the same crisis sees no restricted navigation and no restricted data', async () => {
    expect(caseUrl).not.toBe('');
    const t = messages('en');
    const { page, watch, context } = await staffMember('consular_officer', 'consular.officer');
    await page.getByRole('navigation').getByRole('link', { name: t.nav.cases }).waitFor();
    expect(await page.getByTestId('restricted-nav').count()).toBe(0);
    expect(await page.getByText(t.nav.restrictedCases).count()).toBe(0);

    for (const url of [caseUrl, `${server.url}/console/restricted`]) {
      await page.goto(url);
      await page.getByRole('heading', { level: 1, name: t.notFound.title }).waitFor();
      expect(await page.getByText('Samplewood').count()).toBe(0);
      expect(await page.getByTestId('restricted-nav').count()).toBe(0);
      expect(await page.getByTestId('restricted-banner').count()).toBe(0);
    }
    const caseId = caseUrl.split('/').pop() ?? '';
    for (const path of [`restricted-cases/${caseId}`, 'restricted-cases']) {
      const answer = await page.request.get(`${server.url}/api/v1/crises/${crisisId}/${path}`);
      expect(answer.status()).toBeGreaterThanOrEqual(403);
      expect(await answer.text()).not.toContain('Samplewood');
    }
    expectCleanPage(watch);
    await context.close();
  });
});
