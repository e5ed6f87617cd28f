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
import { HUB_SYSTEMS, registeredBody, SYSTEMS, WORKLOADS, workloadKey, type SystemName, type Workload } from './workloads.js';
import { prepareBenchDatabase, type BenchDatabase } from './lib/database.js';
import { SystemChild, type SystemSpec } from './lib/children.js';
import { setUpBenchConsumers, type BenchConsumers, type ConsumerHeaders } from './lib/consumers.js';
import {
  bodyKey,
  makeBodies,
  measureWorkload,
  problemWith,
  throughputCurve,
  warmUpSystem,
  type CellResult,
  type Instance,
  type Settings,
  type StartWarmup,
  type WarmupResult,
} from './lib/measure.js';
import { profileCell, type ProfiledCell } from './lib/profile.js';
import { compareAnswers, type AnswerCheck } from './lib/checks.js';
import { ask, median } from './lib/drive.js';
import { describeMachine, machineLine } from './lib/machine.js';
import { everyDatabaseAt } from '../src/db/databases.js';
import { ratiosOf, targetsOf, toRows, writeReport, type BenchReport } from './lib/report.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Quick mode (CI): the hub's throughput at G2 climbs for its first ~5 s of
 * load while V8 optimises it (see bench/README.md, "Warm-up"), so each system
 * gets a start warm-up over all its workloads before its first one, then a
 * short warm-up per workload; three runs per cell, for a median and a spread.
 */
const QUICK = { runs: 3, runSeconds: 1, warmupSeconds: 0.5, warmupMaxSeconds: 3, sequential: 10, startWarmup: { sliceSeconds: 0.3, minRounds: 2, maxSeconds: 12 } } as const;

const USAGE = `Usage: npm run bench -- [options]

  --quick              small seed (20,000 citizens), short runs: under five minutes (CI runs this)
  --citizens N         citizens to seed (default 100,000; a seed of the same size is reused)
  --scale              seed 1,000,000 citizens and compare G1/G2 latency with 100,000 (writes results/scale.*)
  --curve              warm-up curves: req/s and CPU per request per 0.5 s over the first 15 s of each system
                       (a fresh process each, --runs times, G2 unless --workloads; writes results/warmup.*)
  --systems a,b        only these systems (${SYSTEMS.join(', ')})
  --workloads a,b      only these workloads (G1, G2, G3, G4, G5)
  --runs N             timed runs per system and workload (default 5; quick ${QUICK.runs})
  --duration S         seconds per timed run (default 5; quick ${QUICK.runSeconds})
  --warmup S           seconds of warm-up per system and workload (default 3; quick ${QUICK.warmupSeconds}, then
                       0.5 s more at a time while CPU per request still falls, up to ${QUICK.warmupMaxSeconds} s)
  --start-warmup S     before its first workload, warm each GraphQL system (not raw-sql, static) over all
                       its workloads in rounds of ${QUICK.startWarmup.sliceSeconds} s per workload until its CPU per request
                       stops falling, for at most S seconds (default 0: none; quick ${QUICK.startWarmup.maxSeconds})
  --connections N      concurrent keep-alive connections (default 8)
  --pool N             connections per department database in every system (default 4)
  --profile a,b        profile these systems' timed runs (V8's sampler through node:inspector): one
                       .cpuprofile per system and workload in bench/results/profiles/, and a CPU
                       breakdown by component in the report
  --help               this text

PostgreSQL: BENCH_DATABASE_URL names the server (default ${DEFAULT_SERVER});
the bench creates and uses its own database oncegraph_bench_<citizens> there.`;

interface Options {
  quick: boolean;
  scale: boolean;
  curve: boolean;
  citizens: number;
  systems: SystemName[];
  workloads: string[];
  settings: Settings;
  /** Warm-up of each system before its first workload (measure.ts, warmUpSystem). */
  startWarmup: StartWarmup;
  pool: number;
  profile: SystemName[];
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
        curve: { type: 'boolean' },
        'start-warmup': { type: 'string' },
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
  const workloads = values.workloads ? values.workloads.split(',').map((w) => w.trim().toUpperCase()) : values.curve ? ['G2'] : ['G1', 'G2', 'G3', 'G4', 'G5'];
  for (const w of workloads) if (!['G1', 'G2', 'G3', 'G4', 'G5'].includes(w)) throw new UsageError(`unknown workload "${w}"`);
  const profile = values.profile ? values.profile.split(',').map((s) => s.trim()) : [];
  for (const s of profile) {
    if (!SYSTEMS.includes(s as SystemName)) throw new UsageError(`--profile takes system names (${SYSTEMS.join(', ')}), not "${s}"`);
    if (!systems.includes(s)) throw new UsageError(`--profile ${s}: ${s} is not among the systems of this run`);
  }
  const startWarmup = values['start-warmup'] === undefined ? undefined : Number(values['start-warmup']);
  if (startWarmup !== undefined && !(Number.isFinite(startWarmup) && startWarmup >= 0)) throw new UsageError(`--start-warmup must be a number of seconds ≥ 0, not "${values['start-warmup']}"`);
  return {
    quick,
    scale: values.scale ?? false,
    curve: values.curve ?? false,
    citizens: positive('citizens', values.citizens, quick ? 20_000 : 100_000),
    systems: systems as SystemName[],
    workloads,
    pool: positive('pool', values.pool, 4),
    profile: profile as SystemName[],
    startWarmup: { ...QUICK.startWarmup, maxSeconds: startWarmup ?? (quick ? QUICK.startWarmup.maxSeconds : 0) },
    settings: {
      runs: positive('runs', values.runs, quick ? QUICK.runs : 5),
      runSeconds: positive('duration', values.duration, quick ? QUICK.runSeconds : 5, false),
      warmupSeconds: positive('warmup', values.warmup, quick ? QUICK.warmupSeconds : 3, false),
      warmupMaxSeconds: quick ? Math.max(QUICK.warmupMaxSeconds, positive('warmup', values.warmup, QUICK.warmupSeconds, false)) : positive('warmup', values.warmup, 3, false),
      connections: positive('connections', values.connections, 8),
      sequential: quick ? QUICK.sequential : 200,
    },
  };
}

const SYSTEM_FILES: Record<SystemName, { file: string; env?: Record<string, string> }> = {
  hub: { file: 'hub.ts' },
  // The same program as hub (audit on), in a process of its own; its consumers' operations are registered and sent by hash.
  'hub-registered': { file: 'hub.ts' },
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
const NO_CONSUMERS: BenchConsumers = { adHoc: NO_CONSUMER, registered: NO_CONSUMER };

/** The hub process the runner sets the consumers up through. */
const setupHub = (started: Map<string, SystemChild>, suffix = '') =>
  HUB_SYSTEMS.map((s) => started.get(`${s}${suffix}`)).find((c): c is SystemChild => c !== undefined);

/**
 * One system's instance: hub-registered sends the same requests by hash (its
 * i-th body is the i-th ad hoc body without the text) as the registered
 * consumers; every other system the ad hoc bodies as the ad hoc consumers.
 */
function instanceOf(system: SystemName, label: string, child: SystemChild, adHocBodies: Map<string, Buffer[]>, consumers: BenchConsumers): Instance {
  if (system !== 'hub-registered') return { system, label, child, bodies: adHocBodies, headers: consumers.adHoc };
  const bodies = new Map([...adHocBodies].map(([key, list]) => [key, list.map((b) => Buffer.from(registeredBody(b.toString('utf8'))))]));
  return { system, label, child, bodies, headers: consumers.registered };
}

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
  const hubChild = setupHub(started);
  const consumers = hubChild ? await setUpBenchConsumers(hubChild.url, stewardKey) : NO_CONSUMERS;
  if (!hubChild) notes.push('No hub in this run: the bench consumers were not set up, and answers were not compared.');
  const bodies = bodiesFor(workloads, db.ids, options.quick);
  const instances: Instance[] = options.systems.map((system) => instanceOf(system, system, started.get(system)!, bodies, consumers));
  let profileDir: string | undefined;
  if (options.profile.length) {
    profileDir = path.join(RESULTS, 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
    mkdirSync(profileDir, { recursive: true });
    for (const i of instances) if (options.profile.includes(i.system)) i.profileDir = profileDir;
  }

  // G5 only once prefill answers: a probe must come back without errors.
  const g5 = workloads.find((w) => w.name === 'G5');
  const hubInstances = instances.filter((i) => HUB_SYSTEMS.includes(i.system));
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
    const others = instances.filter((i) => i.system === 'raw-sql' || i.system === 'plain-apollo' || i.system === 'hub-registered');
    for (const w of workloads) checks.push(...(await compareAnswers(w, hub, others, options.quick ? 2 : 5)));
    const differing = checks.filter((c) => !c.sameAnswer);
    if (differing.length) console.log(`  warning: ${differing.length} answers differ from the hub's (see the report)`);
  }

  const cellsPerWorkload = (w: Workload) => instances.filter((i) => w.systems.includes(i.system)).length;
  // The systems with a GraphQL server in them; raw-sql (flat after ~2 s of load) and static (a canned body)
  // are warm within their first workload's own warm-up (up to warmupMaxSeconds).
  const warming = options.startWarmup.maxSeconds > 0 ? instances.filter((i) => i.system !== 'static' && i.system !== 'raw-sql') : [];
  const steps = warming.length + workloads.reduce((sum, w) => sum + cellsPerWorkload(w) * (options.settings.runs + 1), 0);
  const bar = progress(steps);
  const cells: CellResult[] = [];
  const warmups = new Map<SystemName, WarmupResult>();
  const warmupErrors = new Map<SystemName, { errors: number; firstError?: string }>();
  try {
    // Each system warmed over all its workloads before the first (one at a time: two cores).
    if (warming.length) bar.section('start warm-up');
    for (const i of warming) {
      bar.tick();
      bar.step(`${i.label}: warm-up`);
      const warm = await warmUpSystem(i, workloads, options.startWarmup, options.settings);
      warmups.set(i.system, warm);
      warmupErrors.set(i.system, warm);
      if (!process.stdout.isTTY) console.log(`  ${i.label} warmed for ${warm.seconds} s (${warm.stopped}); CPU µs/req per round: ${warm.rounds.join(' ')}`);
    }
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
      for (const c of measured) {
        // Errors of the start warm-up count with the system's first cell.
        const warm = warmupErrors.get(c.system);
        if (warm && (warm.errors > 0 || warm.firstError)) {
          c.errors += warm.errors;
          c.firstError ??= warm.firstError && `in the start warm-up: ${warm.firstError}`;
        }
        warmupErrors.delete(c.system);
      }
      cells.push(...measured);
      if (!process.stdout.isTTY) {
        for (const c of measured) console.log(`  ${workloadKey(w).padEnd(9)} ${c.system.padEnd(14)} ${String(c.rps).padStart(6)} req/s ±${String(c.rpsSpreadPct).padStart(4)} %  p50 ${c.p50.toFixed(2)} ms  p99 ${c.p99.toFixed(2)} ms  ${c.statementsPerReq} SQL/req  errors ${c.errors}`);
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

  const cpuBreakdown: ProfiledCell[] = [];
  for (const c of cells) if (c.profile) cpuBreakdown.push(profileCell(c, c.profile));
  if (cpuBreakdown.length) {
    notes.push(
      `Profiled (${options.profile.join(', ')}): V8's sampler ran over these systems' timed runs, so their req/s and CPU carry its cost (a few %); profiles in ${path.relative(process.cwd(), profileDir!)}.`,
    );
  }

  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: machineLine(machine),
    citizens: options.citizens,
    quick: options.quick,
    results,
    ratios: ratiosOf(results),
    targets: targetsOf(results),
    machineInfo: machine,
    settings: { ...options.settings, startWarmup: options.startWarmup, poolSize: options.pool },
    ...(warmups.size ? { startWarmup: Object.fromEntries([...warmups].map(([system, w]) => [system, { seconds: w.seconds, stopped: w.stopped, cpuUsPerReqByRound: w.rounds }])) } : {}),
    database: { name: db.name, reusedSeed: !db.seeded, seedSeconds: db.seedMs / 1000 },
    checks,
    details: cells.map((c) => ({
      system: c.system,
      workload: c.workload,
      n: c.n,
      rpsMin: c.rpsMin,
      rpsMax: c.rpsMax,
      rpsSpreadPct: c.rpsSpreadPct,
      statementsPerReqUnderLoad: c.statementsPerReqUnderLoad,
      statementsBySource: c.statementsBySource,
      crossCheck: c.crossCheck,
      firstError: c.firstError,
      warmup: c.warmup,
      runs: c.runs,
    })),
    ...(cpuBreakdown.length ? { cpuBreakdown } : {}),
    notes,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
  const written = writeReport(RESULTS, report, options.quick ? 'quick' : 'full');
  console.log(`\nWrote ${path.relative(process.cwd(), written.json)} and ${path.relative(process.cwd(), written.md)} in ${report.durationSeconds} s.`);
  console.log(
    `\n${results
      .map((r) => `${workloadKey({ name: r.workload as never, n: r.n }).padEnd(9)} ${r.system.padEnd(14)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50.toFixed(2).padStart(6)}  p99 ${r.p99.toFixed(2).padStart(6)} ms  ${String(r.cpuUsPerReq).padStart(5)} µs CPU  ${String(r.statementsPerReq).padStart(5)} SQL  errors ${r.errors}`)
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
    const consumers = hub ? await setUpBenchConsumers(hub.url, stewardKey) : NO_CONSUMERS;
    const bodies = bodiesFor(workloads, db.ids, false);
    for (const system of systems) instances.push(instanceOf(system, `${system}@${db.citizens}`, started.get(`${system}@${db.citizens}`)!, bodies, consumers));
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

/**
 * `--curve`: how long each system takes to warm up. Each system is started
 * afresh (one at a time, nothing else of the bench loading the machine) and
 * driven for 15 s from its first request: req/s and CPU µs per request per
 * 0.5 s; `--runs` repetitions (a new process each), medians per 0.5 s. The
 * consumers are set up beforehand through a hub process of their own, so a
 * measured hub has seen nothing but a policy probe.
 */
async function curveRun(options: Options, serverUrl: string): Promise<void> {
  const SECONDS = 15;
  const BUCKET_MS = 500;
  const startedAt = Date.now();
  const db = await prepareBenchDatabase(serverUrl, options.citizens, Math.min(options.citizens, options.quick ? 5000 : 20_000), (line) => console.log(`  ${line}`));
  const machine = describeMachine(db.serverVersion);
  const stewardKey = `bench-steward-${randomBytes(16).toString('hex')}`;
  const workloads = WORKLOADS.filter((w) => options.workloads.includes(w.name));
  const setup = (await startSystems([{ system: 'hub', label: 'setup', db }], stewardKey, options)).get('setup')!;
  const consumers = await setUpBenchConsumers(setup.url, stewardKey);
  await stopChildren();
  const bodies = bodiesFor(workloads, db.ids, options.quick);
  const notes: string[] = [];
  type Curve = { system: SystemName; workload: string; n: number; startSeconds: number[]; rps: number[][]; cpuUsPerReq: number[][]; errors: number };
  const curves: Curve[] = [];
  const medianAt = (series: number[][], i: number) => Math.round(median(series.map((s) => s[i]).filter((x): x is number => x !== undefined)));
  for (const w of workloads) {
    for (const system of options.systems.filter((s) => w.systems.includes(s))) {
      const curve: Curve = { system, workload: w.name, n: w.n, startSeconds: [], rps: [], cpuUsPerReq: [], errors: 0 };
      curves.push(curve);
      for (let run = 0; run < options.settings.runs; run++) {
        const began = performance.now();
        const child = (await startSystems([{ system, label: system, db }], stewardKey, options)).get(system)!;
        curve.startSeconds.push(Math.round((performance.now() - began) / 100) / 10);
        const instance = instanceOf(system, system, child, bodies, consumers);
        if (HUB_SYSTEMS.includes(system)) await awaitPolicy(instance, w, notes);
        const measured = await throughputCurve(w, instance, options.settings, SECONDS, BUCKET_MS);
        await stopChildren();
        curve.rps.push(measured.rps);
        curve.cpuUsPerReq.push(measured.cpuUsPerReq);
        curve.errors += measured.errors;
        console.log(`  ${workloadKey(w)} ${system.padEnd(14)} run ${run + 1}: req/s per 0.5 s ${measured.rps.join(' ')}; CPU µs/req ${measured.cpuUsPerReq.join(' ')}${measured.errors ? `  (${measured.errors} errors: ${measured.firstError})` : ''}`);
      }
    }
  }
  const md = [
    '# OnceGraph benchmark: warm-up curves',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${machineLine(machine)} (load average ${machine.loadAtStart} at start)`,
    `- ${db.citizens.toLocaleString('en-US')} citizens; each system started afresh and driven for ${SECONDS} s from its first request, ${options.settings.connections} connections; ` +
      `${options.settings.runs} time${options.settings.runs === 1 ? '' : 's'} (a new process each), medians per ${BUCKET_MS / 1000} s of req/s and of process CPU µs per request`,
    '',
    ...workloads.flatMap((w) => {
      const mine = curves.filter((c) => c.workload === w.name && c.n === w.n);
      const rows = Math.max(0, ...mine.flatMap((c) => c.rps.map((r) => r.length)));
      return [
        `| ${workloadKey(w)}: s | ${mine.map((c) => `${c.system} req/s | µs/req`).join(' | ')} |`,
        `| ---: | ${mine.map(() => '---: | ---:').join(' | ')} |`,
        ...Array.from({ length: rows }, (_, i) => `| ${((i + 1) * BUCKET_MS) / 1000} | ${mine.map((c) => `${medianAt(c.rps, i)} | ${medianAt(c.cpuUsPerReq, i)}`).join(' | ')} |`),
        '',
        `Start-up (fork to listening): ${mine.map((c) => `${c.system} ${median(c.startSeconds)} s`).join(', ')}.`,
        '',
      ];
    }),
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'warmup.json'), JSON.stringify({ date: new Date().toISOString(), machine: machineLine(machine), citizens: db.citizens, bucketMs: BUCKET_MS, curves, notes }, null, 2) + '\n');
  writeFileSync(path.join(RESULTS, 'warmup.md'), md);
  console.log(`\n${md}\nWrote bench/results/warmup.json and warmup.md in ${Math.round((Date.now() - startedAt) / 1000)} s.`);
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
    if (options.curve) await curveRun(options, serverUrl);
    else if (options.scale) await scaleRun(options, serverUrl);
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
