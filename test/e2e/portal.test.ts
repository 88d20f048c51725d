import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/access/actor.js';
import { createZone } from '../../src/modules/crises/crisis.service.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { expectCleanPage, expectNoAxeViolations, launchBrowser, openPage } from './browser.js';

/**
 * The public portal as a cheap phone sees it: JavaScript off, a 320-pixel screen, Arabic. A father
 * registers himself and his wife, gets a reference and a private link, then reports through the
 * link that they moved and want to leave.
 */
describe('portal in Arabic with JavaScript disabled', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let scripted: BrowserContext;

  /** axe-core needs JavaScript: the same server-rendered page is checked in a second context. */
  async function axeCheck(url: string, label: string) {
    const page = await scripted.newPage();
    await page.goto(url);
    await expectNoAxeViolations(page, label);
    await page.close();
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
    const crisis = await server.createCrisis({ name: 'Portal walk crisis' });
    for (const name of ['Khan Younis', 'Rafah'])
      await createZone(server.ctx, systemActor(), crisis.id, { name });
    browser = await launchBrowser();
    context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
      locale: 'ar',
    });
    context.setDefaultTimeout(10_000);
    scripted = await browser.newContext({ viewport: { width: 320, height: 640 }, locale: 'ar' });
  });
  afterAll(async () => {
    await context?.close();
    await scripted?.close();
    await browser?.close();
    await server?.close();
  });

  it('registers a household, then updates it through the private link', async () => {
    const { page, watch } = await openPage(context, server.url);
    await page.goto(`${server.url}/`);
    await page.locator('ul.langs a[href="/ar/"]').click();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.locator('script').count()).toBe(0);
    await axeCheck(page.url(), 'portal privacy notice (ar)');
    await axeCheck(`${server.url}/ar/check`, 'portal list check (ar)');

    // Sending without accepting the notice shows the error in Arabic.
    await page.locator('div.nav button[name="action"][value="next"]').click();
    await expect.poll(() => page.locator('[role=alert]').count()).toBeGreaterThan(0);
    await page.locator('input[name="accept"]').check();
    await page.locator('div.nav button[name="action"][value="next"]').click();
    await page.locator('input[name="registeredBy"][value="self"]').check();
    await page.locator('div.nav button[name="action"][value="next"]').click();

    await page.locator('input[name="m0_nameArabic"]').fill('سمير عادل التستاوي');
    await page.locator('input[name="m0_given"]').fill('Samir');
    await page.locator('input[name="m0_family"]').fill('Testawi');
    await page.locator('select[name="m0_category"]').selectOption('citizen');
    await page.locator('button[name="action"][value="add"]').click();
    await page.locator('select[name="m1_relationship"]').selectOption('spouse');
    await page.locator('input[name="m1_nameArabic"]').fill('ليلى التستاوي');
    await page.locator('input[name="m1_birthDate"]').fill('19x4');
    await page.locator('div.nav button[name="action"][value="next"]').click();
    // The bad year is refused in Arabic and nothing typed is lost.
    await expect.poll(() => page.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
    expect(await page.locator('input[name="m1_nameArabic"]').inputValue()).toBe('ليلى التستاوي');
    await page.locator('input[name="m1_birthDate"]').fill('1984');
    await page.locator('div.nav button[name="action"][value="next"]').click();

    await page.locator('input[name="c_phone"]').fill('+970 59 912 3456');
    await page.locator('div.nav button[name="action"][value="next"]').click();
    await page.locator('select[name="l_zone"]').selectOption('KHAN-YOUNIS');
    await page.locator('input[name="intention"][value="undecided"]').check();
    await page.locator('div.nav button[name="action"][value="next"]').click();
    await page.locator('div.nav button[name="action"][value="send"]').click();

    const reference = (await page.locator('p.ref').first().textContent())?.trim() ?? '';
    expect(reference).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    const link = await page.locator('a[href*="/u/"]').first().getAttribute('href');
    expect(link).toBeTruthy();
    for (const path of ['/ar/', '/portal.css']) {
      const res = await page.request.get(`${server.url}${path}`);
      expect(Buffer.byteLength(await res.body())).toBeLessThan(30 * 1024);
    }

    // A week later: moved to Rafah and want to leave.
    await page.goto(link!);
    expect(await page.locator('p.ref').first().textContent()).toContain(reference);
    await page.locator('select[name="l_zone"]').selectOption('RAFAH');
    await page.locator('input[name="intention"][value="leave"]').check();
    await page.locator('button[name="action"][value="location"]').click();
    await expect.poll(() => page.locator('[role=status]').count()).toBeGreaterThan(0);
    const person = await server.ctx.db.db
      .selectFrom('persons')
      .select(['intention', 'zone_id'])
      .where('given_name', '=', 'Samir')
      .executeTakeFirstOrThrow();
    const rafah = await server.ctx.db.db
      .selectFrom('zones')
      .select('id')
      .where('code', '=', 'RAFAH')
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ intention: 'leave', zone_id: rafah.id });
    await axeCheck(link!, 'portal update page (ar)');
    expectCleanPage(watch);
  }, 120_000);
});
