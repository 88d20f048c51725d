import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { familyRegistration } from '../fixtures/persons/registrations.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  assertConsoleBuilt,
  type ConsoleLocale,
  expectCleanPage,
  expectNoAxeViolations,
  field,
  hasFocus,
  launchBrowser,
  messages,
  openPage,
  signIn,
} from './browser.js';
import { addZones, registerPublic } from './registry-data.js';

// Synthetic data only.
const PASSWORD = 'willow-harbour-copper-17';

function isFocused(scope: Page | Locator, label: string): Promise<boolean> {
  return hasFocus(field(scope, label));
}

describe('registry console', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;
  let family: { reference: string };

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    crisisId = (await server.createCrisis({ name: 'Exercise Registry' })).id;
    await addZones(server, crisisId);
    family = await registerPublic(server, crisisId, familyRegistration());
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function officer(locale: ConsoleLocale, name: string) {
    const email = `officer.${name}@example.test`;
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: `Officer ${name}`,
      grants: [{ role: 'consular_officer', crisisId }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const opened = await openPage(context, server.url);
    await signIn(opened.page, {
      serverUrl: server.url,
      email,
      password: PASSWORD,
      totpSecret: staff.totpSecret,
      locale,
    });
    return { ...opened, context };
  }

  const keyboardCases: {
    locale: ConsoleLocale;
    given: string;
    family: string;
    arabic: string;
    child: string;
    sexKey: string;
    sex: string;
  }[] = [
    {
      locale: 'en',
      given: 'Rania',
      family: 'Keyboarda',
      arabic: 'رانيا كيبوردا',
      child: 'Omar',
      sexKey: 'f',
      sex: 'female',
    },
    {
      locale: 'ar',
      given: 'Hala',
      family: 'Lawhati',
      arabic: 'هالة لوحاتي',
      child: 'Ziad',
      sexKey: 'ArrowUp',
      sex: 'male',
    },
  ];

  for (const person of keyboardCases) {
    test(`registers a household by keyboard only and finds it in the registry (${person.locale})`, async () => {
      const t = messages(person.locale);
      const { page, watch, context } = await officer(person.locale, `kb-${person.locale}`);
      await page.getByRole('navigation').getByRole('link', { name: t.nav.callCentre }).waitFor();
      await page.goto(`${server.url}/console/registry/new`);
      await page.getByRole('heading', { level: 1, name: t.callCentre.title }).waitFor();
      await expectNoAxeViolations(page, `call-centre form (${person.locale})`);
      const started = Date.now();

      // The phone field has the focus; the rest follows in reading order.
      await expect.poll(() => isFocused(page, t.callCentre.phone)).toBe(true);
      await page.keyboard.type('+970 59 555 0101');
      await page.keyboard.press('Tab');
      expect(await isFocused(page, t.callCentre.zone)).toBe(true);
      await page.keyboard.type('Kh'); // the zone is chosen by typing its first letters
      expect(await field(page, t.callCentre.zone).inputValue()).toBe('KHAN-YOUNIS');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Synthetic shelter 4');
      await page.keyboard.press('Tab'); // intention: "leave" by default
      await page.keyboard.press('Tab'); // caller: the person by default
      await page.keyboard.press('Tab');
      const member1 = page.getByTestId('member-0');
      expect(await isFocused(member1, t.callCentre.givenName)).toBe(true);
      await page.keyboard.type(person.given);
      await page.keyboard.press('Tab');
      await page.keyboard.type(person.family);
      await page.keyboard.press('Tab');
      await page.keyboard.insertText(person.arabic);
      await page.keyboard.press('Tab'); // relationship: head
      await page.keyboard.press('Tab'); // sex, chosen by typing its first letter
      await page.keyboard.press(person.sexKey);
      expect(await field(member1, t.callCentre.sex).inputValue()).toBe(person.sex);
      await page.keyboard.press('Tab');
      await page.keyboard.type('1985-04-02');
      await page.keyboard.press('Tab'); // category: citizen by default
      await page.keyboard.press('Tab');
      await page.keyboard.type(`K${person.locale.toUpperCase()}998877`);

      // A shortcut adds a member and moves there.
      await page.keyboard.press('Alt+KeyM');
      const member2 = page.getByTestId('member-1');
      await expect.poll(() => isFocused(member2, t.callCentre.givenName)).toBe(true);
      await page.keyboard.type(person.child);
      await page.keyboard.press('Tab');
      await page.keyboard.type(person.family);
      // The second member is taken as the spouse unless changed.
      expect(await field(member2, t.callCentre.relationship).inputValue()).toBe('spouse');
      await page.keyboard.press('Enter'); // Enter in a text field sends the form

      const reference = page.getByTestId('saved-reference');
      await reference.waitFor();
      expect(Date.now() - started).toBeLessThan(60_000);
      const code = (await reference.textContent())?.trim() ?? '';
      expect(code).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
      await expectNoAxeViolations(page, `registration saved (${person.locale})`);

      // "Register another" has the focus: Enter brings back an empty form.
      await expect.poll(() => hasFocus(page.getByTestId('register-another'))).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => isFocused(page, t.callCentre.phone)).toBe(true);
      expect(await field(page, t.callCentre.phone).inputValue()).toBe('');
      // The zone used last is the default for the next call.
      expect(await field(page, t.callCentre.zone).inputValue()).toBe('KHAN-YOUNIS');

      // A refused field is explained next to it, in the language on screen, and takes the focus.
      for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
      await page.keyboard.type('Test');
      for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
      await page.keyboard.type('85/04');
      await page.keyboard.press('Enter');
      const birth = field(page.getByTestId('member-0'), t.callCentre.birthDate);
      await expect.poll(() => birth.getAttribute('aria-invalid')).toBe('true');
      await expect.poll(() => hasFocus(birth)).toBe(true);
      // English shows the server's own sentence; other languages word it from the issue code.
      const expected =
        person.locale === 'en'
          ? 'Use YYYY-MM-DD, or YYYY when only the year is known.'
          : t.errors.fields.invalidFormat;
      await page.getByTestId('member-0').getByText(expected).waitFor();

      // The household is in the registry, found by its reference typed without dashes.
      await page.goto(`${server.url}/console/registry`);
      await field(page, t.registry.search).fill(code.replace(/-/g, '').toLowerCase());
      await field(page, t.registry.search).press('Enter');
      const table = page.getByTestId('registry-table');
      await table.getByRole('link', { name: `${person.given} ${person.family}` }).waitFor();
      await table.getByRole('link', { name: `${person.child} ${person.family}` }).waitFor();
      await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
      expectCleanPage(watch);
      await context.close();
    });
  }

  test('searches by an Arabic partial name and by reference, opens a person, edits with a reason', async () => {
    const t = messages('en');
    const { page, watch, context } = await officer('en', 'search');
    await page.getByRole('navigation').getByRole('link', { name: t.nav.registry }).click();
    const table = page.getByTestId('registry-table');
    await table.waitFor();
    await expectNoAxeViolations(page, 'registry list');

    // Part of the family name in Arabic, written with a final ya instead of alef maqsura variants.
    await field(page, t.registry.search).fill('التستا');
    await page.getByRole('button', { name: t.registry.searchButton, exact: true }).click();
    await expect.poll(() => page.url()).toContain('q=');
    await table.getByRole('link', { name: 'Samir Adel Hamdi Testawi' }).waitFor();
    // The spouse and the grandmother have only Arabic names; nobody outside the family matches.
    await table.getByRole('rowheader', { name: 'ليلى التستاوي' }).waitFor();
    await table.getByRole('rowheader', { name: 'فاطمة حسن التستاوي' }).waitFor();
    // The filtered answer replaces the full list asynchronously: wait for it.
    await expect.poll(() => table.getByText('Keyboarda').count()).toBe(0);

    // By reference, and with a filter: only the pregnant spouse.
    await field(page, t.registry.search).fill(family.reference);
    await field(page, t.registry.filters.vulnerability).selectOption('pregnancy');
    await page.getByRole('button', { name: t.registry.apply }).click();
    await expect
      .poll(() => page.getByTestId('registry-total').textContent())
      .toBe(t.registry.total.replace('{{total}}', '1'));
    await expect.poll(() => page.url()).toContain('vulnerability=pregnancy');
    // The export follows the filters on screen.
    const href = await page.getByRole('link', { name: t.registry.export.csv }).getAttribute('href');
    expect(href).toContain('vulnerability=pregnancy');
    const exported = (await page.evaluate(
      `fetch(${JSON.stringify(href)}).then((answer) => answer.text())`,
    )) as string;
    expect(exported).toContain('التستاوي');
    expect(exported.trim().split('\n')).toHaveLength(2);

    // The head of household's page.
    await field(page, t.registry.filters.vulnerability).selectOption('');
    await page.getByRole('button', { name: t.registry.apply }).click();
    await table.getByRole('link', { name: 'Samir Adel Hamdi Testawi' }).click();
    await page.getByRole('heading', { level: 1, name: 'Samir Adel Hamdi Testawi' }).waitFor();
    expect(await page.getByTestId('person-reference').textContent()).toBe(family.reference);
    expect(await page.getByTestId('eligibility-reason').textContent()).toBe(
      t.labels.eligibilityReason.citizen,
    );
    await page.getByTestId('household-table').getByText(t.person.head).waitFor();
    expect(await page.getByTestId('household-table').locator('tbody tr').count()).toBe(5);
    await page.getByText('X1234-5678').waitFor();
    await page.getByTestId('history').getByText(t.labels.historyKind.registered).waitFor();
    await expectNoAxeViolations(page, 'person page');

    // Editing needs a reason: the refusal is shown next to that field, which takes the focus.
    await page.getByRole('button', { name: t.person.edit }).click();
    const dialog = page.getByRole('dialog', { name: t.person.editTitle });
    await field(dialog, t.person.status).selectOption('verified');
    await dialog.getByRole('button', { name: t.common.save }).click();
    const reason = field(dialog, t.person.reason);
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => hasFocus(reason)).toBe(true);
    await expectNoAxeViolations(page, 'person edit with a refused field');
    await reason.fill('Passport checked by video call.');
    await dialog.getByRole('button', { name: t.common.save }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByTestId('history')
      .getByText('Passport checked by video call.', { exact: false })
      .waitFor();
    await page.locator('main').getByText(t.labels.status.verified).first().waitFor();
    expectCleanPage(watch);
    await context.close();
  });

  test('imports a spreadsheet: maps a column, checks it, shows the refused rows, then imports', async () => {
    const t = messages('en');
    const { page, watch, context } = await officer('en', 'import');
    await page.getByRole('navigation').getByRole('link', { name: t.nav.import }).click();
    await page.getByRole('heading', { level: 1, name: t.imports.title }).waitFor();
    const csv = [
      'Household,Relationship,Given name,Family name,Arabic name,DOB,Sex,Category,Zone,Travel doc',
      'H1,head,Nadia,Importova,نادية إمبورتوفا,1979-02-03,female,citizen,RAFAH,P7001001',
      'H1,child,Sami,Importova,,2010,male,immediate_family,RAFAH,',
      'H2,head,Karim,Sheetson,,1990-13-45,male,citizen,GAZA-CITY,P7001002',
    ].join('\r\n');
    await page.locator('input[type="file"]').setInputFiles({
      name: 'volunteers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    // The file's columns are listed; the one with an unusual header is mapped by hand.
    const mapping = page.getByTestId('column-mapping');
    await mapping.waitFor();
    expect(await mapping.locator('tbody tr').count()).toBe(10);
    await page.getByLabel(t.imports.fieldFor.replace('{{column}}', 'Travel doc')).selectOption('passport');
    await expectNoAxeViolations(page, 'import with column mapping');

    await page.getByRole('button', { name: t.imports.check }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    const errors = page.getByTestId('import-errors');
    await errors.getByRole('cell', { name: '4', exact: true }).waitFor();
    await expectNoAxeViolations(page, 'import dry run report');

    await page
      .getByRole('button', { name: new RegExp(`^${t.imports.importValid.replace('{{valid}}', '1')}`) })
      .click();
    await report
      .getByText(
        t.imports.importResult
          .replace('{{households}}', '1')
          .replace('{{persons}}', '2')
          .replace('{{errors}}', '1'),
      )
      .waitFor();
    await page.getByRole('link', { name: t.imports.seeImported }).click();
    const table = page.getByTestId('registry-table');
    await table.getByRole('link', { name: 'Nadia Importova' }).waitFor();
    await table.getByRole('link', { name: 'Sami Importova' }).waitFor();
    await table.getByRole('link', { name: 'Nadia Importova' }).click();
    await page.getByText('P7001001').waitFor();
    expectCleanPage(watch);
    await context.close();
  });
});
