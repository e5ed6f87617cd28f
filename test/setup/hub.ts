/**
 * A hub for one test file, on its own copy of the template database, driven
 * over HTTP through Fastify's inject (the full request path, no socket).
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { SignJWT } from 'jose';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { everyDatabaseAt, openDatabases, type Databases } from '../../src/db/databases.js';
import { createHub, type Hub, type HubOptions } from '../../src/server.js';
import { SOURCE_NAMES, type SourceName } from '../../src/db/sources.js';
import { withDatabase } from './global.js';

export interface TestDatabases {
  dbs: Databases;
  /** The per-file database URL on PostgreSQL, or undefined on PGlite. */
  url?: string;
  drop(): Promise<void>;
}

/** A fresh database for this test file, copied from the migrated and seeded template. */
export async function createTestDatabases(overrides: Partial<Config> = {}): Promise<TestDatabases> {
  const templateUrl = inject('templateDatabaseUrl');
  const base = { DATA_DIR: '/nonexistent', SOURCE_TIMEOUT_MS: 10_000, SOURCE_POOL_SIZE: 4, ...overrides };
  if (templateUrl) {
    const name = `og_test_${randomBytes(6).toString('hex')}`;
    // Connect to the maintenance database: a session inside the template would block every copy of it.
    const admin = postgres(withDatabase(templateUrl, 'postgres'), { max: 1, onnotice: () => {} });
    const template = new URL(templateUrl).pathname.slice(1);
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.unsafe(`create database ${name} template ${template}`);
        break;
      } catch (error) {
        // Another file copying the template at the same moment holds it briefly (55006: object in use).
        if ((error as { code?: string }).code !== '55006' || attempt === 20) throw error;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
    const url = withDatabase(templateUrl, name);
    const dbs = await openDatabases({ ...base, ...everyDatabaseAt(url) });
    return {
      dbs,
      url,
      async drop() {
        await dbs.closeAll();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dump = readFileSync(inject('templateDump')!);
  const pg = await PGlite.create({ loadDataDir: new Blob([dump]) });
  const dbs = await openDatabases(base, pg);
  return {
    dbs,
    async drop() {
      await dbs.closeAll();
      await pg.close();
    },
  };
}

/** New connections to the same databases (not a copy): what a second hub process would open. */
export async function reopenDatabases(db: TestDatabases): Promise<TestDatabases> {
  const base = { DATA_DIR: '/nonexistent', SOURCE_TIMEOUT_MS: 10_000, SOURCE_POOL_SIZE: 4 };
  const dbs = db.url
    ? await openDatabases({ ...base, ...everyDatabaseAt(db.url) })
    : await openDatabases(base, db.dbs.embedded);
  return { dbs, url: db.url, drop: () => dbs.closeAll() };
}

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Record<string, unknown>;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
}

export interface TestHub {
  hub: Hub;
  dbs: Databases;
  db: TestDatabases;
  config: Config;
  /** POSTs a GraphQL request and returns status, headers and parsed body. */
  graphql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** Statements sent per database since the last call. */
  statementsSince(): Record<SourceName, number>;
  close(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256!';
/** Headers of a citizen signed in through the demo portal (a citizen JWT names a portal consumer, SPEC §3). */
export async function citizenHeaders(nationalId: string): Promise<Record<string, string>> {
  const token = await new SignJWT({ role: 'citizen', consumer: 'citizen-portal', sub: nationalId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
  return { authorization: `Bearer ${token}` };
}

export const TEST_BOOTSTRAP_KEY = 'test-bootstrap-key-0123456789abcdef';
/**
 * Headers of the demo steward (its API key in the template). Not the bootstrap
 * key: that is refused once a steward consumer holds a key (SPEC §3).
 */
export const STEWARD = { authorization: `Bearer ${inject('demoKeys')['data-steward']}` };

export async function startTestHub(env: Record<string, string> = {}, db?: TestDatabases, options: HubOptions = {}): Promise<TestHub> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_JWT_SECRET: TEST_JWT_SECRET, STEWARD_BOOTSTRAP_KEY: TEST_BOOTSTRAP_KEY, ...env });
  db ??= await createTestDatabases();
  const hub = await createHub(config, db.dbs, options);
  let last = counts(db.dbs);
  return {
    hub,
    dbs: db.dbs,
    db,
    config,
    async graphql(query, variables, headers = {}) {
      const res = await hub.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ query, variables }),
      });
      return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) };
    },
    statementsSince() {
      const now = counts(db.dbs);
      const diff = Object.fromEntries(SOURCE_NAMES.map((s) => [s, now[s] - last[s]])) as Record<SourceName, number>;
      last = now;
      return diff;
    },
    async close() {
      await hub.close();
      await db!.drop();
    },
  };
}

/**
 * Registers a consumer through the API and grants it the given fields (all
 * grantable fields by default; SENSITIVE ones with ACTIVE_CASE) for `purpose`.
 * Returns headers that read as that consumer for that purpose.
 */
export async function createReader(
  t: TestHub,
  options: { id?: string; department?: string; purpose?: string; fields?: string[]; mask?: string } = {},
): Promise<{ consumerId: string; key: string; headers: Record<string, string> }> {
  const consumerId = options.id ?? `reader-${randomBytes(4).toString('hex')}`;
  const purpose = options.purpose ?? 'STATISTICS';
  const created = await t.graphql(`mutation($input: ConsumerInput!) { createConsumer(input: $input) { id } }`, { input: { id: consumerId, name: 'Test reader', department: options.department ?? 'service-center' } }, STEWARD);
  if (created.body.errors) throw new Error(JSON.stringify(created.body.errors));
  const { buildHubSchema } = await import('../../src/graph/schema.js');
  const catalogue = buildHubSchema().catalogue;
  const fields = options.fields ?? [...catalogue.values()].filter((f) => f.grantable).map((f) => f.name);
  for (const field of fields) {
    const condition = catalogue.get(field)?.level === 'SENSITIVE' ? 'ACTIVE_CASE' : 'NONE';
    const res = await t.graphql(`mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, { input: { consumerId, field, purposes: [purpose], condition, mask: options.mask ?? 'NONE' } }, STEWARD);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  }
  const issued = await t.graphql(`mutation($id: ID!) { issueApiKey(consumerId: $id) { key } }`, { id: consumerId }, STEWARD);
  const key = issued.body.data.issueApiKey.key as string;
  return { consumerId, key, headers: { authorization: `Bearer ${key}`, 'x-purpose': purpose } };
}

function counts(dbs: Databases): Record<SourceName, number> {
  return Object.fromEntries(SOURCE_NAMES.map((s) => [s, dbs[s].stats.statements])) as Record<SourceName, number>;
}
