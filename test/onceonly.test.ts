/**
 * Once-only (issue 6): a portal pre-fills an application from what
 * departments hold, within its grants and audited; the citizen supplies only
 * the rest; the case appears for the deciding department; service metrics
 * count the collection the hub saved.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { createReader, startTestHub, STEWARD, TEST_JWT_SECRET, type TestHub } from './setup/hub.js';

const DEMO = '610113198807150016';
let t: TestHub;
let citizen: Record<string, string>;

const PREFILL = `query($s: String!, $c: ID!) { prefill(serviceCode: $s, citizenId: $c) {
  serviceCode citizenId prefilledCount deniedCount missingCount items { key label field value source status reason required } } }`;
const SUBMIT = `mutation($input: ApplicationInput!) { submitApplication(input: $input) { number status department submittedAt dueAt service { code timeLimitDays } applicant { id } } }`;

beforeAll(async () => {
  t = await startTestHub();
  const token = await new SignJWT({ role: 'citizen', consumer: 'citizen-portal', sub: DEMO }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(TEST_JWT_SECRET));
  citizen = { authorization: `Bearer ${token}` };
});
afterAll(() => t?.close());

describe('the one-stop flow', () => {
  it('pre-fills, submits only the missing items, creates the case for its department, and is accounted for', async () => {
    // 1. The portal, signed in as the demo citizen, pre-fills a taxi driver permit.
    await t.graphql(`{ citizen(id: "${DEMO}") { name } }`, {}, citizen); // the audit writer reads the chain's head once, then knows it
    t.statementsSince();
    const filled = (await t.graphql(PREFILL, { s: 'TAXI_DRIVER_PERMIT', c: DEMO }, citizen)).body.data.prefill;
    const statements = t.statementsSince();
    const byKey = Object.fromEntries(filled.items.map((i: any) => [i.key, i]));
    expect(byKey.applicant_name).toMatchObject({ status: 'PREFILLED', value: '王磊', source: 'registry', field: 'Citizen.name' });
    expect(byKey.birth_date).toMatchObject({ status: 'PREFILLED', value: '1988-07-15' });
    expect(byKey.registered_address.value).toContain('雁塔区');
    expect(byKey.driving_license).toMatchObject({ status: 'PREFILLED', value: 'ACTIVE', source: 'licensing' });
    expect(byKey.photo).toMatchObject({ status: 'MISSING', value: null, field: null });
    expect(filled).toMatchObject({ prefilledCount: 5, deniedCount: 0, missingCount: 2 });
    // One batched round: service and items (cases), the citizen (registry), their licenses (licensing), one audit insert (hub).
    expect(statements).toEqual({ hub: 1, registry: 1, licensing: 1, cases: 2, enterprise: 0 });

    // 2. The citizen supplies only what is missing.
    const missing = filled.items.filter((i: any) => i.status === 'MISSING');
    const created = await t.graphql(SUBMIT, { input: { serviceCode: 'TAXI_DRIVER_PERMIT', applicantId: DEMO, answers: missing.map((i: any) => ({ key: i.key, value: `${i.key} supplied` })) } }, citizen);
    expect(created.body.errors).toBeUndefined();
    const kase = created.body.data.submitApplication;
    expect(kase).toMatchObject({ status: 'SUBMITTED', department: 'licensing', service: { code: 'TAXI_DRIVER_PERMIT', timeLimitDays: 20 }, applicant: { id: DEMO } });
    expect(Date.parse(kase.dueAt) - Date.parse(kase.submittedAt)).toBe(20 * 86_400_000);
    // The application's summary for the evaluation: a pre-filled item read from another department than licensing saved a letter.
    const prefilled = filled.items.filter((i: any) => i.status === 'PREFILLED');
    const [summary] = await t.dbs.cases.rows(sql`select department, items, prefilled, prefilled_from_others as "fromOthers" from cases.applications where case_number = ${kase.number}`);
    expect(summary).toEqual({ department: 'licensing', items: filled.items.length, prefilled: prefilled.length, fromOthers: prefilled.filter((i: any) => i.source !== 'licensing').length });
    expect(prefilled.some((i: any) => i.source === 'licensing') && prefilled.some((i: any) => i.source === 'registry')).toBe(true);

    // 3. The licensing department sees the new case.
    const desk = await createReader(t, { department: 'licensing', fields: ['Citizen.cases'] });
    const listed = await t.graphql(`query($id: ID!) { cases(filter: { department: "licensing", applicantId: $id, status: SUBMITTED }, first: 5) { edges { node { number events { status actor } } } } }`, { id: DEMO }, desk.headers);
    const node = listed.body.data.cases.edges.find((e: any) => e.node.number === kase.number)?.node;
    expect(node.events).toEqual([{ status: 'SUBMITTED', actor: 'Citizen portal' }]);

    // 4. The citizen sees who read their data for it.
    const history = await t.graphql(`{ myDataAccess(first: 5) { edges { node { consumerName fieldsReturned operationHash } } } }`, {}, citizen);
    const fields = history.body.data.myDataAccess.edges.flatMap((e: any) => e.node.fieldsReturned);
    expect(fields).toEqual(expect.arrayContaining(['Citizen.name', 'Citizen.address', 'Citizen.licenses']));
    // Newest first: the licensing desk listing the citizen's cases (a read of Citizen.cases), then the portal's pre-fill and submission.
    expect(history.body.data.myDataAccess.edges.map((e: any) => [e.node.consumerName, e.node.fieldsReturned.includes('Citizen.cases')]).slice(0, 2)).toEqual([
      ['Test reader', true],
      ['Citizen portal', true],
    ]);

    // 5. Service metrics count the items the hub saved the citizen from giving again (today: the demo's applications end before it).
    const today = new Date().toISOString().slice(0, 10);
    const metrics = await t.graphql(`{ serviceMetrics(from: "${today}", to: "${today}") { serviceCode serviceName timeLimitDays submitted decided medianDays p90Days withinLimitShare itemsPrefilled itemsCollected itemsRecollected crossDepartmentReads } }`, {}, STEWARD);
    expect(metrics.body.errors).toBeUndefined();
    const taxi = metrics.body.data.serviceMetrics.find((m: any) => m.serviceCode === 'TAXI_DRIVER_PERMIT');
    expect(taxi).toMatchObject({ itemsPrefilled: 5, itemsCollected: 2, itemsRecollected: 0 });
    expect(taxi.submitted).toBeGreaterThanOrEqual(1);
    expect(taxi.crossDepartmentReads).toBeGreaterThanOrEqual(2);
  });
});

describe('prefill through access control', () => {
  it('a consumer gets DENIED items with the reason where it has no grant, masked values where it is masked', async () => {
    const portal = await createReader(t, { fields: ['Citizen.name'], purpose: 'CASE_PROCESSING' });
    await t.graphql(`mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, { input: { consumerId: portal.consumerId, field: 'Citizen.phone', purposes: ['CASE_PROCESSING'], mask: 'PARTIAL' } }, STEWARD);
    const res = await t.graphql(PREFILL, { s: 'HOME_RENOVATION_FILING', c: DEMO }, portal.headers);
    const items = Object.fromEntries(res.body.data.prefill.items.map((i: any) => [i.key, i]));
    expect(items.applicant_name.status).toBe('PREFILLED');
    expect(items.phone).toMatchObject({ status: 'PREFILLED', value: '*******4567' });
    const other = await t.graphql(PREFILL, { s: 'BIRTH_REGISTRATION', c: DEMO }, portal.headers);
    const birth = Object.fromEntries(other.body.data.prefill.items.map((i: any) => [i.key, i]));
    expect(birth.household).toMatchObject({ status: 'DENIED', reason: 'NO_GRANT', value: null });
    // A denied item is an answer, not an error: the form comes back whole.
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data.prefill.deniedCount).toBe(2);
    const noPurpose = await t.graphql(PREFILL, { s: 'BIRTH_REGISTRATION', c: DEMO }, { authorization: portal.headers.authorization });
    expect(noPurpose.body.data.prefill.items.find((i: any) => i.key === 'applicant_name')).toMatchObject({ status: 'DENIED', reason: 'PURPOSE_REQUIRED' });
  });

  it('rejects an unknown service and a malformed national ID', async () => {
    const unknown = await t.graphql(PREFILL, { s: 'NOPE', c: DEMO }, citizen);
    expect(unknown.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'serviceCode' });
    const bad = await t.graphql(PREFILL, { s: 'TAXI_DRIVER_PERMIT', c: '123' }, citizen);
    expect(bad.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'citizenId' });
  });
});

describe('submitting an application', () => {
  it('names every problem and creates nothing', async () => {
    const before = (await t.graphql(`{ cases(first: 100) { edges { cursor } } }`, {}, citizen)).body.data.cases.edges.length;
    const res = await t.graphql(SUBMIT, { input: { serviceCode: 'DRIVING_LICENSE_RENEWAL', applicantId: DEMO, answers: [{ key: 'photo', value: ' ' }, { key: 'shoe_size', value: '42' }, { key: 'photo', value: 'again' }] } }, citizen);
    const problems = res.body.errors![0].extensions!.problems.map((p: any) => p.argument + ' ' + p.message);
    expect(res.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(problems.join('\n')).toMatch(/answers\[0\].*photo/);
    expect(problems.join('\n')).toMatch(/answers\[1\].*shoe_size/);
    expect(problems.join('\n')).toMatch(/answers\[2\].*twice/);
    expect(problems.join('\n')).toMatch(/health_declaration.*required/);
    const unknownService = await t.graphql(SUBMIT, { input: { serviceCode: 'NOPE', applicantId: DEMO, answers: [] } }, citizen);
    expect(unknownService.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.serviceCode' });
    const after = (await t.graphql(`{ cases(first: 100) { edges { cursor } } }`, {}, citizen)).body.data.cases.edges.length;
    expect(after).toBe(before);
  });

  it('counts an item the hub already held as re-collected, and refuses applying for someone else', async () => {
    const res = await t.graphql(SUBMIT, { input: { serviceCode: 'HOME_RENOVATION_FILING', applicantId: DEMO, answers: [{ key: 'applicant_name', value: '王磊' }, { key: 'property_certificate', value: 'PC-1' }, { key: 'renovation_plan', value: 'kitchen' }] } }, citizen);
    expect(res.body.errors).toBeUndefined();
    const today = new Date().toISOString().slice(0, 10);
    const metrics = await t.graphql(`{ serviceMetrics(from: "${today}", to: "${today}") { serviceCode itemsPrefilled itemsCollected itemsRecollected } }`, {}, STEWARD);
    expect(metrics.body.data.serviceMetrics.find((m: any) => m.serviceCode === 'HOME_RENOVATION_FILING')).toEqual({ serviceCode: 'HOME_RENOVATION_FILING', itemsPrefilled: 1, itemsCollected: 2, itemsRecollected: 1 });
    const other = await t.graphql(SUBMIT, { input: { serviceCode: 'HOME_RENOVATION_FILING', applicantId: '11010519491231002X', answers: [] } }, citizen);
    expect(other.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_SELF' });
  });

  it('service metrics refuse a period that ends before it starts', async () => {
    const res = await t.graphql(`{ serviceMetrics(from: "2026-05", to: "2026-04") { serviceCode } }`, {}, STEWARD);
    expect(res.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
  });
});

describe('GET /metrics', () => {
  it('exposes requests, latency, source calls, breaker states, audit batches and policy cache use, in Prometheus text', async () => {
    await t.graphql(`query Probe { prefill(serviceCode: "TAXI_DRIVER_PERMIT", citizenId: "${DEMO}") { prefilledCount } }`, {}, citizen);
    const res = await t.hub.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    const text = res.body;
    expect(text).toMatch(/oncegraph_requests_total\{operation="Probe",outcome="ok"\} 1/);
    expect(text).toMatch(/oncegraph_request_duration_seconds_bucket\{le="[\d.]+",operation="Probe"\}/);
    expect(text).toMatch(/oncegraph_source_query_duration_seconds_count\{source="registry"\} \d+/);
    expect(text).toMatch(/oncegraph_source_breaker_state\{source="licensing"\} 0/);
    expect(text).toMatch(/oncegraph_audit_batch_size_count [1-9]/);
    expect(text).toMatch(/oncegraph_grants_cache_hits_total [1-9]/);
    expect(text).not.toContain(DEMO);
  });
});
