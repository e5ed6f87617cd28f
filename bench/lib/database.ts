/**
 * The bench's own PostgreSQL database, one per seed size
 * (`oncegraph_bench_<citizens>` on the BENCH_DATABASE_URL server), holding all
 * four schemas. A seed is reused when its marker in `public.bench_meta` and
 * the row count of registry.citizens both match the size asked for and the
 * generator and migrations have not changed since.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import cliProgress from 'cli-progress';
import { everyDatabaseAt, migrateAll, openDatabases } from '../../src/db/databases.js';
import { DEPARTMENT_SOURCES } from '../../src/sources/index.js';
import { ensureReferenceData } from '../../src/seed/reference.js';
import { seedDemo } from '../../src/seed/load.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED = 1;

export interface BenchDatabase {
  /** postgres:// URL of the bench database (never printed: it may carry a password). */
  url: string;
  name: string;
  citizens: number;
  /** True when this run seeded it; false when an earlier seed was reused. */
  seeded: boolean;
  seedMs: number;
  /** A random sample of seeded citizen ids to draw requests from. */
  ids: string[];
  serverVersion: string;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** What the seeded data depends on besides its size: the generator, the reference data and the department tables. */
function seedVersion(): string {
  const hash = createHash('sha256');
  for (const file of ['src/seed/generate.ts', 'src/seed/reference.ts']) hash.update(readFileSync(path.join(ROOT, file)));
  // The hub's own migrations (policies, audit) do not change department data.
  for (const { name: source } of DEPARTMENT_SOURCES) {
    const dir = path.join(ROOT, 'migrations', source);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) hash.update(`${source}/${file}`).update(readFileSync(path.join(dir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

function progressBar(total: number): { update(done: number): void; stop(): void } {
  if (!process.stdout.isTTY) {
    let tenths = 0;
    return {
      update(done) {
        const t = Math.floor((done / total) * 10);
        if (t > tenths) console.log(`  seeded ${done}/${total} citizens`);
        tenths = Math.max(tenths, t);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({ format: '  seeding |{bar}| {percentage}% | {value}/{total} citizens | {duration_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

/**
 * Creates (if needed), migrates and seeds the bench database for `citizens`,
 * reusing a matching seed. Holds an advisory lock meanwhile, so two bench
 * runs never seed the same database at once.
 */
export async function prepareBenchDatabase(serverUrl: string, citizens: number, sampleSize: number, log: (line: string) => void): Promise<BenchDatabase> {
  const name = `oncegraph_bench_${citizens}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  let serverVersion: string;
  try {
    [{ server_version: serverVersion }] = await admin<{ server_version: string }[]>`show server_version`;
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) {
      log(`creating database ${name}`);
      await admin.unsafe(`create database ${name}`);
    }
  } finally {
    await admin.end({ timeout: 5 });
  }

  const url = withDatabase(serverUrl, name);
  const meta = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await meta`select pg_advisory_lock(hashtext('oncegraph-bench-seed'))`;
    const dbs = await openDatabases({
      DATA_DIR: '/nonexistent',
      SOURCE_TIMEOUT_MS: 600_000,
      SOURCE_POOL_SIZE: 2,
      ...everyDatabaseAt(url),
    });
    let seeded = false;
    let seedMs = 0;
    try {
      await migrateAll(dbs);
      await ensureReferenceData(dbs);
      await meta`create table if not exists public.bench_meta (key text primary key, value jsonb not null, updated_at timestamptz not null default now())`;
      const wanted = { citizens, seed: SEED, version: seedVersion() };
      const [marker] = await meta<{ value: typeof wanted }[]>`select value from public.bench_meta where key = 'seed'`;
      const [{ count }] = await meta<{ count: number }[]>`select count(*)::int as count from registry.citizens`;
      const reusable = marker && marker.value.citizens === citizens && marker.value.seed === SEED && marker.value.version === wanted.version && count === citizens;
      if (reusable) {
        log(`reusing the seed of ${citizens} citizens in ${name}`);
      } else {
        log(`seeding ${citizens} citizens into ${name} (${marker ? 'the previous seed does not match' : 'no previous seed'})`);
        await meta`delete from public.bench_meta where key = 'seed'`;
        const bar = progressBar(citizens);
        let counts;
        try {
          counts = await seedDemo(dbs, { citizens, seed: SEED, onProgress: (done) => bar.update(done) });
        } finally {
          bar.stop();
        }
        seedMs = counts.ms;
        seeded = true;
        await meta`insert into public.bench_meta (key, value) values ('seed', ${meta.json({ ...wanted, counts: { ...counts } })})`;
        log(`seeded in ${(counts.ms / 1000).toFixed(1)} s: ${counts.citizens} citizens, ${counts.licenses} licenses, ${counts.cases} cases`);
      }
    } finally {
      await dbs.closeAll();
    }
    // A deterministic sample, spread over the whole table; requests draw from it at random.
    const rows = await meta<{ id: string }[]>`select id from registry.citizens order by md5(id || 'bench') limit ${sampleSize}`;
    return { url, name, citizens, seeded, seedMs, ids: rows.map((r) => r.id), serverVersion };
  } finally {
    await meta`select pg_advisory_unlock(hashtext('oncegraph-bench-seed'))`.catch(() => {});
    await meta.end({ timeout: 5 });
  }
}
