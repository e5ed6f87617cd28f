/**
 * A hub for one test file, on its own copy of the template database, driven
 * over HTTP through Fastify's inject (the full request path, no socket).
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabases, type Databases } from '../../src/db/databases.js';
import { createHub, type Hub } from '../../src/server.js';
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
    const admin = postgres(templateUrl, { max: 1, onnotice: () => {} });
    const template = new URL(templateUrl).pathname.slice(1);
    await admin.unsafe(`create database ${name} template ${template}`);
    const url = withDatabase(templateUrl, name);
    const dbs = await openDatabases({ ...base, HUB_DATABASE_URL: url, REGISTRY_DATABASE_URL: url, LICENSING_DATABASE_URL: url, CASES_DATABASE_URL: url });
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

export async function startTestHub(env: Record<string, string> = {}): Promise<TestHub> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const db = await createTestDatabases();
  const hub = await createHub(config, db.dbs);
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
      await db.drop();
    },
  };
}

function counts(dbs: Databases): Record<SourceName, number> {
  return Object.fromEntries(SOURCE_NAMES.map((s) => [s, dbs[s].stats.statements])) as Record<SourceName, number>;
}
