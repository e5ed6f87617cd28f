import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createReader, startTestHub, type TestHub } from './setup/hub.js';
import { nationalIdCheckChar } from '../src/sources/registry/nationalId.js';

const DEMO = '610113198807150016';
/** A well-formed national ID that the registry does not hold. */
const UNKNOWN = (() => {
  const first17 = '61011319990101999';
  return first17 + nationalIdCheckChar(first17);
})();

let hub: TestHub;
let someIds: string[];
/** The hub, read as a consumer granted every grantable field: this file tests the graph, not access control. */
let t: Pick<TestHub, 'graphql' | 'statementsSince' | 'dbs' | 'hub'>;

beforeAll(async () => {
  hub = await startTestHub();
  // A licensing consumer: case lists show the cases its department decides (the demo citizen has one).
  const reader = await createReader(hub, { department: 'licensing' });
  t = { ...hub, graphql: (q, v, h) => hub.graphql(q, v, { ...reader.headers, ...h }) };
  someIds = (await t.dbs.registry.rows<{ id: string }>(sql`select id from registry.citizens order by id limit 100`)).map((r) => r.id);
});
afterAll(() => hub?.close());

describe('citizen(id)', () => {
  it('returns the demo citizen with licenses and cases from the other departments', async () => {
    const res = await t.graphql(`{ citizen(id: "${DEMO}") { id name birthDate sex status address { district formatted }
      licenses { number kind status holder { id } } cases { number status service { code timeLimitDays } applicant { id } } } }`);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const c = res.body.data.citizen;
    expect(c).toMatchObject({ id: DEMO, birthDate: '1988-07-15', sex: 'MALE', status: 'ALIVE' });
    expect(c.name.length).toBeGreaterThan(1);
    expect(c.address.formatted).toContain('雁塔区');
    expect(c.licenses.length).toBeGreaterThan(0);
    expect(c.licenses.every((l: any) => l.holder.id === DEMO)).toBe(true);
    expect(c.cases.some((k: any) => ['SUBMITTED', 'IN_REVIEW'].includes(k.status))).toBe(true);
    expect(c.cases.every((k: any) => k.applicant.id === DEMO && k.service.timeLimitDays > 0)).toBe(true);
  });

  it('returns null for a well-formed ID the registry does not hold', async () => {
    const res = await t.graphql(`query($id: ID!) { citizen(id: $id) { id } }`, { id: UNKNOWN });
    expect(res.body).toEqual({ data: { citizen: null } });
  });

  it('rejects a malformed national ID as BAD_USER_INPUT naming the argument, before any query', async () => {
    t.statementsSince();
    for (const bad of ['610113198807150017', '61011319880715001', 'abc', '610113198813150016']) {
      const res = await t.graphql(`query($id: ID!) { citizen(id: $id) { id } }`, { id: bad });
      expect(res.body.data).toEqual({ citizen: null });
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
    }
    expect(t.statementsSince()).toEqual({ hub: 0, registry: 0, licensing: 0, cases: 0, enterprise: 0 });
  });
});

describe('citizens(ids)', () => {
  it('answers in the order asked, with null where unknown', async () => {
    const ids = [someIds[5], UNKNOWN, someIds[1], someIds[5]];
    const res = await t.graphql(`query($ids: [ID!]!) { citizens(ids: $ids) { id } }`, { ids });
    expect(res.body.data.citizens).toEqual([{ id: someIds[5] }, null, { id: someIds[1] }, { id: someIds[5] }]);
  });

  it('refuses more than 100 IDs, and names a malformed one by position', async () => {
    const many = await t.graphql(`query($ids: [ID!]!) { citizens(ids: $ids) { id } }`, { ids: Array(101).fill(DEMO) });
    expect(many.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'ids' });
    const one = await t.graphql(`query($ids: [ID!]!) { citizens(ids: $ids) { id } }`, { ids: [DEMO, 'nope'] });
    expect(one.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'ids[1]' });
  });

  it('sends a constant number of statements per database, whatever the number of citizens', async () => {
    const query = `query($ids: [ID!]!) { citizens(ids: $ids) { licenses { holder { name } } cases { events { status } } } }`;
    const counts = [];
    // Citizens holding a license and having a case with events: every level has something to load, whatever N.
    const busy = (await t.dbs.registry.rows<{ id: string }>(sql`select id from registry.citizens order by id`)).map((r) => r.id);
    const withLicense = new Set((await t.dbs.licensing.rows<{ id: string }>(sql`select distinct holder_id as id from licensing.licenses`)).map((r) => r.id));
    const withCase = new Set((await t.dbs.cases.rows<{ id: string }>(sql`select distinct applicant_id as id from cases.cases c where exists (select 1 from cases.case_events e where e.case_number = c.number)`)).map((r) => r.id));
    const ids = busy.filter((id) => withLicense.has(id) && withCase.has(id));
    expect(ids.length).toBeGreaterThanOrEqual(10);
    await t.graphql(query, { ids: someIds.slice(0, 1) }); // the audit writer reads the chain's head once, then knows it
    for (const n of [1, 10, ids.length]) {
      t.statementsSince();
      const res = await t.graphql(query, { ids: ids.slice(0, n) });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.citizens).toHaveLength(n);
      counts.push(t.statementsSince());
    }
    // registry: citizens (holders are the same citizens, served from the loader); licensing: licenses; cases: cases, events;
    // hub: one audit insert, however many citizens were read.
    expect(counts).toEqual([1, 2, 3].map(() => ({ hub: 1, registry: 1, licensing: 1, cases: 2, enterprise: 0 })));
  });
});

describe('licenses and cases', () => {
  it('finds a license by number with its holder', async () => {
    const [row] = await t.dbs.licensing.rows<{ number: string; holder_id: string }>(sql`select number, holder_id from licensing.licenses where holder_id is not null order by number limit 1`);
    const res = await t.graphql(`query($n: String!) { license(number: $n) { number kind status issuedOn expiresOn issuer holder { id } } }`, { n: row.number });
    expect(res.body.data.license).toMatchObject({ number: row.number, holder: { id: row.holder_id } });
    expect(res.body.data.license.issuedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('pages through cases newest first without overlap, and filters by applicant', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let previous = Infinity;
    for (let page = 0; page < 3; page++) {
      const res: any = await t.graphql(`query($after: String) { cases(first: 7, after: $after) { edges { cursor node { number submittedAt } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, { after });
      const { edges, pageInfo } = res.body.data.cases;
      expect(edges).toHaveLength(7);
      for (const e of edges) {
        expect(seen.has(e.node.number)).toBe(false);
        seen.add(e.node.number);
        const at = Date.parse(e.node.submittedAt);
        expect(at).toBeLessThanOrEqual(previous);
        previous = at;
      }
      expect(pageInfo.hasNextPage).toBe(true);
      // Relay's PageInfo: paging forward, an earlier page exists exactly when `after` was given.
      expect(pageInfo.hasPreviousPage).toBe(page > 0);
      expect(pageInfo.startCursor).toBe(edges[0].cursor);
      expect(pageInfo.endCursor).toBe(edges.at(-1).cursor);
      after = pageInfo.endCursor;
    }
    const mine = await t.graphql(`query($id: ID!) { cases(filter: { applicantId: $id }, first: 100) { edges { node { applicant { id } } } pageInfo { hasNextPage } } }`, { id: DEMO });
    expect(mine.body.data.cases.edges.length).toBeGreaterThan(0);
    expect(mine.body.data.cases.edges.every((e: any) => e.node.applicant.id === DEMO)).toBe(true);
  });

  it('rejects a page size above 100 and a forged cursor as BAD_USER_INPUT', async () => {
    const big = await t.graphql(`{ cases(first: 101) { edges { cursor } } }`);
    expect(big.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    const forged = await t.graphql(`{ cases(after: "not-a-cursor") { edges { cursor } } }`);
    expect(forged.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});

describe('catalogues', () => {
  it('lists services by theme with their data items, and the purpose catalogue', async () => {
    const all = await t.graphql(`{ services { code theme department timeLimitDays dataItems { key label required field } } purposes { code name legalBasis } }`);
    const themes = new Set(all.body.data.services.map((s: any) => s.theme));
    for (const theme of ['starting-a-business', 'having-a-child', 'driving', 'building']) expect(themes).toContain(theme);
    expect(all.body.data.services.every((s: any) => s.dataItems.length > 0)).toBe(true);
    const codes = all.body.data.purposes.map((p: any) => p.code);
    for (const code of ['LICENSE_ISSUANCE', 'CASE_PROCESSING', 'BENEFIT_ELIGIBILITY', 'STATISTICS']) expect(codes).toContain(code);
    const driving = await t.graphql(`{ services(theme: "driving") { theme } }`);
    expect(driving.body.data.services.length).toBeGreaterThan(0);
    expect(driving.body.data.services.every((s: any) => s.theme === 'driving')).toBe(true);
  });
});

describe('HTTP surface', () => {
  it('answers /healthz and /readyz with each source up', async () => {
    expect((await t.hub.app.inject('/healthz')).statusCode).toBe(200);
    const ready = await t.hub.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().sources).toEqual({ hub: 'up', registry: 'up', licensing: 'up', cases: 'up', enterprise: 'up' });
  });

  it('never returns a stack trace, and masks unknown errors with a request id', async () => {
    const res = await t.graphql(`{ nope }`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/stacktrace|exception|at \w+ \(/);
    expect(res.headers['x-request-id']).toBeTruthy();
  });
});
