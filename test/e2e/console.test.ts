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
      await expect
        .poll(() => auditTable.locator('tbody tr:not([data-action="zone.created"])').count())
        .toBe(0);
      expect(await zoneCreated.count()).toBeGreaterThan(0);
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
});
