/**
 * Enterprises as data subjects (issue 12 §3, §4): the legal representative
 * reads their enterprise as self, pre-fills and submits an enterprise
 * service for it, and reads its access history; ACTIVE_CASE binds a case to
 * the enterprise it was opened for; audit records name the enterprise.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { citizenHeaders, createReader, startTestHub, STEWARD, type TestHub } from './setup/hub.js';

const DEMO = '610113198807150016';
let t: TestHub;
/** An active enterprise the demo citizen legally represents, and one they do not. */
let mine: string;
let theirs: string;
/** An enterprise service whose form reads an Enterprise field, decided by market regulation. */
let service: { code: string; department: string };
let other: string;

async function auditOf(requestId: unknown) {
  return t.dbs.hub.rows<{ subject_type: string; subject_id: string; citizen_id: string | null; fields_returned: string[]; fields_denied: string[] }>(
    sql`select subject_type, subject_id, citizen_id, fields_returned, fields_denied from hub.audit_log where request_id = ${String(requestId)} order by id`,
  );
}

beforeAll(async () => {
  t = await startTestHub({ RATE_LIMIT_PER_MINUTE: '1000000' });
  [{ id: mine }] = await t.dbs.enterprise.rows<{ id: string }>(sql`select id from enterprise.enterprises where legal_representative_id = ${DEMO} and status = 'ACTIVE' order by id limit 1`);
  [{ id: theirs, legal_representative_id: other }] = await t.dbs.enterprise.rows<{ id: string; legal_representative_id: string }>(
    sql`select id, legal_representative_id from enterprise.enterprises where legal_representative_id <> ${DEMO} and status = 'ACTIVE' order by id limit 1`,
  );
  const services = await t.dbs.cases.rows<{ code: string; department: string }>(
    sql`select s.code, s.department from cases.services s where s.service_object = 'ENTERPRISE'
        and exists (select 1 from cases.service_data_items i where i.service_code = s.code and i.field like 'Enterprise.%') order by s.code`,
  );
  service = services.find((s) => s.department === 'market-regulation') ?? services[0];
});
afterAll(() => t?.close());

const ENTERPRISE = `query($id: ID!) { enterprise(id: $id) { id name status legalRepresentativeName contactPhone legalRepresentative { id name } } }`;

describe('the legal representative', () => {
  it('reads their enterprise as self, and another citizen reads only its public registration facts', async () => {
    const own = await t.graphql(ENTERPRISE, { id: mine }, await citizenHeaders(DEMO));
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.enterprise).toMatchObject({ id: mine, legalRepresentativeName: expect.any(String), legalRepresentative: { id: DEMO } });
    const stranger = await t.graphql(ENTERPRISE, { id: mine }, await citizenHeaders(other));
    expect(stranger.body.data.enterprise).toMatchObject({ id: mine, name: expect.any(String), legalRepresentativeName: null, contactPhone: null, legalRepresentative: null });
    expect(stranger.body.errors!.map((e) => e.extensions!.reason)).toEqual(['NOT_SELF', 'NOT_SELF', 'NOT_SELF']);
    // Recorded under the enterprise, not under a citizen.
    const records = await auditOf(stranger.headers['x-request-id']);
    expect(records).toEqual([{ subject_type: 'ENTERPRISE', subject_id: mine, citizen_id: null, fields_returned: [], fields_denied: ['Enterprise.contactPhone', 'Enterprise.legalRepresentative', 'Enterprise.legalRepresentativeName'] }]);
  });

  it("pre-fills and submits an enterprise service; market regulation sees the case; the reads show in the enterprise's access history", async () => {
    const rep = await citizenHeaders(DEMO);
    const form = await t.graphql(
      `query($s: String!, $e: ID!) { prefill(serviceCode: $s, enterpriseId: $e) { serviceCode enterpriseId citizenId prefilledCount items { key field status value reason } } }`,
      { s: service.code, e: mine },
      rep,
    );
    expect(form.body.errors).toBeUndefined();
    const filled = form.body.data.prefill;
    expect(filled).toMatchObject({ serviceCode: service.code, enterpriseId: mine, citizenId: null });
    const enterpriseItems = filled.items.filter((i: any) => i.field?.startsWith('Enterprise.'));
    expect(enterpriseItems.length).toBeGreaterThan(0);
    expect(enterpriseItems.every((i: any) => i.status === 'PREFILLED' && typeof i.value === 'string')).toBe(true);

    const answers = filled.items.filter((i: any) => i.status !== 'PREFILLED').map((i: any) => ({ key: i.key, value: `${i.key} as supplied` }));
    const submitted = await t.graphql(
      `mutation($input: ApplicationInput!) { submitApplication(input: $input) { number status department enterprise { id } applicant { id } } }`,
      { input: { serviceCode: service.code, applicantId: DEMO, enterpriseId: mine, answers } },
      rep,
    );
    expect(submitted.body.errors).toBeUndefined();
    const kase = submitted.body.data.submitApplication;
    expect(kase).toMatchObject({ status: 'SUBMITTED', department: service.department, enterprise: { id: mine }, applicant: { id: DEMO } });

    // The demo market-desk: the new case is in its department's list, and it is the legal basis of its
    // ACTIVE_CASE grant on Enterprise.cases for CASE_PROCESSING.
    expect(service.department).toBe('market-regulation');
    const marketDesk = { authorization: `Bearer ${inject('demoKeys')['market-desk']}`, 'x-purpose': 'CASE_PROCESSING' };
    const queue = await t.graphql(`{ cases(filter: { status: SUBMITTED }, first: 100) { edges { node { number department } } } }`, {}, marketDesk);
    expect(queue.body.errors).toBeUndefined();
    expect(queue.body.data.cases.edges.map((e: any) => e.node)).toContainEqual({ number: kase.number, department: 'market-regulation' });
    const desk = { consumerId: 'market-desk', headers: { ...marketDesk, 'x-case-ref': kase.number } };
    const listed = await t.graphql(`query($id: ID!) { enterprise(id: $id) { cases { number status } } }`, { id: mine }, desk.headers);
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.enterprise.cases).toContainEqual({ number: kase.number, status: 'SUBMITTED' });

    const history = await t.graphql(`query($id: ID!) { enterpriseDataAccess(enterpriseId: $id, first: 10) { edges { node { subjectType subjectId citizenId consumerId fieldsReturned } } } }`, { id: mine }, rep);
    expect(history.body.errors).toBeUndefined();
    const nodes = history.body.data.enterpriseDataAccess.edges.map((e: any) => e.node);
    expect(nodes.every((n: any) => n.subjectType === 'ENTERPRISE' && n.subjectId === mine && n.citizenId === null)).toBe(true);
    // Newest first: the desk's read of the cases, then the submission (opening a case is recorded), then the pre-fill.
    expect(nodes[0]).toMatchObject({ consumerId: desk.consumerId, fieldsReturned: ['Enterprise.cases'] });
    expect(nodes[1].fieldsReturned).toContain('Enterprise.cases');
    expect(nodes.slice(1).some((n: any) => n.fieldsReturned.some((f: string) => f.startsWith('Enterprise.') && f !== 'Enterprise.cases'))).toBe(true);
  });

  it('is the only one who submits for the enterprise or reads its history (NOT_SELF), and a malformed code is BAD_USER_INPUT', async () => {
    const stranger = await citizenHeaders(other);
    const before = (await t.dbs.cases.rows<{ n: number }>(sql`select count(*)::int as n from cases.cases`))[0].n;
    const refused = await t.graphql(`mutation($input: ApplicationInput!) { submitApplication(input: $input) { number } }`, { input: { serviceCode: service.code, applicantId: other, enterpriseId: mine, answers: [] } }, stranger);
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_SELF' });
    expect((await t.dbs.cases.rows<{ n: number }>(sql`select count(*)::int as n from cases.cases`))[0].n).toBe(before);
    const history = await t.graphql(`query($id: ID!) { enterpriseDataAccess(enterpriseId: $id) { edges { cursor } } }`, { id: mine }, stranger);
    expect(history.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_SELF' });
    const consumer = await t.graphql(`query($id: ID!) { enterpriseDataAccess(enterpriseId: $id) { edges { cursor } } }`, { id: mine }, STEWARD);
    expect(consumer.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE' });
    const malformed = await t.graphql(`{ enterpriseDataAccess(enterpriseId: "91610113MA6TXXXXX0") { edges { cursor } } }`, {}, await citizenHeaders(DEMO));
    expect(malformed.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'enterpriseId' });
  });

  it('opens no case for an enterprise that is not active (a case is a department\'s basis to read it)', async () => {
    const [closed] = await t.dbs.enterprise.rows<{ id: string; status: string }>(
      sql`select id, status from enterprise.enterprises where legal_representative_id = ${DEMO} and status <> 'ACTIVE' order by id limit 1`,
    );
    expect(closed).toBeDefined();
    const count = async () => (await t.dbs.cases.rows<{ n: number }>(sql`select count(*)::int as n from cases.cases`))[0].n;
    const before = await count();
    const res = await t.graphql(
      `mutation($input: ApplicationInput!) { submitApplication(input: $input) { number } }`,
      { input: { serviceCode: service.code, applicantId: DEMO, enterpriseId: closed.id, answers: [] } },
      await citizenHeaders(DEMO),
    );
    expect(res.body.data).toBeNull();
    expect(res.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.enterpriseId' });
    expect(res.body.errors![0].message).toContain(`${closed.id} is ${closed.status}`);
    expect(await count()).toBe(before);
  });
});

describe('service metrics', () => {
  it('cover enterprise services, with the applications submitted for enterprises', async () => {
    const res = await t.graphql(`{ serviceMetrics(from: "2000-01-01") { serviceCode submitted decided } }`, {}, STEWARD);
    expect(res.body.errors).toBeUndefined();
    const enterpriseServices = await t.dbs.cases.rows<{ code: string; n: number }>(
      sql`select s.code, count(c.number)::int as n from cases.services s left join cases.cases c on c.service_code = s.code where s.service_object = 'ENTERPRISE' group by s.code`,
    );
    expect(enterpriseServices.some((s) => s.n > 0)).toBe(true);
    const reported = new Map(res.body.data.serviceMetrics.map((m: { serviceCode: string; submitted: number }) => [m.serviceCode, m.submitted]));
    for (const { code, n } of enterpriseServices) if (n > 0) expect(reported.get(code), code).toBe(n);
  });
});

describe('ACTIVE_CASE for an enterprise', () => {
  it('is met by an open case opened for that enterprise, and by no other', async () => {
    const rep = await citizenHeaders(DEMO);
    const form = (await t.graphql(`query($s: String!, $e: ID!) { prefill(serviceCode: $s, enterpriseId: $e) { items { key status } } }`, { s: service.code, e: mine }, rep)).body.data.prefill;
    const answers = form.items.filter((i: any) => i.status !== 'PREFILLED').map((i: any) => ({ key: i.key, value: 'supplied' }));
    const opened = await t.graphql(`mutation($input: ApplicationInput!) { submitApplication(input: $input) { number } }`, { input: { serviceCode: service.code, applicantId: DEMO, enterpriseId: mine, answers } }, rep);
    const caseRef = opened.body.data.submitApplication.number as string;

    const desk = await createReader(t, { department: service.department, fields: [] });
    const granted = await t.graphql(`mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, { input: { consumerId: desk.consumerId, field: 'Enterprise.contactPhone', purposes: ['STATISTICS'], condition: 'ACTIVE_CASE' } }, STEWARD);
    expect(granted.body.errors).toBeUndefined();
    const read = (id: string) => t.graphql(`query($id: ID!) { enterprise(id: $id) { contactPhone } }`, { id }, { ...desk.headers, 'x-case-ref': caseRef });
    const own = await read(mine);
    expect(own.body.errors).toBeUndefined();
    const another = await read(theirs);
    expect(another.body.data.enterprise.contactPhone).toBeNull();
    expect(another.body.errors![0].extensions).toEqual({ code: 'FORBIDDEN', field: 'Enterprise.contactPhone', reason: 'CASE_MISMATCH' });
  });
});
