import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Secret, TOTP } from 'otpauth';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect, onTestFailed } from 'vitest';
import type en from '../../locales/en.json';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type Messages = (typeof en)['console'];
export type ConsoleLocale = 'en' | 'fr' | 'ar';

/** The console's own message catalogue, so that tests find inputs by the labels people read. */
export function messages(locale: ConsoleLocale): Messages {
  const catalogue = JSON.parse(readFileSync(`${ROOT}locales/${locale}.json`, 'utf8')) as {
    console: Messages;
  };
  return catalogue.console;
}

export function assertConsoleBuilt(): void {
  if (!existsSync(`${ROOT}dist/console/index.html`)) {
    throw new Error('dist/console is missing: run `npm run build:console` before `npm run test:e2e`.');
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** What went wrong in the page besides the assertions: other origins contacted, CSP refusals, errors. */
export interface PageWatch {
  foreignRequests: string[];
  problems: string[];
}

/**
 * A page that records every request leaving the test server (the console must fetch nothing from
 * anywhere else), every Content-Security-Policy refusal and every uncaught error.
 */
export async function openPage(
  context: BrowserContext,
  serverUrl: string,
): Promise<{ page: Page; watch: PageWatch }> {
  const page = await context.newPage();
  const watch: PageWatch = { foreignRequests: [], problems: [] };
  const origin = new URL(serverUrl).origin;
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) watch.foreignRequests.push(url);
  });
  page.on('pageerror', (error) => watch.problems.push(`page error: ${error.message}`));
  // A failing test leaves a picture of the page in test-results/ (ignored by git).
  onTestFailed(async ({ task }) => {
    const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
    await page.screenshot({ path: `${ROOT}test-results/${name}-${Date.now()}.png` }).catch(() => undefined);
  });
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) watch.problems.push(`csp: ${text}`);
  });
  return { page, watch };
}

export function expectCleanPage(watch: PageWatch): void {
  expect(watch.foreignRequests, 'requests to other origins').toEqual([]);
  expect(watch.problems, 'CSP refusals and page errors').toEqual([]);
}

const axeSource = readFileSync(require.resolve('axe-core'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe-core in the page and fails with a readable list of whatever it finds. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const loaded = await page.evaluate('typeof window.axe !== "undefined"');
  // The console's Content-Security-Policy refuses inline <script> tags (so `addScriptTag({content})`
  // is blocked, as it should be); evaluating through the DevTools protocol is not subject to it.
  if (!loaded) await page.evaluate(axeSource);
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  })()`)) as AxeViolation[];
  const readable = violations.map(
    (violation) =>
      `${violation.impact ?? 'unknown'} ${violation.id}: ${violation.help}\n${violation.nodes
        .map((node) => `    ${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`)
        .join('\n')}`,
  );
  expect(readable, `axe-core violations on ${label}`).toEqual([]);
}

const usedSteps = new Map<string, number>();

/**
 * A TOTP code the server has not accepted yet for this secret. The server refuses a code from a
 * time step it already saw, so a second sign-in within 30 seconds takes the next step's code (it
 * accepts one step of drift), or waits for the next window.
 */
export async function freshTotpCode(secretBase32: string): Promise<string> {
  let current = Math.floor(Date.now() / 30_000);
  let step = Math.max(current, (usedSteps.get(secretBase32) ?? -1) + 1);
  if (step > current + 1) {
    await new Promise((resolve) => setTimeout(resolve, (current + 1) * 30_000 - Date.now() + 200));
    current = Math.floor(Date.now() / 30_000);
    step = Math.max(current, (usedSteps.get(secretBase32) ?? -1) + 1);
  }
  usedSteps.set(secretBase32, step);
  const totp = new TOTP({
    secret: Secret.fromBase32(secretBase32),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  });
  return totp.generate({ timestamp: step * 30_000 });
}

/** The input labelled exactly so (a required field's label also holds a hidden " *"). */
export function field(page: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${escaped}( \\*)?$`));
}

/** Whether the element has the keyboard focus. */
export function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === element.ownerDocument.activeElement);
}

/** `<html lang dir>` as the browser sees it. */
export async function documentLocale(page: Page): Promise<{ lang: string | null; dir: string | null }> {
  return {
    lang: await page.locator('html').getAttribute('lang'),
    dir: await page.locator('html').getAttribute('dir'),
  };
}

/** Signs in through the login page: password, then a fresh code from the authenticator secret. */
export async function signIn(
  page: Page,
  input: { serverUrl: string; email: string; password: string; totpSecret: string; locale?: ConsoleLocale },
): Promise<void> {
  const t = messages(input.locale ?? 'en');
  await page.goto(`${input.serverUrl}/console/login`);
  if (input.locale && input.locale !== 'en') {
    await page.getByLabel(messages('en').shell.language).selectOption(input.locale);
  }
  await field(page, t.login.email).fill(input.email);
  await field(page, t.login.password).fill(input.password);
  await page.getByRole('button', { name: t.login.continue }).click();
  await field(page, t.login.code).fill(await freshTotpCode(input.totpSecret));
  await page.getByRole('button', { name: t.login.signIn }).click();
  await page.getByRole('navigation').waitFor();
}
