import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { assertConsoleBuilt, field, launchBrowser, messages, signIn } from './browser.js';

// Refreshes the console screenshots in docs/screenshots (run with CORRIDOR_SCREENSHOTS=1).
const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const PASSWORD = 'amber-kestrel-window-55';

describe.runIf(process.env.CORRIDOR_SCREENSHOTS === '1')('console screenshots', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function addZones(page: Page, names: string[]) {
    const t = messages('en');
    await page.getByRole('navigation').getByRole('link', { name: t.nav.zones }).click();
    await page.getByRole('heading', { level: 2, name: t.zones.create }).waitFor();
    for (const name of names) {
      await field(page, t.zones.name).fill(name);
      await page.getByRole('button', { name: t.zones.createButton }).click();
      await page.getByTestId('zones-table').getByRole('rowheader', { name }).waitFor();
    }
  }

  test('login, crises, audit log, Arabic', async () => {
    await server.createCrisis({ name: 'Exercise Alpha (synthetic)' });
    const bravo = await server.createCrisis({ name: 'Exercise Bravo (synthetic)' });
    const admin = await server.createStaff({
      email: 'dana.example@example.test',
      password: PASSWORD,
      displayName: 'Dana Example',
      grants: [{ role: 'administrator', crisisId: null }],
    });
    const t = messages('en');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();

    await page.goto(`${server.url}/console/login`);
    await page.getByRole('heading', { level: 1, name: t.login.title }).waitFor();
    await page.screenshot({ path: `${OUT}console-login.png` });

    await signIn(page, {
      serverUrl: server.url,
      email: 'dana.example@example.test',
      password: PASSWORD,
      totpSecret: admin.totpSecret,
    });
    await field(page, t.shell.crisis).selectOption(bravo.id);
    await addZones(page, ['Northern district', 'Coastal strip', 'Border crossing area']);

    await page.getByRole('navigation').getByRole('link', { name: t.nav.crises }).click();
    await page.getByTestId('crises-table').waitFor();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUT}console-crises.png` });

    await page.getByRole('navigation').getByRole('link', { name: t.nav.audit }).click();
    await page.getByTestId('audit-table').waitFor();
    await page.getByRole('button', { name: t.audit.verify }).click();
    await page.getByTestId('verify-result').getByText(t.audit.chainIntact).waitFor();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUT}console-audit.png` });

    const ar = messages('ar');
    await field(page, t.shell.language).selectOption('ar');
    await page.getByRole('navigation').getByRole('link', { name: ar.nav.zones }).click();
    await page.getByTestId('zones-table').waitFor();
    await page.mouse.move(0, 0);
    // Let the layout's padding transition (it follows the change of direction) finish.
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${OUT}console-zones-ar.png` });
    await context.close();
  });
});
