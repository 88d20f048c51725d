import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { familyRegistration } from '../fixtures/persons/registrations.js';
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
const PASSWORD = 'meadow-falcon-lattice-63';

describe('duplicates review', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    crisisId = (await server.createCrisis({ name: 'Exercise Duplicates' })).id;
    await addZones(server, crisisId);
    // The same family registered twice (by themselves, then again after a failed attempt)…
    await registerPublic(server, crisisId, familyRegistration());
    await registerPublic(server, crisisId, familyRegistration({ contacts: [{ phone: '+970 59 912 3456' }] }));
    // …and one man written two ways, once with his Arabic name and only his year of birth.
    await registerPublic(
      server,
      crisisId,
      onePerson({
        given: 'Yousef',
        family: 'Nassar',
        birthDate: '1990-05-01',
        sex: 'male',
        phone: '+970 59 700 0001',
      }),
    );
    await registerPublic(
      server,
      crisisId,
      onePerson({ given: 'Youssef', family: 'Nasar', arabic: 'يوسف نصار', birthDate: '1990', sex: 'male' }),
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('finds duplicates, decides one by keyboard, merges the likely ones, and undoes a merge', async () => {
    const t = messages('en');
    const email = 'reviewer@example.test';
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: 'Riley Reviewer',
      grants: [{ role: 'consular_officer', crisisId }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, watch } = await openPage(context, server.url);
    await signIn(page, { serverUrl: server.url, email, password: PASSWORD, totpSecret: staff.totpSecret });
    await page.getByRole('navigation').getByRole('link', { name: t.nav.duplicates }).click();
    await page.getByRole('heading', { level: 1, name: t.duplicates.title }).waitFor();
    await page.getByText(t.duplicates.empty).waitFor();

    await page.getByRole('button', { name: t.duplicates.find }).click();
    await expect.poll(() => page.getByTestId('search-summary').textContent()).not.toBe('');
    const queue = page.getByTestId('duplicates-queue');
    const pairs = queue.locator('article.pair');
    await pairs.first().waitFor();
    const found = await pairs.count();
    expect(found).toBeGreaterThanOrEqual(5);
    // The evidence is in words.
    await pairs.first().getByText(`${t.explain.fields.passportNumber}: ${t.explain.levels.agree}`).waitFor();
    await expectNoAxeViolations(page, 'duplicates queue');

    // Keyboard: on a focused pair, S records "same person" and the next pair takes the focus.
    const firstId = await pairs.first().getAttribute('data-pair');
    await pairs.first().focus();
    await page.keyboard.press('s');
    await expect.poll(() => queue.locator(`[data-pair="${firstId}"]`).count()).toBe(0);
    await expect
      .poll(() => pairs.first().evaluate((element) => element === element.ownerDocument.activeElement))
      .toBe(true);

    // Only the likely ones, then merge them all after a confirmation.
    await field(page, t.duplicates.band).selectOption('match');
    await expect.poll(() => pairs.count()).toBeGreaterThan(0);
    const likely = await pairs.count();
    expect(await queue.locator('article.pair', { hasNotText: t.duplicates.bands.match }).count()).toBe(0);
    await page
      .getByRole('button', { name: t.duplicates.mergeAll.replace('{{number}}', String(likely)) })
      .click();
    const dialog = page.getByRole('dialog', { name: t.duplicates.mergeAllTitle });
    await expectNoAxeViolations(page, 'merge all confirmation');
    await dialog.getByRole('button', { name: t.duplicates.mergeAllButton }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(t.duplicates.empty).waitFor();

    // The decided pairs; open one side and undo the merge from the person's page.
    await field(page, t.duplicates.band).selectOption('');
    await field(page, t.duplicates.status).selectOption('same');
    await expect.poll(() => pairs.count()).toBe(likely + 1);
    const decided = pairs.first();
    const decidedId = await decided.getAttribute('data-pair');
    await decided.getByRole('link').first().click();
    const registrations = page.getByTestId('registrations-table');
    await registrations.waitFor();
    expect(await registrations.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    await expectNoAxeViolations(page, 'person page with merged registrations');
    const decisions = page.getByTestId('identity-decisions');
    const undo = decisions.getByRole('button', { name: new RegExp(`^${t.person.undoMerge}`) });
    await undo.first().click();
    await page.getByText(t.person.onlyRegistration).waitFor();

    // The pair is back in the queue, to decide again.
    await page.getByRole('navigation').getByRole('link', { name: t.nav.duplicates }).click();
    await queue.locator(`[data-pair="${decidedId}"]`).waitFor();
    expectCleanPage(watch);
    await context.close();
  });
});
