/**
 * The console's governance screens in a real browser (issue 15 §3, §5): the
 * audit screen opens on the newest records under the open reports and the
 * consumers flagged for reading many citizens a day without a case; grant
 * review puts grants unused for 90 days and expiring within 30 days first and
 * revokes after a confirmation; "see as this application" previews a query
 * from the access matrix and from a pending access request, agreeing with
 * previewAccess. In Chinese and in English; axe finds nothing serious.
 * Screenshots: test/artifacts/console-<screen>-<language>.png.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { citizenHeaders, createReader, STEWARD } from '../setup/hub.js';
import { chooseEnglish, expectAccessible, RUNS, screenshot, startBrowserHub, until, type BrowserHub, type Language } from '../setup/browser.js';

const DEMO = '610113198807150016';

const WORDS = {
  en: {
    keyLabel: 'Steward API key',
    signIn: 'Sign in',
    sections: 'Console sections',
    screen: { audit: 'Audit', consumers: 'Consumers and keys', access: 'Access matrix', preview: 'Preview access', requests: 'Access requests', reports: 'Access reports' },
    openReports: /\d+ open reports? of (a read|reads) citizens? do(es)? not recognise/,
    toReports: 'Answer them under Access reports',
    newest: /^The newest \d+ records; search to narrow them\.$/,
    auditRecords: /Audit records/,
    reviewRegion: 'Grants in force (scrolls sideways)',
    unused: 'unused for 90 days',
    expiring: 'expires within 30 days',
    revoke: (field: string) => new RegExp(`^Revoke\\s*${field.replace('.', '\\.')} of Test reader$`),
    confirm: (field: string) => `Confirm: revoke ${field} of Test reader`,
    keep: (field: string) => new RegExp(`^Keep\\s*${field.replace('.', '\\.')} of Test reader$`),
    revoked: 'Revoked Citizen.phone for Test reader',
    never: 'never',
    seeAs: /^See as this application\s*: Test reader$/,
    purpose: 'Purpose (X-Purpose)',
    preview: 'Preview',
    served: 'served',
    refused: 'refused',
    decisions: 'Field decisions (scrolls sideways)',
    fromRequest: /^Preview what it would get\s*: the request of Test reader$/,
    afterApproval: 'served after approval',
    asked: 'asked for',
  },
  'zh-CN': {
    keyLabel: '数据管理员 API 密钥',
    signIn: '登录',
    sections: '控制台栏目',
    screen: { audit: '审计日志', consumers: '调用方与密钥', access: '授权矩阵', preview: '授权预览', requests: '授权申请', reports: '访问异议' },
    openReports: /\d+ 条公民对数据读取提出的异议待处理/,
    toReports: '前往“访问异议”答复',
    newest: /^最新的 \d+ 条记录；可查询缩小范围。$/,
    auditRecords: /审计记录/,
    reviewRegion: '生效中的授权（可横向滚动）',
    unused: '90 天未使用',
    expiring: '30 天内到期',
    revoke: (field: string) => new RegExp(`^撤销\\s*：Test reader 的 ${field.replace('.', '\\.')}$`),
    confirm: (field: string) => `确认撤销 Test reader 的 ${field}`,
    keep: (field: string) => new RegExp(`^保留\\s*：Test reader 的 ${field.replace('.', '\\.')}$`),
    revoked: '已撤销 Test reader 的 Citizen.phone 授权',
    never: '从未使用',
    seeAs: /^以此应用身份预览\s*：Test reader$/,
    purpose: '用途（X-Purpose）',
    preview: '预览',
    served: '提供',
    refused: '拒绝',
    decisions: '各数据项的判定（可横向滚动）',
    fromRequest: /^预览批准后可获得的数据\s*：Test reader 的申请$/,
    afterApproval: '批准后提供',
    asked: '申请项',
  },
} satisfies Record<Language, unknown>;

let hub: BrowserHub;

beforeAll(async () => {
  // A low threshold, so that one request of three citizens flags its consumer.
  hub = await startBrowserHub({ REVIEW_CASELESS_CITIZENS_PER_DAY: '2' });
}, 240_000);
afterAll(async () => {
  await hub?.close('governance');
});

describe.each(RUNS)('the console’s governance screens in $language ($how)', { timeout: 90_000 }, ({ language }) => {
  const w = WORDS[language];
  let context: BrowserContext;
  let page: Page;
  let reader: Awaited<ReturnType<typeof createReader>>;
  const heading = () => page.getByRole('heading', { level: 1 }).textContent();
  async function open(screen: keyof typeof w.screen): Promise<void> {
    await page.getByRole('navigation', { name: w.sections }).getByRole('link', { name: w.screen[screen], exact: true }).click();
    await expect.poll(heading, until).toBe(w.screen[screen]);
  }

  beforeAll(async () => {
    const { t } = hub;
    // A consumer of this run that reads names (and holds a phone grant it never uses), for STATISTICS.
    reader = await createReader(t, { fields: ['Citizen.name', 'Citizen.phone'], purpose: 'STATISTICS' });
    const [{ ids }] = await t.dbs.registry.rows<{ ids: string[] }>(sql`select array_agg(id) as ids from (select id from registry.citizens where id <> ${DEMO} order by id limit 2) c`);
    const read = await t.graphql(`query Survey($ids: [ID!]!) { citizens(ids: $ids) { name } }`, { ids: [DEMO, ...ids] }, reader.headers);
    expect(read.body.errors).toBeUndefined();
    // Its phone grant given 120 days ago, never used since; an e-mail grant that ends in 10 days.
    await t.dbs.hub.execute(`update hub.grants set granted_at = now() - interval '120 days' where consumer_id = $1 and field = 'Citizen.phone'`, [reader.consumerId]);
    const expiring = await t.graphql(
      `mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`,
      { input: { consumerId: reader.consumerId, field: 'Citizen.email', purposes: ['STATISTICS'], expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString() } },
      STEWARD,
    );
    expect(expiring.body.errors).toBeUndefined();
    // The demo citizen does not recognise it.
    const me = await citizenHeaders(DEMO);
    const history = await t.graphql(`{ myDataAccess(first: 20) { edges { node { id consumerId } } } }`, {}, me);
    const record = history.body.data.myDataAccess.edges.find((e: { node: { consumerId: string } }) => e.node.consumerId === reader.consumerId).node.id;
    expect((await t.graphql(`mutation($id: ID!) { reportAccess(recordId: $id, note: "Who is this?") { id } }`, { id: record }, me)).body.errors).toBeUndefined();

    ({ context, page } = await hub.browse('zh-CN'));
    await page.goto(`${hub.base}/console#/audit`);
    if (language === 'en') await chooseEnglish(page);
    await page.getByLabel(w.keyLabel).fill(inject('demoKeys')['data-steward']);
    await page.getByRole('button', { name: w.signIn, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: w.screen.audit, exact: true }).waitFor();
  }, 60_000);
  afterAll(async () => {
    await context?.close();
  });

  it('the audit screen opens on the newest records, under the open reports and the consumers flagged for reading many citizens without a case', async () => {
    const flag = page.locator(`tr[data-flag="${reader.consumerId}"]`);
    await flag.waitFor();
    expect(await flag.locator('td').nth(1).textContent()).toBe('3');
    expect(await flag.locator('td').nth(2).textContent()).toBe('2');
    await expect.poll(() => page.getByTestId('open-reports').textContent(), until).toMatch(w.openReports);
    // Before any search: the newest records of all.
    const rows = page.getByRole('region', { name: w.auditRecords }).locator('tbody tr');
    await expect.poll(() => rows.count(), until).toBeGreaterThan(0);
    expect(await page.locator('.status').textContent()).toMatch(w.newest);
    const newest = await hub.t.graphql(`{ auditLog(first: 1) { edges { node { id } } } }`, {}, STEWARD);
    expect(await rows.first().textContent()).toContain(`#${newest.body.data.auditLog.edges[0].node.id}`);
    await screenshot(page, `console-audit-attention-${language}`);
    await expectAccessible(hub, page, 'console audit, attention', language);

    await page.getByRole('link', { name: w.toReports }).click();
    await expect.poll(heading, until).toBe(w.screen.reports);
  });

  it('grant review puts grants unused for 90 days and expiring within 30 days first, marked, and revokes after a confirmation', async () => {
    await open('consumers');
    const review = page.getByRole('region', { name: w.reviewRegion });
    const phone = review.locator(`tr[data-consumer="${reader.consumerId}"][data-field="Citizen.phone"]`);
    const email = review.locator(`tr[data-consumer="${reader.consumerId}"][data-field="Citizen.email"]`);
    await phone.waitFor();
    expect(await phone.textContent()).toContain(w.unused);
    expect(await phone.textContent()).toContain(w.never);
    expect(await email.textContent()).toContain(w.expiring);
    // Only grants to review are listed at first, each marked; the reader's name grant (used today) is not among them.
    for (const row of await review.locator('tbody tr').all()) expect(await row.getAttribute('class')).toBe('to-review');
    expect(await review.locator(`tr[data-consumer="${reader.consumerId}"][data-field="Citizen.name"]`).count()).toBe(0);
    await screenshot(page, `console-grant-review-${language}`);
    await expectAccessible(hub, page, 'console grant review', language);

    await phone.getByRole('button', { name: w.revoke('Citizen.phone') }).click();
    await phone.getByRole('button', { name: w.keep('Citizen.phone') }).click();
    await phone.getByRole('button', { name: w.revoke('Citizen.phone') }).click();
    await phone.getByRole('button', { name: w.confirm('Citizen.phone') }).click();
    await phone.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByRole('status').first().textContent(), until).toContain(w.revoked);
    const grants = await hub.t.graphql(`query($id: ID) { grants(consumerId: $id) { field revokedAt } }`, { id: reader.consumerId }, STEWARD);
    expect(grants.body.data.grants.find((g: { field: string }) => g.field === 'Citizen.phone').revokedAt).toEqual(expect.any(String));
  });

  it('previews a query as an application from the access matrix, deciding each field as previewAccess does', async () => {
    await open('access');
    // The link in this run's reader's row (each run has a "Test reader" of its own).
    await page.locator('tbody th', { hasText: reader.consumerId }).getByRole('link', { name: w.seeAs }).click();
    await expect.poll(heading, until).toBe(w.screen.preview);
    await page.getByLabel(w.purpose).selectOption('STATISTICS');
    await page.getByRole('button', { name: w.preview, exact: true }).click();
    const table = page.getByRole('region', { name: w.decisions });
    await expect.poll(() => table.locator('tr[data-path="citizen.name"]').getAttribute('data-allowed'), until).toBe('true');
    // The phone grant was revoked above: refused, and why.
    const phone = table.locator('tr[data-path="citizen.phone"]');
    expect(await phone.getAttribute('data-allowed')).toBe('false');
    expect(await phone.textContent()).toContain(w.refused);
    expect(await phone.textContent()).toContain('NO_GRANT');
    const query = await page.getByRole('textbox', { name: /Query|查询/ }).inputValue();
    const api = await hub.t.graphql(
      `query($c: ID!, $q: String!) { previewAccess(consumerId: $c, purpose: "STATISTICS", query: $q) { path allowed } }`,
      { c: reader.consumerId, q: query },
      STEWARD,
    );
    const shown = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => ({ path: r.getAttribute('data-path'), allowed: r.getAttribute('data-allowed') === 'true' })));
    expect(shown).toEqual(api.body.data.previewAccess);
    await screenshot(page, `console-preview-${language}`);
    await expectAccessible(hub, page, 'console preview', language);
  });

  it('previews a pending access request: the fields it asks for, and what approving it would change', async () => {
    const asked = await hub.t.graphql(
      `mutation($input: AccessRequestInput!) { requestAccess(input: $input) { id } }`,
      { input: { fields: ['Citizen.address'], purpose: 'STATISTICS', justification: 'Statistics of where citizens live, by district.' } },
      reader.headers,
    );
    const id = asked.body.data.requestAccess.id as string;
    await open('requests');
    await page.locator(`li[data-request="${id}"]`).getByRole('link', { name: w.fromRequest }).click();
    await expect.poll(heading, until).toBe(w.screen.preview);
    expect(await page.locator(`[data-request="${id}"]`).textContent()).toContain('Citizen.address');
    const address = page.getByRole('region', { name: w.decisions }).locator('tr[data-path="citizen.address"]');
    await address.waitFor();
    expect(await address.getAttribute('data-allowed')).toBe('false');
    expect(await address.textContent()).toContain(w.asked);
    expect(await address.textContent()).toContain(w.afterApproval);
    await screenshot(page, `console-preview-request-${language}`);
    await expectAccessible(hub, page, 'console preview of a request', language);
  });

  it('fits a narrow window: only the tables scroll sideways', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    try {
      for (const screen of ['preview', 'reports', 'audit', 'consumers'] as const) {
        await open(screen);
        await page.waitForLoadState('networkidle');
        expect(await page.evaluate(() => document.documentElement.scrollWidth), screen).toBeLessThanOrEqual(400);
        await screenshot(page, `console-${screen}-narrow-${language}`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});

describe('the pages', () => {
  it('asked nothing of any host but the hub, and broke no Content-Security-Policy rule', () => {
    expect(hub.elsewhere).toEqual([]);
    expect(hub.pageProblems).toEqual([]);
  });
});
