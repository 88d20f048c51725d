import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildListPdf } from '../fixtures/crossing-lists/build.js';
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

// Synthetic data only.
const PASSWORD = 'granite-otter-meridian-28';

describe('crossings and approved lists', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    crisisId = (await server.createCrisis({ name: 'Exercise Crossings' })).id;
    await addZones(server, crisisId);
    // Registered people that the fixture list names: one with every detail, one written differently.
    await registerPublic(
      server,
      crisisId,
      onePerson({
        given: 'Mohammed',
        family: 'Abdelrahman',
        arabic: 'محمد عبد الرحمن',
        birthDate: '1980-03-14',
        sex: 'male',
        passport: 'A1234567',
      }),
    );
    await registerPublic(
      server,
      crisisId,
      // Registered without the birth date or the middle name the list gives: a pair for a human to settle.
      onePerson({ given: 'Ahmad', family: 'Abu Shamala', sex: 'male' }),
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('adds a crossing, records a status with its source, uploads a PDF list, matches it and confirms a pending match', async () => {
    const t = messages('en');
    const email = 'coordinator@example.test';
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: 'Casey Coordinator',
      grants: [{ role: 'movement_coordinator', crisisId }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, watch } = await openPage(context, server.url);
    await signIn(page, { serverUrl: server.url, email, password: PASSWORD, totpSecret: staff.totpSecret });
    await page.getByRole('navigation').getByRole('link', { name: t.nav.crossings }).click();
    await page.getByText(t.crossings.empty).waitFor();

    // A crossing with two sides, one closed with opening hours, one open.
    const create = page.getByRole('form', { name: t.crossings.create });
    await field(create, t.crossings.name).fill('Southern gate (exercise)');
    await field(create, t.crossings.code).fill('SOUTH-GATE');
    const side1 = create.getByRole('group', { name: t.crossings.sideNumber.replace('{{number}}', '1') });
    await field(side1, t.crossings.sideName).fill('North side');
    await field(side1, t.crossings.opens).fill('08:00');
    await field(side1, t.crossings.closes).fill('16:00');
    const side2 = create.getByRole('group', { name: t.crossings.sideNumber.replace('{{number}}', '2') });
    await field(side2, t.crossings.sideName).fill('South side');
    await field(side2, t.crossings.status).selectOption('open');
    await create.getByRole('button', { name: t.crossings.createButton }).click();
    const crossing = page.locator('section[data-crossing="SOUTH-GATE"]');
    await crossing.waitFor();
    expect(await crossing.locator('[data-status]').first().getAttribute('data-status')).toBe('closed');
    await crossing.getByText('08:00–16:00').waitFor();
    await expectNoAxeViolations(page, 'crossings');

    // A status change needs its source; the refusal is shown next to that field.
    const statusForm = crossing.getByRole('form', {
      name: t.crossings.changeStatusOf.replace('{{side}}', 'North side'),
    });
    await field(statusForm, t.crossings.newStatus.replace('{{side}}', 'North side')).selectOption('open');
    await statusForm.getByRole('button', { name: t.crossings.record }).click();
    await expect.poll(() => field(statusForm, t.crossings.source).getAttribute('aria-invalid')).toBe('true');
    await field(statusForm, t.crossings.source).fill('Crossing authority notice (synthetic)');
    await statusForm.getByRole('button', { name: t.crossings.record }).click();
    await expect
      .poll(() => crossing.locator('[data-status]').first().getAttribute('data-status'))
      .toBe('open');
    await crossing.getByRole('button', { name: t.crossings.showHistory }).click();
    await crossing
      .getByTestId('crossing-history')
      .getByText('Crossing authority notice (synthetic)')
      .waitFor();

    // The day's list, as the authority publishes it: a PDF.
    const upload = crossing.getByRole('form', {
      name: t.lists.uploadFor.replace('{{crossing}}', 'Southern gate (exercise)'),
    });
    await field(upload, t.lists.date).fill('2023-11-01');
    await field(upload, t.lists.source).fill('Crossing authority page (synthetic)');
    await upload.locator('input[type="file"]').setInputFiles({
      name: 'approved-2023-11-01.pdf',
      mimeType: 'application/pdf',
      buffer: await buildListPdf(),
    });
    await upload.getByRole('button', { name: t.lists.upload }).click();
    await upload
      .getByText(t.lists.uploaded.replace('{{date}}', '2023-11-01').replace('{{rows}}', '6'))
      .waitFor();
    await crossing
      .getByTestId('lists-table')
      .getByRole('link', { name: t.lists.listOf.replace('{{date}}', '2023-11-01') })
      .click();

    // The list: figures, then matching against the registry.
    await page
      .getByRole('heading', { level: 1, name: t.lists.listOf.replace('{{date}}', '2023-11-01') })
      .waitFor();
    expect(await page.getByTestId('list-rows').textContent()).toBe('6');
    expect(await page.getByTestId('list-nationalities').textContent()).toBe('USA: 4, CAN: 1, FRA: 1');
    await page.getByRole('button', { name: t.lists.match }).click();
    await expect
      .poll(() => page.getByTestId('match-summary').textContent())
      .toBe(
        t.lists.matchSummary
          .replace('{{entries}}', '6')
          .replace('{{persons}}', '2')
          .replace('{{auto}}', '1')
          .replace('{{pending}}', '1')
          .replace('{{kept}}', '0'),
      );
    const matches = page.getByTestId('list-matches').locator('article');
    await matches.first().waitFor();
    await expectNoAxeViolations(page, 'list review');

    // A pending pair: the list gives a middle name and a birth date the registration lacks. Confirm it.
    const pending = matches.filter({ hasText: 'AHMAD KHALIL ABU SHAMALA' });
    await pending.getByRole('button', { name: t.lists.confirm }).click();
    await expect.poll(() => pending.count()).toBe(0);
    await field(page, t.lists.matchStatus).selectOption('confirmed');
    const confirmed = matches.filter({ hasText: 'AHMAD KHALIL ABU SHAMALA' });
    await confirmed.waitFor();
    // The person's page says which list they are on.
    await confirmed.getByRole('link', { name: t.lists.openPerson }).click();
    await page
      .getByTestId('on-lists')
      .getByText(t.person.onListFor.replace('{{date}}', '2023-11-01'))
      .waitFor();
    expectCleanPage(watch);
    await context.close();
  });
});
