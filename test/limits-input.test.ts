/**
 * Issue 11, findings 4, 7 and 8, over HTTP: routes are Fastify's routes (an
 * encoded path is rate limited, counted and logged like /graphql); limits
 * count after fragments are expanded and serviceMetrics costs its work; an
 * operation over a limit gets that limit's error alone; bad input (a forged
 * cursor, an out-of-range date, a subscription) is never an internal error.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import pino from 'pino';
import { startTestHub, STEWARD, type GraphQLResponse, type TestHub } from './setup/hub.js';

let dev: TestHub;
/** A demo consumer (licensing department): the rate limiter and the log line name it. */
let desk: Record<string, string>;

beforeAll(async () => {
  dev = await startTestHub({ NODE_ENV: 'development' });
  desk = { authorization: `Bearer ${inject('demoKeys')['licensing-desk']}` };
});
afterAll(async () => {
  await dev?.close();
});

const codes = (res: GraphQLResponse) => res.body.errors?.map((e) => e.extensions?.code);
const limits = (res: GraphQLResponse) => res.body.errors?.map((e) => e.extensions?.limit);
const cursorOf = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');

/** Every database that was sent a statement since the last call, with the count; [] when none was. */
function statementsSent(t: TestHub): [string, number][] {
  return Object.entries(t.statementsSince()).filter(([, n]) => n !== 0);
}

/** `count` aliased selections of `field`, named `prefix0`, `prefix1`, … */
function aliases(prefix: string, count: number, field: string): string {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}: ${field}`).join(' ');
}

describe('routes are matched by Fastify, not by URL text (finding 4)', () => {
  let limited: TestHub;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    limited = await startTestHub({ RATE_LIMIT_PER_MINUTE: '3', LOG_LEVEL: 'info' }, { dbs: dev.dbs, drop: async () => {} });
    // The log is an edge: its lines are read where pino writes them, every request logger included.
    (limited.hub.app.log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = {
      write: (line: string) => lines.push(JSON.parse(line)),
    };
  });
  afterAll(async () => {
    await limited?.hub.close();
  });

  const post = (url: string) =>
    limited.hub.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...desk }, payload: JSON.stringify({ query: 'query EncodedRoute { __typename }' }) });

  it('POST /%67raphql counts against the same rate limit as /graphql, is counted in /metrics and logged as /graphql', async () => {
    const statuses = [];
    for (const url of ['/graphql', '/%67raphql', '/%67raphql', '/%67raphql', '/graphql']) statuses.push((await post(url)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await post('/%67raphql');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['RATE_LIMITED']);

    const requests = lines.filter((l) => l.msg === 'request').map((l) => [l.url, l.status, l.consumer, l.operation ?? null]);
    expect(requests).toEqual([
      ['/graphql', 200, 'licensing-desk', 'EncodedRoute'],
      ['/graphql', 200, 'licensing-desk', 'EncodedRoute'],
      ['/graphql', 200, 'licensing-desk', 'EncodedRoute'],
      ['/graphql', 429, 'licensing-desk', null],
      ['/graphql', 429, 'licensing-desk', null],
      ['/graphql', 429, 'licensing-desk', null],
    ]);

    const metrics = await limited.hub.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('oncegraph_requests_total{operation="EncodedRoute",outcome="ok"} 3\n');
  });
});

describe('limits count after fragments are expanded (finding 7)', () => {
  it('15 serviceMetrics split over two fragments are refused before any database work: one error for cost, one for the repeated field', async () => {
    dev.statementsSince();
    const res = await dev.graphql(
      `{ ...A ...B } fragment A on Query { ${aliases('a', 8, 'serviceMetrics { serviceCode }')} } fragment B on Query { ${aliases('b', 7, 'serviceMetrics { serviceCode }')} }`,
      {},
      STEWARD,
    );
    expect(res.status).toBe(400);
    expect(res.body.data ?? null).toBeNull();
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX', 'QUERY_TOO_COMPLEX']);
    expect(limits(res)!.sort()).toEqual(['cost', 'repeated field (serviceMetrics)']);
    expect(statementsSent(dev)).toEqual([]);
  });

  it('one field repeated 11 times over two inline fragments is over the repeated-field limit of 10', async () => {
    const res = await dev.graphql(`{ ... on Query { ${aliases('a', 6, '__typename')} } ... { ${aliases('b', 5, '__typename')} } }`, {}, STEWARD);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        message: 'The operation is over the repeated field (__typename) limit of 10 (found 11); split it into smaller operations.',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'repeated field (__typename)', max: 10, found: 11 },
      },
    ]);
  });

  it('serviceMetrics costs 5,000: three fit in one operation, a fourth (spread from a fragment) is over the cost limit', async () => {
    const three = await dev.graphql(`{ ${aliases('m', 3, 'serviceMetrics { serviceCode }')} }`, {}, STEWARD);
    expect(three.body.errors).toBeUndefined();
    expect(Object.keys(three.body.data)).toEqual(['m0', 'm1', 'm2']);

    dev.statementsSince();
    const four = await dev.graphql(`{ ...Two ...Two2 } fragment Two on Query { ${aliases('a', 2, 'serviceMetrics { serviceCode }')} } fragment Two2 on Query { ${aliases('b', 2, 'serviceMetrics { serviceCode }')} }`, {}, STEWARD);
    expect(four.status).toBe(400);
    // 4 × (5,000 + 1.5 for serviceCode one level down)
    expect(four.body.errors).toEqual([
      {
        message: 'The operation is over the cost limit of 20000 (found 20006); split it into smaller operations.',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 20000, found: 20006 },
      },
    ]);
    expect(statementsSent(dev)).toEqual([]);
  });

  it('fragments spread twice at each of 30 levels are counted once each and refused, not expanded 2^30 times', async () => {
    const levels = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const res = await dev.graphql(`{ ...F0 } ${levels} fragment F30 on Query { __typename }`, {}, STEWARD);
    expect(res.status).toBe(400);
    expect(limits(res)!.sort()).toEqual(['cost', 'repeated field (__typename)']);
  });

  it('the standard introspection query works in development, with the options GraphiQL sends', async () => {
    for (const options of [{}, { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }]) {
      const res = await dev.graphql(getIntrospectionQuery(options), {}, STEWARD);
      expect(res.body.errors, JSON.stringify(options)).toBeUndefined();
      expect(res.body.data.__schema.queryType.name).toBe('Query');
      expect(res.body.data.__schema.types.map((t: { name: string }) => t.name)).toContain('ServiceMetrics');
    }
  });
});

describe('one error per limit (finding 7)', () => {
  it('ten unknown directives answer one QUERY_TOO_COMPLEX error, not eleven errors', async () => {
    const res = await dev.graphql(`{ __typename ${'@aa '.repeat(10)} }`, {}, STEWARD);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        message: 'The operation is over the directives limit of 8 (found 10); split it into smaller operations.',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: 8, found: 10 },
      },
    ]);
  });

  it('100 aliases of unknown fields, in two operations over the limit, answer one alias-limit error', async () => {
    const unknown = (prefix: string) => Array.from({ length: 50 }, (_, i) => `${prefix}${i}: unknown${i}`).join(' ');
    const res = await dev.graphql(`query One { ${unknown('a')} } query Two { ${unknown('b')} }`, {}, STEWARD);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(limits(res)).toEqual(['aliases']);
  });
});

describe('bad input is never INTERNAL_SERVER_ERROR (finding 8)', () => {
  const badAfter = (res: GraphQLResponse, field: string) => {
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toEqual([
      {
        message: 'Invalid argument "after": not a cursor returned by this connection; pass an endCursor or edge cursor unchanged.',
        locations: [{ line: 1, column: 3 }],
        path: [field],
        extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
      },
    ]);
  };

  it('a forged cases cursor is BAD_USER_INPUT naming `after`, before any database work; a cursor the hub wrote still pages', async () => {
    const forged = [['1', 'x'], ['2026-01-01', 'SC20260000001'], ['2026-01-01T00:00:00Z', 'SC20260000001'], ['0000-01-01T00:00:00.000Z', 'SC1'], ['2026-01-01T00:00:00.000Z', "SC1' or '1'='1"], ['2026-01-01T00:00:00.000Z'], [1, 'SC1']];
    for (const parts of forged) {
      dev.statementsSince();
      const res = await dev.graphql(`{ cases(after: "${cursorOf(parts)}") { pageInfo { hasNextPage } } }`, {}, STEWARD);
      badAfter(res, 'cases');
      expect(statementsSent(dev), JSON.stringify(parts)).toEqual([]);
    }
    const first = await dev.graphql(`{ cases(first: 2) { edges { cursor } pageInfo { hasNextPage endCursor } } }`, {}, STEWARD);
    expect(first.body.errors).toBeUndefined();
    const next = await dev.graphql(`query($after: String) { cases(first: 2, after: $after) { edges { cursor } } }`, { after: first.body.data.cases.pageInfo.endCursor }, STEWARD);
    expect(next.body.errors).toBeUndefined();
    expect(next.body.data.cases.edges).toHaveLength(2);
    expect(next.body.data.cases.edges.map((e: { cursor: string }) => e.cursor)).not.toContain(first.body.data.cases.pageInfo.endCursor);
  });

  it('an audit cursor whose id is not a positive integer as the hub writes it is BAD_USER_INPUT naming `after`', async () => {
    for (const parts of [['1e3'], ['0'], ['-1'], ['01'], [' 1'], ['9007199254740993'], ['1', '2']]) {
      dev.statementsSince();
      const res = await dev.graphql(`{ auditLog(after: "${cursorOf(parts)}") { pageInfo { hasNextPage } } }`, {}, STEWARD);
      badAfter(res, 'auditLog');
      expect(statementsSent(dev), JSON.stringify(parts)).toEqual([]);
    }
  });

  it('a NUL character in a text argument is BAD_USER_INPUT, not an internal error', async () => {
    const res = await dev.graphql(`query($n: String!) { case(number: $n) { number } }`, { n: 'ab\u0000cd' }, STEWARD);
    expect(res.body.errors!.map((e) => e.extensions!.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('an impossible Date is BAD_USER_INPUT, as a literal or a variable, and never reaches a database', async () => {
    for (const [query, variables] of [
      [`{ serviceMetrics(from: "2026-02-30") { serviceCode } }`, {}],
      [`query($from: Date) { serviceMetrics(from: $from) { serviceCode } }`, { from: '2026-02-30' }],
    ] as const) {
      dev.statementsSince();
      const res = await dev.graphql(query, variables, STEWARD);
      expect(res.status).toBe(400);
      expect(res.body.errors!.map((e) => e.extensions!.code)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0].message).toContain('Date "2026-02-30" does not exist.');
      expect(Object.values(dev.statementsSince()).reduce((a, b) => a + b, 0)).toBe(0);
    }
  });

  it('variables that cannot be coerced (missing, null for a non-null type, a wrong type, an unknown enum value) are 400 BAD_USER_INPUT with graphql-js wording, before any database work', async () => {
    const cases = [
      [`query($id: ID!) { citizen(id: $id) { name } }`, {}, 'Variable "$id" of required type "ID!" was not provided.'],
      [`query($id: ID!) { citizen(id: $id) { name } }`, { id: null }, 'Variable "$id" of non-null type "ID!" must not be null.'],
      [`query($id: ID!) { citizen(id: $id) { name } }`, { id: { not: 'an id' } }, 'Variable "$id" got invalid value'],
      [`query($ids: [ID!]!) { citizens(ids: $ids) { name } }`, { ids: [null] }, 'Variable "$ids" got invalid value null at "ids[0]"'],
      [`query($s: CaseStatus) { cases(filter: { status: $s }) { pageInfo { hasNextPage } } }`, { s: 'NOT_A_STATUS' }, 'Variable "$s" got invalid value "NOT_A_STATUS"'],
    ] as const;
    for (const [query, variables, message] of cases) {
      dev.statementsSince();
      const res = await dev.graphql(query, variables, desk);
      expect(res.status, JSON.stringify(variables)).toBe(400);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors!.map((e) => [e.extensions!.code, e.message])).toEqual([['BAD_USER_INPUT', expect.stringContaining(message)]]);
      expect(statementsSent(dev)).toEqual([]);
    }
  });

  it('serviceMetrics(from: "0000-01-01") is BAD_USER_INPUT naming `from`, as a literal or a variable, before any database work', async () => {
    for (const [query, variables] of [
      [`{ serviceMetrics(from: "0000-01-01") { serviceCode } }`, {}],
      [`query($from: Date) { serviceMetrics(from: $from) { serviceCode } }`, { from: '0000-01-01' }],
    ] as const) {
      dev.statementsSince();
      const res = await dev.graphql(query, variables, STEWARD);
      expect(res.body.data).toBeNull();
      expect(res.body.errors!.map((e) => [e.extensions, e.message])).toEqual([[{ code: 'BAD_USER_INPUT', argument: 'from' }, 'Invalid argument "from": years run from 0001 to 9999, got "0000-01-01".']]);
      expect(statementsSent(dev)).toEqual([]);
    }
  });

  it('serviceMetrics(to: "9999-12-31") includes the last day: the same figures as no upper bound', async () => {
    const selection = `{ serviceCode submitted decided itemsPrefilled crossDepartmentReads }`;
    const open = await dev.graphql(`{ serviceMetrics ${selection} }`, {}, STEWARD);
    const toLastDay = await dev.graphql(`{ serviceMetrics(to: "9999-12-31") ${selection} }`, {}, STEWARD);
    const lastDayOnly = await dev.graphql(`{ serviceMetrics(from: "9999-12-31", to: "9999-12-31") { submitted } }`, {}, STEWARD);
    expect(toLastDay.body.errors).toBeUndefined();
    expect(lastDayOnly.body.errors).toBeUndefined();
    expect(open.body.data.serviceMetrics.some((m: { submitted: number }) => m.submitted > 0)).toBe(true);
    expect(toLastDay.body.data).toEqual(open.body.data);
    expect(lastDayOnly.body.data.serviceMetrics.map((m: { submitted: number }) => m.submitted)).toEqual(open.body.data.serviceMetrics.map(() => 0));
  });

  it('an audit filter instant outside 0001–9999 is refused as input (400), never an internal error', async () => {
    for (const [name, at] of [['from', '0000-06-01T00:00:00Z'], ['to', '9999-12-31T23:00:00-05:00']]) {
      const res = await dev.graphql(`query($at: DateTime) { auditLog(filter: { ${name}: $at }) { pageInfo { hasNextPage } } }`, { at }, STEWARD);
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0].message).toContain('is out of range');
    }
  });

  it('a subscription is refused with 400 BAD_USER_INPUT before execution', async () => {
    dev.statementsSince();
    const res = await dev.graphql(`subscription Watch { __typename }`, {}, STEWARD);
    expect(res.status).toBe(400);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toEqual([
      {
        message: 'The hub answers queries and mutations over HTTP; a subscription operation is not supported. Send a query instead.',
        extensions: { code: 'BAD_USER_INPUT', operationType: 'subscription' },
      },
    ]);
    expect(statementsSent(dev)).toEqual([]);
  });
});
