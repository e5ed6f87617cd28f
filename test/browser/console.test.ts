/**
 * The data steward's console in a real browser (Debian's Chromium driven by
 * playwright-core) against a hub listening on a port: each screen does its job
 * through the public GraphQL API, what it changes is what consumers see, axe
 * finds no serious or critical accessibility violation, and the page asks
 * nothing of any host but the hub. Screenshots go to test/artifacts/.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { createReader, startTestHub, STEWARD, type TestHub } from '../setup/hub.js';
import { buildConsole, staleBundles } from '../../console/build.js';

const CHROMIUM = '/usr/bin/chromium';
/** How long to wait for the page to show something: generous, as the suite's other files load the machine meanwhile. */
const until = { timeout: 15_000 };
const DEMO = '610113198807150016';
const ARTIFACTS = path.resolve('test/artifacts');

let t: TestHub;
let base: string;
let context: BrowserContext;
let page: Page;
let profile: string;
let reader: { consumerId: string; key: string; headers: Record<string, string> };
const stewardKey = inject('demoKeys')['data-steward'];
/** Requests the page made to any host but the hub. */
const elsewhere: string[] = [];
/** Script errors and Content-Security-Policy refusals in the page. */
const pageProblems: string[] = [];
/** Every axe violation, by screen and impact, for the report. */
const axeReport: Record<string, { id: string; impact: string | null | undefined; help: string; nodes: number }[]> = {};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Debian's Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium (.ci/run does this).`);
  }
  const stale = staleBundles();
  if (stale.length > 0) await buildConsole(stale);
  mkdirSync(ARTIFACTS, { recursive: true });

  t = await startTestHub();
  await t.hub.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.hub.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the hub is not listening on a TCP port');
  base = `http://127.0.0.1:${address.port}`;
  // A consumer with no grant at all, reading for STATISTICS.
  reader = await createReader(t, { fields: [], purpose: 'STATISTICS' });

  profile = mkdtempSync(path.join(tmpdir(), 'oncegraph-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
  });
  // Fail with Playwright's own message (what it waited for) well before the test's timeout.
  context.setDefaultTimeout(15_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${base}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url);
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => pageProblems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) pageProblems.push(message.text());
  });
}, 240_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await t?.close();
  writeFileSync(path.join(ARTIFACTS, 'console-axe.json'), JSON.stringify(axeReport, null, 2) + '\n');
});

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `console-${name}.png`), fullPage: true });
}

/** Runs axe on the page as it is; fails on any serious or critical violation. */
async function expectAccessible(screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  axeReport[screen] = results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  const severe = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(severe, `axe on the ${screen} screen`).toEqual([]);
}

async function open(section: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: section }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), until).toBe(section);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** A persisted-query manifest as @apollo/generate-persisted-query-manifest writes it. */
const manifestOf = (operations: { id: string; name: string; type: string; body: string }[]) => JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }, null, 2);
const entry = (body: string) => ({ id: sha256(body), name: /^query (\w+)/.exec(body)![1], type: 'query', body });
/** Runs a registered operation by its hash alone, as the consumer's app sends it. */
async function byHash(hash: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const res = await t.hub.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
  });
  return JSON.parse(res.body) as { data?: any; errors?: { extensions?: Record<string, unknown> }[] };
}

const readAs = (headers: Record<string, string>, fields: string) => t.graphql(`query ReaderCheck { citizen(id: "${DEMO}") { id ${fields} } }`, {}, headers);
const errorAt = (res: { body: { errors?: { path?: (string | number)[]; extensions?: Record<string, any> }[] } }, at: string) =>
  res.body.errors?.find((e) => e.path?.join('.') === at);

describe('the steward console', { timeout: 60_000 }, () => {
  it('signs a steward in with an API key, and turns away other keys', async () => {
    await page.goto(`${base}/console`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), until).toBe('OnceGraph data steward console');
    await screenshot('sign-in');
    await expectAccessible('sign-in');

    const key = page.getByLabel('Steward API key');
    await key.fill('ogk_thisKeyWasNeverIssuedByTheHubAtAll0000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), until).toMatch(/\S/);

    await key.fill(inject('demoKeys')['licensing-desk']);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), until).toContain("needs a data steward's key");

    await key.fill(stewardKey);
    await key.press('Enter');
    await page.getByText('Signed in as').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('oncegraph.stewardKey'))).toBe(stewardKey);
  });

  it('grants a field from the access matrix, showing the API’s validation errors by the cell, and the consumer starts reading it', async () => {
    const before = await readAs(reader.headers, 'phone');
    expect(errorAt(before, 'citizen.phone')?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_GRANT' });

    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), until).toBe('Access matrix');
    // Every entity's grantable fields are columns, the enterprise registry's and households' included.
    for (const field of ['Enterprise.contactPhone', 'Household.address', 'HouseholdMember.relation']) {
      await expect.poll(() => page.locator(`button.cell[data-consumer="${reader.consumerId}"][data-field="${field}"]`).count(), until).toBe(1);
    }
    const cell = page.locator(`button.cell[data-consumer="${reader.consumerId}"][data-field="Citizen.phone"]`);
    await cell.focus();
    await page.keyboard.press('Enter');
    const editor = page.getByRole('dialog', { name: /Citizen\.phone for Test reader/ });
    await editor.waitFor();

    // A date mask on a phone number: the hub refuses it, and says why, in the editor beside the cell.
    await editor.getByRole('checkbox', { name: /STATISTICS/ }).check();
    await editor.getByLabel('Mask').selectOption('YEAR_ONLY');
    await editor.getByRole('button', { name: 'Grant' }).click();
    await expect.poll(() => editor.getByRole('alert').textContent(), until).toContain('YEAR_ONLY does not fit Citizen.phone');
    await screenshot('access-matrix-refused');
    await expectAccessible('access-matrix editor');

    await editor.getByLabel('Mask').selectOption('NONE');
    await editor.getByRole('button', { name: 'Grant' }).click();
    await editor.waitFor({ state: 'detached' });
    await expect.poll(() => cell.textContent(), until).toContain('STATISTICS');
    await expect.poll(() => page.getByRole('status').first().textContent(), until).toContain('Granted Citizen.phone for Test reader');
    await screenshot('access-matrix');
    await expectAccessible('access-matrix');

    const after = await readAs(reader.headers, 'phone');
    expect(errorAt(after, 'citizen.phone')).toBeUndefined();
    expect(after.body.data.citizen.phone).toEqual(expect.any(String));
  });

  it('approves a pending access request with a note, which lets the consumer read the field', async () => {
    const asked = await t.graphql(
      `mutation($input: AccessRequestInput!) { requestAccess(input: $input) { id } }`,
      { input: { fields: ['Citizen.email'], purpose: 'STATISTICS', justification: 'The quarterly statistics on how citizens can be reached need e-mail coverage.' } },
      reader.headers,
    );
    const id = asked.body.data.requestAccess.id as string;
    expect(errorAt(await readAs(reader.headers, 'email'), 'citizen.email')?.extensions?.reason).toBe('NO_GRANT');

    await open('Access requests');
    const request = page.locator(`li[data-request="${id}"]`);
    await request.waitFor();
    expect(await request.textContent()).toContain('quarterly statistics');
    await screenshot('access-requests-pending');
    await expectAccessible('access-requests');

    await request.getByLabel('Note to the consumer (optional)').fill('Approved for the 2026 statistics programme.');
    await request.getByRole('button', { name: /^Approve/ }).click();
    const decided = page.locator(`tr[data-request="${id}"]`);
    await decided.waitFor();
    expect(await decided.textContent()).toMatch(/Approved.*data-steward.*Approved for the 2026 statistics programme\./);
    await screenshot('access-requests');

    const after = await readAs(reader.headers, 'email');
    expect(errorAt(after, 'citizen.email')).toBeUndefined();
  });

  it('registers a consumer, issues a key shown once with a copy button, and revokes it: the key then gets 401', async () => {
    await open('Consumers and keys');
    const id = `kiosk-${Date.now().toString(36)}`;
    await page.getByLabel('Id').fill(id);
    await page.getByLabel('Name').fill('Town hall kiosk');
    await page.getByLabel('Department').selectOption('housing');
    await page.getByRole('button', { name: 'Register' }).click();
    const card = page.locator(`li[data-consumer="${id}"]`);
    await card.waitFor();

    await card.getByRole('button', { name: 'Issue a key for Town hall kiosk' }).click();
    const shown = card.getByTestId('issued-key');
    await shown.waitFor();
    const key = (await shown.textContent())!.trim();
    expect(key).toMatch(/^ogk_/);
    await card.getByRole('button', { name: 'Copy key' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), until).toBe(key);
    const me = await t.graphql(`{ me { role consumer { id } } }`, {}, { authorization: `Bearer ${key}` });
    expect(me.body.data.me.consumer.id).toBe(id);
    await screenshot('consumers-key-issued');
    await expectAccessible('consumers');

    await card.getByRole('button', { name: 'Done' }).click();
    await card.getByRole('button', { name: /^Revoke key/ }).click();
    await card.getByRole('button', { name: /^Confirm: revoke/ }).click();
    await expect.poll(() => card.getByText(/^revoked/).count(), until).toBe(1);
    await screenshot('consumers');

    const refused = await t.graphql(`{ me { role } }`, {}, { authorization: `Bearer ${key}` });
    expect(refused.status).toBe(401);
    expect(refused.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('shows a consumer’s registered operations and the fields they read against its grants; registers a manifest, restricts the consumer to them, and removes one', async () => {
    // The reader holds grants for Citizen.phone (the access matrix) and Citizen.email (the approved request), none for Citizen.name.
    const CONTACT = `query CitizenContact($id: ID!) {\n  citizen(id: $id) {\n    id\n    name\n    phone\n    email\n  }\n}`;
    const LICENSES = `query CitizenLicenses($id: ID!) {\n  citizen(id: $id) {\n    licenses {\n      number\n      status\n    }\n  }\n}`;
    const REGISTER = `mutation($c: ID!, $m: String!) { registerOperations(consumerId: $c, manifest: $m) { hash } }`;
    const registeredNames = async () =>
      (await t.graphql(`query($c: ID) { operations(consumerId: $c) { name } }`, { c: reader.consumerId }, STEWARD)).body.data.operations.map((o: { name: string }) => o.name);
    expect((await t.graphql(REGISTER, { c: reader.consumerId, m: manifestOf([entry(CONTACT)]) }, STEWARD)).body.errors).toBeUndefined();

    // Still on the consumers screen from the test before: loaded again, it counts the operation just registered.
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), until).toBe('Consumers and keys');
    const card = page.locator(`li[data-consumer="${reader.consumerId}"]`);
    const opener = card.getByRole('button', { name: /^Operations \(1\) and grants/ });
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => opener.getAttribute('aria-expanded'), until).toBe('true');
    const panel = card.getByRole('region', { name: 'Registered operations of Test reader' });
    const contact = panel.locator(`li[data-operation="${sha256(CONTACT)}"]`);
    await contact.waitFor();

    // Each field it reads, marked against the reader's grants in force.
    const marks = async (operation: typeof contact) =>
      Object.fromEntries(await operation.locator('[data-field]').evaluateAll((items) => items.map((li) => [li.getAttribute('data-field'), li.getAttribute('data-mark')])));
    expect(await marks(contact)).toEqual({ 'Query.citizen': 'free', 'Citizen.id': 'key', 'Citizen.name': 'refused', 'Citizen.phone': 'granted', 'Citizen.email': 'granted' });
    expect(await contact.locator('[data-field="Citizen.phone"]').textContent()).toContain('granted: STATISTICS');
    expect(await contact.getByTestId('verdict').textContent()).toBe('Refused in part: no grant for Citizen.name');
    expect(await panel.getByRole('list', { name: 'Grants in force for Test reader' }).textContent()).toMatch(/Citizen\.email.*STATISTICS/);
    // The hash, short on screen, whole on hover and on copy.
    const shortHash = contact.locator('code[title]');
    expect(await shortHash.getAttribute('title')).toBe(sha256(CONTACT));
    expect(await shortHash.textContent()).toBe(`${sha256(CONTACT).slice(0, 12)}…`);
    await contact.getByRole('button', { name: 'Copy hash of CitizenContact' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), until).toBe(sha256(CONTACT));
    expect(await contact.textContent()).toMatch(/Registered.*by data-steward/);
    await screenshot('consumer-operations');
    await expectAccessible('consumer operations');

    // A manifest with problems: each one with where it is, and nothing registered.
    const manifestText = panel.getByLabel('Manifest (JSON)');
    await manifestText.fill(manifestOf([{ ...entry(LICENSES), id: sha256('something else') }, entry(`query Shoes($id: ID!) {\n  citizen(id: $id) {\n    shoeSize\n  }\n}`)]));
    await panel.getByRole('button', { name: /^Register manifest/ }).click();
    const refusal = panel.locator('form').getByRole('alert');
    await expect.poll(() => refusal.textContent(), until).toContain('nothing was registered');
    expect(await refusal.locator('li').allTextContents()).toEqual([
      `manifest.operations[0].id: is not the SHA-256 of body (that is ${sha256(LICENSES)}); regenerate the manifest instead of editing it.`,
      'manifest.operations[1].body: Cannot query field "shoeSize" on type "Citizen".',
    ]);
    expect(await registeredNames()).toEqual(['CitizenContact']);
    await screenshot('consumer-operations-refused');
    await expectAccessible('consumer operations, manifest refused');

    // The manifest file, chosen from disk.
    await panel.getByLabel('Manifest file').setInputFiles({ name: 'persisted-query-manifest.json', mimeType: 'application/json', buffer: Buffer.from(manifestOf([entry(LICENSES)])) });
    await expect.poll(() => manifestText.inputValue(), until).toBe(manifestOf([entry(LICENSES)]));
    await panel.getByRole('button', { name: /^Register manifest/ }).click();
    await expect.poll(() => panel.getByRole('status').first().textContent(), until).toBe('Registered 1 operation for Test reader: CitizenLicenses.');
    const licenses = panel.locator(`li[data-operation="${sha256(LICENSES)}"]`);
    await licenses.waitFor();
    expect(await marks(licenses)).toEqual({ 'Query.citizen': 'free', 'Citizen.licenses': 'refused', 'License.number': 'free', 'License.status': 'free' });
    expect(await registeredNames()).toEqual(['CitizenContact', 'CitizenLicenses']);
    await expect.poll(() => card.getByRole('button', { name: /^Operations \(2\) and grants/ }).count(), until).toBe(1);

    // The switch: on, the reader runs only these; off again, anything.
    const restrict = panel.getByRole('switch', { name: 'Registered operations only' });
    expect(await restrict.getAttribute('aria-checked')).toBe('false');
    await restrict.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => restrict.getAttribute('aria-checked'), until).toBe('true');
    expect((await readAs(reader.headers, 'phone')).body.errors![0].extensions!.code).toBe('OPERATION_NOT_REGISTERED');
    expect((await byHash(sha256(CONTACT), { id: DEMO }, reader.headers)).data.citizen.phone).toEqual(expect.any(String));
    await screenshot('consumer-operations-restricted');
    await page.keyboard.press('Space');
    await expect.poll(() => restrict.getAttribute('aria-checked'), until).toBe('false');
    expect((await readAs(reader.headers, 'phone')).body.data.citizen.phone).toEqual(expect.any(String));

    // Removing asks for confirmation first; then the hash runs nowhere.
    await contact.getByRole('button', { name: 'Remove operation CitizenContact' }).click();
    await contact.getByRole('button', { name: 'Keep CitizenContact' }).click();
    expect(await registeredNames()).toEqual(['CitizenContact', 'CitizenLicenses']);
    await contact.getByRole('button', { name: 'Remove operation CitizenContact' }).click();
    await page.keyboard.press('Enter');
    await contact.waitFor({ state: 'detached' });
    await expect.poll(() => panel.getByRole('status').first().textContent(), until).toContain('Removed CitizenContact from Test reader');
    expect(await registeredNames()).toEqual(['CitizenLicenses']);
    expect((await byHash(sha256(CONTACT), { id: DEMO }, reader.headers)).errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    await screenshot('consumer-operations-removed');
    await expectAccessible('consumer operations, after a removal');
  });

  it('searches the audit log for the demo citizen and shows the chain intact', async () => {
    await open('Audit');
    await expect.poll(() => page.getByText(/The audit log is intact/).count(), until).toBe(1);

    const search = page.getByRole('search', { name: 'Audit log' });
    await search.getByLabel('Citizen ID').fill('12345');
    await search.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), until).toMatch(/citizenId|national ID/i);

    await search.getByLabel('Citizen ID').fill(DEMO);
    await search.getByLabel('Consumer').selectOption(reader.consumerId);
    await search.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByRole('region', { name: /Audit records/ }).locator('tbody tr');
    await expect.poll(() => rows.count(), until).toBeGreaterThanOrEqual(3);
    for (const text of await rows.allTextContents()) {
      expect(text).toContain(DEMO);
      expect(text).toContain('Test reader');
    }
    expect(await rows.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/STATISTICS.*Citizen\.phone/)]));
    await screenshot('audit');
    await expectAccessible('audit');
  });

  it('charts processing times and pre-filled items from serviceMetrics', async () => {
    const metrics = await t.graphql(`{ serviceMetrics { serviceCode } }`, {}, STEWARD);
    expect(metrics.body.errors).toBeUndefined();
    await open('Service performance');
    const charts = page.locator('canvas[role="img"]');
    await expect.poll(() => charts.count(), until).toBe(2);
    // Chart.js drew bars: the canvases are not blank.
    const painted = await charts.evaluateAll((canvases) =>
      canvases.map((c) => {
        const canvas = c as HTMLCanvasElement;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
        return inked;
      }),
    );
    expect(painted.every((n) => n > 1000)).toBe(true);
    const figures = page.getByRole('region', { name: /Service metrics/ }).locator('tbody tr');
    expect(await figures.count()).toBe(metrics.body.data.serviceMetrics.length);
    await screenshot('service-performance');
    await expectAccessible('service-performance');
  });

  it('is usable by keyboard: a skip link first, and a visible focus ring', async () => {
    await page.goto(`${base}/console#/access`);
    await page.reload();
    await page.getByText('Signed in as').waitFor();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused).toEqual({ text: 'Skip to content', outline: 'solid' });
  });

  it('fits a narrow window: only the tables scroll sideways, never the page', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    try {
      for (const [section, name] of [
        ['Access matrix', 'access-matrix'],
        ['Access requests', 'access-requests'],
        ['Consumers and keys', 'consumers'],
        ['Audit', 'audit'],
        ['Service performance', 'service-performance'],
      ] as const) {
        await open(section);
        if (section === 'Consumers and keys') {
          // With a consumer's operations open: long hashes, field names and operation texts wrap inside it.
          await page.locator(`li[data-consumer="${reader.consumerId}"]`).getByRole('button', { name: /^Operations \(\d+\) and grants/ }).click();
          await page.locator(`[data-operations="${reader.consumerId}"] li[data-operation]`).first().waitFor();
          await page.locator(`[data-operations="${reader.consumerId}"] summary`).first().click();
        }
        await page.waitForLoadState('networkidle');
        expect(await page.evaluate(() => document.documentElement.scrollWidth), section).toBeLessThanOrEqual(400);
        await screenshot(`${name}-narrow`);
      }
      await expectAccessible('access-matrix, narrow');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});

describe('GraphiQL', { timeout: 60_000 }, () => {
  it('is served from the hub’s own bundle with the header editor prefilled', async () => {
    await page.goto(`${base}/graphiql`);
    await page.locator('.graphiql-container').waitFor();
    await expect.poll(() => page.locator('.graphiql-editor-tool').textContent(), until).toMatch(/"Authorization":\s"Bearer\s[\s\S]*"X-Purpose":\s"LICENSE_ISSUANCE"/);
    await page.waitForLoadState('networkidle');
    await screenshot('graphiql');
  });
});

describe('the pages', () => {
  it('asked nothing of any host but the hub, and broke no Content-Security-Policy rule', () => {
    expect(elsewhere).toEqual([]);
    expect(pageProblems).toEqual([]);
  });
});
