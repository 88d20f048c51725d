import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../src/access/actor.js';
import { createZone } from '../../src/modules/crises/crisis.service.js';
import type { RegistrationBody } from '../../src/modules/persons/person.schemas.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { assertConsoleBuilt, expectCleanPage, launchBrowser, messages, openPage, signIn } from './browser.js';

// Synthetic people only: made-up names and places.
const PASSWORD = 'copper-heron-lantern-58';
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

async function register(server: TestServer, crisisId: string, body: RegistrationBody) {
  const answer = await fetch(`${server.url}/api/v1/public/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, crisis: crisisId }),
  });
  if (answer.status !== 201) throw new Error(`registration refused: ${answer.status} ${await answer.text()}`);
}

/** The PDF's text, one line per baseline (pdfjs-dist, as another reader would extract it). */
async function pdfLines(bytes: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, verbosity: 0 }).promise;
  const lines: string[] = [];
  try {
    for (let p = 1; p <= pdf.numPages; p++) {
      const content = await (await pdf.getPage(p)).getTextContent();
      const rows: Array<{ y: number; items: Array<{ x: number; text: string }> }> = [];
      for (const item of content.items) {
        if (!('str' in item) || !item.str.trim()) continue;
        const [, , , , x, y] = item.transform as number[];
        const row = rows.find((r) => Math.abs(r.y - y!) <= 4);
        if (row) row.items.push({ x: x!, text: item.str.trim() });
        else rows.push({ y: y!, items: [{ x: x!, text: item.str.trim() }] });
      }
      rows.sort((a, b) => b.y - a.y);
      for (const row of rows)
        lines.push(
          row.items
            .sort((a, b) => a.x - b.x)
            .map((i) => i.text)
            .join(' '),
        );
    }
  } finally {
    await pdf.destroy();
  }
  return lines.join('\n');
}

describe('dashboard and situation report in the console', () => {
  let server: TestServer;
  let browser: Browser;
  let crisisId: string;

  beforeAll(async () => {
    assertConsoleBuilt();
    server = await startTestServer({ env: { PORTAL_RATE_LIMIT_PER_MINUTE: '100000' } });
    crisisId = (await server.createCrisis({ name: 'Exercise Picture' })).id;
    const actor = systemActor('test');
    await createZone(server.ctx, actor, crisisId, { name: 'Rafah', code: 'RAFAH' });
    await createZone(server.ctx, actor, crisisId, { name: 'Khan Younis', code: 'KHAN-YOUNIS' });
    const person = (given: string, family: string) => ({
      relationship: 'head' as const,
      nameLatin: { given, family },
      birthDate: '1985-04-12',
      sex: 'female' as const,
      eligibilityCategory: 'citizen' as const,
    });
    await register(server, crisisId, {
      registeredBy: 'self',
      intention: 'leave',
      location: { zone: 'RAFAH' },
      members: [
        person('Lina', 'Harbi'),
        { ...person('Sami', 'Harbi'), relationship: 'child', birthDate: '2014-02-02' },
      ],
    });
    await register(server, crisisId, {
      registeredBy: 'self',
      intention: 'stay',
      location: { zone: 'KHAN-YOUNIS' },
      members: [person('Maha', 'Tarek')],
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a crisis manager reads the figures, clicks through to the records, writes the narrative and downloads the PDF', async () => {
    const t = messages('en');
    const email = 'manager@example.test';
    const staff = await server.createStaff({
      email,
      password: PASSWORD,
      displayName: 'Morgan Picture',
      grants: [{ role: 'crisis_manager', crisisId }],
    });
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    const { page, watch } = await openPage(context, server.url);
    await signIn(page, { serverUrl: server.url, email, password: PASSWORD, totpSecret: staff.totpSecret });

    await page.getByRole('navigation').getByRole('link', { name: t.dashboard.nav }).click();
    await page.getByRole('heading', { level: 1, name: t.dashboard.title }).waitFor();
    // The charts are drawn (SVG from recharts, served by the console itself: no other origin).
    await page.getByTestId('series-chart').locator('svg.recharts-surface').first().waitFor();
    await page.getByTestId('zone-chart').locator('.recharts-bar-rectangle').first().waitFor();
    const registered = page.getByTestId('figure-registered');
    expect(await registered.getByRole('link').textContent()).toBe('3');
    expect(await page.getByTestId('zone-chart').getByRole('row', { name: /Rafah/ }).textContent()).toContain(
      '2',
    );
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: `${RESULTS}dashboard.png`, fullPage: true });

    // Today's snapshot, once: the second press says it was already taken.
    await page.getByRole('button', { name: t.dashboard.snapshotNow }).click();
    await page
      .getByText(t.dashboard.snapshotTaken.replace('{{day}}', new Date().toISOString().slice(0, 10)))
      .waitFor();

    // A figure opens the records behind it, in the registry (which checks its own access).
    await page.getByTestId('figure-verified').getByRole('link').click();
    await page.waitForURL(/\/console\/registry\?status=verified/);
    await page.getByRole('heading', { level: 1, name: t.registry.title }).waitFor();
    await page.goBack();
    await page.getByTestId('zone-chart').getByRole('link', { name: 'Rafah' }).click();
    await page.waitForURL(/\/console\/registry\?zone=/);
    await page.getByText('Harbi').first().waitFor();

    // The situation report: narrative, preview, PDF.
    await page.getByRole('navigation').getByRole('link', { name: t.sitrep.nav }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(t.sitrep.title) }).waitFor();
    await page.getByText(t.sitrep.live).waitFor();
    await page.getByTestId('sitrep-narrative').fill('Rafah crossing closed today; three people registered.');
    await page.getByRole('button', { name: t.sitrep.save }).click();
    await page.getByText(t.sitrep.saved).waitFor();
    await page.getByText(t.sitrep.archived, { exact: true }).waitFor();
    const preview = page.frameLocator('[data-testid="sitrep-preview"]');
    await preview.getByText('Rafah crossing closed today').waitFor();
    expect(await preview.locator('svg').count()).toBe(3);

    const downloading = page.waitForEvent('download');
    await page.getByTestId('sitrep-pdf-en').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^situation-report-\d{4}-\d{2}-\d{2}-en\.pdf$/);
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfLines(bytes);
    expect(text).toContain('Situation report');
    expect(text).toContain('Exercise Picture');
    expect(text).toMatch(/Registered 3/);
    expect(text).toContain('Rafah crossing closed today; three people registered.');
    await page.getByTestId('sitrep-archive').getByText('Rafah crossing closed today').waitFor();

    // The Arabic preview reads right to left.
    await page.getByText(t.sitrep.langs.ar, { exact: true }).click();
    await preview.locator('html[dir="rtl"]').waitFor();
    await preview.getByText(messages('ar').sitrep.report.title).first().waitFor();
    await page.getByTestId('sitrep-preview').screenshot({ path: `${RESULTS}sitrep-ar.png` });

    expectCleanPage(watch);
    await context.close();
  });
});
