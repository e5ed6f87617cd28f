/**
 * Reports of unrecognised access (issue 15 §2): a citizen reports a record of
 * their access history (or of an enterprise they represent), a steward sees
 * it with the grants of that time and the rest of that request, resolves it
 * once, and the citizen reads the resolution. Nothing of it can be edited
 * afterwards, in the API or in the database.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { citizenHeaders, createReader, startTestHub, STEWARD, type TestHub } from './setup/hub.js';

const DEMO = '610113198807150016';
let t: TestHub;
let me: Record<string, string>;
let other: string;
let reader: Awaited<ReturnType<typeof createReader>>;

const REPORT = `id note reportedAt reportedBy status resolution resolvedBy resolvedAt record { id requestId consumerId consumerName subjectType subjectId fieldsReturned }`;

beforeAll(async () => {
  t = await startTestHub({ RATE_LIMIT_PER_MINUTE: '1000000' });
  me = await citizenHeaders(DEMO);
  [{ id: other }] = await t.dbs.registry.rows<{ id: string }>(sql`select id from registry.citizens where id <> ${DEMO} and status = 'ALIVE' order by id limit 1`);
  reader = await createReader(t, { fields: ['Citizen.name', 'Citizen.phone'], purpose: 'STATISTICS' });
});
afterAll(() => t?.close());

/** The newest record of the signed-in citizen's history. */
async function newestRecordOf(headers: Record<string, string>): Promise<{ id: string; requestId: string }> {
  const res = await t.graphql(`{ myDataAccess(first: 1) { edges { node { id requestId } } } }`, {}, headers);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.myDataAccess.edges[0].node;
}

describe('reporting a read I do not recognise', () => {
  let reportId: string;
  let recordId: string;

  it('a citizen reports a record of their history, and sees it OPEN in myAccessReports', async () => {
    // One request of the reader reads two citizens: the other record is "the rest of that request".
    const read = await t.graphql(`query Lookup($ids: [ID!]!) { citizens(ids: $ids) { name phone } }`, { ids: [DEMO, other] }, reader.headers);
    expect(read.body.errors).toBeUndefined();
    ({ id: recordId } = await newestRecordOf(me));

    const reported = await t.graphql(`mutation($id: ID!, $note: String!) { reportAccess(recordId: $id, note: $note) { ${REPORT} } }`, { id: recordId, note: '  I have never dealt with this office.  ' }, me);
    expect(reported.body.errors).toBeUndefined();
    const report = reported.body.data.reportAccess;
    expect(report).toMatchObject({
      note: 'I have never dealt with this office.',
      reportedBy: DEMO,
      status: 'OPEN',
      resolution: null,
      resolvedBy: null,
      record: { id: recordId, consumerId: reader.consumerId, subjectType: 'CITIZEN', subjectId: DEMO, fieldsReturned: ['Citizen.name', 'Citizen.phone'] },
    });
    expect(Date.parse(report.reportedAt)).toBeGreaterThan(Date.now() - 60_000);
    reportId = report.id;

    const mine = await t.graphql(`{ myAccessReports { id status record { id } } }`, {}, me);
    expect(mine.body.data.myAccessReports).toEqual([{ id: reportId, status: 'OPEN', record: { id: recordId } }]);
  });

  it('reports a record once: a second report of it is BAD_USER_INPUT, and nothing is added', async () => {
    const again = await t.graphql(`mutation($id: ID!) { reportAccess(recordId: $id, note: "again") { id } }`, { id: recordId }, me);
    expect(again.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'recordId' });
    const mine = await t.graphql(`{ myAccessReports { id } }`, {}, me);
    expect(mine.body.data.myAccessReports).toHaveLength(1);
  });

  it("cannot report another citizen's record, and cannot tell it from a record that does not exist", async () => {
    const [{ id: theirs }] = await t.dbs.hub.rows<{ id: string }>(sql`select id::text as id from hub.audit_log where subject_id = ${other} order by id desc limit 1`);
    const refused = await t.graphql(`mutation($id: ID!) { reportAccess(recordId: $id, note: "not mine") { id } }`, { id: theirs }, me);
    const missing = await t.graphql(`mutation($id: ID!) { reportAccess(recordId: $id, note: "not mine") { id } }`, { id: '999999999' }, me);
    expect(refused.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'recordId' });
    expect(refused.body.errors![0].message.replace(theirs, 'N')).toBe(missing.body.errors![0].message.replace('999999999', 'N'));
    for (const [id, note] of [['abc', 'x'], ['-1', 'x'], [recordId, '   '], [recordId, 'x'.repeat(2001)]]) {
      const bad = await t.graphql(`mutation($id: ID!, $note: String!) { reportAccess(recordId: $id, note: $note) { id } }`, { id, note }, me);
      expect(bad.body.errors![0].extensions?.code, `${id} / ${note.length}`).toBe('BAD_USER_INPUT');
    }
  });

  it('only a citizen reports, only a steward lists and resolves', async () => {
    const asConsumer = await t.graphql(`mutation($id: ID!) { reportAccess(recordId: $id, note: "x") { id } }`, { id: recordId }, reader.headers);
    expect(asConsumer.body.errors![0].extensions?.code).toBe('FORBIDDEN');
    const citizenLists = await t.graphql(`{ accessReports { id } }`, {}, me);
    expect(citizenLists.body.errors![0].extensions?.code).toBe('FORBIDDEN');
    const citizenResolves = await t.graphql(`mutation($id: ID!) { resolveAccessReport(id: $id, note: "fine") { id } }`, { id: reportId }, me);
    expect(citizenResolves.body.errors![0].extensions?.code).toBe('FORBIDDEN');
    const consumerLists = await t.graphql(`{ accessReports { id } }`, {}, reader.headers);
    expect(consumerLists.body.errors![0].extensions?.code).toBe('FORBIDDEN');
    // Another citizen sees only their own reports: none.
    const theirs = await t.graphql(`{ myAccessReports { id } }`, {}, await citizenHeaders(other));
    expect(theirs.body.errors).toBeUndefined();
    expect(theirs.body.data.myAccessReports).toEqual([]);
  });

  it('a steward sees the open report with the grants the reader held then and the rest of that request', async () => {
    const res = await t.graphql(
      `{ accessReports(status: OPEN) { id status note reportedBy record { id consumerId } grantsAtTheTime { consumerId field purposes } otherReads { subjectId fieldsReturned } } }`,
      {},
      STEWARD,
    );
    expect(res.body.errors).toBeUndefined();
    const report = res.body.data.accessReports.find((r: { id: string }) => r.id === reportId);
    expect(report).toMatchObject({ status: 'OPEN', reportedBy: DEMO, record: { id: recordId, consumerId: reader.consumerId } });
    expect(report.grantsAtTheTime.map((g: { field: string }) => g.field).sort()).toEqual(['Citizen.name', 'Citizen.phone']);
    expect(report.grantsAtTheTime.every((g: { consumerId: string; purposes: string[] }) => g.consumerId === reader.consumerId && g.purposes.includes('STATISTICS'))).toBe(true);
    expect(report.otherReads).toEqual([{ subjectId: other, fieldsReturned: ['Citizen.name', 'Citizen.phone'] }]);
  });

  it('a grant given after the read is not among the grants of that time', async () => {
    const later = await t.graphql(`mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, { input: { consumerId: reader.consumerId, field: 'Citizen.email', purposes: ['STATISTICS'] } }, STEWARD);
    expect(later.body.errors).toBeUndefined();
    const res = await t.graphql(`{ accessReports { id grantsAtTheTime { field } } }`, {}, STEWARD);
    const report = res.body.data.accessReports.find((r: { id: string }) => r.id === reportId);
    expect(report.grantsAtTheTime.map((g: { field: string }) => g.field)).not.toContain('Citizen.email');
  });

  it('a steward resolves it once; the citizen reads the resolution and who gave it', async () => {
    const resolved = await t.graphql(
      `mutation($id: ID!) { resolveAccessReport(id: $id, note: "The statistics office sampled your record for the census; no decision about you was made.") { id status resolution resolvedBy resolvedAt } }`,
      { id: reportId },
      { ...STEWARD, 'x-on-behalf-of': 'officer-wang' },
    );
    expect(resolved.body.errors).toBeUndefined();
    expect(resolved.body.data.resolveAccessReport).toMatchObject({ id: reportId, status: 'RESOLVED', resolvedBy: 'data-steward' });

    const twice = await t.graphql(`mutation($id: ID!) { resolveAccessReport(id: $id, note: "changed my mind") { id } }`, { id: reportId }, STEWARD);
    expect(twice.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });

    const mine = await t.graphql(`{ myAccessReports { id status resolution resolvedBy resolvedAt } }`, {}, me);
    expect(mine.body.data.myAccessReports[0]).toMatchObject({
      id: reportId,
      status: 'RESOLVED',
      resolution: 'The statistics office sampled your record for the census; no decision about you was made.',
      resolvedBy: 'data-steward',
    });
    const open = await t.graphql(`{ accessReports(status: OPEN) { id } }`, {}, STEWARD);
    expect(open.body.data.accessReports.map((r: { id: string }) => r.id)).not.toContain(reportId);
    const unknown = await t.graphql(`mutation { resolveAccessReport(id: "00000000-0000-4000-8000-000000000000", note: "x") { id } }`, {}, STEWARD);
    expect(unknown.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
  });

  it('the database itself refuses to change or delete a report', async () => {
    const db = t.dbs.hub;
    await expect(db.rows(sql`update hub.access_reports set note = 'edited' where id = ${reportId}`)).rejects.toThrow();
    await expect(db.rows(sql`update hub.access_reports set resolution = 'edited' where id = ${reportId}`)).rejects.toThrow();
    await expect(db.rows(sql`delete from hub.access_reports where id = ${reportId}`)).rejects.toThrow();
    const [row] = await db.rows<{ note: string; resolution: string }>(sql`select note, resolution from hub.access_reports where id = ${reportId}`);
    expect(row).toEqual({ note: 'I have never dealt with this office.', resolution: expect.stringContaining('census') });
  });
});

describe("a citizen's history, filtered", () => {
  it('by department and period, as the citizen page asks', async () => {
    const desk = { authorization: `Bearer ${inject('demoKeys')['licensing-desk']}`, 'x-purpose': 'LICENSE_ISSUANCE' };
    expect((await t.graphql(`{ citizen(id: "${DEMO}") { name } }`, {}, desk)).body.errors).toBeUndefined();
    const history = async (args: string) => {
      const res = await t.graphql(`{ myDataAccess(first: 100${args}) { edges { node { department at } } } }`, {}, me);
      expect(res.body.errors, args).toBeUndefined();
      return res.body.data.myDataAccess.edges.map((e: { node: { department: string; at: string } }) => e.node);
    };
    const all = await history('');
    expect(new Set(all.map((n: { department: string }) => n.department))).toEqual(new Set(['licensing', 'service-center']));
    const licensing = await history(', department: "licensing"');
    expect(licensing.length).toBeGreaterThan(0);
    expect(licensing.every((n: { department: string }) => n.department === 'licensing')).toBe(true);
    expect(await history(`, from: "${new Date(Date.now() + 60_000).toISOString()}"`)).toEqual([]);
    expect((await history(`, from: "${all[all.length - 1].at}", to: "${all[0].at}"`)).length).toBe(all.length);
    const bad = await t.graphql(`{ myDataAccess(department: "ministry-of-magic") { edges { cursor } } }`, {}, me);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'department' });
    const backwards = await t.graphql(`{ myDataAccess(from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { edges { cursor } } }`, {}, me);
    expect(backwards.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
  });
});

describe('reporting a read of an enterprise I represent', () => {
  it("the legal representative reports a record of the enterprise's history; another citizen cannot", async () => {
    const [{ id: enterprise }] = await t.dbs.enterprise.rows<{ id: string }>(sql`select id from enterprise.enterprises where legal_representative_id = ${DEMO} and status = 'ACTIVE' order by id limit 1`);
    const marketDesk = { authorization: `Bearer ${inject('demoKeys')['market-desk']}`, 'x-purpose': 'MARKET_SUPERVISION' };
    const read = await t.graphql(`query($id: ID!) { enterprise(id: $id) { contactPhone } }`, { id: enterprise }, marketDesk);
    expect(read.body.errors).toBeUndefined();
    const history = await t.graphql(`query($id: ID!) { enterpriseDataAccess(enterpriseId: $id, first: 1) { edges { node { id subjectType } } } }`, { id: enterprise }, me);
    const record = history.body.data.enterpriseDataAccess.edges[0].node;
    expect(record.subjectType).toBe('ENTERPRISE');

    const stranger = await t.graphql(`mutation($id: ID!) { reportAccess(recordId: $id, note: "not mine") { id } }`, { id: record.id }, await citizenHeaders(other));
    expect(stranger.body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    const reported = await t.graphql(`mutation($id: ID!) { reportAccess(recordId: $id, note: "We never applied for anything.") { status reportedBy record { subjectType subjectId } } }`, { id: record.id }, me);
    expect(reported.body.errors).toBeUndefined();
    expect(reported.body.data.reportAccess).toEqual({ status: 'OPEN', reportedBy: DEMO, record: { subjectType: 'ENTERPRISE', subjectId: enterprise } });
  });
});
