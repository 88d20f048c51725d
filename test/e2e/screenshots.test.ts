import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { systemActor } from '../../src/access/actor.js';
import { importApprovedList } from '../../src/modules/crossings/approved-list.service.js';
import { createCrossing } from '../../src/modules/crossings/crossing.service.js';
import { buildListPdf } from '../fixtures/crossing-lists/build.js';
import { familyRegistration } from '../fixtures/persons/registrations.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { assertConsoleBuilt, field, launchBrowser, messages, signIn } from './browser.js';
import { addZones as addSeedZones, onePerson, registerPublic } from './registry-data.js';

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

  test('registry, person page, duplicates queue, approved-list review', async () => {
    const crisisId = (await server.createCrisis({ name: 'Exercise Charlie (synthetic)' })).id;
    await addSeedZones(server, crisisId);
    await registerPublic(server, crisisId, familyRegistration());
    await registerPublic(server, crisisId, familyRegistration({ contacts: [{ phone: '+970 59 912 3456' }] }));
    const more = [
      onePerson({
        given: 'Mohammed',
        family: 'Abdelrahman',
        arabic: 'محمد عبد الرحمن',
        birthDate: '1980-03-14',
        sex: 'male',
        passport: 'A1234567',
      }),
      onePerson({
        given: 'Ahmad',
        family: 'Abu Shamala',
        birthDate: '1975-11-02',
        sex: 'male',
        zone: 'GAZA-CITY',
      }),
      onePerson({
        given: 'Yousef',
        family: 'Nassar',
        birthDate: '1990-05-01',
        sex: 'male',
        phone: '+970 59 700 0001',
      }),
      onePerson({ given: 'Youssef', family: 'Nasar', arabic: 'يوسف نصار', birthDate: '1990', sex: 'male' }),
      onePerson({
        given: 'Layla',
        family: 'Ashour',
        arabic: 'ليلى عاشور',
        birthDate: '2012-06-30',
        sex: 'female',
        zone: 'KHAN-YOUNIS',
      }),
    ];
    for (const body of more) await registerPublic(server, crisisId, body);
    const actor = systemActor('screenshots');
    const crossing = await createCrossing(server.ctx, actor, crisisId, {
      name: 'Southern gate (exercise)',
      code: 'SOUTH-GATE',
      requiresApprovedList: true,
      sides: [
        {
          name: 'North side',
          operator: 'Synthetic authority A',
          status: 'restricted',
          openingWindows: [{ days: [1, 2, 3, 4, 5, 6, 7], opens: '08:00', closes: '16:00' }],
        },
        { name: 'South side', operator: 'Synthetic authority B', status: 'open', openingWindows: [] },
      ],
    });
    const list = await importApprovedList(server.ctx, actor, crisisId, crossing.id, {
      listDate: '2023-11-01',
      source: 'Crossing authority page (synthetic)',
      fileName: 'approved-2023-11-01.pdf',
      data: await buildListPdf(),
    });
    await server
      .createStaff({
        email: 'robin.example@example.test',
        password: PASSWORD,
        displayName: 'Robin Example',
        grants: [
          { role: 'consular_officer', crisisId },
          { role: 'movement_coordinator', crisisId },
        ],
      })
      .then(async (staff) => {
        const t = messages('en');
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        await signIn(page, {
          serverUrl: server.url,
          email: 'robin.example@example.test',
          password: PASSWORD,
          totpSecret: staff.totpSecret,
        });
        await field(page, t.shell.crisis).selectOption(crisisId);

        await page.goto(`${server.url}/console/registry`);
        await page.getByTestId('registry-table').waitFor();
        await page.mouse.move(0, 0);
        await page.screenshot({ path: `${OUT}console-registry.png` });

        await page
          .getByTestId('registry-table')
          .getByRole('link', { name: 'Samir Adel Hamdi Testawi' })
          .first()
          .click();
        await page.getByTestId('household-table').waitFor();
        await page.mouse.move(0, 0);
        await page.screenshot({ path: `${OUT}console-person.png`, fullPage: true });

        await page.goto(`${server.url}/console/duplicates`);
        await page.getByRole('button', { name: t.duplicates.find }).click();
        await page.getByTestId('duplicates-queue').locator('article.pair').first().waitFor();
        await page.mouse.move(0, 0);
        await page.waitForTimeout(500);
        await page.screenshot({ path: `${OUT}console-duplicates.png` });

        await page.goto(`${server.url}/console/lists/${list.id}`);
        await page.getByRole('button', { name: t.lists.match }).click();
        await page.getByTestId('list-matches').locator('article').first().waitFor();
        await page.mouse.move(0, 0);
        await page.screenshot({ path: `${OUT}console-list-review.png`, fullPage: true });

        await page.goto(`${server.url}/console/crossings`);
        await page.getByTestId('sides-table').waitFor();
        await page.mouse.move(0, 0);
        await page.screenshot({ path: `${OUT}console-crossings.png` });

        await field(page, t.shell.language).selectOption('ar');
        await page.goto(`${server.url}/console/registry/new`);
        await page.getByRole('heading', { level: 1, name: messages('ar').callCentre.title }).waitFor();
        await page.mouse.move(0, 0);
        await page.waitForTimeout(500);
        await page.screenshot({ path: `${OUT}console-call-centre-ar.png` });
        await context.close();
      });
  });
  test('case queue, case page, restricted case file', async () => {
    const crisisId = (await server.createCrisis({ name: 'Exercise Delta (synthetic)' })).id;
    await addSeedZones(server, crisisId);
    for (const body of [
      onePerson({ given: 'Mariam', family: 'Haddad', birthDate: '1944-01-09', sex: 'female', zone: 'RAFAH' }),
      onePerson({
        given: 'Khaled',
        family: 'Mansour',
        birthDate: '1983-07-21',
        sex: 'male',
        zone: 'KHAN-YOUNIS',
      }),
      onePerson({
        given: 'Salma',
        family: 'Odeh',
        birthDate: '1996-12-02',
        sex: 'female',
        zone: 'GAZA-CITY',
      }),
    ]) {
      await registerPublic(server, crisisId, body);
    }
    const staff = await server.createStaff({
      email: 'sam.example@example.test',
      password: PASSWORD,
      displayName: 'Sam Example',
      grants: [{ role: 'restricted_cases_officer', crisisId }],
    });
    const t = messages('en');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, {
      serverUrl: server.url,
      email: 'sam.example@example.test',
      password: PASSWORD,
      totpSecret: staff.totpSecret,
    });
    await field(page, t.shell.crisis).selectOption(crisisId);
    const api = `${server.url}/api/v1/crises/${crisisId}`;
    const me = await (await page.request.get(`${server.url}/api/v1/me`)).json();
    const headers = { 'x-csrf-token': me.csrfToken };
    const persons = (await (await page.request.get(`${api}/persons`)).json()).items as { id: string }[];
    const summaries = [
      ['medical', 'Out of insulin, needs a pharmacy'],
      ['departure_assistance', 'Family asks how to reach the crossing'],
      ['travel_documents', 'Passport expired last month'],
    ] as const;
    let firstCase = '';
    for (const [index, [type, summary]] of summaries.entries()) {
      const created = await (
        await page.request.post(`${api}/cases`, {
          headers,
          data: { personId: persons[index]?.id, type, summary, assigneeId: me.id },
        })
      ).json();
      firstCase ||= created.id;
    }
    await page.request.post(`${api}/cases/${firstCase}/contacts`, {
      headers,
      data: { channel: 'phone', outcome: 'no_answer' },
    });
    await page.request.post(`${api}/cases/${firstCase}/tasks`, {
      headers,
      data: { title: 'Call back tomorrow morning', dueAt: '2031-01-01T09:00:00Z' },
    });

    await page.goto(`${server.url}/console/cases`);
    await page.getByTestId('cases-table').waitFor();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUT}console-cases.png` });

    await page.goto(`${server.url}/console/cases/${firstCase}`);
    await page.getByTestId('case-timeline').waitFor();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUT}console-case.png`, fullPage: true });

    const restricted = await (
      await page.request.post(`${api}/restricted-cases`, {
        headers,
        data: {
          kind: 'hostage',
          status: 'confirmed_held',
          citizenship: 'unconfirmed',
          person: { fullName: 'Dalia Samplewood', fullNameAr: 'داليا سامبلوود', nationalities: ['USA'] },
          circumstances: 'Taken from a synthetic village.',
          lastKnownLocation: { place: 'Synthetic border village', asOf: '2023-10-07' },
          eventDate: '2023-10-07',
        },
      })
    ).json();
    await page.request.patch(`${api}/restricted-cases/${restricted.id}`, {
      headers,
      data: {
        version: restricted.version,
        status: 'released',
        eventDate: '2023-10-20',
        note: 'Released after mediation.',
      },
    });
    await page.goto(`${server.url}/console/restricted/${restricted.id}`);
    await page.getByTestId('restricted-timeline').waitFor();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUT}console-restricted-case.png`, fullPage: true });
    await context.close();
  });
});
