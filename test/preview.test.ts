/**
 * previewAccess (issue 15 §3): for a query text, what a consumer would get of
 * each field, masked how, or why not. It must agree with what a real request
 * of that consumer gets, for every field of the access matrix (generated from
 * the schema), and it reads no data and writes no audit record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildHubSchema } from '../src/graph/schema.js';
import { createReader, startTestHub, STEWARD, type TestHub } from './setup/hub.js';
import { matrixQueries, RATED_CASE_SQL, valueAt } from './setup/matrix.js';

const DEMO = '610113198807150016';
const PREVIEW = `query($consumerId: ID!, $purpose: String, $caseRef: String, $query: String!) {
  previewAccess(consumerId: $consumerId, purpose: $purpose, caseRef: $caseRef, query: $query) { field path allowed reason reasonCode mask condition }
}`;

let t: TestHub;
let openCase: { number: string; department: string };
let queryFor: ReturnType<typeof matrixQueries>;
const { schema, catalogue } = buildHubSchema();
const grantable = [...catalogue.values()].filter((f) => f.grantable);

interface Decision {
  field: string;
  path: string;
  allowed: boolean;
  reason: string | null;
  reasonCode: string | null;
  mask: string | null;
  condition: string | null;
}

async function preview(consumerId: string, query: string, purpose: string | null, caseRef: string | null = null): Promise<Decision[]> {
  const res = await t.graphql(PREVIEW, { consumerId, purpose, caseRef, query }, STEWARD);
  expect(res.body.errors, query).toBeUndefined();
  return res.body.data.previewAccess;
}

const auditCount = async () => (await t.dbs.hub.rows<{ n: number }>(sql`select count(*)::int as n from hub.audit_log`))[0].n;

beforeAll(async () => {
  t = await startTestHub({ RATE_LIMIT_PER_MINUTE: '1000000' });
  [openCase] = await t.dbs.cases.rows<{ number: string; department: string }>(
    sql`select number, department from cases.cases where applicant_id = ${DEMO} and status in ('SUBMITTED', 'IN_REVIEW') order by number limit 1`,
  );
  const [{ number: license }] = await t.dbs.licensing.rows<{ number: string }>(sql`select number from licensing.licenses where holder_id = ${DEMO} limit 1`);
  const [{ number: enterpriseCase }] = await t.dbs.cases.rows<{ number: string }>(sql`select number from cases.cases where enterprise_id is not null order by number limit 1`);
  const [{ number: ratedCase }] = await t.dbs.cases.rows<{ number: string }>(sql.raw(RATED_CASE_SQL));
  queryFor = matrixQueries(schema, { citizen: DEMO, license, openCase: openCase.number, enterpriseCase, enterprise: '91610113MA06A5AG5W', ratedCase });
});
afterAll(() => t?.close());

describe('previewAccess agrees with real reads', () => {
  it('for every field of the access matrix, with and without a case, for a consumer granted every other field', async () => {
    // Every other grantable field; every other one of those that can be masked, with its first mask (PARTIAL for a name...).
    const granted = grantable.filter((_, i) => i % 2 === 0);
    const masked = granted.filter((f) => f.masks.some((m) => m !== 'NONE')).filter((_, i) => i % 2 === 0);
    const reader = await createReader(t, { department: openCase.department, fields: granted.filter((f) => !masked.includes(f)).map((f) => f.name) });
    for (const field of masked) {
      const mask = field.masks.find((m) => m !== 'NONE')!;
      const res = await t.graphql(`mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, { input: { consumerId: reader.consumerId, field: field.name, purposes: ['STATISTICS'], mask, condition: field.level === 'SENSITIVE' ? 'ACTIVE_CASE' : 'NONE' } }, STEWARD);
      expect(res.body.errors, field.name).toBeUndefined();
    }
    let compared = 0;
    const outcomes = { served: 0, refused: 0, masked: 0 };
    for (const caseRef of [openCase.number, null]) {
      for (const field of grantable) {
        const { query, at } = queryFor(field);
        const auditBefore = await auditCount();
        const decisions = await preview(reader.consumerId, query, 'STATISTICS', caseRef);
        expect(await auditCount(), 'a preview writes no audit record').toBe(auditBefore);
        // Preview paths have no list indices; a field under a refused one is not listed, its nearest listed ancestor decides.
        const segments = at.split('.');
        const realPaths = segments.map((_, i) => segments.slice(0, i + 1).join('.')).filter((real) => !/\.\d+$/.test(real));
        const decided = realPaths
          .map((real) => ({ real, decision: decisions.find((d) => d.path === real.split('.').filter((k) => !/^\d+$/.test(k)).join('.')) }))
          .filter((p) => p.decision);
        const { real: decidedAt, decision } = decided[decided.length - 1];
        const label = `${field.name} with case ${caseRef}`;
        if (decidedAt === at) expect(decision!.field, label).toBe(field.name);
        else expect(decision!.allowed, `${label}: ${decidedAt} is listed, not ${at}, so it must be refused`).toBe(false);

        const real = await t.graphql(query, {}, { ...reader.headers, ...(caseRef ? { 'x-case-ref': caseRef } : {}) });
        const error = real.body.errors?.find((e) => e.path?.join('.') === decidedAt);
        const served = valueAt(real.body.data, at) !== null && valueAt(real.body.data, at) !== undefined && !error;
        expect(decision!.allowed, label).toBe(served);
        if (!served) expect(decision!.reasonCode, label).toBe(error?.extensions?.reason);
        else expect(decision!.mask, label).toBe(masked.includes(field) ? field.masks.find((m) => m !== 'NONE') : 'NONE');
        compared++;
        outcomes[served ? (decision!.mask !== 'NONE' ? 'masked' : 'served') : 'refused']++;
      }
    }
    expect(compared).toBe(grantable.length * 2);
    // The comparison covered every kind of answer.
    expect(outcomes.served * outcomes.refused * outcomes.masked, JSON.stringify(outcomes)).toBeGreaterThan(0);
  });
});

describe('previewAccess', () => {
  it('explains each field of a realistic query: served, masked, on a case, refused and why', async () => {
    const desk = await createReader(t, { department: openCase.department, fields: ['Citizen.name', 'Citizen.household'], purpose: 'BENEFIT_ELIGIBILITY' });
    await t.graphql(`mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, { input: { consumerId: desk.consumerId, field: 'Citizen.birthDate', purposes: ['BENEFIT_ELIGIBILITY'], mask: 'YEAR_ONLY' } }, STEWARD);
    const query = `query Eligibility($id: ID!) { person: citizen(id: $id) { id name birthDate phone household { id } ...More } } fragment More on Citizen { status }`;
    const byPath = (ds: Decision[]) => Object.fromEntries(ds.map((d) => [d.path, d]));

    const noCase = byPath(await preview(desk.consumerId, query, 'BENEFIT_ELIGIBILITY'));
    expect(noCase['person']).toMatchObject({ field: 'Query.citizen', allowed: true });
    expect(noCase['person.id']).toMatchObject({ allowed: true, reasonCode: 'ECHOED' });
    expect(noCase['person.name']).toMatchObject({ allowed: true, mask: 'NONE', condition: 'NONE', reasonCode: null });
    expect(noCase['person.birthDate']).toMatchObject({ allowed: true, mask: 'YEAR_ONLY' });
    expect(noCase['person.phone']).toMatchObject({ allowed: false, reasonCode: 'NO_GRANT', mask: null });
    expect(noCase['person.household']).toMatchObject({ allowed: false, reasonCode: 'CASE_REQUIRED' });
    expect(noCase['person.household.id']).toBeUndefined(); // nothing under a refused field is served
    expect(noCase['person.status']).toMatchObject({ field: 'Citizen.status', allowed: false, reasonCode: 'NO_GRANT' });
    expect(noCase['person.phone'].reason).toMatch(/requestAccess/);

    const onCase = byPath(await preview(desk.consumerId, query, 'BENEFIT_ELIGIBILITY', openCase.number));
    expect(onCase['person.household']).toMatchObject({ allowed: true, condition: 'ACTIVE_CASE', reasonCode: 'ACTIVE_CASE' });
    expect(onCase['person.household'].reason).toContain(openCase.number);
    expect(onCase['person.household.id']).toMatchObject({ field: 'Household.id' });

    const otherPurpose = byPath(await preview(desk.consumerId, query, 'STATISTICS'));
    expect(otherPurpose['person.name']).toMatchObject({ allowed: false, reasonCode: 'PURPOSE_NOT_GRANTED' });
    const noPurpose = byPath(await preview(desk.consumerId, query, null));
    expect(noPurpose['person.name']).toMatchObject({ allowed: false, reasonCode: 'PURPOSE_REQUIRED' });
  });

  it('decides arguments that read a person as reads: cases(filter: { applicantId }) needs Citizen.cases', async () => {
    const desk = await createReader(t, { department: openCase.department, fields: ['Citizen.name'] });
    const decisions = await preview(desk.consumerId, `{ cases(filter: { applicantId: "${DEMO}" }) { edges { node { number } } } }`, 'STATISTICS');
    expect(decisions.find((d) => d.path === 'cases(filter.applicantId)')).toMatchObject({ field: 'Citizen.cases', allowed: false, reasonCode: 'NO_GRANT' });
    expect(decisions.find((d) => d.path === 'cases')).toMatchObject({ allowed: false, reasonCode: 'NO_GRANT' });
    const real = await t.graphql(`{ cases(filter: { applicantId: "${DEMO}" }) { edges { node { number } } } }`, {}, desk.headers);
    expect(real.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Citizen.cases', reason: 'NO_GRANT' });
  });

  it("a steward's own application reads no personal data, whatever it previews", async () => {
    const decisions = await preview('data-steward', `{ citizen(id: "${DEMO}") { name } consumers { id } }`, 'STATISTICS');
    expect(decisions.find((d) => d.path === 'citizen.name')).toMatchObject({ allowed: false, reasonCode: 'NO_GRANT' });
    expect(decisions.find((d) => d.path === 'consumers')).toMatchObject({ allowed: true });
  });

  it('is for stewards only, and says what is wrong with its input', async () => {
    const reader = await createReader(t, { fields: ['Citizen.name'] });
    const asConsumer = await t.graphql(PREVIEW, { consumerId: reader.consumerId, query: '{ purposes { code } }' }, reader.headers);
    expect(asConsumer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const [variables, argument] of [
      [{ consumerId: 'nobody-here', query: '{ purposes { code } }' }, 'consumerId'],
      [{ consumerId: reader.consumerId, purpose: 'CURIOSITY', query: '{ purposes { code } }' }, 'purpose'],
      [{ consumerId: reader.consumerId, query: '{ citizen(id: ' }, 'query'],
      [{ consumerId: reader.consumerId, query: '{ citizen(id: "1") { shoeSize } }' }, 'query'],
    ] as const) {
      const res = await t.graphql(PREVIEW, variables, STEWARD);
      expect(res.body.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });
});
