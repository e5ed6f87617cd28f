/**
 * Grant review (issue 15 §5): for each grant, when it was last used and how
 * often in the last 90 days, from a rollup of the audit log that reads only
 * the records appended since the last rollup; and consumers flagged for
 * reading many citizens a day without naming a case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createReader, startTestHub, STEWARD, type TestHub } from './setup/hub.js';

let t: TestHub;
let citizens: string[];
let reader: Awaited<ReturnType<typeof createReader>>;

const GRANTS = `query($id: ID) { grants(consumerId: $id) { id field purposes lastUsedAt usesLast90Days } }`;

async function grantsOf(consumerId: string): Promise<Record<string, { lastUsedAt: string | null; usesLast90Days: number }>> {
  const res = await t.graphql(GRANTS, { id: consumerId }, STEWARD);
  expect(res.body.errors).toBeUndefined();
  return Object.fromEntries(res.body.data.grants.map((g: { field: string; lastUsedAt: string | null; usesLast90Days: number }) => [g.field, g]));
}

beforeAll(async () => {
  // Flag a consumer that reads more than 2 citizens a day without a case.
  t = await startTestHub({ RATE_LIMIT_PER_MINUTE: '1000000', REVIEW_CASELESS_CITIZENS_PER_DAY: '2' });
  citizens = (await t.dbs.registry.rows<{ id: string }>(sql`select id from registry.citizens where status = 'ALIVE' order by id limit 3`)).map((r) => r.id);
  reader = await createReader(t, { fields: ['Citizen.name', 'Citizen.phone'], purpose: 'STATISTICS' });
  const other = await t.graphql(`mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, { input: { consumerId: reader.consumerId, field: 'Citizen.email', purposes: ['LICENSE_ISSUANCE'] } }, STEWARD);
  expect(other.body.errors).toBeUndefined();
});
afterAll(() => t?.close());

describe('grant review', () => {
  it('shows an unused grant as never used', async () => {
    const grants = await grantsOf(reader.consumerId);
    expect(grants['Citizen.name']).toMatchObject({ lastUsedAt: null, usesLast90Days: 0 });
  });

  it('counts the reads each grant served, by field and purpose, from the audit log', async () => {
    const started = Date.now();
    const res = await t.graphql(`query($ids: [ID!]!) { citizens(ids: $ids) { name phone } }`, { ids: citizens }, reader.headers);
    expect(res.body.errors).toBeUndefined();
    const names = await t.graphql(`query($id: ID!) { citizen(id: $id) { name } }`, { id: citizens[0] }, reader.headers);
    expect(names.body.errors).toBeUndefined();

    const grants = await grantsOf(reader.consumerId);
    expect(grants['Citizen.name'].usesLast90Days).toBe(4);
    expect(grants['Citizen.phone'].usesLast90Days).toBe(3);
    // Read for STATISTICS: the LICENSE_ISSUANCE grant of Citizen.email served nothing.
    expect(grants['Citizen.email']).toMatchObject({ lastUsedAt: null, usesLast90Days: 0 });
    expect(Date.parse(grants['Citizen.name'].lastUsedAt!)).toBeGreaterThanOrEqual(started - 1000);
  });

  it('rolls up only what is new, once, even when two requests ask together', async () => {
    const [{ n: before }] = await t.dbs.hub.rows<{ n: number }>(sql`select coalesce(sum(reads), 0)::int as n from hub.grant_usage where consumer_id = ${reader.consumerId}`);
    await t.graphql(`query($id: ID!) { citizen(id: $id) { name } }`, { id: citizens[1] }, reader.headers);
    const [a, b] = await Promise.all([grantsOf(reader.consumerId), grantsOf(reader.consumerId)]);
    expect(a['Citizen.name'].usesLast90Days).toBe(5);
    expect(b['Citizen.name'].usesLast90Days).toBe(5);
    const [{ n: after }] = await t.dbs.hub.rows<{ n: number }>(sql`select coalesce(sum(reads), 0)::int as n from hub.grant_usage where consumer_id = ${reader.consumerId}`);
    expect(after - before).toBe(1);
    const [{ last_id: lastId }] = await t.dbs.hub.rows<{ last_id: string }>(sql`select last_id from hub.audit_rollups where name = 'grant_review'`);
    const [{ id: head }] = await t.dbs.hub.rows<{ id: string }>(sql`select max(id) as id from hub.audit_log`);
    expect(Number(lastId)).toBe(Number(head));
  });

  it('flags a consumer that read more citizens in a day than the threshold without naming a case', async () => {
    const res = await t.graphql(`{ readingFlags { consumerId day citizens threshold } }`, {}, STEWARD);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.readingFlags).toContainEqual({ consumerId: reader.consumerId, day: new Date().toISOString().slice(0, 10), citizens: 3, threshold: 2 });
    const quiet = await createReader(t, { fields: ['Citizen.name'], purpose: 'STATISTICS' });
    await t.graphql(`query($id: ID!) { citizen(id: $id) { name } }`, { id: citizens[0] }, quiet.headers);
    const again = await t.graphql(`{ readingFlags(days: 1) { consumerId } }`, {}, STEWARD);
    expect(again.body.data.readingFlags.map((f: { consumerId: string }) => f.consumerId)).not.toContain(quiet.consumerId);
    const bad = await t.graphql(`{ readingFlags(days: 0) { consumerId } }`, {}, STEWARD);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'days' });
  });

  it('rolls up in the background too, without a review asking', async () => {
    const eager = await startTestHub({ REVIEW_ROLLUP_SECONDS: '1' }, t.db);
    try {
      await t.graphql(`query($id: ID!) { citizen(id: $id) { name } }`, { id: citizens[2] }, reader.headers);
      const [{ id: head }] = await t.dbs.hub.rows<{ id: string }>(sql`select max(id)::text as id from hub.audit_log`);
      const rolled = async () => Number((await t.dbs.hub.rows<{ last_id: string }>(sql`select last_id::text as last_id from hub.audit_rollups where name = 'grant_review'`))[0].last_id);
      const deadline = Date.now() + 10_000;
      while ((await rolled()) < Number(head) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await rolled()).toBe(Number(head));
    } finally {
      await eager.hub.close();
    }
  });

  it('is for stewards: a consumer sees its grants, not their review', async () => {
    const own = await t.graphql(`{ me { grants { field lastUsedAt } } }`, {}, reader.headers);
    expect(own.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const flags = await t.graphql(`{ readingFlags { consumerId } }`, {}, reader.headers);
    expect(flags.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
