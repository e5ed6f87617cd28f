import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import { SOURCES, type SourceName } from './sources.js';
import { OUTSIDE_REQUEST, commentingPglite, commentingPostgres, withComment } from './statementScope.js';

export type Drizzle = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/**
 * The driver under a source: a postgres.js pool, or a (possibly shared) PGlite instance. Statements sent
 * on it directly (LISTEN, the seed's COPY, migrations on their own connection) carry no sqlcommenter comment.
 */
export type Driver = { kind: 'postgres'; sql: postgres.Sql } | { kind: 'pglite'; pg: PGlite };

/** One connection to one of the four databases. */
export interface Database {
  readonly source: SourceName;
  readonly db: Drizzle;
  readonly driver: Driver;
  /** Statements sent through `db` since start (counted, not estimated). */
  readonly stats: { statements: number };
  /** The postgres:// URL when not embedded (never logged or returned). */
  readonly url?: string;
  /** Runs a raw statement and returns its rows, whichever the driver. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /**
   * Runs a statement given as text with $1… parameters, prepared by postgres.js
   * (one round trip instead of two; drizzle's execute never prepares): for a
   * hot statement whose text never changes.
   */
  execute(text: string, params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** A postgres:// URL, or undefined for embedded PGlite. */
  url?: string;
  /** Shared embedded instance used when `url` is undefined. */
  embedded?: PGlite;
  timeoutMs?: number;
  poolSize?: number;
}

const MIGRATIONS_ROOT = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Opens (or creates) the embedded PGlite instance that holds every unconfigured database. */
export async function openEmbedded(dataDir: string): Promise<PGlite> {
  const dir = path.resolve(dataDir, 'pglite');
  mkdirSync(path.dirname(dir), { recursive: true });
  return PGlite.create(dir);
}

export function connect(source: SourceName, options: ConnectOptions): Database {
  const stats = { statements: 0 };
  // drizzle calls the logger once per statement it sends: that is our counter.
  const logger = { logQuery: () => void stats.statements++ };
  let driver: Driver;
  let db: Drizzle;
  if (options.url) {
    const sql = postgres(options.url, {
      max: options.poolSize ?? 10,
      connect_timeout: Math.max(1, Math.ceil((options.timeoutMs ?? 2000) / 1000)),
      idle_timeout: 60,
      onnotice: () => {},
      // Instants come back in UTC whatever the server's TimeZone (isoInstant rewrites UTC text without parsing a Date).
      connection: { statement_timeout: options.timeoutMs ?? 2000, application_name: `oncegraph-${source}`, TimeZone: 'UTC' },
    });
    driver = { kind: 'postgres', sql };
    // drizzle sends through a client that comments each statement with who it is for (statementScope.ts).
    db = drizzlePostgres(commentingPostgres(sql), { logger }) as unknown as Drizzle;
  } else {
    if (!options.embedded) throw new Error(`${source}: no URL and no embedded database`);
    driver = { kind: 'pglite', pg: options.embedded };
    db = drizzlePglite(commentingPglite(options.embedded), { logger }) as unknown as Drizzle;
  }
  return {
    source,
    db,
    driver,
    stats,
    url: options.url,
    async rows<T>(query: SQL): Promise<T[]> {
      // execute() sends now, in the caller's statement scope; awaiting the builder would send it from a microtask (statementScope.ts).
      const result = (await db.execute(query).execute()) as unknown;
      return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
    },
    async execute(text: string, params: unknown[]): Promise<void> {
      stats.statements++;
      // A hot statement serves many requests at once (the audit batch carries records of many): it
      // carries the constant outside-request comment, never one request's, and so stays one prepared text.
      const commented = withComment(text, OUTSIDE_REQUEST.comment);
      if (driver.kind === 'postgres') await driver.sql.unsafe(commented, params as postgres.ParameterOrJSON<never>[], { prepare: true });
      else await driver.pg.query(commented, params);
    },
    async close() {
      // A shared PGlite instance is closed by whoever opened it.
      if (driver.kind === 'postgres') await driver.sql.end({ timeout: 5 });
    },
  };
}

/** Applies pending migrations of `migrations/<source>/`; a no-op when up to date. */
export async function migrateSource(database: Database): Promise<void> {
  const config = {
    migrationsFolder: path.join(MIGRATIONS_ROOT, database.source),
    migrationsSchema: 'drizzle',
    migrationsTable: `__migrations_${database.source}`,
  };
  if (database.driver.kind === 'postgres') {
    // Our own connection: migrations may run longer than a request's statement timeout. postgres.js keeps
    // reconnecting to a server that drops connections, so a deadline decides that the database is down.
    const sql = postgres(database.url!, { max: 1, onnotice: () => {}, connect_timeout: 3 });
    let timer: NodeJS.Timeout | undefined;
    const reachable = sql`select 1`.then(() => clearTimeout(timer));
    try {
      await Promise.race([reachable, new Promise((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error(`${database.source} did not answer within 5 s`), { code: 'CONNECT_TIMEOUT' })), 5000)))]);
      await migratePostgres(drizzlePostgres(sql), config);
    } finally {
      reachable.catch(() => {});
      await sql.end({ timeout: 0 });
    }
  } else {
    await migratePglite(drizzlePglite(database.driver.pg), config);
  }
}

export { SOURCES };
