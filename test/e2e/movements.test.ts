import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../src/access/actor.js';
import { createZone } from '../../src/modules/crises/crisis.service.js';
import type { RegistrationBody } from '../../src/modules/persons/person.schemas.js';
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

// Synthetic people only: made-up names, numbers and places.
const PASSWORD = 'granite-ibis-harbour-73';
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const ar = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../locales/ar.json', import.meta.url)), 'utf8'),
) as {
  portal: { seats: { title: string; confirm: string } };
};

/** A household who want to leave, every member a citizen (so eligible). */
function family(members: RegistrationBody['members'], zone: string): RegistrationBody {
  return { registeredBy: 'self', intention: 'leave', location: { zone }, members };
}

async function register(server: TestServer, crisisId: string, body: RegistrationBody) {
  const answer = await fetch(`${server.url}/api/v1/public/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, crisis: crisisId }),
  });
  if (answer.status !== 201) throw new Error(`registration refused: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as { reference: string; updateUrl: string };
}

describe('movements: allocate, confirm on the portal, check in on a phone, print the manifest', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;
  let latin: { reference: string; updateUrl: string };
  let arabic: { reference: string; updateUrl: string };
  /** Nadia Qasimi again, registered from abroad by her brother: a duplicate of the first family's head. */
  let nadiaAgain: { reference: string; updateUrl: string };

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
    crisisId = (await server.createCrisis({ name: 'Exercise Movements' })).id;
    const actor = systemActor('test');
    await createZone(server.ctx, actor, crisisId, { name: 'Rafah', code: 'RAFAH' });
    await createZone(server.ctx, actor, crisisId, { name: 'Khan Younis', code: 'KHAN-YOUNIS' });
    latin = await register(
      server,
      crisisId,
      family(
        [
          {
            relationship: 'head',
            nameLatin: { given: 'Nadia', family: 'Qasimi' },
            birthDate: '1984-03-11',
            sex: 'female',
            eligibilityCategory: 'citizen',
          },
          {
            relationship: 'child',
            nameLatin: { given: 'Omar', family: 'Qasimi' },
            birthDate: '2012-07-02',
            sex: 'male',
            eligibilityCategory: 'citizen',
          },
        ],
        'RAFAH',
      ),
    );
    arabic = await register(
      server,
      crisisId,
      family(
        [
          {
            relationship: 'head',
            nameArabic: { given: 'سمير', father: 'عادل', family: 'الزيتوني' },
            birthDate: '1979-01-20',
            sex: 'male',
            eligibilityCategory: 'citizen',
          },
          {
            relationship: 'spouse',
            nameArabic: { given: 'هالة', family: 'الزيتوني' },
            birthDate: '1981-09-05',
            sex: 'female',
            eligibilityCategory: 'citizen',
          },
        ],
        'KHAN-YOUNIS',
      ),
    );
    nadiaAgain = await register(server, crisisId, {
      ...family(
        [
          {
            relationship: 'head',
            nameLatin: { given: 'Nadia', family: 'Qasimi' },
            birthDate: '1984-03-11',
            sex: 'female',
            eligibilityCategory: 'citizen',
          },
        ],
        'RAFAH',
      ),
      registeredBy: 'relative',
      registrant: { name: 'Karim Qasimi', relationship: 'brother' },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a coordinator allocates and commits, a family confirms without JavaScript, boards and is on the PDF', async () => {
    const t = messages('en');
    const email = 'coordinator@example.test';
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: 'Robin Routes',
      grants: [{ role: 'movement_coordinator', crisisId }],
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const { page, watch } = await openPage(context, server.url);
    await signIn(page, { serverUrl: server.url, email, password: PASSWORD, totpSecret: staff.totpSecret });

    // A bus leg through the staff API, with the signed-in session and its CSRF token.
    const me = (await (await context.request.get(`${server.url}/api/v1/me`)).json()) as { csrfToken: string };
    const at = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
    const created = await context.request.post(`${server.url}/api/v1/crises/${crisisId}/legs`, {
      headers: { 'x-csrf-token': me.csrfToken },
      data: {
        kind: 'bus',
        name: 'Bus M1 (exercise)',
        origin: 'Southern gate',
        destination: 'Port city',
        assemblyPoint: 'Community hall, Rafah',
        reportAt: at(46),
        departureAt: at(48),
        seats: 8,
      },
    });
    expect(created.status()).toBe(201);
    const leg = (await created.json()) as { id: string; name: string };
    // Confirmed, so that check-in opens on the day.
    const confirmedLeg = await context.request.post(
      `${server.url}/api/v1/crises/${crisisId}/legs/${leg.id}/status`,
      {
        headers: { 'x-csrf-token': me.csrfToken },
        data: { to: 'confirmed', version: 1 },
      },
    );
    expect(confirmedLeg.status()).toBe(200);

    // The coordinator confirms that the brother's registration is Nadia again (same person).
    const searched = await context.request.post(`${server.url}/api/v1/crises/${crisisId}/duplicates/search`, {
      headers: { 'x-csrf-token': me.csrfToken },
      data: {},
    });
    expect(searched.status()).toBe(200);
    const queue = (await (
      await context.request.get(`${server.url}/api/v1/crises/${crisisId}/duplicates`)
    ).json()) as { items: { id: string; a: { reference: string }; b: { reference: string } }[] };
    const candidate = queue.items.find((item) =>
      [item.a.reference, item.b.reference].every((ref) =>
        [latin.reference, nadiaAgain.reference].includes(ref),
      ),
    );
    expect(candidate, JSON.stringify(queue.items)).toBeDefined();
    const decided = await context.request.post(
      `${server.url}/api/v1/crises/${crisisId}/duplicates/${candidate!.id}/decision`,
      { headers: { 'x-csrf-token': me.csrfToken }, data: { decision: 'same' } },
    );
    expect(decided.status()).toBe(200);

    // The allocation page: choose the leg, run, read the plan, commit.
    await page.getByRole('navigation').getByRole('link', { name: t.nav.allocation }).click();
    await page.getByRole('heading', { level: 1, name: t.allocation.title }).waitFor();
    await page.getByRole('checkbox', { name: new RegExp(leg.name.replace(/[()]/g, '\\$&')) }).check();
    await field(page, t.allocation.method).selectOption('exact');
    await page.getByRole('button', { name: t.allocation.run }).click();
    const plan = page.getByTestId('plan');
    await plan.waitFor();
    await plan.locator(`[data-household="${latin.reference}"]`).waitFor();
    await plan.locator(`[data-household="${arabic.reference}"]`).waitFor();
    expect(
      await plan
        .locator('[data-plan-leg="Bus M1 (exercise)"][data-kind="seats"] [data-planned]')
        .textContent(),
    ).toBe('4');
    expect(await plan.locator('[data-figure="peopleMoved"]').textContent()).toContain('4 of 4');
    // Nadia gets one place, with her family; the brother's registration is shown, not planned.
    expect(await plan.locator('[data-figure="duplicates"]').textContent()).toBe(
      t.allocation.duplicatesCount.replace('{{value}}', '1'),
    );
    const duplicate = plan
      .getByTestId('plan-duplicates')
      .locator(`[data-duplicate="${nadiaAgain.reference}"]`);
    expect(await duplicate.getAttribute('data-kept')).toBe(latin.reference);
    expect(await duplicate.getAttribute('data-reason')).toBe('collapsed');
    await duplicate.getByText(t.allocation.duplicateReasons.collapsed).waitFor();
    await duplicate
      .getByRole('link', { name: t.allocation.openPerson.replace('{{household}}', latin.reference) })
      .waitFor();
    expect(
      await plan
        .locator(`[data-testid="plan-households"] [data-household="${nadiaAgain.reference}"]`)
        .count(),
    ).toBe(0);
    await expectNoAxeViolations(page, 'allocation');

    // Leave the first family out, run again: it is left behind with its reason, then put back.
    await plan.getByLabel(t.allocation.excludeHousehold.replace('{{household}}', latin.reference)).check();
    await page.getByTestId('carried-over').waitFor();
    await page.getByRole('button', { name: t.allocation.rerun }).click();
    await page.locator('[data-testid="plan-behind"] [data-reason="excluded"]').waitFor();
    await page
      .getByTestId('plan-behind')
      .getByRole('checkbox', { name: /^Leave Household 1 / })
      .uncheck();
    await page.getByRole('button', { name: t.allocation.rerun }).click();
    await page.locator(`[data-testid="plan-households"] [data-household="${latin.reference}"]`).waitFor();

    await field(page, t.allocation.deadlineHours).fill('24');
    await page.getByRole('button', { name: t.allocation.commit }).click();
    const committed = page.getByTestId('committed');
    await committed.waitFor();
    await committed.getByRole('link', { name: t.allocation.openLeg.replace('{{name}}', leg.name) }).waitFor();
    // A second commit of the same plan is refused with the reason.
    const runId = (await page.getByTestId('plan').getAttribute('data-run-id')) ?? '';
    const again = await context.request.post(
      `${server.url}/api/v1/crises/${crisisId}/allocation-runs/${runId}/commit`,
      {
        headers: { 'x-csrf-token': me.csrfToken },
        data: { deadlineHours: 24 },
      },
    );
    expect(again.status()).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('run_committed');

    // The Arabic family confirms on the portal: no JavaScript, a 360-pixel phone.
    const phone = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
      locale: 'ar',
    });
    const portal = await openPage(phone, server.url);
    const path = new URL(arabic.updateUrl).pathname;
    await portal.page.goto(`${server.url}${path}?lang=ar`);
    expect(await portal.page.locator('script').count()).toBe(0);
    await portal.page.getByRole('heading', { name: ar.portal.seats.title }).waitFor();
    await portal.page.getByRole('button', { name: ar.portal.seats.confirm }).click();
    const codes = portal.page.locator('strong.ref');
    await expect.poll(() => codes.count()).toBe(2);
    const code = ((await codes.first().textContent()) ?? '').trim();
    expect(code).toMatch(/^S-[0-9A-Z]{6}$/);
    expectCleanPage(portal.watch);
    await phone.close();

    // Check-in on a phone-sized console, then boarding.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${server.url}/console/check-in/${leg.id}`);
    await field(page, t.checkIn.code).fill(code);
    await page.getByRole('button', { name: t.checkIn.submit }).click();
    const result = page.getByTestId('check-in-result');
    await result.getByText(t.checkIn.done_one.replace('{{count}}', '1')).waitFor();
    await result.getByRole('button', { name: t.checkIn.boarded }).click();
    await result.locator('[data-seat-status="boarded"]').waitFor();
    await expect.poll(() => page.locator('[data-count="boarded"]').textContent()).toBe('1');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    // The PDF manifest for the leg: a real PDF that renders to a picture.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/console/legs/${leg.id}`);
    await field(page, t.transport.recipient).fill('Exercise Coaches (synthetic)');
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: t.transport.downloadPdf }).click();
    const download = await downloading;
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const dir = await mkdtemp(join(tmpdir(), 'manifest-'));
    writeFileSync(join(dir, 'manifest.pdf'), bytes);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      join(dir, 'manifest.pdf'),
      join(dir, 'manifest'),
    ]);
    const png = join(dir, 'manifest.png');
    expect(existsSync(png)).toBe(true);
    expect(statSync(png).size).toBeGreaterThan(0);
    mkdirSync(RESULTS, { recursive: true });
    copyFileSync(png, join(RESULTS, 'movements-manifest.png'));
    expectCleanPage(watch);
    await context.close();
  });
});
