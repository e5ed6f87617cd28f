/**
 * Security probes modelled on graphql-cop's checks, against a hub in
 * production mode, each asserting the safe behaviour; plus the operation
 * limits of SPEC §7.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createReader, startTestHub, STEWARD, type TestHub } from './setup/hub.js';

const DEMO = '610113198807150016';
let prod: TestHub;
let dev: TestHub;
let reader: Record<string, string>;

beforeAll(async () => {
  prod = await startTestHub({ NODE_ENV: 'production', CORS_ORIGINS: 'https://portal.example.gov' });
  dev = await startTestHub({ NODE_ENV: 'development' });
  reader = (await createReader(prod, { fields: ['Citizen.name'] })).headers;
});
afterAll(async () => {
  await prod?.close();
  await dev?.close();
});

const code = (res: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => res.body.errors?.[0]?.extensions?.code;

describe('graphql-cop probes', () => {
  it('alias overloading: 100 aliases are refused before any database work', async () => {
    prod.statementsSince();
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: citizen(id: "${DEMO}") { name }`).join(' ');
    const res = await prod.graphql(`{ ${aliases} }`, {}, reader);
    expect(code(res)).toBe('QUERY_TOO_COMPLEX');
    expect(res.body.errors![0].message).toMatch(/aliases limit of 15 \(found 100\)/);
    expect(prod.statementsSince()).toEqual({ hub: 0, registry: 0, licensing: 0, cases: 0, enterprise: 0 });
  });

  it('batch queries: a JSON array of operations is not executed', async () => {
    const res = await prod.hub.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...reader }, payload: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('"__typename":"Query"');
  });

  it('field duplication: 500 repeated __typename selections are refused', async () => {
    const res = await prod.graphql(`{ ${'__typename '.repeat(500)} }`, {}, reader);
    expect(code(res)).toBe('QUERY_TOO_COMPLEX');
    expect(res.body.errors![0].message).toMatch(/repeated field/);
  });

  it('directive overloading: ten directives on one field are refused', async () => {
    const res = await prod.graphql(`query($t: Boolean = true) { __typename ${'@include(if: $t) '.repeat(10)} }`, {}, reader);
    expect(res.status).toBe(400);
    expect(res.body.data ?? null).toBeNull();
    const res2 = await prod.graphql(`{ __typename ${'@aa '.repeat(10)} }`, {}, reader);
    expect(res2.status).toBe(400);
    expect(res2.body.errors!.map((e) => e.extensions?.code)).toContain('QUERY_TOO_COMPLEX');
  });

  it('circular introspection: refused in production (introspection off), and too deep anyway', async () => {
    const circular = `{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`;
    const res = await prod.graphql(circular, {}, reader);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('"Citizen"');
    const plain = await prod.graphql(`{ __schema { queryType { name } } }`, {}, reader);
    expect(plain.status).toBe(400);
    expect(plain.body.data ?? null).toBeNull();
    const inDev = await dev.graphql(`{ __schema { queryType { name } } }`, {}, STEWARD);
    expect(inDev.body.data.__schema.queryType.name).toBe('Query');
  });

  it('GET-based mutation: refused with 405', async () => {
    const res = await prod.hub.app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('mutation { revokeApiKey(id: "00000000-0000-0000-0000-000000000000") }')}`, headers: { ...STEWARD, 'apollo-require-preflight': 'true' } });
    expect(res.statusCode).toBe(405);
  });

  it('POST-based CSRF: a form or text/plain POST is not executed', async () => {
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await prod.hub.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': contentType, ...STEWARD }, payload: 'query=mutation{revokeApiKey(id:"x")}' });
      expect(res.statusCode, contentType).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, contentType).toBeLessThan(500);
    }
    const simpleGet = await prod.hub.app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('{ __typename }')}`, headers: { ...STEWARD } });
    expect(simpleGet.statusCode).toBe(400);
  });

  it('field suggestions: none in production', async () => {
    const res = await prod.graphql(`{ citizn(id: "${DEMO}") { name } }`, {}, reader);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/Did you mean/i);
    const inDev = await dev.graphql(`{ citizn(id: "${DEMO}") { name } }`, {}, STEWARD);
    expect(JSON.stringify(inDev.body)).toMatch(/Did you mean/i);
  });

  it('unhandled error detail: an internal failure says only "internal" and a request id — no SQL, host or stack', async () => {
    const [{ number }] = await prod.dbs.cases.rows<{ number: string }>(sql`select number from cases.cases limit 1`);
    await prod.dbs.cases.rows(sql`alter table cases.case_events rename to case_events_moved`);
    try {
      const res = await prod.graphql(`{ case(number: "${number}") { number events { status } } }`, {}, reader);
      const error = res.body.errors![0];
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: res.headers['x-request-id'] });
      expect(error.message).toContain(String(res.headers['x-request-id']));
      expect(JSON.stringify(res.body)).not.toMatch(/case_events|select|relation|127\.0\.0\.1|localhost|\.ts:|at \w+/i);
      expect(res.body.data.case.number).toBe(number);
    } finally {
      await prod.dbs.cases.rows(sql`alter table cases.case_events_moved rename to case_events`);
    }
  });

  it('trace mode: no tracing or timing extensions, whatever the client asks', async () => {
    const res = await prod.hub.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', 'apollo-federation-include-trace': 'ftv1', ...reader }, payload: JSON.stringify({ query: '{ __typename }', extensions: { tracing: true } }) });
    expect(res.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('operation limits', () => {
  it('depth over 8 is QUERY_TOO_COMPLEX naming the limit and the depth found', async () => {
    const deep = `{ citizen(id: "${DEMO}") { licenses { holder { licenses { holder { licenses { holder { licenses { holder { name } } } } } } } } } }`;
    const res = await prod.graphql(deep, {}, reader);
    expect(code(res)).toBe('QUERY_TOO_COMPLEX');
    expect(res.body.errors![0].message).toMatch(/depth limit of 8 \(found \d+\)/);
  });

  it('more than 2,000 tokens is QUERY_TOO_COMPLEX naming the limit and the count', async () => {
    const fields = Array.from({ length: 700 }, (_, i) => `f${i}: __typename`).join(' ');
    const res = await prod.graphql(`{ ${fields} }`, {}, reader);
    expect(code(res)).toBe('QUERY_TOO_COMPLEX');
    expect(res.body.errors![0].message).toMatch(/tokens limit of 2000 \(found 2102\)/);
  });

  it('a body over 100 kB is refused with 413', async () => {
    const res = await prod.hub.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...reader }, payload: JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(110_000) } }) });
    expect(res.statusCode).toBe(413);
    expect(res.json().errors[0].message).toMatch(/100000 bytes/);
  });

  it('a legitimate page of 100 audit records with every field is within the limits', async () => {
    const res = await prod.graphql(`{ auditLog(first: 100) { edges { cursor node { id at requestId consumerId consumerName department departmentName officer purpose purposeName caseRef operationName operationHash citizenId fieldsReturned fieldsDenied outcome } } pageInfo { hasNextPage endCursor } } }`, {}, STEWARD);
    expect(res.body.errors).toBeUndefined();
  });
});

describe('CORS and rate limits', () => {
  it('answers CORS only for configured origins', async () => {
    const allowed = await prod.hub.app.inject({ method: 'OPTIONS', url: '/graphql', headers: { origin: 'https://portal.example.gov', 'access-control-request-method': 'POST' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.example.gov');
    const other = await prod.hub.app.inject({ method: 'OPTIONS', url: '/graphql', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const none = await dev.hub.app.inject({ method: 'OPTIONS', url: '/graphql', headers: { origin: 'https://portal.example.gov', 'access-control-request-method': 'POST' } });
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('limits requests per consumer with 429 and Retry-After; another consumer is still served', async () => {
    // Consumers registered first (the steward's own requests count too), then a hub that allows 5 a minute.
    const a = (await createReader(prod, { fields: [] })).headers;
    const b = (await createReader(prod, { fields: [] })).headers;
    const limited = await startTestHub({ RATE_LIMIT_PER_MINUTE: '5' }, { dbs: prod.dbs, drop: async () => {} });
    try {
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await limited.graphql(`{ __typename }`, {}, a)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const refused = await limited.graphql(`{ __typename }`, {}, a);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body.errors![0].extensions!.code).toBe('RATE_LIMITED');
      expect((await limited.graphql(`{ __typename }`, {}, b)).status).toBe(200);
    } finally {
      await limited.hub.close();
    }
  });
});
