import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/access/actor.js';
import { createZone } from '../../src/modules/crises/crisis.service.js';
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

/**
 * Disclosure control end to end: the public status page on a 320-pixel phone in Arabic with
 * JavaScript off, then the analyst's view and the rules editor in the console.
 */
describe('public figures: status page and console', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;
  let slug: string;
  const PASSWORD = 'disclosure e2e password';

  const register = async (zone: string, intention: string, size: number, tag: string) => {
    const res = await fetch(`${server.url}/api/v1/public/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        crisis: crisisId,
        registeredBy: 'self',
        intention,
        location: { zone },
        members: Array.from({ length: size }, (_, i) => ({
          relationship: i === 0 ? 'head' : 'child',
          nameLatin: { given: `Synth${i}`, family: `Browserfamily${tag}` },
          birthDate: '1990',
        })),
      }),
    });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
    crisisId = (await server.createCrisis({ name: 'Exercise Figures' })).id;
    slug = (
      await server.ctx.db.db
        .selectFrom('crises')
        .select('slug')
        .where('id', '=', crisisId)
        .executeTakeFirstOrThrow()
    ).slug;
    for (const name of ['Gaza City', 'Khan Younis'])
      await createZone(server.ctx, systemActor(), crisisId, { name });
    await register('GAZA-CITY', 'leave', 20, 'a');
    await register('GAZA-CITY', 'leave', 20, 'b');
    await register('GAZA-CITY', 'stay', 15, 'c');
    await register('KHAN-YOUNIS', 'leave', 4, 'd');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the status page from the crisis page, in Arabic, without JavaScript, on a narrow screen', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
      locale: 'ar',
    });
    const { page, watch } = await openPage(context, server.url);
    await page.goto(`${server.url}/ar/`);
    await page.locator(`a[href="/ar/c/${slug}/status"]`).click();
    await page.waitForURL(`**/ar/c/${slug}/status`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.locator('script').count()).toBe(0);
    // Default rules (k = 10, rounded to 10): 44 want to leave → about 40; Khan Younis (4 people) is hidden.
    await page.getByText('نحو 40 شخص يريدون المغادرة.').waitFor();
    expect(await page.locator('main').textContent()).toContain('غير منشور');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    expectCleanPage(watch);
    await context.close();

    const scripted = await browser.newContext({ viewport: { width: 320, height: 640 }, locale: 'ar' });
    const check = await scripted.newPage();
    await check.goto(`${server.url}/ar/c/${slug}/status`);
    await expectNoAxeViolations(check, 'portal status page (ar)');
    await scripted.close();
  });

  it('lets the crisis manager change the rules and see which cells are hidden and why', async () => {
    const t = messages('en');
    const email = 'manager.figures@example.org';
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: 'Mina Manager',
      grants: [{ role: 'crisis_manager', crisisId }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, watch } = await openPage(context, server.url);
    await signIn(page, { serverUrl: server.url, email, password: PASSWORD, totpSecret: staff.totpSecret });

    await page.getByRole('navigation').getByRole('link', { name: t.disclosure.nav.rules }).click();
    const form = page.getByRole('form', { name: t.disclosure.rulesTitle });
    await form.waitFor();
    await field(form, t.disclosure.roundingBase).fill('50');
    await form.getByRole('button', { name: t.disclosure.save }).click();
    // A base above twice k is refused next to its field.
    await expect.poll(() => field(form, t.disclosure.roundingBase).getAttribute('aria-invalid')).toBe('true');
    await field(form, t.disclosure.roundingBase).fill('5');
    await form.getByTestId('breakdown-zone_intention').check();
    await form.getByRole('button', { name: t.disclosure.save }).click();
    await form.getByText(t.disclosure.saved).waitFor();
    await expectNoAxeViolations(page, 'disclosure rules');

    await page.getByRole('navigation').getByRole('link', { name: t.disclosure.nav.figures }).click();
    // Today's publication was made (by the status page) under the old rules: they apply from
    // tomorrow, and the live preview shows them now.
    await page.getByTestId('disclosure-pending').waitFor();
    expect(await page.getByTestId('disclosure-table-zone_intention').count()).toBe(0);
    await page.locator('label').filter({ hasText: t.disclosure.sourceLive }).click();
    const zoneIntention = page.getByTestId('disclosure-table-zone_intention');
    await zoneIntention.waitFor();
    // Khan Younis: 4 people who want to leave, hidden as a small count; its complements are marked.
    expect(await zoneIntention.locator('[data-reason="small"]').count()).toBeGreaterThan(0);
    expect(await zoneIntention.locator('[data-reason="complement"]').count()).toBeGreaterThan(0);
    expect(await zoneIntention.textContent()).not.toMatch(/\b4\b/);
    await page.getByTestId('disclosure-sentences').getByText('About 45 people want to leave.').waitFor();
    await expectNoAxeViolations(page, 'publishable figures');
    expectCleanPage(watch);
    await context.close();
  });
});
