/**
 * Every path to a person's data is governed (issue 11): case lists,
 * applications, households, keys, and a walk over the whole schema. Each
 * finding of the issue is reproduced over HTTP as an attacker would send it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { citizenHeaders, createReader, startTestHub, STEWARD, type TestHub } from './setup/hub.js';
import { buildHubSchema, loadTypeDefs } from '../src/graph/schema.js';
import { GUARDED } from '../src/access/transform.js';
import { DEPARTMENT_SOURCES } from '../src/sources/index.js';

const DEMO = '610113198807150016';
const { schema, catalogue } = buildHubSchema();

let t: TestHub;
/** Another citizen who applied for something, and one of the demo citizen's cases. */
let other: string;
let demoCaseNumber: string;
let demoLicense: string;

/** The audit records one response caused, by subject. */
async function auditOf(requestId: unknown): Promise<Map<string, { returned: string[]; denied: string[] }>> {
  const rows = await t.dbs.hub.rows<{ citizen_id: string; fields_returned: string[]; fields_denied: string[] }>(
    sql`select citizen_id, fields_returned, fields_denied from hub.audit_log where request_id = ${String(requestId)}`,
  );
  return new Map(rows.map((r) => [r.citizen_id, { returned: [...r.fields_returned].sort(), denied: [...r.fields_denied].sort() }]));
}

/** Opens a case for `citizenId` with a service of `department`, the only way there is: the citizen applies through the portal. */
async function openCase(citizenId: string, department: string): Promise<string> {
  const headers = await citizenHeaders(citizenId);
  const services = (await t.graphql(`{ services { code department } }`, {}, headers)).body.data.services as { code: string; department: string }[];
  const service = services.find((s) => s.department === department)!.code;
  const form = (await t.graphql(`query($s: String!, $c: ID!) { prefill(serviceCode: $s, citizenId: $c) { items { key status } } }`, { s: service, c: citizenId }, headers)).body.data.prefill;
  const answers = form.items.filter((i: { status: string }) => i.status !== 'PREFILLED').map((i: { key: string }) => ({ key: i.key, value: `${i.key} as supplied` }));
  const res = await t.graphql(`mutation($input: ApplicationInput!) { submitApplication(input: $input) { number department } }`, { input: { serviceCode: service, applicantId: citizenId, answers } }, headers);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.submitApplication.department).toBe(department);
  return res.body.data.submitApplication.number;
}

async function caseCount(): Promise<number> {
  const [{ n }] = await t.dbs.cases.rows<{ n: number }>(sql`select count(*)::int as n from cases.cases`);
  return n;
}

beforeAll(async () => {
  t = await startTestHub({ RATE_LIMIT_PER_MINUTE: '1000000' });
  [{ applicant_id: other }] = await t.dbs.cases.rows<{ applicant_id: string }>(sql`select applicant_id from cases.cases where applicant_id <> ${DEMO} order by number limit 1`);
  [{ number: demoCaseNumber }] = await t.dbs.cases.rows<{ number: string }>(sql`select number from cases.cases where applicant_id = ${DEMO} order by number limit 1`);
  [{ number: demoLicense }] = await t.dbs.licensing.rows<{ number: string }>(sql`select number from licensing.licenses where holder_id = ${DEMO} limit 1`);
});
afterAll(() => t?.close());

const CASES_OF = `query($id: ID) { cases(filter: { applicantId: $id }, first: 100) { edges { node { number department } } } }`;

describe('finding 1: listing cases by applicant is a read of Citizen.cases', () => {
  it('refuses a consumer without a Citizen.cases grant, and records the denied read for the citizen', async () => {
    const nobody = await createReader(t, { department: 'licensing', fields: [] });
    const res = await t.graphql(CASES_OF, { id: DEMO }, nobody.headers);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions).toEqual({ code: 'FORBIDDEN', field: 'Citizen.cases', reason: 'NO_GRANT' });
    expect(await auditOf(res.headers['x-request-id'])).toEqual(new Map([[DEMO, { returned: [], denied: ['Citizen.cases'] }]]));
  });

  it("serves a consumer with the grant only its own department's cases of that citizen, audited as returned", async () => {
    const desk = await createReader(t, { department: 'licensing', fields: ['Citizen.cases'] });
    const res = await t.graphql(CASES_OF, { id: DEMO }, desk.headers);
    expect(res.body.errors).toBeUndefined();
    const expected = await t.dbs.cases.rows<{ number: string }>(sql`select number from cases.cases where applicant_id = ${DEMO} and department = 'licensing'`);
    expect(expected.length).toBeGreaterThan(0);
    const listed = res.body.data.cases.edges.map((e: any) => e.node);
    expect(listed.map((n: any) => n.number).sort()).toEqual(expected.map((r) => r.number).sort());
    expect(listed.every((n: any) => n.department === 'licensing')).toBe(true);
    expect(await auditOf(res.headers['x-request-id'])).toEqual(new Map([[DEMO, { returned: ['Citizen.cases'], denied: [] }]]));
  });

  it('refuses the steward, who reads no personal data', async () => {
    const res = await t.graphql(CASES_OF, { id: DEMO }, STEWARD);
    expect(res.body.data).toBeNull();
    expect(res.body.errors![0].extensions).toEqual({ code: 'FORBIDDEN', field: 'Citizen.cases', reason: 'NO_GRANT' });
  });

  it("refuses another citizen's token (NOT_SELF); a citizen's own list holds only their own cases", async () => {
    const theirs = await citizenHeaders(other);
    const refused = await t.graphql(CASES_OF, { id: DEMO }, theirs);
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors![0].extensions).toEqual({ code: 'FORBIDDEN', field: 'Citizen.cases', reason: 'NOT_SELF' });
    const own = await t.graphql(`{ cases(first: 100) { edges { node { number applicant { id } } } } }`, {}, theirs);
    expect(own.body.errors).toBeUndefined();
    const expected = await t.dbs.cases.rows<{ number: string }>(sql`select number from cases.cases where applicant_id = ${other}`);
    expect(own.body.data.cases.edges.map((e: any) => e.node.number).sort()).toEqual(expected.map((r) => r.number).sort().slice(0, 100));
    expect(own.body.data.cases.edges.every((e: any) => e.node.applicant.id === other)).toBe(true);
  });

  it("shows the citizen read that another citizen tried to read them, without that citizen's national ID; a steward sees who", async () => {
    const refused = await t.graphql(`query Snoop($id: ID!) { citizen(id: $id) { name } }`, { id: DEMO }, await citizenHeaders(other));
    expect(refused.body.errors![0].extensions).toMatchObject({ reason: 'NOT_SELF' });
    const requestId = refused.headers['x-request-id'];
    const mine = await t.graphql(`{ myDataAccess(first: 50) { edges { node { requestId actor role officer outcome } } } }`, {}, await citizenHeaders(DEMO));
    const seen = mine.body.data.myDataAccess.edges.map((e: any) => e.node).find((r: any) => r.requestId === requestId);
    expect(seen).toEqual({ requestId, actor: 'another citizen', role: 'citizen', officer: null, outcome: 'DENIED' });
    expect(JSON.stringify(mine.body)).not.toContain(other);
    const forSteward = await t.graphql(`query($r: String) { auditLog(filter: { requestId: $r }) { edges { node { actor officer } } } }`, { r: requestId }, STEWARD);
    expect(forSteward.body.data.auditLog.edges.map((e: any) => e.node)).toEqual([{ actor: other, officer: other }]);
    // The citizen's own reads still name them.
    const own = await t.graphql(`{ citizen(id: "${DEMO}") { name } }`, {}, await citizenHeaders(DEMO));
    const again = await t.graphql(`{ myDataAccess(first: 5) { edges { node { requestId actor } } } }`, {}, await citizenHeaders(DEMO));
    expect(again.body.data.myDataAccess.edges.map((e: any) => e.node)).toContainEqual({ requestId: own.headers['x-request-id'], actor: DEMO });
  });

  it("lists a consumer only its department's cases without a filter, and nothing of another department's", async () => {
    const desk = await createReader(t, { department: 'housing', fields: [] });
    const all = await t.graphql(`{ cases(first: 100) { edges { node { department } } } }`, {}, desk.headers);
    expect(all.body.data.cases.edges.length).toBeGreaterThan(0);
    expect(all.body.data.cases.edges.every((e: any) => e.node.department === 'housing')).toBe(true);
    const foreign = await t.graphql(`{ cases(filter: { department: "licensing" }, first: 5) { edges { node { number } } } }`, {}, desk.headers);
    expect(foreign.body.data.cases.edges).toEqual([]);
  });

  it("gives a citizen nothing of another citizen's case but the number they asked by", async () => {
    const res = await t.graphql(`query($n: String!) { case(number: $n) { number status service { code } events { status } } }`, { n: demoCaseNumber }, await citizenHeaders(other));
    expect(res.body.data.case).toEqual({ number: demoCaseNumber, status: null, service: null, events: null });
    expect(res.body.errors?.map((e) => e.extensions!.reason)).toEqual(['NOT_SELF', 'NOT_SELF', 'NOT_SELF']);
  });
});

describe('finding 2: the legal basis cannot be self-made', () => {
  const SUBMIT = `mutation($input: ApplicationInput!) { submitApplication(input: $input) { number } }`;

  it('refuses submitApplication to a consumer holding an ACTIVE_CASE grant, and to the steward, creating nothing', async () => {
    const benefits = await createReader(t, { department: 'civil-affairs', purpose: 'BENEFIT_ELIGIBILITY', fields: ['Citizen.household', 'Citizen.cases'] });
    const before = await caseCount();
    for (const headers of [benefits.headers, STEWARD]) {
      const res = await t.graphql(SUBMIT, { input: { serviceCode: 'CHILDCARE_SUBSIDY', applicantId: other, answers: [] } }, headers);
      expect(res.body.data).toBeNull();
      expect(res.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Mutation.submitApplication', reason: 'ROLE' });
    }
    expect(await caseCount()).toBe(before);
  });

  it('refuses a citizen applying for someone else (NOT_SELF), creating nothing', async () => {
    const before = await caseCount();
    const res = await t.graphql(SUBMIT, { input: { serviceCode: 'CHILDCARE_SUBSIDY', applicantId: DEMO, answers: [] } }, await citizenHeaders(other));
    expect(res.body.errors![0].extensions).toEqual({ code: 'FORBIDDEN', field: 'Citizen.cases', reason: 'NOT_SELF' });
    expect(await caseCount()).toBe(before);
  });

  it("shows a case the citizen opened in their access history", async () => {
    const number = await openCase(other, 'civil-affairs');
    const history = await t.graphql(`{ myDataAccess(first: 10) { edges { node { operationName fieldsReturned } } } }`, {}, await citizenHeaders(other));
    const records = history.body.data.myDataAccess.edges.map((e: any) => e.node);
    expect(records.some((r: any) => r.fieldsReturned.includes('Citizen.cases'))).toBe(true);
    expect(number).toMatch(/\S/);
  });
});

describe('finding 3: a household and its members are governed on their own', () => {
  let benefits: { headers: Record<string, string>; consumerId: string };
  let caseRef: string;
  let members: string[];
  const HOUSEHOLD = `query($id: ID!) { citizen(id: $id) { address { formatted } household { address { formatted } members { relation citizen { id birthDate } } } } }`;

  beforeAll(async () => {
    // A household of at least two: the demo citizen's own, if it has two, else another citizen's.
    const [{ household_id }] = await t.dbs.registry.rows<{ household_id: string }>(sql`select household_id from registry.citizens where id = ${DEMO}`);
    members = (await t.dbs.registry.rows<{ id: string }>(sql`select id from registry.citizens where household_id = ${household_id}`)).map((r) => r.id).sort();
    expect(members.length).toBeGreaterThan(1);
    caseRef = await openCase(DEMO, 'civil-affairs');
    benefits = await createReader(t, { department: 'civil-affairs', purpose: 'BENEFIT_ELIGIBILITY', fields: ['Citizen.household', 'Household.members'] });
  });

  it('refuses Household.address to a consumer refused Citizen.address, and members to one without their grants', async () => {
    const res = await t.graphql(HOUSEHOLD, { id: DEMO }, { ...benefits.headers, 'x-case-ref': caseRef });
    const citizen = res.body.data.citizen;
    expect(citizen.address).toBeNull();
    expect(citizen.household.address).toBeNull();
    const byPath = new Map(res.body.errors!.map((e) => [e.path!.join('.'), e.extensions]));
    expect(byPath.get('citizen.address')).toEqual({ code: 'FORBIDDEN', field: 'Citizen.address', reason: 'NO_GRANT' });
    expect(byPath.get('citizen.household.address')).toEqual({ code: 'FORBIDDEN', field: 'Household.address', reason: 'NO_GRANT' });
    expect(citizen.household.members).toHaveLength(members.length);
    for (const [i, member] of citizen.household.members.entries()) {
      expect(member).toEqual({ relation: null, citizen: null });
      expect(byPath.get(`citizen.household.members.${i}.citizen`)).toEqual({ code: 'FORBIDDEN', field: 'HouseholdMember.citizen', reason: 'NO_GRANT' });
    }
  });

  it("echoes no member's national ID without a Citizen.id grant, and audits every member even when only id and relation are read", async () => {
    for (const field of ['HouseholdMember.relation', 'HouseholdMember.citizen']) {
      const res = await t.graphql(`mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, { input: { consumerId: benefits.consumerId, field, purposes: ['BENEFIT_ELIGIBILITY'] } }, STEWARD);
      expect(res.body.errors).toBeUndefined();
    }
    const res = await t.graphql(`query($id: ID!) { citizen(id: $id) { household { members { relation citizen { id } } } } }`, { id: DEMO }, { ...benefits.headers, 'x-case-ref': caseRef });
    const listed = res.body.data.citizen.household.members as { relation: string; citizen: { id: string | null } }[];
    expect(listed.every((m) => typeof m.relation === 'string')).toBe(true);
    // Only the ID the caller asked by comes back; every other member's is refused.
    expect(listed.map((m) => m.citizen.id).sort()).toEqual([DEMO, ...Array(members.length - 1).fill(null)].sort());
    const denied = res.body.errors!.filter((e) => e.extensions!.field === 'Citizen.id');
    expect(denied).toHaveLength(members.length - 1);
    expect(denied.every((e) => e.extensions!.reason === 'NO_GRANT')).toBe(true);
    const audit = await auditOf(res.headers['x-request-id']);
    expect([...audit.keys()].sort()).toEqual(members);
    for (const member of members.filter((m) => m !== DEMO)) {
      expect(audit.get(member)).toEqual({ returned: ['HouseholdMember.citizen', 'HouseholdMember.relation'], denied: ['Citizen.id'] });
    }
    expect(audit.get(DEMO)!.returned).toEqual(['Citizen.household', 'Citizen.id', 'Household.members', 'HouseholdMember.citizen', 'HouseholdMember.relation']);
  });
});

describe('keys are data', () => {
  it("gives a license holder's national ID only through a Citizen.id grant", async () => {
    const desk = await createReader(t, { department: 'licensing', fields: ['License.holder', 'Citizen.name'] });
    const res = await t.graphql(`query($n: String!) { license(number: $n) { holder { id name } } }`, { n: demoLicense }, desk.headers);
    expect(res.body.data.license.holder).toEqual({ id: null, name: expect.any(String) });
    expect(res.body.errors!.map((e) => e.extensions)).toEqual([{ code: 'FORBIDDEN', field: 'Citizen.id', reason: 'NO_GRANT' }]);
    const asked = await t.graphql(`query($n: String!, $id: ID!) { citizen(id: $id) { id } license(number: $n) { holder { id } } }`, { n: demoLicense, id: DEMO }, desk.headers);
    expect(asked.body.errors).toBeUndefined();
    expect(asked.body.data.license.holder.id).toBe(DEMO);
  });
});

describe('the schema, walked', () => {
  it('wraps every field that is not PUBLIC in the access transform', () => {
    const unguarded: string[] = [];
    for (const field of catalogue.values()) {
      const publicAndPlain = field.level === 'PUBLIC' && !(field.onEntity && field.releasesParts);
      if (publicAndPlain) continue;
      const resolve = (schema.getType(field.typeName) as GraphQLObjectType).getFields()[field.fieldName].resolve as unknown as Record<symbol, unknown> | undefined;
      if (!resolve || resolve[GUARDED] !== field.name) unguarded.push(field.name);
    }
    expect(unguarded).toEqual([]);
  });

  it('lists every entity type\'s grantable fields to the steward, households and members included', async () => {
    const res = await t.graphql(`{ classifiedFields { name level grantable requiresCondition } }`, {}, STEWARD);
    expect(res.body.errors).toBeUndefined();
    const grantable = res.body.data.classifiedFields.filter((f: any) => f.grantable).map((f: any) => f.name).sort();
    expect(grantable).toEqual([...catalogue.values()].filter((f) => f.grantable).map((f) => f.name).sort());
    expect(grantable).toEqual(expect.arrayContaining(['Citizen.id', 'Household.address', 'Household.members', 'HouseholdMember.citizen', 'HouseholdMember.relation']));
  });

  it('declares every PERSONAL or SENSITIVE field on an entity (with a subject) or a part', () => {
    const personal = [...catalogue.values()].filter((f) => f.level === 'PERSONAL' || f.level === 'SENSITIVE');
    expect(personal.length).toBeGreaterThan(15);
    expect(personal.filter((f) => f.holder.kind === 'plain').map((f) => f.name)).toEqual([]);
  });

  it('fails the build naming a field with no declaration, on any type, root fields included', () => {
    const add = (sdl: string) => [...loadTypeDefs(), { file: 'extra.graphql', sdl }];
    expect(() => buildHubSchema(add('extend type Citizen { shoeSize: Int }'))).toThrow(/Citizen\.shoeSize/);
    expect(() => buildHubSchema(add('"x" type Leak { "x" secret: String }\nextend type Query { "x" leak: Leak }'))).toThrow(/Query\.leak[\s\S]*Leak\.secret|Leak\.secret[\s\S]*Query\.leak/);
    expect(() => buildHubSchema(add('"x" type Leak @classified(level: INTERNAL) { "x" phone: String @classified(level: PERSONAL) }\nextend type Query { "x" leak: Leak @classified(level: PUBLIC) }'))).toThrow(/Leak\.phone is PERSONAL but Leak declares no data subject/);
  });

  it('fails the build on declarations that would be ignored or would fail open', () => {
    const add = (sdl: string) => [...loadTypeDefs(), { file: 'extra.graphql', sdl }];
    // A misspelt type in @reads: not a source this hub is built without, so a mistake (the argument would go undecided).
    expect(() => buildHubSchema(add('extend type Query { "x" casesOf(id: ID! @reads(field: "Citizn.cases")): [Case!]! @classified(level: PUBLIC) }'))).toThrow(
      /Query\.casesOf\(id\) @reads\(field: "Citizn\.cases"\): not a field of an entity/,
    );
    // @reads and @represents on a nested field's argument: only root fields' arguments are decided before they run.
    expect(() => buildHubSchema(add('extend type License { "x" holderCases(id: ID! @reads(field: "Citizen.cases")): [Case!]! @classified(level: PERSONAL) }'))).toThrow(
      /License\.holderCases: @reads and @represents are enforced on arguments of Query and Mutation fields only/,
    );
    expect(() => buildHubSchema(add('extend type License { "x" firm(id: ID! @represents): Enterprise @classified(level: PERSONAL) }'))).toThrow(/License\.firm: @reads and @represents/);
    // Roles alone on a subject's field would serve it undecided by grants and unaudited.
    expect(() => buildHubSchema(add('extend type Citizen { "x" shoeSize: Int @allow(roles: [STEWARD]) }'))).toThrow(/Citizen\.shoeSize: a field of an @entity is decided by grants/);
    // No type-level default on a subject's record: a field added later must say what it is.
    expect(() => buildHubSchema(add('"x" type Pet @entity(key: "id", citizen: "ownerId") @classified(level: PUBLIC) { "x" id: ID! }\nextend type Query { "x" pet: Pet @classified(level: PUBLIC) }'))).toThrow(
      /Pet is an @entity: declare @classified\(level: \.\.\.\) on each of its fields/,
    );
    // A hub built without a source still builds: its types' reads are absent, not misspelt.
    expect(() => buildHubSchema(loadTypeDefs(), DEPARTMENT_SOURCES.filter((s) => s.name !== 'enterprise'))).not.toThrow();
  });

  /**
   * Generated from the schema: every path of up to five fields from a root to
   * a PERSONAL or SENSITIVE field is queried by a consumer with no grant at
   * all; no such path yields a value.
   */
  it('yields no personal value on any path from the roots to a consumer without grants', async () => {
    const nobody = await createReader(t, { fields: [] });
    const roots: Record<string, string> = {
      citizen: `citizen(id: "${DEMO}")`,
      citizens: `citizens(ids: ["${DEMO}", "${other}"])`,
      license: `license(number: "${demoLicense}")`,
      case: `case(number: "${demoCaseNumber}")`,
      enterprise: 'enterprise(id: "91610113MA06A5AG5W")', // the demo citizen's company (seed DEMO.enterpriseId)
      enterprises: 'enterprises(ids: ["91610113MA06A5AG5W", "92610113MA0E9G5A6N"])',
      cases: 'cases(first: 20)',
      prefill: `prefill(serviceCode: "TAXI_DRIVER_PERMIT", citizenId: "${DEMO}")`,
      me: 'me',
      purposes: 'purposes',
      departments: 'departments',
      services: 'services',
      classifiedFields: 'classifiedFields',
      serviceMetrics: 'serviceMetrics(from: "2026-01-01", to: "2026-01-31")',
      ratingFollowUps: 'ratingFollowUps',
      ratingFollowUpCounts: 'ratingFollowUpCounts',
    };
    const personal = new Set([...catalogue.values()].filter((f) => f.level === 'PERSONAL' || f.level === 'SENSITIVE').map((f) => f.name));
    const queries: { query: string; target: string }[] = [];
    const walk = (type: GraphQLObjectType, prefix: string[], depth: number, seen: Set<string>) => {
      for (const field of Object.values(type.getFields())) {
        const name = `${type.name}.${field.name}`;
        const named = getNamedType(field.type);
        const selection = isObjectType(named) ? `${field.name} { __typename }` : field.name;
        if (personal.has(name)) queries.push({ query: `{ ${prefix.reduceRight((inner, step) => `${step} { ${inner} }`, selection)} }`, target: name });
        if (isObjectType(named) && depth < 5 && !seen.has(named.name) && field.args.length === 0) walk(named, [...prefix, field.name], depth + 1, new Set([...seen, named.name]));
      }
    };
    for (const field of Object.values(schema.getQueryType()!.getFields())) {
      const named = getNamedType(field.type);
      if (!isObjectType(named)) continue;
      const info = catalogue.get(`Query.${field.name}`)!;
      if (info.roles && !info.roles.includes('consumer')) continue; // refused to consumers outright (tested in access tests)
      expect(roots[field.name], `add an invocation of Query.${field.name} to this test`).toBeDefined();
      walk(named, [roots[field.name]], 1, new Set([named.name]));
    }
    expect(queries.length).toBeGreaterThan(40);
    const leaks: string[] = [];
    for (const { query, target } of queries) {
      const res = await t.graphql(query, {}, nobody.headers);
      expect(res.status, query).toBe(200);
      const [typeName, fieldName] = target.split('.');
      const find = (value: unknown): void => {
        if (Array.isArray(value)) return value.forEach(find);
        if (value === null || typeof value !== 'object') return;
        const object = value as Record<string, unknown>;
        const found = object[fieldName];
        // A key the caller asked by is echoed (SPEC §4): only ids named in this query's root may come back.
        const echoed = target === 'Citizen.id' && /^(citizen|citizens)\(/.test(query.slice(2)) && query.includes(`"${found}"`);
        if (object.__typename === typeName && found !== null && found !== undefined && !echoed) leaks.push(`${target} via ${query}`);
        Object.values(object).forEach(find);
      };
      find(label(res.body.data ?? null, schema.getQueryType()!));
    }
    expect(leaks).toEqual([]);
  });
});

/** The walk's queries select `__typename` only at their leaves: label every object on the path by the schema. */
function label(value: unknown, type: GraphQLObjectType): unknown {
  if (Array.isArray(value)) return value.map((v) => label(v, type));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = { __typename: type.name };
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const field = type.getFields()[key];
    const named = field && getNamedType(field.type);
    out[key] = named && isObjectType(named) ? label(child, named) : child;
  }
  return out;
}
