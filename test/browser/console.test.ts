/**
 * The data steward's console in a real browser (Chromium driven by
 * playwright-core) against a hub listening on a port: each screen does its job
 * through the public GraphQL API, what it changes is what consumers see, axe
 * finds no serious or critical accessibility violation, and the page asks
 * nothing of any host but the hub. Every screen runs twice, in Simplified
 * Chinese (a browser that prefers it) and in English (chosen with the switch
 * on that same browser). Screenshots go to test/artifacts/console-<screen>-<language>.png.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { createReader, STEWARD, type TestHub } from '../setup/hub.js';
import { ARTIFACTS, expectAccessible as expectAccessibleIn, RUNS, startBrowserHub, until, type BrowserHub, type Language } from '../setup/browser.js';

const DEMO = '610113198807150016';

type Screen = 'access' | 'requests' | 'consumers' | 'audit' | 'performance' | 'evaluation';

/**
 * What the tests read and press, in each language: the console's real text,
 * so a screen that stayed in English (or a wrong translation) fails. Where a
 * button's name goes on in a visually hidden span, Chromium puts a space
 * between the two parts: Chinese names allow it (\s*).
 */
const WORDS = {
  en: {
    signInHeading: 'OnceGraph data steward console',
    keyLabel: 'Steward API key',
    signIn: 'Sign in',
    notSteward: 'needs a data steward’s key',
    signedInAs: 'Signed in as',
    sections: 'Console sections',
    screen: { access: 'Access matrix', requests: 'Access requests', consumers: 'Consumers and keys', audit: 'Audit', performance: 'Service performance', evaluation: 'Evaluation' },
    pageTitle: 'Access matrix · OnceGraph console',
    languageGroup: 'Language',
    editor: /Citizen\.phone for Test reader/,
    mask: 'Mask',
    grant: 'Grant',
    badInput: 'Some input is not valid',
    granted: 'Granted Citizen.phone for Test reader',
    note: 'Note to the consumer (optional)',
    approve: /^Approve/,
    decidedRow: /Approved.*data-steward.*Approved for the 2026 statistics programme\./,
    id: 'Id',
    name: 'Name',
    department: 'Department',
    housing: 'Housing and urban-rural development bureau (housing)',
    register: 'Register',
    issueKey: 'Issue a key for Town hall kiosk',
    copyKey: 'Copy key',
    done: 'Done',
    revokeKey: /^Revoke key/,
    confirmRevoke: /^Confirm: revoke/,
    revoked: /^revoked/,
    operations: (n: number) => new RegExp(`^Operations \\(${n}\\) and grants`),
    anyOperations: /^Operations \(\d+\) and grants/,
    panel: 'Registered operations of Test reader',
    grantedMark: 'granted: STATISTICS',
    verdict: 'Refused in part: no grant for Citizen.name',
    grantsInForce: 'Grants in force for Test reader',
    copyHash: 'Copy hash of CitizenContact',
    registeredBy: /Registered.*by data-steward/,
    manifestText: 'Manifest (JSON)',
    manifestFile: 'Manifest file',
    registerManifest: /^Register manifest/,
    nothingRegistered: 'nothing was registered',
    registeredOne: 'Registered 1 operation for Test reader: CitizenLicenses.',
    restrictSwitch: 'Registered operations only',
    removeOperation: 'Remove operation CitizenContact',
    keepOperation: 'Keep CitizenContact',
    removed: 'Removed CitizenContact from Test reader',
    chainIntact: /The audit log is intact: [\d,]+ records checked/,
    auditSearch: 'Audit log',
    citizenId: 'Citizen ID',
    consumer: 'Consumer',
    search: 'Search',
    auditRecords: /Audit records/,
    /** `dateStyle: 'medium'` in English: Dec 1, 2026. */
    date: /[A-Z][a-z]{2} \d{1,2}, \d{4}/,
    found: /^\d+ records? found\.$/,
    serviceMetrics: /Service metrics/,
    submitted: 'Submitted',
    skip: 'Skip to content',
    evaluation: {
      from: 'From',
      to: 'To',
      scores: /^Scores by department/,
      dimensions: ['Operation', 'Processing time', 'Benefit', 'Technical level', 'Satisfaction', 'Overall score'],
      indicators: (department: string) => `Indicators of ${department} (scrolls sideways)`,
      met: '✓ met',
      notMet: '✗ not met',
      atLeast: 'at least ',
      monthly: /^Satisfaction per month/,
      open: 'Open, within their due date',
      overdue: 'Overdue, not answered',
      overdueList: /^Overdue follow-ups/,
      days: (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`,
    },
  },
  'zh-CN': {
    signInHeading: 'OnceGraph 数据治理控制台',
    keyLabel: '数据管理员 API 密钥',
    signIn: '登录',
    notSteward: '控制台需要数据管理员的密钥',
    signedInAs: '当前用户',
    sections: '控制台栏目',
    screen: { access: '授权矩阵', requests: '授权申请', consumers: '调用方与密钥', audit: '审计日志', performance: '服务效能', evaluation: '综合评价' },
    pageTitle: '授权矩阵 · OnceGraph 控制台',
    languageGroup: '语言',
    editor: /向 Test reader 授权 Citizen\.phone/,
    mask: '脱敏方式',
    grant: '授权',
    badInput: '输入有误',
    granted: '已向 Test reader 授权 Citizen.phone',
    note: '给调用方的审批意见（可选）',
    approve: /^批准/,
    decidedRow: /已批准.*data-steward.*Approved for the 2026 statistics programme\./,
    id: '标识',
    name: '名称',
    department: '所属部门',
    housing: '住房和城乡建设局 (housing)',
    register: '注册',
    issueKey: /^签发密钥\s*：Town hall kiosk$/,
    copyKey: '复制密钥',
    done: '完成',
    revokeKey: /^撤销\s*密钥/,
    confirmRevoke: /^确认撤销/,
    revoked: /^已撤销/,
    operations: (n: number) => new RegExp(`^操作（${n}）与授权`),
    anyOperations: /^操作（\d+）与授权/,
    panel: 'Test reader 的已登记操作',
    grantedMark: '已授权：STATISTICS',
    verdict: '部分拒绝：Citizen.name 未授权',
    grantsInForce: 'Test reader 生效中的授权',
    copyHash: /^复制哈希值\s*：CitizenContact$/,
    registeredBy: /登记人 data-steward/,
    manifestText: '操作清单（JSON）',
    manifestFile: '清单文件',
    registerManifest: /^登记清单/,
    nothingRegistered: '未登记任何操作',
    registeredOne: '已为 Test reader 登记 1 个操作：CitizenLicenses。',
    restrictSwitch: '仅限已登记操作',
    removeOperation: /^移除\s*操作 CitizenContact$/,
    keepOperation: /^保留\s*CitizenContact$/,
    removed: '已从 Test reader 移除 CitizenContact',
    chainIntact: /审计日志完整：已校验 [\d,]+ 条记录/,
    auditSearch: '审计日志',
    citizenId: '公民身份号码',
    consumer: '调用方',
    search: '查询',
    auditRecords: /审计记录/,
    /** `dateStyle: 'medium'` in Chinese: 2026年12月1日. */
    date: /\d{4}年\d{1,2}月\d{1,2}日/,
    found: /^共找到 \d+ 条记录。$/,
    serviceMetrics: /服务效能指标/,
    submitted: '受理',
    skip: '跳到主要内容',
    evaluation: {
      from: '起始日期',
      to: '截止日期',
      scores: /^各部门得分/,
      dimensions: ['运行保障', '办理时效', '共享效益', '技术水平', '群众满意度', '综合得分'],
      indicators: (department: string) => `${department}的指标（可横向滚动）`,
      met: '✓ 达标',
      notMet: '✗ 未达标',
      atLeast: '不低于 ',
      monthly: /^逐月满意度/,
      open: '整改中（未超期）',
      overdue: '已逾期未答复',
      overdueList: /^逾期的整改事项/,
      days: (n: number) => `${n} 天`,
    },
  },
} satisfies Record<Language, unknown>;


let hub: BrowserHub;
let t: TestHub;
let base: string;
const stewardKey = inject('demoKeys')['data-steward'];

beforeAll(async () => {
  hub = await startBrowserHub();
  ({ t, base } = hub);
}, 240_000);

afterAll(() => hub?.close('console'));

/** A fresh browser profile whose preferred language is `locale` (test/setup/browser.ts), allowed the clipboard for the copy buttons. */
async function browse(locale: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await hub.browse(locale);
  await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  return opened;
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

const errorAt = (res: { body: { errors?: { path?: (string | number)[]; extensions?: Record<string, any> }[] } }, at: string) =>
  res.body.errors?.find((e) => e.path?.join('.') === at);

describe.each(RUNS)('the steward console in $language ($how)', { timeout: 60_000 }, ({ language }) => {
  const w = WORDS[language];
  let context: BrowserContext;
  let page: Page;
  let reader: { consumerId: string; key: string; headers: Record<string, string> };
  const readAs = (fields: string) => t.graphql(`query ReaderCheck { citizen(id: "${DEMO}") { id ${fields} } }`, {}, reader.headers);

  beforeAll(async () => {
    ({ context, page } = await browse('zh-CN'));
    // A consumer of its own for this run, with no grant at all, reading for STATISTICS.
    reader = await createReader(t, { fields: [], purpose: 'STATISTICS' });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
  });

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, `console-${name}-${language}.png`), fullPage: true });
  }

  /** Runs axe on the page as it is; fails on any serious or critical violation (test/setup/browser.ts). */
  const expectAccessible = (screen: string) => expectAccessibleIn(hub, page, screen, language);

  const heading = () => page.getByRole('heading', { level: 1 }).textContent();
  async function open(screen: Screen): Promise<void> {
    await page.getByRole('navigation', { name: w.sections }).getByRole('link', { name: w.screen[screen] }).click();
    await expect.poll(heading, until).toBe(w.screen[screen]);
  }

  it('opens in the language asked for, says so in <html lang>, and keeps a choice made with the switch', async () => {
    await page.goto(`${base}/console`);
    // The browser prefers Chinese: the console starts in Chinese.
    await expect.poll(heading, until).toBe(WORDS['zh-CN'].signInHeading);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    const languages = page.getByRole('group', { name: WORDS['zh-CN'].languageGroup });
    expect(await languages.getByRole('button', { name: '简体中文' }).getAttribute('aria-pressed')).toBe('true');

    if (language === 'en') {
      // By keyboard: the switch is two buttons, the current one pressed.
      await languages.getByRole('button', { name: 'English' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(heading, until).toBe(w.signInHeading);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      expect(await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
      expect(await page.evaluate(() => localStorage.getItem('oncegraph.language'))).toBe('en');
      // The choice outlasts the page: loaded again, it is still English although the browser prefers Chinese.
      await page.reload();
      await expect.poll(heading, until).toBe(w.signInHeading);
    } else {
      // Nothing was chosen, so nothing is stored: the browser's preference decides.
      expect(await page.evaluate(() => localStorage.getItem('oncegraph.language'))).toBeNull();
    }
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
  });

  it('signs a steward in with an API key, and turns away other keys', async () => {
    await screenshot('sign-in');
    await expectAccessible('sign-in');

    const key = page.getByLabel(w.keyLabel);
    await key.fill('ogk_thisKeyWasNeverIssuedByTheHubAtAll0000000');
    await page.getByRole('button', { name: w.signIn, exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), until).toMatch(/\S/);

    await key.fill(inject('demoKeys')['licensing-desk']);
    await page.getByRole('button', { name: w.signIn, exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), until).toContain(w.notSteward);
    await screenshot('sign-in-refused');

    await key.fill(stewardKey);
    await key.press('Enter');
    await page.getByText(w.signedInAs).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('oncegraph.stewardKey'))).toBe(stewardKey);
    await expect.poll(() => page.title(), until).toBe(w.pageTitle);
  });

  it('grants a field from the access matrix, showing the API’s validation errors by the cell, and the consumer starts reading it', async () => {
    const before = await readAs('phone');
    expect(errorAt(before, 'citizen.phone')?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_GRANT' });

    await page.reload();
    await expect.poll(heading, until).toBe(w.screen.access);
    // Every entity's grantable fields are columns, the enterprise registry's and households' included.
    for (const field of ['Enterprise.contactPhone', 'Household.address', 'HouseholdMember.relation']) {
      await expect.poll(() => page.locator(`button.cell[data-consumer="${reader.consumerId}"][data-field="${field}"]`).count(), until).toBe(1);
    }
    const cell = page.locator(`button.cell[data-consumer="${reader.consumerId}"][data-field="Citizen.phone"]`);
    await cell.focus();
    await page.keyboard.press('Enter');
    const editor = page.getByRole('dialog', { name: w.editor });
    await editor.waitFor();

    // A date mask on a phone number: the hub refuses it, and says why (in English, for developers) in the editor beside the cell.
    await editor.getByRole('checkbox', { name: /STATISTICS/ }).check();
    await editor.getByLabel(w.mask).selectOption('YEAR_ONLY');
    await editor.getByRole('button', { name: w.grant, exact: true }).click();
    const alert = editor.getByRole('alert');
    await expect.poll(() => alert.textContent(), until).toContain('YEAR_ONLY does not fit Citizen.phone');
    expect(await alert.textContent()).toContain(w.badInput);
    expect(await alert.locator('li[lang="en"]').count()).toBeGreaterThan(0);
    await screenshot('access-matrix-refused');
    await expectAccessible('access-matrix editor');

    await editor.getByLabel(w.mask).selectOption('NONE');
    await editor.getByRole('button', { name: w.grant, exact: true }).click();
    await editor.waitFor({ state: 'detached' });
    await expect.poll(() => cell.textContent(), until).toContain('STATISTICS');
    await expect.poll(() => page.getByRole('status').first().textContent(), until).toContain(w.granted);
    await screenshot('access-matrix');
    await expectAccessible('access-matrix');

    const after = await readAs('phone');
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
    expect(errorAt(await readAs('email'), 'citizen.email')?.extensions?.reason).toBe('NO_GRANT');

    await open('requests');
    const request = page.locator(`li[data-request="${id}"]`);
    await request.waitFor();
    expect(await request.textContent()).toContain('quarterly statistics');
    await screenshot('access-requests-pending');
    await expectAccessible('access-requests');

    await request.getByLabel(w.note).fill('Approved for the 2026 statistics programme.');
    await request.getByRole('button', { name: w.approve }).click();
    const decided = page.locator(`tr[data-request="${id}"]`);
    await decided.waitFor();
    expect(await decided.textContent()).toMatch(w.decidedRow);
    expect(await decided.textContent()).toMatch(w.date);
    await screenshot('access-requests');

    const after = await readAs('email');
    expect(errorAt(after, 'citizen.email')).toBeUndefined();
  });

  it('registers a consumer, issues a key shown once with a copy button, and revokes it: the key then gets 401', async () => {
    await open('consumers');
    const id = `kiosk-${Date.now().toString(36)}`;
    await page.getByLabel(w.id, { exact: true }).fill(id);
    await page.getByLabel(w.name, { exact: true }).fill('Town hall kiosk');
    // Departments by their names in the page's language (from the graph's catalogue), chosen by id.
    const department = page.getByLabel(w.department);
    expect(await department.locator('option[value="housing"]').textContent()).toBe(w.housing);
    await department.selectOption('housing');
    await page.getByRole('button', { name: w.register, exact: true }).click();
    const card = page.locator(`li[data-consumer="${id}"]`);
    await card.waitFor();

    await card.getByRole('button', { name: w.issueKey }).click();
    const shown = card.getByTestId('issued-key');
    await shown.waitFor();
    const key = (await shown.textContent())!.trim();
    expect(key).toMatch(/^ogk_/);
    await card.getByRole('button', { name: w.copyKey }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), until).toBe(key);
    const me = await t.graphql(`{ me { role consumer { id } } }`, {}, { authorization: `Bearer ${key}` });
    expect(me.body.data.me.consumer.id).toBe(id);
    await screenshot('consumers-key-issued');
    await expectAccessible('consumers');

    await card.getByRole('button', { name: w.done }).click();
    await card.getByRole('button', { name: w.revokeKey }).click();
    await card.getByRole('button', { name: w.confirmRevoke }).click();
    await expect.poll(() => card.getByText(w.revoked).count(), until).toBe(1);
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
    await expect.poll(heading, until).toBe(w.screen.consumers);
    const card = page.locator(`li[data-consumer="${reader.consumerId}"]`);
    const opener = card.getByRole('button', { name: w.operations(1) });
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => opener.getAttribute('aria-expanded'), until).toBe('true');
    const panel = card.getByRole('region', { name: w.panel });
    const contact = panel.locator(`li[data-operation="${sha256(CONTACT)}"]`);
    await contact.waitFor();

    // Each field it reads, marked against the reader's grants in force.
    const marks = async (operation: typeof contact) =>
      Object.fromEntries(await operation.locator('[data-field]').evaluateAll((items) => items.map((li) => [li.getAttribute('data-field'), li.getAttribute('data-mark')])));
    expect(await marks(contact)).toEqual({ 'Query.citizen': 'free', 'Citizen.id': 'key', 'Citizen.name': 'refused', 'Citizen.phone': 'granted', 'Citizen.email': 'granted' });
    expect(await contact.locator('[data-field="Citizen.phone"]').textContent()).toContain(w.grantedMark);
    expect(await contact.getByTestId('verdict').textContent()).toBe(w.verdict);
    expect(await panel.getByRole('list', { name: w.grantsInForce }).textContent()).toMatch(/Citizen\.email.*STATISTICS/);
    // The hash, short on screen, whole on hover and on copy.
    const shortHash = contact.locator('code[title]');
    expect(await shortHash.getAttribute('title')).toBe(sha256(CONTACT));
    expect(await shortHash.textContent()).toBe(`${sha256(CONTACT).slice(0, 12)}…`);
    await contact.getByRole('button', { name: w.copyHash }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), until).toBe(sha256(CONTACT));
    expect(await contact.textContent()).toMatch(w.registeredBy);
    await screenshot('consumer-operations');
    await expectAccessible('consumer operations');

    // A manifest with problems: each one with where it is (the hub's English), and nothing registered.
    const manifestText = panel.getByLabel(w.manifestText);
    await manifestText.fill(manifestOf([{ ...entry(LICENSES), id: sha256('something else') }, entry(`query Shoes($id: ID!) {\n  citizen(id: $id) {\n    shoeSize\n  }\n}`)]));
    await panel.getByRole('button', { name: w.registerManifest }).click();
    const refusal = panel.locator('form').getByRole('alert');
    await expect.poll(() => refusal.textContent(), until).toContain(w.nothingRegistered);
    expect(await refusal.locator('li').allTextContents()).toEqual([
      `manifest.operations[0].id: is not the SHA-256 of body (that is ${sha256(LICENSES)}); regenerate the manifest instead of editing it.`,
      'manifest.operations[1].body: Cannot query field "shoeSize" on type "Citizen".',
    ]);
    expect(await registeredNames()).toEqual(['CitizenContact']);
    await screenshot('consumer-operations-refused');
    await expectAccessible('consumer operations, manifest refused');

    // The manifest file, chosen from disk.
    await panel.getByLabel(w.manifestFile).setInputFiles({ name: 'persisted-query-manifest.json', mimeType: 'application/json', buffer: Buffer.from(manifestOf([entry(LICENSES)])) });
    await expect.poll(() => manifestText.inputValue(), until).toBe(manifestOf([entry(LICENSES)]));
    await panel.getByRole('button', { name: w.registerManifest }).click();
    await expect.poll(() => panel.getByRole('status').first().textContent(), until).toBe(w.registeredOne);
    const licenses = panel.locator(`li[data-operation="${sha256(LICENSES)}"]`);
    await licenses.waitFor();
    expect(await marks(licenses)).toEqual({ 'Query.citizen': 'free', 'Citizen.licenses': 'refused', 'License.number': 'free', 'License.status': 'free' });
    expect(await registeredNames()).toEqual(['CitizenContact', 'CitizenLicenses']);
    await expect.poll(() => card.getByRole('button', { name: w.operations(2) }).count(), until).toBe(1);

    // The switch: on, the reader runs only these; off again, anything.
    const restrict = panel.getByRole('switch', { name: w.restrictSwitch });
    expect(await restrict.getAttribute('aria-checked')).toBe('false');
    await restrict.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => restrict.getAttribute('aria-checked'), until).toBe('true');
    expect((await readAs('phone')).body.errors![0].extensions!.code).toBe('OPERATION_NOT_REGISTERED');
    expect((await byHash(sha256(CONTACT), { id: DEMO }, reader.headers)).data.citizen.phone).toEqual(expect.any(String));
    await screenshot('consumer-operations-restricted');
    await page.keyboard.press('Space');
    await expect.poll(() => restrict.getAttribute('aria-checked'), until).toBe('false');
    expect((await readAs('phone')).body.data.citizen.phone).toEqual(expect.any(String));

    // Removing asks for confirmation first; then the hash runs nowhere.
    await contact.getByRole('button', { name: w.removeOperation }).click();
    await contact.getByRole('button', { name: w.keepOperation }).click();
    expect(await registeredNames()).toEqual(['CitizenContact', 'CitizenLicenses']);
    await contact.getByRole('button', { name: w.removeOperation }).click();
    await page.keyboard.press('Enter');
    await contact.waitFor({ state: 'detached' });
    await expect.poll(() => panel.getByRole('status').first().textContent(), until).toContain(w.removed);
    expect(await registeredNames()).toEqual(['CitizenLicenses']);
    expect((await byHash(sha256(CONTACT), { id: DEMO }, reader.headers)).errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    await screenshot('consumer-operations-removed');
    await expectAccessible('consumer operations, after a removal');
  });

  it('searches the audit log for the demo citizen and shows the chain intact', async () => {
    await open('audit');
    await expect.poll(() => page.getByText(w.chainIntact).count(), until).toBe(1);

    const search = page.getByRole('search', { name: w.auditSearch, exact: true });
    await search.getByLabel(w.citizenId).fill('12345');
    await search.getByRole('button', { name: w.search, exact: true }).click();
    // The hub's message stays English (for developers), beside the console's sentence for its code.
    await expect.poll(() => page.getByRole('alert').textContent(), until).toMatch(/citizenId|national ID/i);
    expect(await page.getByRole('alert').textContent()).toContain(w.badInput);

    await search.getByLabel(w.citizenId).fill(DEMO);
    await search.getByLabel(w.consumer).selectOption(reader.consumerId);
    await search.getByRole('button', { name: w.search, exact: true }).click();
    const rows = page.getByRole('region', { name: w.auditRecords }).locator('tbody tr');
    await expect.poll(() => rows.count(), until).toBeGreaterThanOrEqual(3);
    for (const text of await rows.allTextContents()) {
      expect(text).toContain(DEMO);
      expect(text).toContain('Test reader');
      expect(text).toMatch(w.date);
    }
    expect(await rows.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/STATISTICS.*Citizen\.phone/)]));
    expect(await page.locator('.status').textContent()).toMatch(w.found);
    await screenshot('audit');
    await expectAccessible('audit');
  });

  it('charts processing times and pre-filled items from serviceMetrics, each service under its name in the page’s language', async () => {
    const metrics = await t.graphql(`{ serviceMetrics { serviceCode serviceName serviceNameZh submitted } }`, {}, STEWARD);
    expect(metrics.body.errors).toBeUndefined();
    await open('performance');
    const charts = page.locator('canvas[role="img"]');
    await expect.poll(() => charts.count(), until).toBe(2);
    // Chart.js drew bars: the canvases are not blank.
    expect((await inkedPixels(charts)).every((n) => n > 1000)).toBe(true);
    const table = page.getByRole('region', { name: w.serviceMetrics });
    const figures = table.locator('tbody tr');
    expect(await figures.count()).toBe(metrics.body.data.serviceMetrics.length);
    expect(await table.locator('thead').textContent()).toContain(w.submitted);
    const first = metrics.body.data.serviceMetrics[0] as { serviceCode: string; serviceName: string; serviceNameZh: string; submitted: number };
    const row = figures.filter({ hasText: first.serviceCode }).first();
    expect(await row.locator('th').textContent()).toContain(language === 'zh-CN' ? first.serviceNameZh : first.serviceName);
    // Counts grouped for the language (the same in both: 1,234).
    expect((await row.locator('td').first().textContent())!.trim()).toBe(new Intl.NumberFormat(language).format(first.submitted));
    await screenshot('service-performance');
    await expectAccessible('service-performance');
  });

  it('scores each department on the five dimensions with the indicators behind them, charts satisfaction by month, and lists overdue follow-ups', async () => {
    await open('evaluation');
    const e = w.evaluation;
    // The period the screen opened on (the last 12 full months), asked of the API the same way.
    const from = await page.getByLabel(e.from, { exact: true }).inputValue();
    const to = await page.getByLabel(e.to, { exact: true }).inputValue();
    expect(from).toMatch(/^\d{4}-\d{2}-01$/);
    expect(Date.parse(to) - Date.parse(from)).toBeGreaterThan(360 * 86_400_000);
    type Scored = { department: string; departmentName: string; departmentNameZh: string; score: number | null; indicators: { name: string; label: string; labelZh: string; value: number | null; target: number; met: boolean | null; score: number | null }[] } & Record<string, number | null>;
    const evaluation = await t.graphql<{ serviceEvaluation: Scored[] }>(
      `query($from: Date, $to: Date) { serviceEvaluation(from: $from, to: $to) { department departmentName departmentNameZh operation processingTime benefit technical satisfaction score indicators { name label labelZh value target met score } } }`,
      { from, to },
      STEWARD,
    );
    expect(evaluation.body.errors).toBeUndefined();
    const departments = evaluation.body.data!.serviceEvaluation;
    expect(departments.length).toBeGreaterThan(0);
    const score = new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const shown = (value: number | null) => (value === null ? '—' : score.format(value));
    const nameOf = (d: { departmentName: string; departmentNameZh: string }) => (language === 'zh-CN' ? d.departmentNameZh : d.departmentName);

    // Every department, under its name in the page's language, with its five dimension scores and overall score, as the API has them.
    const scores = page.getByRole('region', { name: e.scores });
    await expect.poll(() => scores.locator('tbody tr').count(), until).toBe(departments.length);
    expect(await scores.locator('thead th').allTextContents()).toEqual([expect.any(String), ...e.dimensions]);
    for (const d of departments) {
      const row = scores.locator(`tr[data-department="${d.department}"]`);
      expect(await row.locator('th').textContent()).toBe(nameOf(d));
      const cells = await row.locator('td').allTextContents();
      expect(cells.map((c) => c.replace(/\s.*$/s, ''))).toEqual(['operation', 'processingTime', 'benefit', 'technical', 'satisfaction', 'score'].map((k) => shown(d[k])));
    }
    // Best overall first.
    const order = await scores.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-department')));
    expect(order[0]).toBe([...departments].sort((a, b) => (b.score ?? -1) - (a.score ?? -1))[0].department);

    // The indicators of a department with something measured, opened by keyboard.
    const measured = departments.find((d) => d.indicators.some((i) => i.value !== null && i.name === 'withinLimitShare'))!;
    expect(measured).toBeDefined();
    const details = page.locator(`details[data-department="${measured.department}"]`);
    await details.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => details.getAttribute('open'), until).not.toBeNull();
    const indicators = page.getByRole('region', { name: e.indicators(nameOf(measured)) });
    expect(await indicators.locator('tbody tr').count()).toBe(measured.indicators.length);
    const within = measured.indicators.find((i) => i.name === 'withinLimitShare')!;
    const withinRow = indicators.locator('tr[data-indicator="withinLimitShare"]');
    expect(await withinRow.locator('th').textContent()).toBe(language === 'zh-CN' ? within.labelZh : within.label);
    const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 });
    const cells = await withinRow.locator('td').allTextContents();
    expect(cells[1]).toBe(percent.format(within.value!));
    expect(cells[2]).toBe(`${e.atLeast}${percent.format(within.target)}`);
    expect(cells[3]).toBe(within.met ? e.met : e.notMet);
    expect(cells[4]).toBe(shown(within.score));
    // Items pre-filled per application: a plain number, not a share.
    const perApplication = measured.indicators.find((i) => i.name === 'prefilledPerApplication')!;
    const perApplicationCells = await indicators.locator('tr[data-indicator="prefilledPerApplication"] td').allTextContents();
    expect(perApplicationCells[2]).toBe(`${e.atLeast}${new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(perApplication.target)}`);

    // Satisfaction month by month: the services rated most often over the period, each month's share of 4 and 5.
    const monthly = page.getByRole('region', { name: e.monthly });
    await expect.poll(() => monthly.locator('tbody tr').count(), until).toBeGreaterThan(0);
    expect(await monthly.locator('tbody tr').count()).toBeLessThanOrEqual(5);
    expect(await monthly.locator('thead th').count()).toBe(12 + 2);
    const overPeriod = await t.graphql<{ serviceMetrics: { serviceCode: string; ratings: number }[] }>(`query($from: Date, $to: Date) { serviceMetrics(from: $from, to: $to) { serviceCode ratings } }`, { from, to }, STEWARD);
    const mostRated = [...overPeriod.body.data!.serviceMetrics].sort((a, b) => b.ratings - a.ratings || a.serviceCode.localeCompare(b.serviceCode))[0];
    const firstService = monthly.locator('tbody tr').first();
    expect(await firstService.getAttribute('data-service')).toBe(mostRated.serviceCode);
    // The twelve months add up to the period.
    expect(await firstService.locator('td').last().textContent()).toBe(new Intl.NumberFormat(language).format(mostRated.ratings));

    // Both charts drew: the canvases are not blank.
    const charts = page.locator('canvas[role="img"]');
    await expect.poll(() => charts.count(), until).toBe(2);
    expect((await inkedPixels(charts)).every((n) => n > 1000)).toBe(true);

    // Follow-ups as they stand: how many are open and overdue, and the overdue ones, the most recently due first.
    const followUps = await t.graphql<{ counts: { open: number; overdue: number }; open: { id: string }[]; overdue: { id: string; caseNumber: string; department: string; dueAt: string }[] }>(
      `{ counts: ratingFollowUpCounts { open overdue } open: ratingFollowUps(status: OPEN, first: 100) { id } overdue: ratingFollowUps(status: OVERDUE, first: 100) { id caseNumber department dueAt } }`,
      {},
      STEWARD,
    );
    expect(followUps.body.errors).toBeUndefined();
    const { counts, open: openOnes, overdue } = followUps.body.data!;
    // The template holds fewer than a page of each: the whole counts are the lists' lengths.
    expect(counts).toEqual({ open: openOnes.length, overdue: overdue.length });
    const tally = (status: string) => page.locator(`.tallies [data-status="${status}"]`);
    expect(await tally('OPEN').locator('dt').textContent()).toBe(e.open);
    expect(await tally('OPEN').locator('dd').textContent()).toBe(String(openOnes.length));
    expect(await tally('OVERDUE').locator('dt').textContent()).toBe(e.overdue);
    expect(await tally('OVERDUE').locator('dd').textContent()).toBe(String(overdue.length));
    if (overdue.length > 0) {
      const rows = page.getByRole('region', { name: e.overdueList }).locator('tbody tr');
      expect(await rows.count()).toBe(overdue.length);
      const newest = [...overdue].sort((a, b) => b.dueAt.localeCompare(a.dueAt))[0];
      const first = await rows.first().locator('th, td').allTextContents();
      expect(first[0]).toBe(newest.caseNumber);
      // The department in words.
      expect(first[1]).toBe(nameOf(departments.find((d) => d.department === newest.department)!));
      expect(first[2]).toMatch(w.date);
      expect(first[3]).toBe(e.days(Math.floor((Date.now() - Date.parse(newest.dueAt)) / 86_400_000)));
    }

    await screenshot('evaluation');
    await expectAccessible('evaluation');
  });

  it('is usable by keyboard: a skip link first, and a visible focus ring', async () => {
    await page.goto(`${base}/console#/access`);
    await page.reload();
    await page.getByText(w.signedInAs).waitFor();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused).toEqual({ text: w.skip, outline: 'solid' });
  });

  it('fits a narrow window: only the tables scroll sideways, never the page', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    try {
      for (const [screen, name] of [
        ['access', 'access-matrix'],
        ['requests', 'access-requests'],
        ['consumers', 'consumers'],
        ['audit', 'audit'],
        ['performance', 'service-performance'],
        ['evaluation', 'evaluation'],
      ] as const) {
        await open(screen);
        if (screen === 'consumers') {
          // With a consumer's operations open: long hashes, field names and operation texts wrap inside it.
          await page.locator(`li[data-consumer="${reader.consumerId}"]`).getByRole('button', { name: w.anyOperations }).click();
          await page.locator(`[data-operations="${reader.consumerId}"] li[data-operation]`).first().waitFor();
          await page.locator(`[data-operations="${reader.consumerId}"] summary`).first().click();
        }
        // Every month of the satisfaction chart loaded.
        if (screen === 'evaluation') await page.getByRole('region', { name: w.evaluation.monthly }).waitFor();
        await page.waitForLoadState('networkidle');
        expect(await page.evaluate(() => document.documentElement.scrollWidth), screen).toBeLessThanOrEqual(400);
        await screenshot(`${name}-narrow`);
      }
      // The last screen of the loop.
      await expectAccessible('evaluation, narrow');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('switches language on any screen from the header, and the screen follows at once', async () => {
    const other: Language = language === 'en' ? 'zh-CN' : 'en';
    await open('audit');
    const switcher = page.getByRole('group', { name: w.languageGroup });
    await switcher.getByRole('button', { name: other === 'en' ? 'English' : '简体中文' }).click();
    await expect.poll(heading, until).toBe(WORDS[other].screen.audit);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(other);
    await expect.poll(() => page.title(), until).toBe(`${WORDS[other].screen.audit} · ${other === 'en' ? 'OnceGraph console' : 'OnceGraph 控制台'}`);
    // Back, so the run ends as it began.
    await page.getByRole('group', { name: WORDS[other].languageGroup }).getByRole('button', { name: language === 'en' ? 'English' : '简体中文' }).click();
    await expect.poll(heading, until).toBe(w.screen.audit);
  });
});

describe('the console’s first language', () => {
  it.each([
    ['en-US', 'en'],
    ['zh-CN', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['fr-FR', 'en'],
  ] as const)('a browser preferring %s gets %s', async (locale, expected) => {
    const { context, page } = await browse(locale);
    try {
      await page.goto(`${base}/console`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), until).toBe(WORDS[expected].signInHeading);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(expected);
    } finally {
      await context.close();
    }
  });
});

describe('GraphiQL', { timeout: 60_000 }, () => {
  it('is served from the hub’s own bundle with the header editor prefilled', async () => {
    const { context, page } = await browse('en-US');
    try {
      await page.goto(`${base}/graphiql`);
      await page.locator('.graphiql-container').waitFor();
      await expect.poll(() => page.locator('.graphiql-editor-tool').textContent(), until).toMatch(/"Authorization":\s"Bearer\s[\s\S]*"X-Purpose":\s"LICENSE_ISSUANCE"/);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: path.join(ARTIFACTS, 'console-graphiql.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});

describe('the pages', () => {
  it('asked nothing of any host but the hub, and broke no Content-Security-Policy rule', () => {
    expect(hub.elsewhere).toEqual([]);
    expect(hub.pageProblems).toEqual([]);
  });
});

/** Pixels each canvas has drawn (not transparent): a chart that drew nothing has none. */
function inkedPixels(charts: Locator): Promise<number[]> {
  return charts.evaluateAll((canvases) =>
    canvases.map((c) => {
      const canvas = c as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
      return inked;
    }),
  );
}
