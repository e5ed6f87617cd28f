/**
 * What the browser tests of the citizen's page and the console's governance
 * screens share: one Chromium (test/setup/chromium.ts) on a hub listening on a
 * port, fresh contexts watched for requests to other hosts and script or
 * Content-Security-Policy problems, axe, and screenshots in test/artifacts.
 * Only the *.browser.test.ts files import it: vitest.config.ts skips them
 * where there is no Chromium, so nothing here runs (or writes) there.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { findChromium, howToEnable } from './chromium.js';
import { startTestHub, type TestHub } from './hub.js';
import { buildConsole, staleBundles } from '../../console/build.js';

export const ARTIFACTS = path.resolve('test/artifacts');
/** How long to wait for the page to show something: generous, as the suite's other files load the machine meanwhile. */
export const until = { timeout: 15_000 };

export type Language = 'en' | 'zh-CN';
/** Each page runs twice on a browser that prefers Chinese: as it opens, and in English chosen with the page's switch. */
export const RUNS: { language: Language; how: string }[] = [
  { language: 'zh-CN', how: 'a browser that prefers Chinese' },
  { language: 'en', how: 'English chosen with the switch on a browser that prefers Chinese' },
];

export interface BrowserHub {
  t: TestHub;
  base: string;
  browser: Browser;
  /** Requests the pages made to any host but the hub. */
  elsewhere: string[];
  /** Script errors and Content-Security-Policy refusals in the pages. */
  pageProblems: string[];
  /** Every axe violation, by screen and language, written to test/artifacts/<name>-axe.json at the end. */
  axeReport: Record<string, { id: string; impact: string | null | undefined; help: string; nodes: number }[]>;
  /** A fresh browser profile whose preferred language is `locale`. */
  browse(locale: string, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(name: string): Promise<void>;
}

export async function startBrowserHub(env: Record<string, string> = {}): Promise<BrowserHub> {
  const chromiumPath = findChromium().path;
  if (!chromiumPath) throw new Error(`The browser tests need Chromium: ${howToEnable(findChromium())}.`);
  const stale = staleBundles();
  if (stale.length > 0) await buildConsole(stale);
  mkdirSync(ARTIFACTS, { recursive: true });

  const t = await startTestHub({ RATE_LIMIT_PER_MINUTE: '1000000', ...env });
  await t.hub.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.hub.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the hub is not listening on a TCP port');
  const base = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  const elsewhere: string[] = [];
  const pageProblems: string[] = [];
  const axeReport: BrowserHub['axeReport'] = {};
  return {
    t,
    base,
    browser,
    elsewhere,
    pageProblems,
    axeReport,
    async browse(locale, viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ locale, viewport });
      context.setDefaultTimeout(15_000);
      context.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith(`${base}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url);
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => pageProblems.push(`script error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) pageProblems.push(message.text());
      });
      return { context, page };
    },
    async close(name) {
      await browser.close();
      await t.close();
      if (Object.keys(axeReport).length > 0) writeFileSync(path.join(ARTIFACTS, `${name}-axe.json`), JSON.stringify(axeReport, null, 2) + '\n');
    },
  };
}

/** Runs axe on the page as it is; fails on any serious or critical violation, and keeps every violation for the report. */
export async function expectAccessible(hub: BrowserHub, page: Page, screen: string, language: Language): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  hub.axeReport[`${screen} (${language})`] = results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  const severe = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(severe, `axe on ${screen} in ${language}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Switches a page that opened in Chinese to English with its switch, by keyboard. */
export async function chooseEnglish(page: Page): Promise<void> {
  await page.getByRole('group', { name: '语言' }).getByRole('button', { name: 'English' }).focus();
  await page.keyboard.press('Enter');
  // Not expect.poll: this also runs in hooks.
  await page.waitForFunction(() => document.documentElement.lang === 'en', undefined, until);
}
