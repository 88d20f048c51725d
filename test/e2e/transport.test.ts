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
import { addZones, onePerson, registerPublic } from './registry-data.js';

// Synthetic data only.
const PASSWORD = 'basalt-heron-lantern-41';

/** A `datetime-local` value some hours from now, in the browser's (and this process's) time zone. */
function localIn(hours: number): string {
  const date = new Date(Date.now() + hours * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

describe('transport legs, offers, check-in and manifests', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;
  let household: { reference: string; updateSecret: string };

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    crisisId = (await server.createCrisis({ name: 'Exercise Transport' })).id;
    await addZones(server, crisisId);
    household = (await registerPublic(
      server,
      crisisId,
      onePerson({
        given: 'Layla',
        family: 'Haddad',
        arabic: 'ليلى حداد',
        birthDate: '1988-05-02',
        sex: 'female',
        passport: 'P7654321',
      }),
    )) as { reference: string; updateSecret: string };
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('plans a leg, offers a household, checks it in on a phone, boards it, refuses a second check-in and prints the manifest', async () => {
    const t = messages('en');
    const email = 'movements@example.test';
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: 'Morgan Movements',
      grants: [{ role: 'movement_coordinator', crisisId }],
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const { page, watch } = await openPage(context, server.url);
    await signIn(page, { serverUrl: server.url, email, password: PASSWORD, totpSecret: staff.totpSecret });
    await page.getByRole('navigation').getByRole('link', { name: t.nav.legs }).click();
    await page.getByText(t.transport.empty).waitFor();

    // A bus, with a report time after the departure first: the refusal sits next to that field.
    const create = page.getByRole('form', { name: t.transport.create });
    await field(create, t.transport.kind).selectOption('bus');
    await field(create, t.transport.name).fill('Bus A (exercise)');
    await field(create, t.transport.origin).fill('Southern gate');
    await field(create, t.transport.destination).fill('Port city');
    await field(create, t.transport.assemblyPoint).fill('School yard, Rafah');
    await field(create, t.transport.reportAt).fill(localIn(50));
    await field(create, t.transport.departureAt).fill(localIn(48));
    await field(create, t.transport.seats).fill('10');
    await create.getByRole('button', { name: t.transport.createButton }).click();
    await expect.poll(() => field(create, t.transport.reportAt).getAttribute('aria-invalid')).toBe('true');
    await field(create, t.transport.reportAt).fill(localIn(46));
    await create.getByRole('button', { name: t.transport.createButton }).click();
    const card = page.locator('section[data-leg="Bus A (exercise)"]');
    await card.waitFor();
    expect(await card.locator('[data-leg-status]').getAttribute('data-leg-status')).toBe('planned');
    await expectNoAxeViolations(page, 'legs');
    await card.locator('button[data-transition="confirmed"]').click();
    await expect
      .poll(() => card.locator('[data-leg-status]').getAttribute('data-leg-status'))
      .toBe('confirmed');

    // The leg page: offer the household by its reference.
    await card.getByRole('link', { name: t.transport.openLeg }).click();
    await page.getByRole('heading', { level: 1, name: 'Bus A (exercise)' }).waitFor();
    const legId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const offer = page.getByRole('form', { name: t.transport.offerTitle });
    await field(offer, t.transport.householdReference).fill(household.reference);
    await field(offer, t.transport.offerDeadline).fill(localIn(24));
    await offer.getByRole('button', { name: t.transport.offerButton }).click();
    await page.getByTestId('assignments').locator('[data-seat-status="offered"]').waitFor();
    await expectNoAxeViolations(page, 'leg');

    // The household confirms through the portal's link.
    const answer = await fetch(`${server.url}/api/v1/public/offers/respond`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reference: household.reference,
        secret: household.updateSecret,
        legId,
        decision: 'confirm',
      }),
    });
    expect(answer.status).toBe(200);
    const confirmed = (await answer.json()) as { people: { code: string; status: string }[] };
    const code = confirmed.people[0]?.code ?? '';
    expect(code).toMatch(/^S-/);

    // Check-in on a phone, typing the seat code in lower case without its dash.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${server.url}/console/check-in/${legId}`);
    const input = field(page, t.checkIn.code);
    await input.fill(code.replace('-', '').toLowerCase());
    await page.getByRole('button', { name: t.checkIn.submit }).click();
    const result = page.getByTestId('check-in-result');
    await result.getByText(t.checkIn.done_one.replace('{{count}}', '1')).waitFor();
    await expectNoAxeViolations(page, 'check-in');
    await result.getByRole('button', { name: t.checkIn.boarded }).click();
    await result.locator('[data-seat-status="boarded"]').waitFor();
    await expect.poll(() => page.locator('[data-count="boarded"]').textContent()).toBe('1');
    // The same code again is refused, with the reason.
    await input.fill(code);
    await page.getByRole('button', { name: t.checkIn.submit }).click();
    const refusal = result.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-error-code')).toBe('already_checked_in');
    expect(await refusal.getByTestId('refusal-detail').textContent()).toMatch(/^Checked in on .+\.$/);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    // The particulars follow the language on screen (worded from the refusal's facts, not the
    // server's English sentence).
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByLabel(t.shell.language).selectOption('fr');
    const fr = messages('fr');
    await field(page, fr.checkIn.code).fill(code);
    await page.getByRole('button', { name: fr.checkIn.submit }).click();
    const refusedFr = page.getByTestId('check-in-result').getByRole('alert');
    await refusedFr.getByText(fr.transport.refusals.already_checked_in).waitFor();
    const detailFr = await refusedFr.getByTestId('refusal-detail').textContent();
    expect(detailFr).toMatch(/^Enregistré le .+\.$/);
    expect(detailFr).not.toContain('Checked in');
    await page.getByLabel(fr.shell.language).selectOption('en');
    await page.getByLabel(t.shell.language).waitFor();

    // The leg page shows the seat boarded.
    await page.goto(`${server.url}/console/legs/${legId}`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByTestId('assignments').locator('[data-seat-status="boarded"]').waitFor();

    // A manifest for the airline, as PDF.
    await field(page, t.transport.recipient).fill('Exercise Air (synthetic)');
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: t.transport.downloadPdf }).click();
    const download = await downloading;
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(path);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    await page.getByTestId('manifests').getByText('Exercise Air (synthetic)').waitFor();
    expectCleanPage(watch);
    await context.close();
  });
});
