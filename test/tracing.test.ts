/**
 * OpenTelemetry traces and sqlcommenter comments (issue 14): a traced request
 * reaches a real OTLP/HTTP receiver with its department spans under the
 * caller's traceparent, and every statement it sends carries a comment naming
 * who asked and why, seen in what the driver sends and, on PostgreSQL, in the
 * server's log and pg_stat_activity.
 */
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabases, startTestHub, type TestDatabases, type TestHub } from './setup/hub.js';
import { withDatabase } from './setup/global.js';
import { parseSqlComment, sqlComment } from '../src/db/sqlcommenter.js';
import { runInScope } from '../src/db/statementScope.js';
import { SOURCE_NAMES } from '../src/db/sources.js';
import type { Databases } from '../src/db/databases.js';

const DEMO = '610113198807150016';
const KEY = inject('demoKeys')['licensing-desk'];
const READER = { authorization: `Bearer ${KEY}`, 'x-purpose': 'LICENSE_ISSUANCE' };
const QUERY = `query CitizenLicenses($id: ID!) { citizen(id: $id) { name licenses { number kind } } }`;

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** An OTLP/HTTP receiver on a free port: what a collector would get (the exporter sends JSON). */
async function startReceiver(): Promise<{ url: string; spans: OtlpSpan[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans.push(...ss.spans);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** OTLP/JSON ids are hex; accept base64 too (protobuf-style JSON). */
const hexId = (id: string | undefined) => (!id ? '' : /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex'));
const attributesOf = (span: OtlpSpan) => Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]]));

/** Every statement text the drivers are given, whichever the driver (observed at the driver, as a DBA would). */
function recordStatements(dbs: Databases): string[] {
  const seen: string[] = [];
  if (dbs.embedded) {
    const pg = dbs.embedded;
    const query = pg.query.bind(pg);
    pg.query = ((text: string, ...rest: unknown[]) => {
      seen.push(text);
      return (query as (...a: unknown[]) => unknown)(text, ...rest);
    }) as typeof pg.query;
  }
  for (const name of SOURCE_NAMES) {
    const driver = dbs[name].driver;
    if (driver.kind === 'postgres') (driver.sql.options as { debug: unknown }).debug = (_connection: number, text: string) => void seen.push(text);
  }
  return seen;
}

const traceId = randomBytes(16).toString('hex');
const callerSpanId = randomBytes(8).toString('hex');

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let db: TestDatabases;
let t: TestHub;
let statements: string[];
/** The per-file database's name on PostgreSQL (its statements are logged), or undefined on PGlite. */
let databaseName: string | undefined;

beforeAll(async () => {
  receiver = await startReceiver();
  db = await createTestDatabases();
  if (db.url) {
    // Statements of this file's database go to the server log; the database is dropped afterwards.
    databaseName = new URL(db.url).pathname.slice(1);
    const admin = postgres(withDatabase(db.url, 'postgres'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`alter database ${databaseName} set log_statement = 'all'`);
    await admin.end();
  }
  t = await startTestHub({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'oncegraph-test' }, db);
  statements = recordStatements(t.dbs);
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

/** The statements sent since `from` whose comment names this request. */
function statementsOf(requestId: string, from: number): { text: string; tags: Record<string, string> }[] {
  return statements
    .slice(from)
    .map((text) => ({ text, tags: parseSqlComment(text) }))
    .filter((s) => s.tags.request_id === requestId);
}

async function spansOf(trace: string, atLeast: number): Promise<OtlpSpan[]> {
  for (let i = 0; i < 50; i++) {
    await t.hub.flushTraces();
    const found = receiver.spans.filter((s) => hexId(s.traceId) === trace);
    if (found.length >= atLeast) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return receiver.spans.filter((s) => hexId(s.traceId) === trace);
}

describe('a traced request', () => {
  let requestId: string;
  let name: string;
  let from: number;
  let spans: OtlpSpan[];

  beforeAll(async () => {
    from = statements.length;
    const res = await t.graphql(QUERY, { id: DEMO }, { ...READER, traceparent: `00-${traceId}-${callerSpanId}-01` });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    name = res.body.data.citizen.name;
    expect(res.body.data.citizen.licenses.length).toBeGreaterThan(0);
    requestId = res.headers['x-request-id'] as string;
    spans = await spansOf(traceId, 3);
  });

  it('has a span under the caller\'s traceparent naming the consumer, purpose and operation', () => {
    const request = spans.find((s) => attributesOf(s)['oncegraph.request_id'] === requestId)!;
    expect(request).toBeDefined();
    expect(hexId(request.parentSpanId)).toBe(callerSpanId);
    expect(request.name).toBe('query CitizenLicenses');
    expect(attributesOf(request)).toMatchObject({
      'oncegraph.consumer': 'licensing-desk',
      'oncegraph.role': 'consumer',
      'oncegraph.purpose': 'LICENSE_ISSUANCE',
      'oncegraph.case_ref.present': false,
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'CitizenLicenses',
      'http.request.method': 'POST',
      'http.route': '/graphql',
      'oncegraph.outcome': 'ok',
    });
    expect(Number(attributesOf(request)['http.response.status_code'])).toBe(200);
    expect(attributesOf(request)['oncegraph.operation.hash']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has a child span per department statement batch, registry and licensing, with the number of keys', () => {
    const request = spans.find((s) => attributesOf(s)['oncegraph.request_id'] === requestId)!;
    const children = spans.filter((s) => hexId(s.parentSpanId) === hexId(request.spanId));
    const registry = children.find((s) => attributesOf(s)['db.namespace'] === 'registry');
    const licensing = children.find((s) => attributesOf(s)['db.namespace'] === 'licensing');
    expect(registry && attributesOf(registry)).toMatchObject({ 'db.system': 'postgresql', 'oncegraph.store.method': 'registry.citizensByIds' });
    expect(licensing && attributesOf(licensing)).toMatchObject({ 'db.system': 'postgresql', 'oncegraph.store.method': 'licensing.licensesOfHolders' });
    expect(Number(attributesOf(registry!)['oncegraph.keys'])).toBe(1);
  });

  it('puts no personal value, no key and no token in any span', () => {
    const text = JSON.stringify(spans);
    expect(text).not.toContain(DEMO);
    expect(text).not.toContain(name);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(4, 20));
  });

  it('sends every department statement with a sqlcommenter comment: request id, consumer, purpose, traceparent of its span', () => {
    const sent = statementsOf(requestId, from);
    const request = spans.find((s) => attributesOf(s)['oncegraph.request_id'] === requestId)!;
    const children = spans.filter((s) => hexId(s.parentSpanId) === hexId(request.spanId));
    for (const source of ['registry', 'licensing']) {
      const statement = sent.find((s) => s.text.includes(`"${source}".`));
      expect(statement, `${source} statement`).toBeDefined();
      expect(statement!.tags).toMatchObject({ application: 'oncegraph', consumer: 'licensing-desk', purpose: 'LICENSE_ISSUANCE', role: 'consumer', request_id: requestId });
      const [version, trace, span, flags] = statement!.tags.traceparent.split('-');
      expect([version, trace, flags]).toEqual(['00', traceId, '01']);
      expect(hexId(children.find((c) => attributesOf(c)['db.namespace'] === source)!.spanId)).toBe(span);
    }
    // The comment is the statement's last part, in the spec's form.
    expect(sent[0].text).toMatch(/ \/\*application='oncegraph',consumer='licensing-desk',purpose='LICENSE_ISSUANCE',request_id='[^']+',role='consumer',traceparent='00-[0-9a-f]{32}-[0-9a-f]{16}-01'\*\/$/);
  });

  it('shows the comment in PostgreSQL\'s log and in pg_stat_activity', async (ctx) => {
    if (!databaseName) return ctx.skip('PGlite has no server log or pg_stat_activity of other sessions: run with TEST_DATABASE_URL');
    const admin = postgres(withDatabase(db.url!, 'postgres'), { max: 1, onnotice: () => {} });
    try {
      // The last statement of the registry pool's connection is this request's (nothing else used that pool since).
      const activity = await admin<{ query: string }[]>`select query from pg_stat_activity where datname = ${databaseName} and application_name = 'oncegraph-registry' and query like ${`%request_id='${requestId}'%`}`;
      expect(activity.length).toBeGreaterThan(0);
      expect(parseSqlComment(activity[0].query)).toMatchObject({ consumer: 'licensing-desk', purpose: 'LICENSE_ISSUANCE', request_id: requestId });
      const log = await serverLog(admin);
      if (log === null) return ctx.skip('the server log is not readable here (no logging collector and no Debian log file)');
      const lines = log.split('\n').filter((line) => line.includes(`request_id='${requestId}'`));
      const registryLine = lines.find((line) => line.includes('"registry"."citizens"'));
      expect(registryLine, 'the registry statement in the server log').toBeDefined();
      const tags = parseSqlComment(registryLine!.slice(0, registryLine!.lastIndexOf('*/') + 2));
      expect(tags).toMatchObject({ application: 'oncegraph', consumer: 'licensing-desk', purpose: 'LICENSE_ISSUANCE', request_id: requestId });
      expect(tags.traceparent.split('-')[1]).toBe(traceId);
    } finally {
      await admin.end();
    }
  });
});

/**
 * The server's log, read through SQL as the superuser: the logging
 * collector's current file, else Debian's per-cluster file (pg_ctlcluster
 * sends stderr there). Null when neither is readable.
 */
async function serverLog(admin: postgres.Sql): Promise<string | null> {
  const [{ current, cluster }] = await admin<{ current: string | null; cluster: string }[]>`select pg_current_logfile() as current, current_setting('cluster_name', true) as cluster`;
  const candidates = [current, cluster ? `/var/log/postgresql/postgresql-${cluster.replace('/', '-')}.log` : null, '/var/log/postgresql/postgresql-15-main.log'].filter((p): p is string => !!p);
  for (const file of candidates) {
    try {
      const [{ size }] = await admin<{ size: string }[]>`select (pg_stat_file(${file})).size::text as size`;
      // The tail is enough: this file's statements were logged moments ago.
      const from = Math.max(0, Number(size) - 4_000_000);
      const [{ text }] = await admin<{ text: string }[]>`select pg_read_file(${file}, ${from}, 4000000) as text`;
      return text;
    } catch {
      // next candidate
    }
  }
  return null;
}

describe('a request that is not sampled', () => {
  it('is sent like an untraced one: consumer and purpose in the comment, no request id, no span exported', async () => {
    const unsampled = randomBytes(16).toString('hex');
    const from = statements.length;
    const res = await t.graphql(QUERY, { id: DEMO }, { ...READER, traceparent: `00-${unsampled}-${callerSpanId}-00` });
    expect(res.status).toBe(200);
    const sent = statements.slice(from).filter((text) => text.includes('"registry".'));
    expect(sent.length).toBeGreaterThan(0);
    expect(parseSqlComment(sent[0])).toEqual({ application: 'oncegraph', consumer: 'licensing-desk', purpose: 'LICENSE_ISSUANCE', role: 'consumer' });
    await t.hub.flushTraces();
    expect(receiver.spans.filter((s) => hexId(s.traceId) === unsampled)).toEqual([]);
  });

  it('an invalid traceparent is ignored: the request is answered and traced under a new trace', async () => {
    const res = await t.graphql(QUERY, { id: DEMO }, { ...READER, traceparent: '00-not-a-trace-01' });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const requestId = res.headers['x-request-id'];
    let span: OtlpSpan | undefined;
    for (let i = 0; i < 50 && !span; i++) {
      await t.hub.flushTraces();
      span = receiver.spans.find((s) => attributesOf(s)['oncegraph.request_id'] === requestId);
      if (!span) await new Promise((r) => setTimeout(r, 100));
    }
    expect(span).toBeDefined();
    expect(span!.parentSpanId ?? '').toBe('');
  });
});

describe('caller values in the comment', () => {
  const HOSTILE = ["x'*/; drop table registry.citizens; --", '/* nested', "a\\'b", '*/', '测试\u0000\ud800'];

  it('cannot close the comment, nest one, or end the string: they come back exactly', () => {
    for (const value of HOSTILE) {
      const comment = sqlComment({ consumer: value, purpose: value });
      expect(comment.startsWith('/*') && comment.endsWith('*/')).toBe(true);
      expect(comment.slice(2, -2)).not.toMatch(/\*\/|\/\*/);
      expect(comment.slice(2, -2).replace(/\\'/g, '')).toMatch(/^consumer='[^']*',purpose='[^']*'$/);
      expect(parseSqlComment(comment).consumer).toBe(value.replace('\ud800', '\ufffd'));
    }
  });

  it('reach the database as a comment only: the statement runs unchanged', async () => {
    const from = statements.length;
    for (const value of HOSTILE) {
      const scope = { comment: sqlComment({ consumer: value, purpose: value }), perRequest: true };
      const rows = await runInScope(scope, () => t.dbs.registry.rows<{ n: number }>(sql`select count(*)::int as n from registry.citizens`), []);
      expect(rows[0].n).toBeGreaterThan(0);
    }
    expect(statements.slice(from).filter((text) => text.includes('as n from registry.citizens')).map(parseSqlComment)).toEqual(HOSTILE.map((v) => ({ consumer: v.replace('\ud800', '\ufffd'), purpose: v.replace('\ud800', '\ufffd') })));
  });

  it('a hostile X-Purpose is refused before any statement carries it', async () => {
    const from = statements.length;
    const res = await t.graphql(QUERY, { id: DEMO }, { ...READER, 'x-purpose': HOSTILE[0] });
    expect(res.status).toBe(400);
    expect(res.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'X-Purpose' });
    expect(statements.slice(from).some((text) => text.includes('drop table'))).toBe(false);
  });
});

describe('with tracing off', () => {
  it('creates no span, and statements still say which consumer asked and why', async () => {
    const off = await startTestHub({}, db);
    try {
      await t.hub.flushTraces();
      const before = receiver.spans.length;
      const from = statements.length;
      const res = await off.graphql(QUERY, { id: DEMO }, { ...READER, traceparent: `00-${randomBytes(16).toString('hex')}-${callerSpanId}-01` });
      expect(res.status).toBe(200);
      const sent = statements.slice(from).filter((text) => text.includes('"registry".') || text.includes('"licensing".'));
      expect(sent.length).toBeGreaterThanOrEqual(2);
      for (const text of sent) expect(parseSqlComment(text)).toEqual({ application: 'oncegraph', consumer: 'licensing-desk', purpose: 'LICENSE_ISSUANCE', role: 'consumer' });
      await off.hub.flushTraces();
      await t.hub.flushTraces();
      expect(receiver.spans.length).toBe(before);
    } finally {
      await off.hub.close();
    }
  });

  it('list pages and catalogues (statements built per call, not prepared once) carry the comment too', async () => {
    const from = statements.length;
    const res = await t.graphql(`{ cases(first: 5) { edges { node { number } } } services(theme: "driving") { code } }`, {}, READER);
    expect(res.body.errors).toBeUndefined();
    const sent = statements.slice(from).filter((text) => text.includes('"cases"."cases"') || text.includes('"cases"."services"'));
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const text of sent) expect(parseSqlComment(text)).toMatchObject({ consumer: 'licensing-desk', purpose: 'LICENSE_ISSUANCE' });
  });

  it('statements outside a request carry the application only', async () => {
    const from = statements.length;
    await t.dbs.registry.rows(sql`select 1`);
    expect(parseSqlComment(statements[from])).toEqual({ application: 'oncegraph' });
  });
});
