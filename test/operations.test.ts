/**
 * Registered operations (SPEC §8, issue 13): a steward registers a
 * consumer's operations from a persisted-query manifest; the consumer runs
 * them by hash, over POST and GET; access control, audit, masking, limits,
 * errors and metrics are those of the same text sent ad hoc. A steward
 * removes them again, on every instance at once, keeping who and when.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenHeaders, createReader, reopenDatabases, startTestHub, STEWARD, type GraphQLResponse, type TestHub } from './setup/hub.js';

const DEMO = '610113198807150016';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** One entry of the manifest `@apollo/generate-persisted-query-manifest` writes: its id is the SHA-256 of its body. */
function entry(body: string) {
  const [, type, name] = /^(query|mutation|subscription)\s+(\w+)/.exec(body)!;
  return { id: sha256(body), name, type, body };
}
const manifestOf = (operations: unknown[]) => JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations });

// Written the way the manifest generator prints operations (with __typename added by Apollo Client's cache).
const CITIZEN_NAME = `query CitizenName($id: ID!) {\n  citizen(id: $id) {\n    id\n    name\n    phone\n  }\n}`;
const CITIZEN_CARD = `query CitizenCard($id: ID!) {\n  citizen(id: $id) {\n    ...Card\n    __typename\n  }\n}\n\nfragment Card on Citizen {\n  name\n  licenses {\n    number\n    status\n    __typename\n  }\n}`;
const ASK_FOR_PHONE = `mutation AskForPhone($input: AccessRequestInput!) {\n  requestAccess(input: $input) {\n    status\n    fields\n  }\n}`;
const CASE_PAGE = `query CasePage($first: Int) {\n  cases(first: $first) {\n    edges {\n      cursor\n    }\n  }\n}`;

const REGISTER = `mutation($c: ID!, $m: String!) { registerOperations(consumerId: $c, manifest: $m) { id consumerId name hash document fields registeredAt registeredBy } }`;
const OPERATIONS = `query($c: ID) { operations(consumerId: $c) { id consumerId name hash document fields registeredAt registeredBy } }`;
const RESTRICT = `mutation($c: ID!, $on: Boolean!) { setRegisteredOperationsOnly(consumerId: $c, on: $on) { id registeredOperationsOnly } }`;
const REMOVE = `mutation($c: ID!, $h: [String!]!) { removeOperations(consumerId: $c, hashes: $h) { id consumerId name hash registeredBy removedAt removedBy removedByOfficer } }`;
const RECORD = `requestId consumerId department actor role officer purpose caseRef operationName operationHash subjectType subjectId citizenId fieldsReturned fieldsDenied outcome`;

let t: TestHub;
/** Reads Citizen.name only, for STATISTICS; CITIZEN_NAME, CITIZEN_CARD and ASK_FOR_PHONE are registered for it. */
let reader: Awaited<ReturnType<typeof createReader>>;
/** Another consumer with the same grants and nothing registered. */
let other: Awaited<ReturnType<typeof createReader>>;

type Headers = Record<string, string>;

/** Runs an operation by its hash alone, as a client of persisted queries sends it. */
async function byHash(
  hub: TestHub,
  hash: string,
  variables: Record<string, unknown> | undefined,
  headers: Headers,
  method: 'POST' | 'GET' = 'POST',
  operationName?: string,
): Promise<GraphQLResponse> {
  const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
  const res =
    method === 'POST'
      ? await hub.hub.app.inject({ method, url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ operationName, variables, extensions }) })
      : await hub.hub.app.inject({
          method,
          url: `/graphql?extensions=${encodeURIComponent(JSON.stringify(extensions))}${variables ? `&variables=${encodeURIComponent(JSON.stringify(variables))}` : ''}${operationName ? `&operationName=${operationName}` : ''}`,
          // Apollo's CSRF prevention wants a header a browser form cannot send.
          headers: { 'apollo-require-preflight': 'true', ...headers },
        });
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) };
}

/** A text sent with its hash, the way Apollo's automatic persisted queries store a text. */
async function withHash(hub: TestHub, query: string, headers: Headers): Promise<GraphQLResponse> {
  const res = await hub.hub.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }),
  });
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) };
}

async function recordsOf(res: GraphQLResponse) {
  const requestId = res.headers['x-request-id'] as string;
  const page = await t.graphql(`query($r: String) { auditLog(filter: { requestId: $r }, first: 100) { edges { node { ${RECORD} } } } }`, { r: requestId }, STEWARD);
  return page.body.data.auditLog.edges.map((e: any) => e.node);
}

/** An audit record without what differs between any two requests. */
const sameRequestAside = ({ requestId: _r, ...rest }: Record<string, unknown>) => rest;

async function register(consumerId: string, bodies: string[], hub = t) {
  const res = await hub.graphql(REGISTER, { c: consumerId, m: manifestOf(bodies.map(entry)) }, STEWARD);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.registerOperations;
}

async function problemsOf(consumerId: string, manifest: string) {
  const res = await t.graphql(REGISTER, { c: consumerId, m: manifest }, STEWARD);
  expect(res.body.data ?? null).toBeNull();
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  return res.body.errors![0].extensions!.problems as { argument: string; message: string }[];
}

async function metricValue(hub: TestHub, line: string): Promise<number> {
  const text = (await hub.hub.app.inject({ method: 'GET', url: '/metrics' })).body;
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

beforeAll(async () => {
  t = await startTestHub();
  reader = await createReader(t, { fields: ['Citizen.name'] });
  other = await createReader(t, { fields: ['Citizen.name'] });
});
afterAll(() => t?.close());

describe('registering a manifest', () => {
  it('stores each operation with its hash, name, text, the fields it reads and who registered it; operations(consumerId) lists them', async () => {
    const before = Date.now();
    const registered = await register(reader.consumerId, [CITIZEN_NAME, CITIZEN_CARD, ASK_FOR_PHONE]);
    expect(registered.map((o: any) => ({ ...o, id: undefined, registeredAt: undefined }))).toEqual([
      { id: undefined, registeredAt: undefined, consumerId: reader.consumerId, name: 'CitizenName', hash: sha256(CITIZEN_NAME), document: CITIZEN_NAME, fields: ['Query.citizen', 'Citizen.id', 'Citizen.name', 'Citizen.phone'], registeredBy: 'data-steward' },
      // The fragment is expanded where it is spread; __typename is not a field read.
      { id: undefined, registeredAt: undefined, consumerId: reader.consumerId, name: 'CitizenCard', hash: sha256(CITIZEN_CARD), document: CITIZEN_CARD, fields: ['Query.citizen', 'Citizen.name', 'Citizen.licenses', 'License.number', 'License.status'], registeredBy: 'data-steward' },
      { id: undefined, registeredAt: undefined, consumerId: reader.consumerId, name: 'AskForPhone', hash: sha256(ASK_FOR_PHONE), document: ASK_FOR_PHONE, fields: ['Mutation.requestAccess', 'AccessRequest.status', 'AccessRequest.fields'], registeredBy: 'data-steward' },
    ]);
    for (const o of registered) {
      expect(o.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(o.registeredAt)).toBeGreaterThanOrEqual(before - 1000);
    }

    const listed = (await t.graphql(OPERATIONS, { c: reader.consumerId }, STEWARD)).body.data.operations;
    // By name: AskForPhone, CitizenCard, CitizenName.
    expect(listed).toEqual([registered[2], registered[1], registered[0]]);
    expect((await t.graphql(OPERATIONS, { c: other.consumerId }, STEWARD)).body.data.operations).toEqual([]);
    const all = (await t.graphql(OPERATIONS, { c: null }, STEWARD)).body.data.operations;
    expect(all.filter((o: any) => o.consumerId === reader.consumerId)).toEqual(listed);
  });

  it('registering the same operation again updates it instead of adding another', async () => {
    const [first] = (await t.graphql(OPERATIONS, { c: reader.consumerId }, STEWARD)).body.data.operations.filter((o: any) => o.name === 'CitizenName');
    const [again] = await register(reader.consumerId, [CITIZEN_NAME]);
    expect(again.id).toBe(first.id);
    expect(Date.parse(again.registeredAt)).toBeGreaterThanOrEqual(Date.parse(first.registeredAt));
    const listed = (await t.graphql(OPERATIONS, { c: reader.consumerId }, STEWARD)).body.data.operations;
    expect(listed.map((o: any) => o.name)).toEqual(['AskForPhone', 'CitizenCard', 'CitizenName']);
  });

  it('is for stewards only', async () => {
    const res = await t.graphql(REGISTER, { c: reader.consumerId, m: manifestOf([entry(CASE_PAGE)]) }, reader.headers);
    expect(res.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    const list = await t.graphql(OPERATIONS, { c: reader.consumerId }, reader.headers);
    expect(list.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await t.graphql(OPERATIONS, { c: reader.consumerId }, STEWARD)).body.data.operations.map((o: any) => o.name)).not.toContain('CasePage');
  });
});

describe('a manifest with problems', () => {
  const listed = async (consumerId: string) => (await t.graphql(OPERATIONS, { c: consumerId }, STEWARD)).body.data.operations;

  it('that is not JSON, or not an object', async () => {
    expect(await problemsOf(reader.consumerId, '{ "format": ')).toEqual([{ argument: 'manifest', message: expect.stringMatching(/^is not JSON \(.+\); pass the file @apollo\/generate-persisted-query-manifest wrote\.$/) }]);
    expect(await problemsOf(reader.consumerId, '[]')).toEqual([{ argument: 'manifest', message: 'is not a JSON object; pass the file @apollo/generate-persisted-query-manifest wrote.' }]);
  });

  it('names every problem of the whole manifest at once, and registers none of its operations', async () => {
    const fresh = await createReader(t, { fields: [] });
    const good = entry(`query Purposes {\n  purposes {\n    code\n  }\n}`);
    const mismatched = { ...entry(`query Services {\n  services {\n    code\n  }\n}`), id: sha256('something else') };
    const invalid = entry(`query Shoes($id: ID!) {\n  citizen(id: $id) {\n    shoeSize\n  }\n}`);
    // 16 aliases over two fields, each selected 8 times: over the alias limit only.
    const aliases = Array.from({ length: 16 }, (_, i) => `  a${i}: ${i % 2 ? 'purposes' : 'services'} {\n    code\n  }`).join('\n');
    const tooManyAliases = entry(`query Aliases {\n${aliases}\n}`);
    const tooManyTokens = entry(`query Tokens {\n${Array.from({ length: 700 }, (_, i) => `  p${i % 10}: purposes { code }`).join('\n')}\n}`);
    const subscription = entry(`subscription Changes {\n  purposes {\n    code\n  }\n}`);
    const wrongName = { ...entry(`query Named {\n  purposes {\n    name\n  }\n}`), name: 'Other' };
    const manifest = JSON.stringify({ format: 'apollo-persisted-query', version: 2, operations: [good, mismatched, invalid, tooManyAliases, tooManyTokens, subscription, wrongName, { id: 1 }, good] });

    const problems = await problemsOf(fresh.consumerId, manifest);
    expect(problems).toEqual([
      { argument: 'manifest.format', message: 'must be "apollo-persisted-query-manifest".' },
      { argument: 'manifest.version', message: 'must be 1; the hub reads version 1 manifests.' },
      { argument: 'manifest.operations[1].id', message: `is not the SHA-256 of body (that is ${sha256(mismatched.body)}); regenerate the manifest instead of editing it.` },
      { argument: 'manifest.operations[2].body', message: 'Cannot query field "shoeSize" on type "Citizen".' },
      { argument: 'manifest.operations[3].body', message: 'The operation is over the aliases limit of 15 (found 16); split it into smaller operations.' },
      { argument: 'manifest.operations[4].body', message: expect.stringMatching(/^The operation is over the tokens limit of 2000 \(found \d+\); split it into smaller operations\.$/) },
      { argument: 'manifest.operations[5].body', message: 'is a subscription; the hub runs queries and mutations only.' },
      { argument: 'manifest.operations[6].name', message: 'says Other but body names the operation Named.' },
      { argument: 'manifest.operations[7].body', message: 'give the operation text as a string.' },
      { argument: 'manifest.operations[7].id', message: 'give the SHA-256 (hex) of body as a string.' },
      { argument: 'manifest.operations[7].type', message: 'one of query, mutation (subscription is not run by the hub).' },
      { argument: 'manifest.operations[8]', message: 'repeats manifest.operations[0] (the same body); list each operation once.' },
    ]);
    expect(await listed(fresh.consumerId)).toEqual([]);
    // The good operation alone registers: nothing above was left half-written.
    expect((await register(fresh.consumerId, [good.body])).map((o: any) => o.name)).toEqual(['Purposes']);
  });

  it('that names no operations, or a consumer that does not exist', async () => {
    const problems = await problemsOf('no-such-consumer', manifestOf([]));
    expect(problems).toEqual([
      { argument: 'consumerId', message: 'no consumer "no-such-consumer" is registered.' },
      { argument: 'manifest.operations', message: 'list at least one operation.' },
    ]);
  });

  it('whose type does not say what its body is', async () => {
    const mislabelled = { ...entry(`query Labelled {\n  purposes {\n    code\n  }\n}`), type: 'mutation' };
    expect(await problemsOf(other.consumerId, manifestOf([mislabelled]))).toEqual([{ argument: 'manifest.operations[0].type', message: 'says mutation but body is a query.' }]);
    expect(await listed(other.consumerId)).toEqual([]);
  });
});

describe('running a registered operation by hash', () => {
  it('over POST with variables: the same data, errors and audit records as the same text sent ad hoc', async () => {
    const adHoc = await t.graphql(CITIZEN_NAME, { id: DEMO }, reader.headers);
    const registered = await byHash(t, sha256(CITIZEN_NAME), { id: DEMO }, reader.headers);
    expect(registered.status).toBe(200);
    expect(adHoc.status).toBe(200);
    expect(registered.body.data).toEqual({ citizen: { id: DEMO, name: expect.any(String), phone: null } });
    expect(registered.body).toEqual(adHoc.body);
    expect(registered.body.errors).toEqual([
      { message: expect.any(String), locations: [{ line: 5, column: 5 }], path: ['citizen', 'phone'], extensions: { code: 'FORBIDDEN', field: 'Citizen.phone', reason: 'NO_GRANT' } },
    ]);

    const [adHocRecord] = await recordsOf(adHoc);
    const registeredRecords = await recordsOf(registered);
    expect(registeredRecords).toHaveLength(1);
    expect(registeredRecords[0]).toMatchObject({
      consumerId: reader.consumerId,
      actor: reader.consumerId,
      role: 'consumer',
      purpose: 'STATISTICS',
      operationName: 'CitizenName',
      operationHash: sha256(CITIZEN_NAME),
      subjectType: 'CITIZEN',
      subjectId: DEMO,
      fieldsReturned: ['Citizen.id', 'Citizen.name'],
      fieldsDenied: ['Citizen.phone'],
      outcome: 'PARTIAL',
    });
    expect(sameRequestAside(registeredRecords[0])).toEqual(sameRequestAside(adHocRecord));
  });

  it('over GET with variables, as a query; a registered mutation is refused over GET as any mutation is, and runs over POST', async () => {
    const res = await byHash(t, sha256(CITIZEN_CARD), { id: DEMO }, reader.headers, 'GET');
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['citizen', 'licenses'], extensions: { code: 'FORBIDDEN', field: 'Citizen.licenses', reason: 'NO_GRANT' } })]);
    expect(res.body.data).toEqual({ citizen: { name: expect.any(String), licenses: null, __typename: 'Citizen' } });
    expect(await recordsOf(res)).toEqual([expect.objectContaining({ operationName: 'CitizenCard', operationHash: sha256(CITIZEN_CARD), fieldsReturned: ['Citizen.name'], fieldsDenied: ['Citizen.licenses'] })]);

    const input = { fields: ['Citizen.phone'], purpose: 'STATISTICS', justification: 'to call citizens back about their statistics survey' };
    const overGet = await byHash(t, sha256(ASK_FOR_PHONE), { input }, reader.headers, 'GET');
    expect(overGet.status).toBe(405);
    expect(overGet.body.data ?? null).toBeNull();
    const overPost = await byHash(t, sha256(ASK_FOR_PHONE), { input }, reader.headers);
    expect(overPost.body).toEqual({ data: { requestAccess: { status: 'PENDING', fields: ['Citizen.phone'] } } });
  });

  // @apollo/client is not a dependency of the hub: its persisted-queries link's requests are written out here as it sends them.
  it("answers the requests of Apollo Client's persisted-queries link: the hash first, the text only after PERSISTED_QUERY_NOT_FOUND", async () => {
    for (const method of ['POST', 'GET'] as const) {
      const registered = await byHash(t, sha256(CITIZEN_NAME), { id: DEMO }, reader.headers, method, 'CitizenName');
      expect(registered.body.data.citizen).toEqual({ id: DEMO, name: expect.any(String), phone: null });
    }
    // An operation the app has not had registered: the link falls back to sending its text with the hash, which runs ad hoc.
    const text = `query Unregistered($id: ID!) {\n  citizen(id: $id) {\n    name\n  }\n}`;
    const first = await byHash(t, sha256(text), { id: DEMO }, reader.headers, 'POST', 'Unregistered');
    expect(first.body.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const retry = await t.hub.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...reader.headers },
      payload: JSON.stringify({ operationName: 'Unregistered', variables: { id: DEMO }, query: text, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } } }),
    });
    expect(JSON.parse(retry.body).data.citizen.name).toEqual(expect.any(String));
    expect((await byHash(t, sha256(text), { id: DEMO }, reader.headers, 'POST', 'Unregistered')).body.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('reports a bad variable as the same BAD_USER_INPUT as ad hoc', async () => {
    const adHoc = await t.graphql(CITIZEN_NAME, {}, reader.headers);
    const registered = await byHash(t, sha256(CITIZEN_NAME), {}, reader.headers);
    expect(registered.status).toBe(adHoc.status);
    expect(registered.body).toEqual(adHoc.body);
    expect(registered.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('counts in the request metrics under its operation name, like ad hoc', async () => {
    const line = 'oncegraph_requests_total{operation="CitizenName",outcome="partial"}';
    const before = await metricValue(t, line);
    await byHash(t, sha256(CITIZEN_NAME), { id: DEMO }, reader.headers);
    expect(await metricValue(t, line)).toBe(before + 1);
    await t.graphql(CITIZEN_NAME, { id: DEMO }, reader.headers);
    expect(await metricValue(t, line)).toBe(before + 2);
  });

  it('follows the policy in force: a grant reaches it at once, and its revocation too', async () => {
    const run = async () => (await byHash(t, sha256(CITIZEN_NAME), { id: DEMO }, reader.headers)).body;
    expect((await run()).data.citizen.phone).toBeNull();
    const granted = await t.graphql(`mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, { input: { consumerId: reader.consumerId, field: 'Citizen.phone', purposes: ['STATISTICS'], mask: 'PARTIAL' } }, STEWARD);
    const phone = (await run()).data.citizen.phone as string;
    // Masked as the grant says: all but the last 4 characters.
    expect(phone).toMatch(/^\*+[0-9]{4}$/);
    expect((await t.graphql(CITIZEN_NAME, { id: DEMO }, reader.headers)).body.data.citizen.phone).toBe(phone);
    await t.graphql(`mutation($id: ID!) { revokeGrant(id: $id) { id } }`, { id: granted.body.data.grantAccess.id }, STEWARD);
    const after = await run();
    expect(after.data.citizen.phone).toBeNull();
    expect(after.errors![0].extensions).toEqual({ code: 'FORBIDDEN', field: 'Citizen.phone', reason: 'NO_GRANT' });
  });

  it('a grant that expires while its access plan is in use stops at its expiry, with no policy change to announce it', async () => {
    // The plan of this caller class is computed once per policy version (src/access/plan.ts); an expiry changes
    // no row and sends no NOTIFY, so the plan itself must end when the first of the consumer's grants expires.
    const expiring = await createReader(t, { fields: [] });
    await register(expiring.consumerId, [CITIZEN_NAME]);
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    await t.graphql(`mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, { input: { consumerId: expiring.consumerId, field: 'Citizen.phone', purposes: ['STATISTICS'], mask: 'NONE', expiresAt } }, STEWARD);
    const run = async () => (await byHash(t, sha256(CITIZEN_NAME), { id: DEMO }, expiring.headers)).body;
    let before = await run();
    for (let i = 0; before.data.citizen.phone === null && i < 20; i++) before = await run(); // until this instance reloaded the grant
    expect(before.data.citizen.phone).toMatch(/^[0-9+ -]+$/);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(expiresAt) - Date.now()) + 50));
    const after = await run();
    expect(after.data.citizen.phone).toBeNull();
    expect(after.errors!.find((e: any) => e.extensions.field === 'Citizen.phone')!.extensions).toEqual({ code: 'FORBIDDEN', field: 'Citizen.phone', reason: 'GRANT_EXPIRED' });
  });

  it('is within the limits: a page over the page size is the same BAD_USER_INPUT both ways', async () => {
    const [registered] = await register(reader.consumerId, [CASE_PAGE]);
    const adHoc = await t.graphql(CASE_PAGE, { first: 101 }, reader.headers);
    const byItsHash = await byHash(t, registered.hash, { first: 101 }, reader.headers);
    expect(adHoc.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(byItsHash.body).toEqual(adHoc.body);
  });

  it('is not found for another consumer, a steward or an unknown hash, and reads nothing', async () => {
    for (const headers of [other.headers, STEWARD]) {
      const res = await byHash(t, sha256(CITIZEN_NAME), { id: DEMO }, headers);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
      expect(await recordsOf(res)).toEqual([]);
    }
    const unknown = await byHash(t, sha256('query Nothing { purposes { code } }'), undefined, reader.headers);
    expect(unknown.body.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it("runs a portal's registered operations for a citizen signed in through it, as that citizen", async () => {
    const MINE = `query Mine($id: ID!) {\n  citizen(id: $id) {\n    name\n    phone\n  }\n}`;
    await register('citizen-portal', [MINE]);
    const own = await byHash(t, sha256(MINE), { id: DEMO }, await citizenHeaders(DEMO));
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.citizen.name).toEqual(expect.any(String));
    // The portal's registration lends the citizen nothing: another person's data is still NOT_SELF.
    const [someoneElse] = await t.dbs.registry.rows<{ id: string }>((await import('drizzle-orm')).sql`select id from registry.citizens where id <> ${DEMO} order by id limit 1`);
    const notSelf = await byHash(t, sha256(MINE), { id: someoneElse.id }, await citizenHeaders(DEMO));
    expect(notSelf.body.errors!.map((e) => e.extensions!.reason)).toEqual(['NOT_SELF', 'NOT_SELF']);
  });
});

describe("Apollo's automatic persisted queries are off", () => {
  it('a text sent with its hash runs once, and never becomes runnable by hash alone, for the same caller or another', async () => {
    const text = `query Stored { purposes { code } aStored: purposes { name } }`;
    const sent = await withHash(t, text, other.headers);
    expect(sent.status).toBe(200);
    expect(sent.body.errors).toBeUndefined();
    expect(sent.body.data.purposes.length).toBeGreaterThan(0);
    for (const headers of [other.headers, reader.headers, STEWARD]) {
      const res = await byHash(t, sha256(text), undefined, headers);
      expect(res.body).toEqual({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
      const overGet = await byHash(t, sha256(text), undefined, headers, 'GET');
      expect(overGet.body.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    }
  });

  it('a text sent with a hash that is not its own, or a version other than 1, is a bad request', async () => {
    const send = (extensions: unknown, query?: string) =>
      t.hub.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...other.headers }, payload: JSON.stringify({ query, extensions }) });
    const mismatch = await send({ persistedQuery: { version: 1, sha256Hash: sha256(CITIZEN_NAME) } }, `{ purposes { code } }`);
    expect(mismatch.statusCode).toBe(400);
    expect(JSON.parse(mismatch.body)).toEqual({ errors: [{ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } }] });
    const version = await send({ persistedQuery: { version: 2, sha256Hash: sha256(CITIZEN_NAME) } });
    expect(version.statusCode).toBe(400);
    expect(JSON.parse(version.body)).toEqual({ errors: [{ message: 'Unsupported persisted query version', extensions: { code: 'BAD_REQUEST' } }] });
  });
});

describe('a consumer restricted to its registered operations', () => {
  const AD_HOC = `query AdHoc($id: ID!) { citizen(id: $id) { name } }`;

  it('gets OPERATION_NOT_REGISTERED for any other operation, reading nothing, and still runs its registered ones', async () => {
    const restricted = await createReader(t, { fields: ['Citizen.name'] });
    await register(restricted.consumerId, [CITIZEN_NAME]);
    const set = await t.graphql(RESTRICT, { c: restricted.consumerId, on: true }, STEWARD);
    expect(set.body).toEqual({ data: { setRegisteredOperationsOnly: { id: restricted.consumerId, registeredOperationsOnly: true } } });

    const adHoc = await t.graphql(AD_HOC, { id: DEMO }, restricted.headers);
    expect(adHoc.status).toBe(403);
    expect(adHoc.body.data ?? null).toBeNull();
    expect(adHoc.body.errors).toEqual([
      {
        message: `${restricted.consumerId} runs only its registered operations, and this one is not registered for it. Send a registered operation by its hash, or ask a data steward to register this one (registerOperations).`,
        extensions: { code: 'OPERATION_NOT_REGISTERED', consumerId: restricted.consumerId, hash: sha256(AD_HOC) },
      },
    ]);
    expect(await recordsOf(adHoc)).toEqual([]);
    // Another consumer's registered operation is not its own, by hash or as text.
    expect((await byHash(t, sha256(CITIZEN_CARD), { id: DEMO }, restricted.headers)).body.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await t.graphql(CITIZEN_CARD, { id: DEMO }, restricted.headers)).body.errors![0].extensions!.code).toBe('OPERATION_NOT_REGISTERED');
    // A text stored the APQ way is no registration either.
    expect((await withHash(t, AD_HOC, restricted.headers)).body.errors![0].extensions!.code).toBe('OPERATION_NOT_REGISTERED');

    const registered = await byHash(t, sha256(CITIZEN_NAME), { id: DEMO }, restricted.headers);
    expect(registered.body.data.citizen).toEqual({ id: DEMO, name: expect.any(String), phone: null });
    const overGet = await byHash(t, sha256(CITIZEN_NAME), { id: DEMO }, restricted.headers, 'GET');
    expect(overGet.body.data.citizen.id).toBe(DEMO);
    // The registered text itself is that operation (the same hash), so it runs as text too.
    expect((await t.graphql(CITIZEN_NAME, { id: DEMO }, restricted.headers)).body.data.citizen.id).toBe(DEMO);

    // Others are not restricted by it.
    expect((await t.graphql(AD_HOC, { id: DEMO }, other.headers)).body.data.citizen.name).toEqual(expect.any(String));
    const consumers = (await t.graphql(`{ consumers { id registeredOperationsOnly } }`, {}, STEWARD)).body.data.consumers;
    expect(consumers.filter((c: any) => c.registeredOperationsOnly).map((c: any) => c.id)).toEqual([restricted.consumerId]);

    // Lifted: ad hoc operations run again.
    expect((await t.graphql(RESTRICT, { c: restricted.consumerId, on: false }, STEWARD)).body.data.setRegisteredOperationsOnly.registeredOperationsOnly).toBe(false);
    expect((await t.graphql(AD_HOC, { id: DEMO }, restricted.headers)).body.data.citizen.name).toEqual(expect.any(String));
  });

  it("does not restrict citizens signed in through a restricted portal: they act as themselves", async () => {
    await t.graphql(RESTRICT, { c: 'citizen-portal', on: true }, STEWARD);
    const citizen = await citizenHeaders(DEMO);
    const res = await t.graphql(AD_HOC, { id: DEMO }, citizen);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.citizen.name).toEqual(expect.any(String));
    await t.graphql(RESTRICT, { c: 'citizen-portal', on: false }, STEWARD);
  });

  it('setRegisteredOperationsOnly is for stewards, on a consumer that exists', async () => {
    expect((await t.graphql(RESTRICT, { c: other.consumerId, on: true }, other.headers)).body.errors![0].extensions!.code).toBe('FORBIDDEN');
    const unknown = await t.graphql(RESTRICT, { c: 'no-such-consumer', on: true }, STEWARD);
    expect(unknown.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ argument: 'consumerId', message: 'no consumer "no-such-consumer" is registered.' }] });
    expect((await t.graphql(AD_HOC, { id: DEMO }, other.headers)).body.data.citizen.name).toEqual(expect.any(String));
  });
});

describe('removing registered operations', () => {
  const SERVICES = `query Services {\n  services {\n    code\n  }\n}`;
  const PURPOSE_CODES = `query PurposeCodes {\n  purposes {\n    code\n  }\n}`;
  const names = async (consumerId: string, includeRemoved = false) =>
    (await t.graphql(`query($c: ID, $r: Boolean) { operations(consumerId: $c, includeRemoved: $r) { name removedAt } }`, { c: consumerId, r: includeRemoved }, STEWARD)).body.data.operations;
  const removalProblems = async (consumerId: string, hashes: unknown[]) => {
    const res = await t.graphql(REMOVE, { c: consumerId, h: hashes }, STEWARD);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    return res.body.errors![0].extensions!.problems as { argument: string; message: string }[];
  };

  it('withdraws an operation at once: it answers with who removed it and when, the hash is no longer found, and the rest still run', async () => {
    const app = await createReader(t, { fields: ['Citizen.name'] });
    const [name, card] = await register(app.consumerId, [CITIZEN_NAME, CITIZEN_CARD]);
    expect((await byHash(t, name.hash, { id: DEMO }, app.headers)).body.data.citizen.id).toBe(DEMO);

    const before = Date.now();
    const res = await t.graphql(REMOVE, { c: app.consumerId, h: [name.hash] }, { ...STEWARD, 'x-on-behalf-of': 'officer-li' });
    expect(res.body.errors).toBeUndefined();
    const [removed] = res.body.data.removeOperations;
    expect(removed).toEqual({ id: name.id, consumerId: app.consumerId, name: 'CitizenName', hash: name.hash, registeredBy: 'data-steward', removedAt: expect.any(String), removedBy: 'data-steward', removedByOfficer: 'officer-li' });
    expect(Date.parse(removed.removedAt)).toBeGreaterThanOrEqual(before - 1000);

    const gone = await byHash(t, name.hash, { id: DEMO }, app.headers);
    expect(gone.body).toEqual({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    expect(await recordsOf(gone)).toEqual([]);
    expect((await byHash(t, card.hash, { id: DEMO }, app.headers)).body.data.citizen.name).toEqual(expect.any(String));
    expect(await names(app.consumerId)).toEqual([{ name: 'CitizenCard', removedAt: null }]);
  });

  it('keeps the history: operations(includeRemoved: true) lists a removed operation beside its new registration, and removing it twice says who removed it', async () => {
    const app = await createReader(t, { fields: [] });
    const [first] = await register(app.consumerId, [SERVICES]);
    const removed = (await t.graphql(REMOVE, { c: app.consumerId, h: [first.hash] }, STEWARD)).body.data.removeOperations[0];

    expect(await removalProblems(app.consumerId, [first.hash])).toEqual([
      { argument: 'hashes[0]', message: `${first.hash} is no longer registered for ${app.consumerId}: data-steward removed it at ${removed.removedAt}. Nothing was removed.` },
    ]);

    // Registered again: a new registration, in force, beside the removed one.
    const [again] = await register(app.consumerId, [SERVICES]);
    expect(again.id).not.toBe(first.id);
    expect((await byHash(t, first.hash, undefined, app.headers)).body.data.services.length).toBeGreaterThan(0);
    expect(await names(app.consumerId)).toEqual([{ name: 'Services', removedAt: null }]);
    expect(await names(app.consumerId, true)).toEqual([
      { name: 'Services', removedAt: null },
      { name: 'Services', removedAt: removed.removedAt },
    ]);
  });

  it('a restricted consumer is refused the text of a removed operation too', async () => {
    const app = await createReader(t, { fields: [] });
    const [purposes] = await register(app.consumerId, [PURPOSE_CODES]);
    await t.graphql(RESTRICT, { c: app.consumerId, on: true }, STEWARD);
    expect((await t.graphql(PURPOSE_CODES, {}, app.headers)).body.data.purposes.length).toBeGreaterThan(0);

    await t.graphql(REMOVE, { c: app.consumerId, h: [purposes.hash] }, STEWARD);
    const asText = await t.graphql(PURPOSE_CODES, {}, app.headers);
    expect(asText.status).toBe(403);
    expect(asText.body.errors![0].extensions).toEqual({ code: 'OPERATION_NOT_REGISTERED', consumerId: app.consumerId, hash: purposes.hash });
    expect((await byHash(t, purposes.hash, undefined, app.headers)).body.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('an unknown hash is BAD_USER_INPUT naming it, and then nothing is removed, not even the known ones', async () => {
    const app = await createReader(t, { fields: ['Citizen.name'] });
    const [name, card] = await register(app.consumerId, [CITIZEN_NAME, CITIZEN_CARD]);
    const unknown = sha256('query Never { purposes { code } }');
    expect(await removalProblems(app.consumerId, [name.hash, unknown, card.hash])).toEqual([
      { argument: 'hashes[1]', message: `no operation with hash ${unknown} is registered for ${app.consumerId}; operations(consumerId:) lists those in force. Nothing was removed.` },
    ]);
    // Another consumer's operation is not this one's to remove.
    expect(await removalProblems(other.consumerId, [name.hash])).toEqual([
      { argument: 'hashes[0]', message: `no operation with hash ${name.hash} is registered for ${other.consumerId}; operations(consumerId:) lists those in force. Nothing was removed.` },
    ]);
    expect(await removalProblems(app.consumerId, ['CitizenName', name.hash])).toEqual([
      { argument: 'hashes[0]', message: '"CitizenName" is not a SHA-256 hash (64 hexadecimal digits, as operations(consumerId:) lists it).' },
    ]);
    expect(await removalProblems('no-such-consumer', [])).toEqual([
      { argument: 'consumerId', message: 'no consumer "no-such-consumer" is registered.' },
      { argument: 'hashes', message: 'name at least one operation by its hash; operations(consumerId:) lists them.' },
    ]);

    expect((await names(app.consumerId, true)).map((o: any) => o.name)).toEqual(['CitizenCard', 'CitizenName']);
    for (const hash of [name.hash, card.hash]) expect((await byHash(t, hash, { id: DEMO }, app.headers)).body.data.citizen.name).toEqual(expect.any(String));
  });

  it('is for stewards only: a consumer cannot remove its own operations', async () => {
    const app = await createReader(t, { fields: [] });
    const [services] = await register(app.consumerId, [SERVICES]);
    const res = await t.graphql(REMOVE, { c: app.consumerId, h: [services.hash] }, app.headers);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(await names(app.consumerId)).toEqual([{ name: 'Services', removedAt: null }]);
    expect((await byHash(t, services.hash, undefined, app.headers)).body.data.services.length).toBeGreaterThan(0);
  });
});

describe('registrations reach every instance and survive restarts', () => {
  it('a second hub instance on the same databases runs a new registration, and enforces a restriction, within a second', async () => {
    const second = await startTestHub({}, await reopenDatabases(t.db));
    try {
      const consumer = await createReader(t, { fields: ['Citizen.name'] });
      const LATE = `query Late($id: ID!) {\n  citizen(id: $id) {\n    name\n  }\n}`;
      expect((await byHash(second, sha256(LATE), { id: DEMO }, consumer.headers)).body.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      await register(consumer.consumerId, [LATE]);
      let start = performance.now();
      await until(async () => (await byHash(second, sha256(LATE), { id: DEMO }, consumer.headers)).body.data?.citizen?.name !== undefined, 1000);
      console.log(`a registration reached the second instance after ${(performance.now() - start).toFixed(1)} ms`);

      await t.graphql(RESTRICT, { c: consumer.consumerId, on: true }, STEWARD);
      start = performance.now();
      await until(async () => (await second.graphql(`{ purposes { code } }`, {}, consumer.headers)).body.errors?.[0]?.extensions?.code === 'OPERATION_NOT_REGISTERED', 1000);
      console.log(`a restriction reached the second instance after ${(performance.now() - start).toFixed(1)} ms`);

      // Removed on the first instance: the second refuses it by hash, and as text to the restricted consumer.
      expect((await byHash(second, sha256(LATE), { id: DEMO }, consumer.headers)).body.data.citizen.name).toEqual(expect.any(String));
      const removed = await t.graphql(REMOVE, { c: consumer.consumerId, h: [sha256(LATE)] }, STEWARD);
      expect(removed.body.errors).toBeUndefined();
      start = performance.now();
      await until(async () => (await byHash(second, sha256(LATE), { id: DEMO }, consumer.headers)).body.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND', 1000);
      console.log(`a removal reached the second instance after ${(performance.now() - start).toFixed(1)} ms`);
      expect((await second.graphql(LATE, { id: DEMO }, consumer.headers)).body.errors![0].extensions!.code).toBe('OPERATION_NOT_REGISTERED');
    } finally {
      await second.close();
    }
  });

  it('a hub started afterwards on the same databases knows every registration, removal and restriction', async () => {
    const restricted = await createReader(t, { fields: ['Citizen.name'] });
    const [, retired] = await register(restricted.consumerId, [CITIZEN_NAME, CITIZEN_CARD]);
    await t.graphql(REMOVE, { c: restricted.consumerId, h: [retired.hash] }, STEWARD);
    await t.graphql(RESTRICT, { c: restricted.consumerId, on: true }, STEWARD);
    const later = await startTestHub({}, await reopenDatabases(t.db));
    try {
      expect((await byHash(later, sha256(CITIZEN_NAME), { id: DEMO }, reader.headers)).body.data.citizen.id).toBe(DEMO);
      expect((await byHash(later, sha256(CITIZEN_NAME), { id: DEMO }, restricted.headers)).body.data.citizen.id).toBe(DEMO);
      expect((await later.graphql(`{ purposes { code } }`, {}, restricted.headers)).body.errors![0].extensions!.code).toBe('OPERATION_NOT_REGISTERED');
      expect((await byHash(later, retired.hash, { id: DEMO }, restricted.headers)).body.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    } finally {
      await later.close();
    }
  });
});

async function until(check: () => Promise<boolean>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
