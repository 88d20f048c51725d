import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  assertConsoleBuilt,
  expectCleanPage,
  expectNoAxeViolations,
  field,
  freshTotpCode,
  launchBrowser,
  messages,
  openPage,
} from './browser.js';

const t = messages('en');

describe('account set-up links', () => {
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

  test('the setup link makes the first administrator, who invites a colleague who accepts', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, watch } = await openPage(context, server.url);

    // Before anyone exists, the login page points to the setup link.
    await page.goto(`${server.url}/console/login`);
    await page.getByText(t.login.needsSetupTitle).waitFor();

    // Name and password; the form refuses a short password without losing what was typed.
    await page.goto(await server.setupUrl());
    await page.getByRole('heading', { level: 1, name: t.accept.setupTitle }).waitFor();
    await expectNoAxeViolations(page, 'accept: password');
    await field(page, t.accept.email).fill('robin.example@example.test');
    await field(page, t.accept.displayName).fill('Robin Example');
    await field(page, t.accept.password).fill('too-short');
    await field(page, t.accept.confirmPassword).fill('too-short');
    await page.getByRole('button', { name: t.accept.continue }).click();
    await page.getByText(t.accept.passwordTooShort.replace('{{min}}', '12')).waitFor();
    expect(await field(page, t.accept.displayName).inputValue()).toBe('Robin Example');
    await expectNoAxeViolations(page, 'accept: password refused');
    const password = 'violet-harbour-morning-17';
    await field(page, t.accept.password).fill(password);
    await field(page, t.accept.confirmPassword).fill(password);
    await page.getByRole('button', { name: t.accept.continue }).click();

    // The authenticator app: QR code and secret key, then a code from it.
    await page.getByRole('heading', { level: 1, name: t.accept.totpTitle }).waitFor();
    await expect
      .poll(() => page.getByRole('img', { name: t.accept.qrAlt }).getAttribute('src'))
      .toMatch(/^data:image\/png/);
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await expectNoAxeViolations(page, 'accept: authenticator');
    await field(page, t.accept.code).fill('000000');
    await page.getByRole('button', { name: t.accept.confirmCode }).click();
    await page.getByRole('alert').filter({ hasText: t.errors.title }).waitFor();
    await field(page, t.accept.code).fill(await freshTotpCode(secret));
    await page.getByRole('button', { name: t.accept.confirmCode }).click();

    // Ten recovery codes, shown once.
    await page.getByRole('heading', { level: 1, name: t.accept.recoveryTitle }).waitFor();
    await expect.poll(() => page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    await expectNoAxeViolations(page, 'accept: recovery codes');
    await page.getByRole('button', { name: t.accept.savedContinue }).click();
    await page
      .getByRole('heading', { level: 1, name: t.home.welcome.replace('{{name}}', 'Robin Example') })
      .waitFor();

    // The new administrator creates a crisis, then invites a colleague into it.
    await page.getByRole('navigation').getByRole('link', { name: t.nav.crises }).click();
    await page.getByRole('link', { name: t.crises.create }).click();
    await page.getByRole('heading', { level: 1, name: t.crises.createTitle }).waitFor();
    await expectNoAxeViolations(page, 'crisis form');
    await field(page, t.crises.name).fill('Exercise Charlie');
    await field(page, t.crises.privacyNoticeIn.replace('{{language}}', 'العربية')).fill('إشعار تجريبي');
    await page.getByRole('button', { name: t.crises.create }).click();
    await page
      .getByTestId('crises-table')
      .getByRole('rowheader', { name: /Exercise Charlie/ })
      .waitFor();

    await page.getByRole('navigation').getByRole('link', { name: t.nav.staff }).click();
    await page.getByRole('button', { name: t.staff.invite }).click();
    const dialog = page.getByRole('dialog', { name: t.staff.inviteTitle });
    await dialog.waitFor();
    await dialog.getByLabel(new RegExp(`^${t.staff.email}`)).fill('not-an-email');
    await dialog.getByLabel(new RegExp(`^${t.staff.name}`)).fill('Alex Colleague');
    await dialog.getByRole('button', { name: t.staff.sendInvitation }).click();
    // The server names the faulty field; the message sits next to it and the typed values stay.
    const emailInput = dialog.getByLabel(new RegExp(`^${t.staff.email}`));
    await expect.poll(() => emailInput.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByLabel(new RegExp(`^${t.staff.name}`)).inputValue()).toBe('Alex Colleague');
    await expectNoAxeViolations(page, 'invitation refused');
    await emailInput.fill('alex.colleague@example.test');
    await dialog.getByRole('button', { name: t.staff.sendInvitation }).click();
    const invitationUrl = await dialog.getByTestId('share-url').inputValue();
    expect(invitationUrl).toContain('/console/accept?token=');
    await expectNoAxeViolations(page, 'invitation link');
    await dialog.getByRole('button', { name: t.common.done }).click();
    await page.getByTestId('staff-table').getByRole('rowheader', { name: 'Alex Colleague' }).waitFor();
    expectCleanPage(watch);

    // The colleague, in another browser, follows the invitation link.
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const colleague = await openPage(other, server.url);
    await colleague.page.goto(invitationUrl.replace(/^https?:\/\/[^/]+/, server.url));
    await colleague.page.getByRole('heading', { level: 1, name: t.accept.title }).waitFor();
    // The invitation already carries the name; the colleague may keep it.
    expect(await field(colleague.page, t.accept.displayName).inputValue()).toBe('Alex Colleague');
    await field(colleague.page, t.accept.password).fill('silver-meadow-lantern-08');
    await field(colleague.page, t.accept.confirmPassword).fill('silver-meadow-lantern-08');
    await colleague.page.getByRole('button', { name: t.accept.continue }).click();
    const colleagueSecret = (await colleague.page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    await field(colleague.page, t.accept.code).fill(await freshTotpCode(colleagueSecret));
    await colleague.page.getByRole('button', { name: t.accept.confirmCode }).click();
    await colleague.page.getByRole('button', { name: t.accept.savedContinue }).click();
    await colleague.page
      .getByRole('heading', { level: 1, name: t.home.welcome.replace('{{name}}', 'Alex Colleague') })
      .waitFor();
    // A consular officer sees no staff or audit administration.
    const navigation = colleague.page.getByRole('navigation');
    expect(await navigation.getByRole('link', { name: t.nav.staff }).count()).toBe(0);
    expect(await navigation.getByRole('link', { name: t.nav.audit }).count()).toBe(0);
    await expectNoAxeViolations(colleague.page, 'home of a consular officer');
    expectCleanPage(colleague.watch);

    await other.close();

    // Back with the administrator: change the colleague's roles, disable and enable, reset.
    await page.reload();
    const row = page.getByTestId('staff-table').getByRole('row').filter({ hasText: 'Alex Colleague' });
    await row.getByRole('button', { name: new RegExp(`^${t.staff.changeRoles}`) }).click();
    const rolesDialog = page.getByRole('dialog', {
      name: t.staff.changeRolesNamed.replace('{{name}}', 'Alex Colleague'),
    });
    await rolesDialog.getByRole('button', { name: t.staff.addGrant }).click();
    await rolesDialog
      .getByLabel(t.staff.grantRole.replace('{{number}}', '2'), { exact: true })
      .selectOption('analyst');
    await expectNoAxeViolations(page, 'roles dialog');
    await rolesDialog.getByRole('button', { name: t.common.save }).click();
    await rolesDialog.waitFor({ state: 'hidden' });
    await row.getByText(t.roles.analyst, { exact: false }).waitFor();

    await row.getByRole('button', { name: new RegExp(`^${t.staff.disable}`) }).click();
    await page
      .getByRole('dialog', { name: t.staff.disableTitle })
      .getByRole('button', { name: t.staff.disable })
      .click();
    await row.getByText(t.staff.statuses.disabled).waitFor();
    await row.getByRole('button', { name: new RegExp(`^${t.staff.enable}`) }).click();
    await page
      .getByRole('dialog', { name: t.staff.enableTitle })
      .getByRole('button', { name: t.staff.enable })
      .click();
    await row.getByText(t.staff.statuses.active).waitFor();

    await row.getByRole('button', { name: new RegExp(`^${t.staff.reset}`) }).click();
    const resetDialog = page.getByRole('dialog', {
      name: t.staff.resetTitle.replace('{{name}}', 'Alex Colleague'),
    });
    await resetDialog.getByRole('button', { name: t.staff.reset }).click();
    expect(await resetDialog.getByTestId('share-url').inputValue()).toContain('/console/accept?token=');
    await expectNoAxeViolations(page, 'password reset link');
    await resetDialog.getByRole('button', { name: t.common.done }).click();
    expectCleanPage(watch);
    await context.close();
  });
});
