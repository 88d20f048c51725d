import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  assertConsoleBuilt,
  type ConsoleLocale,
  documentLocale,
  expectCleanPage,
  expectNoAxeViolations,
  field,
  hasFocus,
  launchBrowser,
  messages,
  openPage,
  signIn,
} from './browser.js';
import { addZones, onePerson, registerPublic } from './registry-data.js';

// Synthetic data only.
const PASSWORD = 'lantern-orchard-basalt-42';

describe('cases console', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;
  let caseUrl = '';
  let raniaId = '';

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    crisisId = (await server.createCrisis({ name: 'Exercise Cases' })).id;
    await addZones(server, crisisId);
    await registerPublic(
      server,
      crisisId,
      onePerson({
        given: 'Layla',
        family: 'Casework',
        birthDate: '1948-02-03',
        sex: 'female',
        zone: 'KHAN-YOUNIS',
      }),
    );
    await registerPublic(server, crisisId, onePerson({ given: 'Omar', family: 'Welfarey', zone: 'RAFAH' }));
    await registerPublic(server, crisisId, onePerson({ given: 'Nour', family: 'Welfarey', zone: 'RAFAH' }));
    // A colleague to hand a case to, found by name in the assign control.
    raniaId = (
      await server.createStaff({
        email: 'rania.colleague@example.test',
        password: PASSWORD,
        displayName: 'Rania Colleague',
        grants: [{ role: 'call_centre_agent', crisisId }],
      })
    ).id;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function officer(locale: ConsoleLocale, name: string) {
    const email = `case.${name}@example.test`;
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: `Case officer ${name}`,
      grants: [{ role: 'consular_officer', crisisId }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
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

  async function stateIs(page: Page, label: string) {
    await page.getByTestId('case-state').first().getByText(label, { exact: true }).waitFor();
  }

  test('works a case from new to closed: opened from the person page, a call, a task, the states', async () => {
    const t = messages('en');
    const { page, watch, context } = await officer('en', 'worker');
    await page.getByRole('navigation').getByRole('link', { name: t.nav.registry }).click();
    await page.getByTestId('registry-table').getByRole('link', { name: 'Layla Casework' }).click();
    await page.getByRole('heading', { level: 2, name: t.cases.personCases }).waitFor();
    await expectNoAxeViolations(page, 'person page with cases and loans');

    // Open a case from the person page; a too-short summary is refused next to its input.
    await page.getByRole('button', { name: t.cases.open }).click();
    const dialog = page.getByRole('dialog', { name: t.cases.open });
    await field(dialog, t.cases.type).selectOption('medical');
    await field(dialog, t.cases.summary).fill('No');
    await dialog.getByRole('button', { name: t.cases.openButton }).click();
    await expect.poll(() => field(dialog, t.cases.summary).getAttribute('aria-invalid')).toBe('true');
    await field(dialog, t.cases.summary).fill('Out of insulin, needs a pharmacy near the crossing');
    await dialog.getByRole('button', { name: t.cases.openButton }).click();
    const heading = page.getByRole('heading', { level: 1, name: /^Case C-/ });
    await heading.waitFor();
    caseUrl = page.url();
    await stateIs(page, t.labels.caseState.new);
    await page.getByTestId('case-person').getByText('Layla Casework').waitFor();
    await expectNoAxeViolations(page, 'case page');

    // It waits in the unassigned queue, with its priority and reason; bulk-assign it to me.
    const number = ((await heading.textContent()) ?? '').replace('Case ', '');
    await page.getByRole('navigation').getByRole('link', { name: t.nav.cases }).click();
    await page.getByRole('tab', { name: t.labels.queue.unassigned }).click();
    const row = page.getByTestId('cases-table').locator(`tr[data-case="${number}"]`);
    await row.waitFor();
    await row.getByTestId('priority').waitFor();
    // The row says who the case is about: the registered name and the household reference.
    await row.getByTestId('case-subject-name').getByText('Layla Casework', { exact: true }).waitFor();
    const opened = await (
      await page.request.get(`${server.url}/api/v1/crises/${crisisId}/cases/${caseUrl.split('/').pop()}`)
    ).json();
    expect(opened.person.reference).toMatch(/\S/);
    expect(await row.getByTestId('case-subject-reference').textContent()).toBe(opened.person.reference);
    await expectNoAxeViolations(page, 'case queue');
    await row.getByRole('checkbox').check();
    await page
      .getByTestId('bulk-bar')
      .getByRole('button', { name: t.cases.bulk.assign, exact: true })
      .click();
    await page.getByTestId('bulk-results').getByText(`${number} ${t.cases.bulk.ok}`).waitFor();
    await page.getByRole('tab', { name: t.labels.queue.mine }).click();
    await page.getByTestId('cases-table').locator(`tr[data-case="${number}"]`).getByRole('link').click();
    await heading.waitFor();

    // A call logged by keyboard: channel and outcome by their first letters, Enter in the note saves.
    await field(page, t.cases.channel).focus();
    await page.keyboard.press('w');
    await page.keyboard.press('Tab');
    expect(await hasFocus(field(page, t.cases.outcome))).toBe(true);
    await page.keyboard.press('n');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Tried twice');
    await page.keyboard.press('Enter');
    const timeline = page.getByTestId('case-timeline');
    await timeline
      .getByText(`${t.labels.contactChannel.whatsapp} — ${t.labels.contactOutcome.no_answer} — Tried twice`)
      .waitFor();

    // A task for tomorrow morning.
    await field(page, t.cases.taskTitle).fill('Call back about the pharmacy');
    await field(page, t.cases.taskDue).fill('2031-03-04T09:30');
    await page.getByRole('button', { name: t.cases.addTask }).click();
    await page
      .getByTestId('tasks-table')
      .getByRole('rowheader', { name: 'Call back about the pharmacy' })
      .waitFor();
    await page.getByRole('navigation').getByRole('link', { name: t.nav.tasks }).click();
    const taskRow = page
      .getByTestId('my-tasks')
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Call back about the pharmacy' }) });
    await taskRow.waitFor();
    // The task says which case and whom it is about.
    await taskRow.getByTestId('case-subject-name').getByText('Layla Casework', { exact: true }).waitFor();
    expect(await taskRow.getByTestId('task-case-number').textContent()).toBe(number);
    await expectNoAxeViolations(page, 'my tasks');
    await page.goBack();
    await heading.waitFor();

    // Hand the case to a colleague found by typing part of her name.
    await page.getByTestId('case-assignee').getByText(t.cases.you).waitFor();
    await page.getByRole('button', { name: t.cases.assign, exact: true }).click();
    const assignDialog = page.getByRole('dialog', { name: t.cases.assign });
    const picker = assignDialog.getByRole('combobox', { name: t.cases.assignee });
    await picker.click();
    await picker.fill('rania');
    await assignDialog.getByRole('option', { name: 'Rania Colleague' }).click();
    expect(await picker.inputValue()).toBe('Rania Colleague');
    await expectNoAxeViolations(page, 'assign dialog');
    await assignDialog.getByRole('button', { name: t.common.save }).click();
    await assignDialog.waitFor({ state: 'detached' });
    await page.getByTestId('case-assignee').getByText('Rania Colleague').waitFor();
    const assigned = await (
      await page.request.get(`${server.url}/api/v1/crises/${crisisId}/cases/${caseUrl.split('/').pop()}`)
    ).json();
    expect(assigned.case.assigneeId).toBe(raniaId);

    // Someone else moves the case meanwhile: the stale click is refused clearly and the page reloads.
    const me = await (await page.request.get(`${server.url}/api/v1/me`)).json();
    const file = await (
      await page.request.get(`${server.url}/api/v1/crises/${crisisId}/cases/${caseUrl.split('/').pop()}`)
    ).json();
    const moved = await page.request.post(
      `${server.url}/api/v1/crises/${crisisId}/cases/${file.case.id}/state`,
      {
        headers: { 'x-csrf-token': me.csrfToken },
        data: { to: 'triaged', version: file.case.version },
      },
    );
    expect(moved.status()).toBe(200);
    const moveTo = (state: keyof typeof t.labels.caseState) =>
      page
        .getByTestId('state-buttons')
        .getByRole('button', { name: t.cases.moveTo.replace('{{state}}', t.labels.caseState[state]) });
    await moveTo('triaged').click();
    await page.getByTestId('state-refusal').getByText(t.errors.codes.version_conflict).waitFor();
    await stateIs(page, t.labels.caseState.triaged);
    await expectNoAxeViolations(page, 'case page with a conflict');

    for (const state of ['in_progress', 'waiting_person', 'in_progress', 'resolved'] as const) {
      await moveTo(state).click();
      await stateIs(page, t.labels.caseState[state]);
    }
    await page.getByRole('button', { name: `${t.cases.markDone} Call back about the pharmacy` }).click();
    await page
      .getByTestId('tasks-table')
      .getByText(/^Done /)
      .waitFor();
    await field(page, t.cases.stateNote).fill('Insulin found at the synthetic pharmacy.');
    await moveTo('closed').click();
    await stateIs(page, t.labels.caseState.closed);
    await timeline
      .getByText(
        `${t.labels.caseState.resolved} → ${t.labels.caseState.closed} — Insulin found at the synthetic pharmacy.`,
      )
      .waitFor();
    await timeline.getByText(t.labels.caseEvent.task_done).waitFor();
    // Closed reopens only to "in progress".
    expect(await page.getByTestId('state-buttons').getByRole('button').count()).toBe(1);
    expectCleanPage(watch);
    await context.close();
  });

  test('starts a welfare check over a zone, records an answer and the counts follow', async () => {
    const t = messages('en');
    const { page, watch, context } = await officer('en', 'welfare');
    await page.getByRole('navigation').getByRole('link', { name: t.nav.welfare }).click();
    await page.getByRole('heading', { level: 1, name: t.welfare.title }).waitFor();
    await field(page, t.welfare.name).fill('Rafah check, day 3');
    await field(page, t.welfare.question).fill('Are you safe? Answer SAFE, HELP or LEFT.');
    await page.getByRole('checkbox', { name: 'Rafah' }).check();
    await page.getByRole('button', { name: t.welfare.startButton }).click();
    await page
      .getByTestId('run-started')
      .getByText(t.welfare.started_other.replace('{{count}}', '2'))
      .waitFor();
    const run = page.getByTestId('runs-table').locator('tr[data-run="Rafah check, day 3"]');
    await run.locator('[data-count="total"]').getByText('2').waitFor();
    await run.locator('[data-count="silent"]').getByText('2').waitFor();
    await expectNoAxeViolations(page, 'welfare checks');

    await page.getByRole('navigation').getByRole('link', { name: t.nav.cases }).click();
    // Wait for the queue to be on screen (the page loads on demand) before choosing the tab.
    await page.getByTestId('cases-total').waitFor();
    await page.getByRole('tab', { name: t.labels.queue.open }).click();
    await expect
      .poll(() => page.getByRole('tab', { name: t.labels.queue.open }).getAttribute('aria-selected'))
      .toBe('true');
    await field(page, t.cases.type).selectOption('welfare_check');
    await page.getByTestId('cases-total').getByText(t.cases.total.replace('{{total}}', '2')).waitFor();
    await page.getByTestId('cases-table').locator('tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { level: 2, name: t.welfare.recordAnswer }).waitFor();
    await stateIs(page, t.labels.caseState.waiting_person);
    await field(page, t.welfare.answer).selectOption('safe');
    await page.getByRole('button', { name: t.welfare.saveAnswer }).click();
    await page.getByTestId('case-timeline').getByText(t.labels.welfareAnswer.safe, { exact: true }).waitFor();
    await expectNoAxeViolations(page, 'welfare case with an answer');

    await page.getByRole('navigation').getByRole('link', { name: t.nav.welfare }).click();
    await run.locator('[data-count="answered"]').getByText('1').waitFor();
    await run.locator('[data-count="safe"]').getByText('1').waitFor();
    await run.locator('[data-count="silent"]').getByText('1').waitFor();
    expectCleanPage(watch);
    await context.close();
  });

  test('shows the case page right to left in Arabic', async () => {
    expect(caseUrl).not.toBe('');
    const ar = messages('ar');
    const { page, watch, context } = await officer('ar', 'arabic');
    await page.goto(caseUrl);
    await page.getByRole('heading', { level: 2, name: ar.cases.timeline }).waitFor();
    expect(await documentLocale(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    await page.getByTestId('case-state').getByText(ar.labels.caseState.closed).waitFor();
    await page.getByTestId('case-timeline').getByText(ar.labels.caseEvent.contact_attempt).first().waitFor();
    // The navigation sits on the right in right-to-left reading.
    const nav = await page.locator('#console-navigation').boundingBox();
    expect(nav && nav.x > 600).toBe(true);
    await expectNoAxeViolations(page, 'case page (ar)');
    expectCleanPage(watch);
    await context.close();
  });
  test('words a refusal in the language on screen (French), not in the server’s English', async () => {
    expect(caseUrl).not.toBe('');
    const fr = messages('fr');
    const { page, watch, context } = await officer('fr', 'french');
    await page.goto(caseUrl);
    await page.getByRole('heading', { level: 2, name: fr.cases.timeline }).waitFor();
    // The assignee is named, not "a colleague".
    await page.getByTestId('case-assignee').getByText('Rania Colleague').waitFor();
    await page.getByRole('button', { name: fr.cases.assign, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: fr.cases.assign });
    const picker = dialog.getByRole('combobox', { name: fr.cases.assignee });
    await picker.click();
    await picker.fill('zzz');
    await dialog.getByText(fr.cases.noColleague).waitFor();
    await picker.fill('');
    await dialog.getByRole('option', { name: fr.cases.assignMe }).click();

    // Someone else reopens the case meanwhile: saving is refused with the French sentence.
    const me = await (await page.request.get(`${server.url}/api/v1/me`)).json();
    const caseId = caseUrl.split('/').pop();
    const file = await (
      await page.request.get(`${server.url}/api/v1/crises/${crisisId}/cases/${caseId}`)
    ).json();
    const reopened = await page.request.post(
      `${server.url}/api/v1/crises/${crisisId}/cases/${caseId}/state`,
      {
        headers: { 'x-csrf-token': me.csrfToken },
        data: { to: 'in_progress', version: file.case.version },
      },
    );
    expect(reopened.status()).toBe(200);
    await dialog.getByRole('button', { name: fr.common.save }).click();
    const alert = dialog.locator('[role="alert"][data-error-code="version_conflict"]');
    await alert.getByText(fr.errors.codes.version_conflict).waitFor();
    expect(await alert.textContent()).not.toContain('Someone else changed');
    await expectNoAxeViolations(page, 'assign dialog with a refusal (fr)');
    expectCleanPage(watch);
    await context.close();
  });
});
