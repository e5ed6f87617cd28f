import { existsSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config.js';
import { connect, migrateSource, openEmbedded, type Database } from './database.js';
import { SOURCES, type DatabaseUrlVariable, type SourceName } from './sources.js';

/** The open databases, by source name. */
export type Databases = Record<SourceName, Database> & {
  /** The embedded instance, when any database is embedded. */
  readonly embedded?: PGlite;
  /** True when the embedded instance was created by this open (a new setup). */
  readonly embeddedIsNew: boolean;
  closeAll(): Promise<void>;
};

type DbConfig = Pick<Config, 'DATA_DIR' | 'SOURCE_TIMEOUT_MS' | 'SOURCE_POOL_SIZE'> & Partial<Pick<Config, DatabaseUrlVariable>>;

/**
 * Opens every database: configured ones through postgres.js, the rest in one
 * embedded PGlite under DATA_DIR. Pass `embedded` to reuse an instance (tests).
 */
export async function openDatabases(config: DbConfig, embedded?: PGlite): Promise<Databases> {
  const needsEmbedded = SOURCES.some((s) => !config[s.urlVariable as DatabaseUrlVariable]);
  let embeddedIsNew = false;
  let pg = embedded;
  if (needsEmbedded && !pg) {
    embeddedIsNew = !existsSync(path.resolve(config.DATA_DIR, 'pglite', 'PG_VERSION'));
    pg = await openEmbedded(config.DATA_DIR);
  }
  const entries = SOURCES.map((s) => [
    s.name,
    connect(s.name, { url: config[s.urlVariable as DatabaseUrlVariable], embedded: pg, timeoutMs: config.SOURCE_TIMEOUT_MS, poolSize: config.SOURCE_POOL_SIZE }),
  ]);
  const dbs = Object.fromEntries(entries) as Record<SourceName, Database>;
  const ownsEmbedded = !embedded;
  return Object.assign(dbs, {
    embedded: pg,
    embeddedIsNew,
    async closeAll() {
      await Promise.all(SOURCES.map((s) => dbs[s.name].close()));
      if (ownsEmbedded && pg) await pg.close();
    },
  });
}

/** Every database on one PostgreSQL server URL (tests, bench, a single-server deployment): each keeps its own schema there. */
export function everyDatabaseAt(url: string): Record<DatabaseUrlVariable, string> {
  return Object.fromEntries(SOURCES.map((s) => [s.urlVariable, url])) as Record<DatabaseUrlVariable, string>;
}

/** Applies pending migrations to every database, in a fixed order. */
export async function migrateAll(dbs: Databases): Promise<void> {
  for (const s of SOURCES) await migrateSource(dbs[s.name]);
}
