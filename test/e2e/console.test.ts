import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  assertConsoleBuilt,
  type ConsoleLocale,
  documentLocale,
  expectCleanPage,
  expectNoAxeViolations,
  field,
  freshTotpCode,
  launchBrowser,
  messages,
  openPage,
  signIn,
} from './browser.js';

// Synthetic data only.
const PASSWORD = 'orange-lantern-river-42';

describe('staff console', () => {
  let server: TestServer;
  let browser: Browser;
  let bravo: { id: string };

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    await server.createCrisis({ name: 'Exercise Alpha' });
    bravo = await server.createCrisis({ name: 'Exercise Bravo' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const cases: { locale: ConsoleLocale; zoneName: string }[] = [
    { locale: 'en', zoneName: 'North Sector' },
    { locale: 'ar', zoneName: 'القطاع الجنوبي' },
  ];

  for (const { locale, zoneName } of cases) {
    test(`signs in with a second factor, switches crisis, adds a zone and finds it in the audit log (${locale})`, async () => {
      const t = messages(locale);
      const email = `administrator.${locale}@example.test`;
      const displayName = locale === 'ar' ? 'سلمى المنسقة' : 'Sam Example';
      const staff = await server.createStaff({
        email,
        password: PASSWORD,
        displayName,
        grants: [{ role: 'administrator', crisisId: null }],
      });
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      const { page, watch } = await openPage(context, server.url);

      // Signed out: the console sends to the login page.
      await page.goto(`${server.url}/console/`);
      await page.waitForURL(/\/console\/login/);
      if (locale !== 'en') {
        await page.getByLabel(messages('en').shell.language).selectOption(locale);
      }
      await expect
        .poll(() => documentLocale(page))
        .toEqual({ lang: locale, dir: locale === 'ar' ? 'rtl' : 'ltr' });
      await page.getByRole('heading', { level: 1, name: t.login.title }).waitFor();
      await expectNoAxeViolations(page, `login (${locale})`);

      // Password, then the code from the authenticator app.
      await field(page, t.login.email).fill(email);
      await field(page, t.login.password).fill(PASSWORD);
      await page.getByRole('button', { name: t.login.continue }).click();
      const codeInput = field(page, t.login.code);
      await codeInput.waitFor();
      await expectNoAxeViolations(page, `second factor (${locale})`);
      await codeInput.fill(await freshTotpCode(staff.totpSecret));
      await page.getByRole('button', { name: t.login.signIn }).click();
      await page
        .getByRole('heading', { level: 1 })
        .filter({ hasText: t.home.welcome.replace('{{name}}', displayName) })
        .waitFor();
      await expectNoAxeViolations(page, `home (${locale})`);

      // The language picked before signing in is kept, and saved on the account.
      expect(await documentLocale(page)).toEqual({ lang: locale, dir: locale === 'ar' ? 'rtl' : 'ltr' });
      await expect
        .poll(() =>
          page.evaluate(`fetch('/api/v1/me').then((answer) => answer.json()).then((me) => me.locale)`),
        )
        .toBe(locale);

      // Switch to the second crisis; the choice survives a reload.
      const crisisSwitcher = field(page, t.shell.crisis);
      await crisisSwitcher.selectOption(bravo.id);
      await page.reload();
      await expect.poll(() => field(page, t.shell.crisis).inputValue()).toBe(bravo.id);
      expect(await documentLocale(page)).toEqual({ lang: locale, dir: locale === 'ar' ? 'rtl' : 'ltr' });

      // Zones of the current crisis: add one.
      await page.getByRole('navigation').getByRole('link', { name: t.nav.zones }).click();
      await page
        .getByRole('heading', { level: 1, name: t.zones.titleFor.replace('{{crisis}}', 'Exercise Bravo') })
        .waitFor();
      await field(page, t.zones.name).fill(zoneName);
      await page.getByRole('button', { name: t.zones.createButton }).click();
      await page.getByTestId('zones-table').getByRole('rowheader', { name: zoneName }).waitFor();
      await expectNoAxeViolations(page, `zones (${locale})`);

      // Crisis administration lists both crises.
      await page.getByRole('navigation').getByRole('link', { name: t.nav.crises }).click();
      await page
        .getByTestId('crises-table')
        .getByRole('rowheader', { name: /Exercise Alpha/ })
        .waitFor();
      await expectNoAxeViolations(page, `crises (${locale})`);

      // The audit log shows the new zone, in the crisis it belongs to.
      await page.getByRole('navigation').getByRole('link', { name: t.nav.audit }).click();
      const auditTable = page.getByTestId('audit-table');
      await auditTable.waitFor();
      const zoneCreated = auditTable.locator('tr[data-action="zone.created"]');
      await zoneCreated.first().waitFor();
      await expect.poll(() => zoneCreated.first().textContent()).toContain('Exercise Bravo');
      await field(page, t.audit.action).fill('zone.created');
      await page.getByRole('button', { name: t.audit.apply }).click();
      // While the filtered page loads the table can be empty for a moment: wait for zone rows only.
      await expect
        .poll(async () => ({
          others: await auditTable.locator('tbody tr:not([data-action="zone.created"])').count(),
          zones: (await zoneCreated.count()) > 0,
        }))
        .toEqual({ others: 0, zones: true });
      await page.getByRole('button', { name: t.audit.verify }).click();
      await page.getByTestId('verify-result').getByText(t.audit.chainIntact).waitFor();
      await expectNoAxeViolations(page, `audit (${locale})`);

      // Staff administration is reachable for an administrator.
      await page.getByRole('navigation').getByRole('link', { name: t.nav.staff }).click();
      await page.getByTestId('staff-table').getByRole('rowheader', { name: displayName }).waitFor();
      await expectNoAxeViolations(page, `staff (${locale})`);

      expect(await documentLocale(page)).toEqual({ lang: locale, dir: locale === 'ar' ? 'rtl' : 'ltr' });
      expectCleanPage(watch);
      await context.close();
    });
  }

  test('keeps what was typed when the session ends, and signs in again over the page', async () => {
    const t = messages('en');
    const email = 'kim.example@example.test';
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: 'Kim Example',
      grants: [{ role: 'administrator', crisisId: null }],
    });
    const first = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const second = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, watch } = await openPage(first, server.url);
    await signIn(page, { serverUrl: server.url, email, password: PASSWORD, totpSecret: staff.totpSecret });
    await page.goto(`${server.url}/console/crises/new`);
    await field(page, t.crises.name).fill('Exercise Delta');
    await field(page, t.crises.description).fill('Typed before the session ended.');

    // Elsewhere, the same person signs out everywhere.
    const other = await openPage(second, server.url);
    await signIn(other.page, {
      serverUrl: server.url,
      email,
      password: PASSWORD,
      totpSecret: staff.totpSecret,
    });
    await other.page.getByTestId('account-menu').click();
    await other.page.getByRole('menuitem', { name: t.shell.signOutEverywhere }).click();
    await other.page.waitForURL(/\/console\/login/);

    // The first page learns it on its next request: a dialog asks to sign in again, over the form.
    await page.getByRole('button', { name: t.crises.create }).click();
    const dialog = page.getByRole('dialog', { name: t.session.expiredTitle });
    await dialog.waitFor();
    await expectNoAxeViolations(page, 'session ended');
    await dialog.getByLabel(new RegExp(`^${t.login.password}`)).fill(PASSWORD);
    await dialog.getByRole('button', { name: t.login.continue }).click();
    await dialog.getByLabel(new RegExp(`^${t.login.code}`)).fill(await freshTotpCode(staff.totpSecret));
    await dialog.getByRole('button', { name: t.login.signIn }).click();
    await dialog.waitFor({ state: 'hidden' });

    expect(await field(page, t.crises.name).inputValue()).toBe('Exercise Delta');
    expect(await field(page, t.crises.description).inputValue()).toBe('Typed before the session ended.');
    await page.getByRole('button', { name: t.crises.create }).click();
    await page
      .getByTestId('crises-table')
      .getByRole('rowheader', { name: /Exercise Delta/ })
      .waitFor();
    expect(watch.foreignRequests).toEqual([]);
    await first.close();
    await second.close();
  });

  test('edits a crisis, renames and archives a zone, closes and reopens the crisis', async () => {
    const t = messages('en');
    const email = 'lee.example@example.test';
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: 'Lee Example',
      grants: [{ role: 'administrator', crisisId: null }],
    });
    const echo = await server.createCrisis({ name: 'Exercise Echo' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, watch } = await openPage(context, server.url);
    await signIn(page, { serverUrl: server.url, email, password: PASSWORD, totpSecret: staff.totpSecret });

    // Edit: the eligibility policy and the privacy notice in three languages.
    await page.goto(`${server.url}/console/crises/${echo.id}`);
    await page
      .getByRole('heading', { level: 1, name: t.crises.editNamedTitle.replace('{{name}}', 'Exercise Echo') })
      .waitFor();
    await page.getByLabel(t.crises.categories.other_person_of_interest).check();
    await page.getByLabel(t.crises.permanentResidentsOnlyWithCitizenFamily).check();
    await field(page, t.crises.privacyNoticeIn.replace('{{language}}', 'Français')).fill('Avis fictif.');
    await field(page, t.crises.retentionDays).fill('90');
    await field(page, t.crises.slug).fill('Not A Slug!');
    await page.getByRole('button', { name: t.common.save }).click();
    // The server refuses the short name and says so next to that field; the rest stays as typed.
    await expect.poll(() => field(page, t.crises.slug).getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Use lowercase letters, digits and hyphens.').waitFor();
    expect(await field(page, t.crises.privacyNoticeIn.replace('{{language}}', 'Français')).inputValue()).toBe(
      'Avis fictif.',
    );
    await expectNoAxeViolations(page, 'crisis form with a refused field');
    await field(page, t.crises.slug).fill('exercise-echo');
    await page.getByRole('button', { name: t.common.save }).click();
    await page.getByRole('status').getByText(t.common.saved).waitFor();
    await page.reload();
    expect(await page.getByLabel(t.crises.categories.other_person_of_interest).isChecked()).toBe(true);
    expect(await field(page, t.crises.retentionDays).inputValue()).toBe('90');

    // Zones: add, rename, archive.
    await field(page, t.shell.crisis).selectOption(echo.id);
    await page.getByRole('navigation').getByRole('link', { name: t.nav.zones }).click();
    await page
      .getByRole('heading', { level: 1, name: t.zones.titleFor.replace('{{crisis}}', 'Exercise Echo') })
      .waitFor();
    await field(page, t.zones.name).fill('West bank of the river');
    await page.getByRole('button', { name: t.zones.createButton }).click();
    const zones = page.getByTestId('zones-table');
    await zones.getByRole('rowheader', { name: 'West bank of the river' }).waitFor();
    await zones.getByRole('button', { name: `${t.zones.rename} West bank of the river` }).click();
    await field(page, t.zones.newName.replace('{{name}}', 'West bank of the river')).fill('Riverside');
    await page.getByRole('button', { name: t.common.save }).click();
    await zones.getByRole('rowheader', { name: 'Riverside' }).waitFor();
    await zones.getByRole('button', { name: `${t.zones.archive} Riverside` }).click();
    await zones
      .getByRole('row')
      .filter({ hasText: 'Riverside' })
      .getByText(t.zones.statuses.archived)
      .waitFor();
    await expectNoAxeViolations(page, 'zones after archive');

    // Close, then reopen.
    await page.getByRole('navigation').getByRole('link', { name: t.nav.crises }).click();
    const crisisRow = page.getByTestId('crises-table').getByRole('row').filter({ hasText: 'Exercise Echo' });
    await crisisRow.getByRole('button', { name: `${t.crises.close} Exercise Echo` }).click();
    const closeDialog = page.getByRole('dialog', { name: t.crises.closeTitle });
    await expectNoAxeViolations(page, 'close crisis dialog');
    await closeDialog.getByRole('button', { name: t.crises.close, exact: true }).click();
    await crisisRow.getByText(t.crises.statuses.closed).waitFor();
    await crisisRow.getByRole('button', { name: `${t.crises.reopen} Exercise Echo` }).click();
    await page
      .getByRole('dialog', { name: t.crises.reopenTitle })
      .getByRole('button', { name: t.crises.reopen })
      .click();
    await crisisRow.getByText(t.crises.statuses.active).waitFor();
    expectCleanPage(watch);
    await context.close();
  });
});
