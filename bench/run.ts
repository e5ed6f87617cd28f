/**
 * `npm run bench`: SPEC §8. Seeds (or reuses) a district on real PostgreSQL,
 * starts every system under test as its own process, drives each over HTTP
 * with autocannon from this process, and writes bench/results/latest.json
 * and latest.md. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { SYSTEMS, WORKLOADS, workloadKey, type SystemName, type Workload } from './workloads.js';
import { prepareBenchDatabase, type BenchDatabase } from './lib/database.js';
import { SystemChild, type SystemSpec } from './lib/children.js';
import { setUpBenchConsumers, type ConsumerHeaders } from './lib/consumers.js';
import { bodyKey, makeBodies, measureWorkload, problemWith, type CellResult, type Instance, type Settings } from './lib/measure.js';
import { compareAnswers, type AnswerCheck } from './lib/checks.js';
import { ask } from './lib/drive.js';
import { describeMachine, machineLine } from './lib/machine.js';
import { everyDatabaseAt } from '../src/db/databases.js';
import { ratiosOf, targetsOf, toRows, writeReport, type BenchReport } from './lib/report.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

const USAGE = `Usage: npm run bench -- [options]

  --quick              small seed (20,000 citizens), short runs, one run each: under two minutes
  --citizens N         citizens to seed (default 100,000; a seed of the same size is reused)
  --scale              seed 1,000,000 citizens and compare G1/G2 latency with 100,000 (writes results/scale.*)
  --systems a,b        only these systems (${SYSTEMS.join(', ')})
  --workloads a,b      only these workloads (G1, G2, G3, G4, G5)
  --runs N             timed runs per system and workload (default 5; quick 1)
  --duration S         seconds per timed run (default 5; quick 1)
  --warmup S           seconds of warm-up per system and workload (default 3; quick 0.3)
  --connections N      concurrent keep-alive connections (default 8)
  --pool N             connections per department database in every system (default 4)
  --profile SYSTEM     write a CPU profile of that system's process to bench/results/profiles/
  --help               this text

PostgreSQL: BENCH_DATABASE_URL names the server (default ${DEFAULT_SERVER});
the bench creates and uses its own database oncegraph_bench_<citizens> there.`;

interface Options {
  quick: boolean;
  scale: boolean;
  citizens: number;
  systems: SystemName[];
  workloads: string[];
  settings: Settings;
  pool: number;
  profile?: SystemName;
}

class UsageError extends Error {}

function positive(name: string, text: string | undefined, fallback: number, integer = true): number {
  if (text === undefined) return fallback;
  const value = Number(text.replace(/[_,]/g, ''));
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) throw new UsageError(`--${name} must be a positive ${integer ? 'whole ' : ''}number, not "${text}"`);
  return value;
}

function parseOptions(argv: string[]): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' },
        scale: { type: 'boolean' },
        citizens: { type: 'string' },
        systems: { type: 'string' },
        workloads: { type: 'string' },
        runs: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        pool: { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const systems = values.systems ? values.systems.split(',').map((s) => s.trim()) : [...SYSTEMS];
  for (const s of systems) if (!SYSTEMS.includes(s as SystemName)) throw new UsageError(`unknown system "${s}"; systems are ${SYSTEMS.join(', ')}`);
  const workloads = values.workloads ? values.workloads.split(',').map((w) => w.trim().toUpperCase()) : ['G1', 'G2', 'G3', 'G4', 'G5'];
  for (const w of workloads) if (!['G1', 'G2', 'G3', 'G4', 'G5'].includes(w)) throw new UsageError(`unknown workload "${w}"`);
  if (values.profile && !SYSTEMS.includes(values.profile as SystemName)) throw new UsageError(`--profile takes a system name: ${SYSTEMS.join(', ')}`);
  return {
    quick,
    scale: values.scale ?? false,
    citizens: positive('citizens', values.citizens, quick ? 20_000 : 100_000),
    systems: systems as SystemName[],
    workloads,
    pool: positive('pool', values.pool, 4),
    profile: values.profile as SystemName | undefined,
    settings: {
      runs: positive('runs', values.runs, quick ? 1 : 5),
      runSeconds: positive('duration', values.duration, quick ? 1 : 5, false),
      warmupSeconds: positive('warmup', values.warmup, quick ? 0.3 : 3, false),
      connections: positive('connections', values.connections, 8),
      sequential: quick ? 10 : 200,
    },
  };
}

const SYSTEM_FILES: Record<SystemName, { file: string; env?: Record<string, string> }> = {
  hub: { file: 'hub.ts' },
  'hub-no-audit': { file: 'hub.ts', env: { BENCH_AUDIT: 'off' } },
  'plain-apollo': { file: 'plain-apollo.ts' },
  'raw-sql': { file: 'raw-sql.ts' },
  static: { file: 'static.ts' },
};

function specFor(system: SystemName, label: string, db: BenchDatabase, stewardKey: string, options: Options): SystemSpec {
  const url = db.url;
  return {
    label,
    file: SYSTEM_FILES[system].file,
    profileDir: options.profile === system ? path.join(RESULTS, 'profiles') : undefined,
    env: {
      ...SYSTEM_FILES[system].env,
      // The hub's configuration (src/config.ts): every database in the bench database, quiet, unthrottled.
      ...everyDatabaseAt(url),
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '100000000',
      STEWARD_BOOTSTRAP_KEY: stewardKey,
      SOURCE_POOL_SIZE: String(options.pool),
      PORT: '0',
      HOST: '127.0.0.1',
      // The baselines' connections.
      BENCH_DATABASE: url,
      BENCH_POOL_SIZE: String(options.pool),
    },
  };
}

/** Status lines, or a bar on a terminal. */
function progress(total: number) {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  if (!process.stdout.isTTY) {
    return {
      step: (what: string) => void what,
      section: (what: string) => console.log(`[${elapsed()}] ${what}`),
      tick: () => {},
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: '  |{bar}| {value}/{total} {what}', hideCursor: true, fps: 2, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { what: '' });
  let section = '';
  return {
    step: (what: string) => bar.update({ what: `${section} ${what}` }),
    section: (what: string) => {
      section = what;
      bar.update({ what });
    },
    tick: () => bar.increment(),
    stop: () => bar.stop(),
  };
}

const children: SystemChild[] = [];
async function stopChildren(): Promise<void> {
  await Promise.all(children.map((c) => c.stop()));
  children.length = 0;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const c of children) c.kill();
    process.exit(130);
  });
}

async function startSystems(entries: { system: SystemName; label: string; db: BenchDatabase }[], stewardKey: string, options: Options): Promise<Map<string, SystemChild>> {
  const started = await Promise.allSettled(
    entries.map(async (e) => {
      const child = await SystemChild.start(specFor(e.system, e.label, e.db, stewardKey, options));
      children.push(child);
      return [e.label, child] as const;
    }),
  );
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return new Map(started.map((s) => (s as PromiseFulfilledResult<readonly [string, SystemChild]>).value));
}

/** Headers for systems measured without a hub in the run (no consumer exists then). */
const NO_CONSUMER: ConsumerHeaders = {
  full: { 'content-type': 'application/json', accept: 'application/json' },
  half: { 'content-type': 'application/json', accept: 'application/json' },
};

/**
 * Waits until a hub serves `w` to the bench consumer without errors (a new
 * grant reaches each instance by NOTIFY). A hub that still fails after 5 s is
 * measured anyway: its wrong answers count as errors, and `notes` says why.
 */
async function awaitPolicy(instance: Instance, w: Workload, notes: string[]): Promise<void> {
  const body = instance.bodies.get(bodyKey(w))![0];
  let problem: string | null = null;
  for (let attempt = 0; attempt < 50; attempt++) {
    problem = problemWith(w, instance.system, await ask(instance.child.url, instance.headers[w.consumer], body));
    if (!problem) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const note = `${instance.label} does not answer ${workloadKey(w)} correctly (${problem?.slice(0, 300)}); measured anyway, its wrong answers are counted as errors.`;
  console.log(`  warning: ${note}`);
  notes.push(note);
}

function bodiesFor(workloads: readonly Workload[], ids: readonly string[], quick: boolean): Map<string, Buffer[]> {
  return new Map(workloads.map((w) => [bodyKey(w), makeBodies(w, ids, quick ? 300 : 2000)]));
}

async function standardRun(options: Options, serverUrl: string): Promise<void> {
  const startedAt = Date.now();
  const notes: string[] = [];
  console.log(`OnceGraph bench${options.quick ? ' (quick)' : ''}: ${options.citizens.toLocaleString('en-US')} citizens, systems ${options.systems.join(', ')}`);
  const db = await prepareBenchDatabase(serverUrl, options.citizens, Math.min(options.citizens, options.quick ? 5000 : 20_000), (line) => console.log(`  ${line}`));
  const machine = describeMachine(db.serverVersion);
  console.log(`  machine: ${machineLine(machine)}`);

  const stewardKey = `bench-steward-${randomBytes(16).toString('hex')}`;
  console.log(`  starting ${options.systems.length} systems…`);
  const started = await startSystems(
    options.systems.map((system) => ({ system, label: system, db })),
    stewardKey,
    options,
  );

  let workloads = WORKLOADS.filter((w) => options.workloads.includes(w.name));
  const hubChild = started.get('hub') ?? started.get('hub-no-audit');
  const headers = hubChild ? await setUpBenchConsumers(hubChild.url, stewardKey) : NO_CONSUMER;
  if (!hubChild) notes.push('No hub in this run: the bench consumers were not set up, and answers were not compared.');
  const bodies = bodiesFor(workloads, db.ids, options.quick);
  const instances: Instance[] = options.systems.map((system) => ({ system, label: system, child: started.get(system)!, bodies, headers }));

  // G5 only once prefill answers: a probe must come back without errors.
  const g5 = workloads.find((w) => w.name === 'G5');
  const hubInstances = instances.filter((i) => i.system === 'hub' || i.system === 'hub-no-audit');
  if (g5) {
    const probe = hubInstances[0];
    const problem = probe
      ? problemWith(g5, probe.system, await ask(probe.child.url, probe.headers.full, bodies.get(bodyKey(g5))![0]))
      : 'no hub in this run';
    if (problem) {
      workloads = workloads.filter((w) => w !== g5);
      notes.push(`G5 (prefill) skipped: a probe request to the hub did not succeed without errors (${problem.slice(0, 300)}).`);
      console.log(`  G5 skipped: ${problem.slice(0, 200)}`);
    }
  }
  for (const w of workloads) for (const h of hubInstances) await awaitPolicy(h, w, notes);

  const checks: AnswerCheck[] = [];
  const hub = instances.find((i) => i.system === 'hub') ?? instances.find((i) => i.system === 'hub-no-audit');
  if (hub) {
    for (const w of workloads) checks.push(...(await compareAnswers(w, hub, instances.filter((i) => i.system === 'raw-sql' || i.system === 'plain-apollo'), options.quick ? 2 : 5)));
    const differing = checks.filter((c) => !c.sameAnswer);
    if (differing.length) console.log(`  warning: ${differing.length} baseline answers differ from the hub's (see the report)`);
  }

  const cellsPerWorkload = (w: Workload) => instances.filter((i) => w.systems.includes(i.system)).length;
  const steps = workloads.reduce((sum, w) => sum + cellsPerWorkload(w) * (options.settings.runs + 1), 0);
  const bar = progress(steps);
  const cells: CellResult[] = [];
  try {
    for (const w of workloads) {
      bar.section(workloadKey(w));
      const measured = await measureWorkload(
        w,
        instances.filter((i) => w.systems.includes(i.system)),
        options.settings,
        (what) => {
          bar.tick();
          bar.step(what);
        },
      );
      cells.push(...measured);
      if (!process.stdout.isTTY) {
        for (const c of measured) console.log(`  ${workloadKey(w).padEnd(9)} ${c.system.padEnd(13)} ${String(c.rps).padStart(6)} req/s  p50 ${c.p50.toFixed(2)} ms  p99 ${c.p99.toFixed(2)} ms  ${c.statementsPerReq} SQL/req  errors ${c.errors}`);
      }
    }
  } finally {
    bar.stop();
  }
  await stopChildren();

  const order = (c: CellResult) => [WORKLOADS.findIndex((w) => w.name === c.workload && w.n === c.n), SYSTEMS.indexOf(c.system)];
  cells.sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1]);
  const results = toRows(cells);
  const errors = results.reduce((sum, r) => sum + r.errors, 0);
  if (errors > 0) notes.push(`${errors} errors in total: numbers from rows with errors are not trustworthy.`);
  if (machine.loadAtStart > 0.5) notes.push(`The machine was busy when the bench started (load average ${machine.loadAtStart} on ${machine.cores} cores): absolute numbers are noisy; compare ratios within this run.`);

  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: machineLine(machine),
    citizens: options.citizens,
    quick: options.quick,
    results,
    ratios: ratiosOf(results),
    targets: targetsOf(results),
    machineInfo: machine,
    settings: { ...options.settings, poolSize: options.pool },
    database: { name: db.name, reusedSeed: !db.seeded, seedSeconds: db.seedMs / 1000 },
    checks,
    details: cells.map((c) => ({ system: c.system, workload: c.workload, n: c.n, statementsPerReqUnderLoad: c.statementsPerReqUnderLoad, statementsBySource: c.statementsBySource, crossCheck: c.crossCheck, firstError: c.firstError, runs: c.runs })),
    notes,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
  const written = writeReport(RESULTS, report, options.quick ? 'quick' : 'full');
  console.log(`\nWrote ${path.relative(process.cwd(), written.json)} and ${path.relative(process.cwd(), written.md)} in ${report.durationSeconds} s.`);
  console.log(
    `\n${results
      .map((r) => `${workloadKey({ name: r.workload as never, n: r.n }).padEnd(9)} ${r.system.padEnd(13)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50.toFixed(2).padStart(6)}  p99 ${r.p99.toFixed(2).padStart(6)} ms  ${String(r.cpuUsPerReq).padStart(5)} µs CPU  ${String(r.statementsPerReq).padStart(5)} SQL  errors ${r.errors}`)
      .join('\n')}`,
  );
  for (const note of notes) console.log(`note: ${note}`);
}

/**
 * `--scale`: hub and raw-sql on 100,000 and on 1,000,000 citizens side by side
 * (interleaved like every run), G1 and G2; issue 7 wants the hub's p50 at 1 M
 * within 1.2× of its p50 at 100 k.
 */
async function scaleRun(options: Options, serverUrl: string): Promise<void> {
  const startedAt = Date.now();
  const sizes = [100_000, 1_000_000];
  const systems = options.systems.filter((s) => s === 'hub' || s === 'raw-sql');
  if (systems.length === 0) throw new UsageError('--scale measures hub and raw-sql; --systems left neither');
  console.log(`OnceGraph bench --scale: ${systems.join(', ')} on ${sizes.map((s) => s.toLocaleString('en-US')).join(' and ')} citizens`);
  const dbs: BenchDatabase[] = [];
  for (const size of sizes) dbs.push(await prepareBenchDatabase(serverUrl, size, 20_000, (line) => console.log(`  ${line}`)));
  const machine = describeMachine(dbs[0].serverVersion);
  const stewardKey = `bench-steward-${randomBytes(16).toString('hex')}`;
  const entries = dbs.flatMap((db) => systems.map((system) => ({ system, label: `${system}@${db.citizens}`, db })));
  const started = await startSystems(entries, stewardKey, options);
  const workloads = WORKLOADS.filter((w) => w.name === 'G1' || w.name === 'G2');
  const instances: Instance[] = [];
  for (const db of dbs) {
    const hub = started.get(`hub@${db.citizens}`);
    const headers = hub ? await setUpBenchConsumers(hub.url, stewardKey) : NO_CONSUMER;
    const bodies = bodiesFor(workloads, db.ids, false);
    for (const system of systems) instances.push({ system, label: `${system}@${db.citizens}`, child: started.get(`${system}@${db.citizens}`)!, bodies, headers });
  }
  const notes: string[] = [];
  for (const w of workloads) for (const i of instances.filter((x) => x.system === 'hub')) await awaitPolicy(i, w, notes);

  const steps = workloads.length * instances.length * (options.settings.runs + 1);
  const bar = progress(steps);
  const cells: (CellResult & { citizens: number })[] = [];
  try {
    for (const w of workloads) {
      bar.section(workloadKey(w));
      const measured = await measureWorkload(w, instances, options.settings, (what) => {
        bar.tick();
        bar.step(what);
      });
      cells.push(...measured.map((c) => ({ ...c, citizens: Number(c.label.split('@')[1]) })));
    }
  } finally {
    bar.stop();
  }
  await stopChildren();

  const rows = cells.map(({ runs: _runs, statementsBySource: _s, crossCheck: _c, label: _l, firstError: _f, ...row }) => row);
  const comparisons = workloads.flatMap((w) =>
    systems.map((system) => {
      const small = cells.find((c) => c.system === system && c.workload === w.name && c.citizens === sizes[0]);
      const large = cells.find((c) => c.system === system && c.workload === w.name && c.citizens === sizes[1]);
      const p50Ratio = small && large && small.p50 > 0 ? Math.round((large.p50 / small.p50) * 100) / 100 : null;
      return { system, workload: w.name, p50At100k: small?.p50 ?? null, p50At1M: large?.p50 ?? null, p50Ratio, withinTarget: p50Ratio === null ? null : p50Ratio <= 1.2 };
    }),
  );
  const report = {
    date: new Date().toISOString(),
    machine: machineLine(machine),
    citizens: sizes,
    quick: false,
    results: rows,
    comparisons,
    notes,
    settings: { ...options.settings, poolSize: options.pool },
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
  const md = [
    '# OnceGraph benchmark: 100,000 vs 1,000,000 citizens',
    '',
    `- date: ${report.date}`,
    `- machine: ${report.machine}`,
    `- ${options.settings.runs} interleaved runs of ${options.settings.runSeconds} s per system, size and workload, ${options.settings.connections} connections; medians`,
    '',
    '| workload | system | citizens | req/s | p50 ms | p95 ms | p99 ms | CPU µs/req | SQL/req | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.workload} | ${r.system} | ${r.citizens.toLocaleString('en-US')} | ${r.rps} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuUsPerReq} | ${r.statementsPerReq} | ${r.errors} |`),
    '',
    '| workload | system | p50 at 100 k | p50 at 1 M | ratio | within 1.2× |',
    '| --- | --- | ---: | ---: | ---: | --- |',
    ...comparisons.map((c) => `| ${c.workload} | ${c.system} | ${c.p50At100k ?? '–'} | ${c.p50At1M ?? '–'} | ${c.p50Ratio ?? '–'} | ${c.withinTarget === null ? '–' : c.withinTarget ? 'yes' : 'no'} |`),
    '',
    ...notes.map((n) => `- ${n}`),
    ...cells.filter((c) => c.firstError).map((c) => `- errors in ${c.workload} on ${c.label}: ${c.firstError}`),
    '',
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'scale.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(path.join(RESULTS, 'scale.md'), md);
  console.log(`\n${md}\nWrote bench/results/scale.json and scale.md in ${report.durationSeconds} s.`);
}

async function main(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER;
  try {
    if (options.scale) await scaleRun(options, serverUrl);
    else await standardRun(options, serverUrl);
    return 0;
  } catch (error) {
    console.error(`\nThe bench failed: ${error instanceof Error ? error.message : String(error)}`);
    for (const c of children) c.kill();
    return 1;
  } finally {
    await stopChildren().catch(() => {});
  }
}

process.exit(await main(process.argv.slice(2)));
