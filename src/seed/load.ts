import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../db/database.js';
import type { Databases } from '../db/databases.js';
import { applications, caseEvents, caseItems, caseRatings, ratingFollowUps, serviceCases } from '../sources/cases/tables.js';
import { licenses } from '../sources/licensing/tables.js';
import { enterprises } from '../sources/enterprise/tables.js';
import { citizens, households } from '../sources/registry/tables.js';
import { generateDemoData, type DemoDataChunk } from './generate.js';
import { DEPARTMENT_SOURCES, type DepartmentSourceName } from '../sources/index.js';
import { ensureReferenceData } from './reference.js';

/**
 * Loads the generated demo world into the department databases with COPY:
 * through postgres.js `COPY … FROM STDIN` streams on a real server, through
 * `COPY … FROM '/dev/blob'` on PGlite (whose FROM STDIN hangs).
 */

export interface SeedOptions {
  citizens: number;
  seed: number;
  /** Called after each generated chunk with citizens loaded so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedCounts {
  citizens: number;
  households: number;
  enterprises: number;
  licenses: number;
  cases: number;
  events: number;
  ratings: number;
  followUps: number;
  items: number;
  applications: number;
  ms: number;
}

/** The department databases the seed fills (every declared source); the hub's own is left alone. */
const LOADED_SOURCES = DEPARTMENT_SOURCES.map((s) => s.name);
type LoadedSource = DepartmentSourceName;

type ChunkTable = keyof DemoDataChunk;
type Row<T extends ChunkTable> = DemoDataChunk[T][number];

interface CopyTarget<T extends ChunkTable> {
  source: LoadedSource;
  table: PgTable;
  /** Row properties in COPY column order; each names a column of `table`. */
  keys: readonly (keyof Row<T> & string)[];
}

/** case_events.id is left to its sequence, which TRUNCATE … RESTART IDENTITY resets, so ids are deterministic too. */
const TARGETS: { [T in ChunkTable]: CopyTarget<T> } = {
  households: { source: 'registry', table: households, keys: ['id', 'regionCode', 'district', 'street', 'community', 'line', 'postalCode', 'headId'] },
  citizens: {
    source: 'registry',
    table: citizens,
    keys: ['id', 'name', 'birthDate', 'sex', 'householdId', 'relation', 'phone', 'email', 'status', 'diedOn'],
  },
  enterprises: {
    source: 'enterprise',
    table: enterprises,
    keys: [
      'id', 'name', 'kind', 'status', 'establishedOn', 'registeredCapital', 'address', 'businessScope',
      'legalRepresentativeId', 'legalRepresentativeName', 'contactPhone', 'regionCode',
    ],
  },
  licenses: { source: 'licensing', table: licenses, keys: ['number', 'holderId', 'enterpriseId', 'kind', 'status', 'issuedOn', 'expiresOn', 'issuer'] },
  cases: {
    source: 'cases',
    table: serviceCases,
    keys: ['number', 'serviceCode', 'applicantId', 'enterpriseId', 'department', 'status', 'submittedAt', 'dueAt', 'decidedAt'],
  },
  events: { source: 'cases', table: caseEvents, keys: ['caseNumber', 'at', 'status', 'actor', 'note'] },
  ratings: { source: 'cases', table: caseRatings, keys: ['caseNumber', 'department', 'serviceCode', 'rating', 'comment', 'ratedBy', 'ratedAt'] },
  followUps: {
    source: 'cases',
    table: ratingFollowUps,
    keys: ['id', 'caseNumber', 'department', 'openedAt', 'dueAt', 'response', 'answeredBy', 'answeredByOfficer', 'answeredAt'],
  },
  items: { source: 'cases', table: caseItems, keys: ['caseNumber', 'key', 'origin', 'source', 'value'] },
  applications: { source: 'cases', table: applications, keys: ['caseNumber', 'serviceCode', 'department', 'submittedAt', 'items', 'prefilled', 'recollected', 'prefilledFromOthers'] },
};
const CHUNK_TABLES = Object.keys(TARGETS) as ChunkTable[];

/** Rows per COPY statement on PGlite: big enough to amortise the statement, small enough to keep memory flat. */
const PGLITE_ROWS_PER_COPY = 50_000;
/** Citizens per generated chunk. */
const CHUNK_CITIZENS = 5_000;

function qualifiedName(table: PgTable): string {
  const { schema, name } = getTableConfig(table);
  return `"${schema}"."${name}"`;
}

/** The tables of `source` that the seed replaces, for TRUNCATE and ANALYZE. */
function tablesOf(source: LoadedSource): string {
  return CHUNK_TABLES.filter((table) => TARGETS[table].source === source)
    .map((table) => qualifiedName(TARGETS[table].table))
    .join(', ');
}

/** What the loader needs of a target once its keys are checked against the row type. */
type CopyColumns = { table: PgTable; keys: readonly string[] };

function copyStatement(target: CopyColumns, from: string): string {
  const columns = getTableColumns(target.table) as Record<string, { name: string }>;
  const names = target.keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`${qualifiedName(target.table)} has no column for ${key}`);
    return `"${column.name}"`;
  });
  return `COPY ${qualifiedName(target.table)} (${names.join(', ')}) FROM ${from}`;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** A value in COPY text format: `\N` for null; backslash, tab and line breaks escaped. */
function copyValue(value: string | null): string {
  if (value === null) return '\\N';
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Every generated column value is a string or null. */
function copyText(rows: readonly object[], keys: readonly string[]): string {
  let text = '';
  for (const row of rows as readonly Record<string, string | null>[]) {
    let line = '';
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) line += '\t';
      line += copyValue(row[keys[i]]);
    }
    text += line + '\n';
  }
  return text;
}

/** Where one table's COPY text goes. */
interface CopySink {
  write(text: string, rows: number): Promise<void>;
  /** Completes the COPY; resolves once the database has accepted every row. */
  end(): Promise<void>;
  /** Abandons the COPY after a failure elsewhere. */
  abort(): void;
}

/** One department database as the loader sees it: statements without a timeout, and COPY sinks. */
interface Loader {
  exec(statement: string): Promise<void>;
  sink(target: CopyColumns): Promise<CopySink>;
  close(): Promise<void>;
}

/**
 * A real server. The hub's pools carry a statement timeout of a couple of
 * seconds, far too short for a bulk load, so the loader opens its own
 * connections: one for statements and one per concurrent COPY stream.
 */
function postgresLoader(database: Database): Loader {
  const url = database.url;
  if (!url) throw new Error(`${database.source}: a postgres driver without a URL`);
  const connect = () => postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: `oncegraph-seed-${database.source}` } });
  const admin = connect();
  const open = new Set<postgres.Sql>([admin]);
  return {
    async exec(statement) {
      await admin.unsafe(statement);
    },
    async sink(target) {
      const sql = connect();
      open.add(sql);
      const stream: Writable = await sql.unsafe(copyStatement(target, 'STDIN')).writable();
      // The server can reject the COPY while the generator is busy with other
      // tables: keep the error for the next write rather than crash on it.
      let failure: Error | undefined;
      stream.on('error', (error) => (failure ??= error));
      const close = async () => {
        if (!open.delete(sql)) return;
        await sql.end({ timeout: 5 });
      };
      return {
        async write(text) {
          if (failure) throw failure;
          if (!stream.write(text)) await once(stream, 'drain');
        },
        async end() {
          if (failure) throw failure;
          stream.end();
          // postgres.js never settles a COPY that the server rejects after the stream
          // ended, nor passes the reason on (porsager/postgres#1173). An empty statement
          // queued behind the COPY on this one connection answers once the COPY is over
          // either way, and by then a successful COPY has finished the stream. (Empty,
          // because any statement's CommandComplete would complete the stale COPY.)
          // postgres.js accepts the statement only after the stream's final step, a tick later.
          await new Promise((resolve) => setImmediate(resolve));
          await sql.unsafe('');
          if (failure) throw failure;
          if (!stream.writableFinished) {
            throw new Error(`the server rejected the rows for ${qualifiedName(target.table)} (the PostgreSQL server log says why)`);
          }
          await close();
        },
        abort() {
          stream.destroy();
          void close();
        },
      };
    },
    async close() {
      await Promise.all([...open].map((sql) => sql.end({ timeout: 5 })));
    },
  };
}

/** The embedded instance: COPY from a blob, a batch of rows at a time. */
function pgliteLoader(pg: PGlite): Loader {
  return {
    async exec(statement) {
      await pg.exec(statement);
    },
    async sink(target) {
      const statement = copyStatement(target, "'/dev/blob'");
      let pending: string[] = [];
      let pendingRows = 0;
      const flush = async () => {
        if (pendingRows === 0) return;
        const blob = new Blob(pending);
        pending = [];
        pendingRows = 0;
        await pg.query(statement, [], { blob });
      };
      return {
        async write(text, rows) {
          pending.push(text);
          pendingRows += rows;
          if (pendingRows >= PGLITE_ROWS_PER_COPY) await flush();
        },
        end: flush,
        abort() {
          pending = [];
          pendingRows = 0;
        },
      };
    },
    async close() {
      // The embedded instance belongs to whoever opened the databases.
    },
  };
}

function loaderFor(database: Database): Loader {
  return database.driver.kind === 'postgres' ? postgresLoader(database) : pgliteLoader(database.driver.pg);
}

/**
 * Replaces the department data (every declared source) with a generated
 * demo world of `citizens` citizens, deterministic in `seed`. Reference data is
 * upserted; the hub's own tables (consumers, grants, audit) are left alone.
 */
export async function seedDemo(dbs: Databases, opts: SeedOptions): Promise<SeedCounts> {
  const started = performance.now();
  const loaders = Object.fromEntries(LOADED_SOURCES.map((source) => [source, loaderFor(dbs[source])])) as Record<LoadedSource, Loader>;
  const counts = { citizens: 0, households: 0, enterprises: 0, licenses: 0, cases: 0, events: 0, ratings: 0, followUps: 0, items: 0, applications: 0 };
  const sinks: Partial<Record<ChunkTable, CopySink>> = {};
  try {
    for (const source of LOADED_SOURCES) await loaders[source].exec(`TRUNCATE ${tablesOf(source)} RESTART IDENTITY`);
    await ensureReferenceData(dbs);

    for (const table of CHUNK_TABLES) sinks[table] = await loaders[TARGETS[table].source].sink(TARGETS[table]);
    for (const chunk of generateDemoData({ citizens: opts.citizens, seed: opts.seed, chunkSize: CHUNK_CITIZENS })) {
      // Every table is written concurrently: on a real server each COPY runs in its own backend.
      await Promise.all(
        CHUNK_TABLES.map((table) => {
          const rows = chunk[table];
          counts[table] += rows.length;
          return rows.length === 0 ? undefined : sinks[table]!.write(copyText(rows, TARGETS[table].keys), rows.length);
        }),
      );
      opts.onProgress?.(counts.citizens, opts.citizens);
    }
    await Promise.all(CHUNK_TABLES.map((table) => sinks[table]!.end()));

    for (const source of LOADED_SOURCES) await loaders[source].exec(`ANALYZE ${tablesOf(source)}`);
  } catch (error) {
    for (const sink of Object.values(sinks)) sink.abort();
    throw error;
  } finally {
    await Promise.all(Object.values(loaders).map((loader) => loader.close()));
  }
  return { ...counts, ms: Math.round(performance.now() - started) };
}
