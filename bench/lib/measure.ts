/**
 * Measuring one workload on every system: per system a warm-up and a
 * sequential pass (answers checked, statements counted exactly, bytes
 * measured), then timed runs interleaved system by system (A B C … A B C …,
 * the order rotated each round) so that drift of a shared machine falls on
 * every system alike; medians over the runs, and their spread. A system
 * being profiled has V8's profiler running over its timed runs only.
 */
import path from 'node:path';
import { HALF_DENIED, workloadKey, type SystemName, type Workload } from '../workloads.js';
import type { ConsumerHeaders } from './consumers.js';
import type { SystemChild } from './children.js';
import { sampleRss } from './children.js';
import { ask, load, median, type Answer } from './drive.js';
import type { ChildStats } from '../systems/child.js';

export interface Instance {
  system: SystemName;
  /** Label in progress lines and the scale report (`hub`, `hub@1000000`). */
  label: string;
  child: SystemChild;
  /** Bodies per workload key, drawn at random per request. */
  bodies: Map<string, Buffer[]>;
  headers: ConsumerHeaders;
  /** Profile this system's timed runs: one .cpuprofile per workload into this folder. */
  profileDir?: string;
}

export interface Settings {
  /** Seconds of warm-up per system and workload (at least). */
  warmupSeconds: number;
  /**
   * At most this many: above warmupSeconds the warm-up goes on in slices of
   * 0.5 s while the process's CPU per request still falls by more than 5 %
   * per slice (quick mode; the full mode warms for warmupSeconds exactly).
   */
  warmupMaxSeconds: number;
  runSeconds: number;
  runs: number;
  connections: number;
  /** Requests of the sequential pass. */
  sequential: number;
}

/** One run of one system, as measured. */
export interface RunDetail {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  cpuUsPerReq: number;
  statementsPerReq: number;
  requests: number;
  errors: number;
  rssPeakMb: number;
}

export interface CellResult {
  system: SystemName;
  label: string;
  workload: Workload['name'];
  n: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  cpuUsPerReq: number;
  /** Counted in the sequential pass: the statements one request costs on its own. */
  statementsPerReq: number;
  /** Counted during the timed runs: statements over requests served under load (group commit shows here). */
  statementsPerReqUnderLoad: number;
  /** Sequential pass, per database. */
  statementsBySource: Record<string, number>;
  /** Sequential pass, per request: transaction control statements, and the hub's own Database.stats count (a cross-check). */
  crossCheck: Record<string, number>;
  bytes: number;
  rssMb: number;
  errors: number;
  firstError?: string;
  runs: RunDetail[];
  /** Lowest and highest req/s of the timed runs, and the larger distance of either from the median, in % of the median. */
  rpsMin: number;
  rpsMax: number;
  rpsSpreadPct: number;
  /** The profile of the timed runs, when this system was profiled. */
  profile?: ProfiledRuns;
  /** This workload's warm-up on this system: seconds, and CPU per request of its first stretch and each slice after. */
  warmup: { seconds: number; cpuUsPerReq: number[]; capped: boolean };
}

/** What one system's profile covered: every timed run of one workload. */
export interface ProfiledRuns {
  file: string;
  /** Requests served and process CPU (user + system, every thread) over the profiled runs. */
  requests: number;
  cpuUs: number;
  cpuSystemUs: number;
}

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function bodyKey(w: Pick<Workload, 'name' | 'n'>): string {
  return `${w.name}:${w.n}`;
}

/** Request bodies for a workload: one per sampled id, or for batches `count` sets of n distinct random ids. */
export function makeBodies(w: Workload, ids: readonly string[], batches: number): Buffer[] {
  if (w.n === 1) return ids.map((id) => Buffer.from(w.body([id])));
  const bodies: Buffer[] = [];
  for (let b = 0; b < batches; b++) {
    const picked = new Set<string>();
    while (picked.size < Math.min(w.n, ids.length)) picked.add(ids[(Math.random() * ids.length) | 0]);
    bodies.push(Buffer.from(w.body([...picked])));
  }
  return bodies;
}

const pick = (bodies: Buffer[]) => bodies[(Math.random() * bodies.length) | 0];

const sameCounters = (a: ChildStats, b: ChildStats) =>
  a.requests === b.requests && JSON.stringify(a.statements) === JSON.stringify(b.statements) && JSON.stringify(a.extra) === JSON.stringify(b.extra);

/**
 * The counters once the system is quiet: requests cut off at the end of a run
 * still finish on the server (with their statements and audit), and must be
 * counted with the run they belong to, not the next phase.
 */
async function settled(instance: Instance, maxMs = 5000): Promise<ChildStats> {
  let last = await instance.child.stats();
  for (const deadline = Date.now() + maxMs; Date.now() < deadline; ) {
    await sleep(50);
    const now = await instance.child.stats();
    if (sameCounters(last, now)) return now;
    last = now;
  }
  return last;
}

/**
 * Why an answer is wrong, or null. Denied fields in G4 (null plus FORBIDDEN)
 * are the expected answer there; anywhere else any error is a failure.
 */
export function problemWith(w: Workload, system: SystemName, answer: Answer): string | null {
  if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (system === 'static') return null;
  let body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `not JSON: ${answer.text.slice(0, 200)}`;
  }
  const errors = body.errors ?? [];
  const unexpected = errors.filter((e) => !(w.name === 'G4' && e.extensions?.code === 'FORBIDDEN'));
  if (unexpected.length > 0) return `${unexpected[0].extensions?.code ?? 'error'}: ${unexpected[0].message}`;
  const data = body.data;
  switch (w.name) {
    case 'G3':
      if (!Array.isArray(data?.citizens) || data.citizens.length !== w.n || data.citizens.some((c: unknown) => c === null)) return 'citizens missing from the answer';
      break;
    case 'G5':
      if (!data?.prefill) return 'no prefill in the answer';
      break;
    default:
      if (!data?.citizen) return 'no citizen in the answer';
  }
  if (w.name === 'G4' && system !== 'plain-apollo' && errors.length !== HALF_DENIED.length) {
    return `expected ${HALF_DENIED.length} FORBIDDEN errors for the half-granted consumer, got ${errors.length}`;
  }
  return null;
}

function statementsBetween(before: ChildStats, after: ChildStats): Record<string, number> {
  return Object.fromEntries(Object.keys(after.statements).map((s) => [s, after.statements[s] - (before.statements[s] ?? 0)]));
}
const total = (bySource: Record<string, number>) => Object.values(bySource).reduce((a, b) => a + b, 0);

interface Prepared {
  instance: Instance;
  bytes: number;
  statementsPerReq: number;
  statementsBySource: Record<string, number>;
  crossCheck: Record<string, number>;
  errors: number;
  firstError?: string;
  answers: Answer[];
  /** Seconds of warm-up, and the process CPU per request of each of its stretches. */
  warmupSeconds: number;
  warmupCpuUsPerReq: number[];
  /** Stopped by warmupMaxSeconds while CPU per request was still falling. */
  warmupCapped: boolean;
}

const WARMUP_SLICE_SECONDS = 0.5;

async function prepare(w: Workload, instance: Instance, settings: Settings): Promise<Prepared> {
  const bodies = instance.bodies.get(bodyKey(w))!;
  const headers = instance.headers[w.consumer];
  let errors = 0;
  let firstError: string | undefined;
  const warmupCpu: number[] = [];
  let warmed = 0;
  let capped = false;
  if (settings.warmupSeconds > 0) {
    // A first stretch of warmupSeconds, then slices while CPU per request still falls (see Settings.warmupMaxSeconds).
    let seconds = settings.warmupSeconds;
    for (;;) {
      const start = await instance.child.stats();
      const warm = await load({ url: instance.child.url, headers, nextBody: () => pick(bodies), connections: settings.connections, seconds });
      const end = await instance.child.stats();
      errors += warm.errors;
      firstError ??= warm.firstError;
      warmed += seconds;
      const cpu = (end.cpuUs - start.cpuUs) / Math.max(1, end.requests - start.requests);
      const best = Math.min(...warmupCpu);
      warmupCpu.push(Math.round(cpu));
      if (cpu >= 0.95 * best) break;
      if (warmed + WARMUP_SLICE_SECONDS > settings.warmupMaxSeconds + 1e-9) {
        capped = settings.warmupMaxSeconds > settings.warmupSeconds;
        break;
      }
      seconds = WARMUP_SLICE_SECONDS;
    }
  }
  const before = await settled(instance);
  const answers: Answer[] = [];
  for (let i = 0; i < settings.sequential; i++) {
    // The same requests for every system, so that answer sizes compare.
    const answer = await ask(instance.child.url, headers, bodies[i % bodies.length]).catch((error: Error) => ({ status: 0, bytes: 0, text: error.message }));
    answers.push(answer);
    const problem = problemWith(w, instance.system, answer);
    if (problem) {
      errors++;
      firstError ??= problem;
    }
  }
  const after = await instance.child.stats();
  const bySource = statementsBetween(before, after);
  const perSource = Object.fromEntries(Object.entries(bySource).map(([s, n]) => [s, round(n / settings.sequential, 2)]));
  const crossCheck = Object.fromEntries(Object.keys(after.extra).map((k) => [k, round((after.extra[k] - (before.extra[k] ?? 0)) / settings.sequential, 2)]));
  return {
    instance,
    bytes: Math.round(answers.reduce((sum, a) => sum + a.bytes, 0) / Math.max(1, answers.length)),
    statementsPerReq: round(total(bySource) / settings.sequential, 2),
    statementsBySource: perSource,
    crossCheck,
    errors,
    firstError,
    answers,
    warmupSeconds: Math.round(warmed * 10) / 10,
    warmupCpuUsPerReq: warmupCpu,
    warmupCapped: capped,
  };
}

/** The answer of typical size among `answers`: what `static` sends back. */
function typicalAnswer(answers: Answer[]): string {
  const ok = answers.filter((a) => a.status === 200);
  const sorted = [...(ok.length ? ok : answers)].sort((a, b) => a.bytes - b.bytes);
  return sorted[sorted.length >> 1]?.text ?? '{"data":null}';
}

async function timedRun(w: Workload, instance: Instance, settings: Settings): Promise<RunDetail & { firstError?: string; cpuUs: number; cpuSystemUs: number }> {
  const bodies = instance.bodies.get(bodyKey(w))!;
  const before = await instance.child.stats();
  const rss = sampleRss(instance.child);
  const result = await load({
    url: instance.child.url,
    headers: instance.headers[w.consumer],
    nextBody: () => pick(bodies),
    connections: settings.connections,
    seconds: settings.runSeconds,
  });
  const after = await settled(instance);
  const peak = rss.stop();
  const requests = Math.max(1, after.requests - before.requests);
  return {
    rps: result.rps,
    p50: result.p50,
    p95: result.p95,
    p99: result.p99,
    cpuUsPerReq: (after.cpuUs - before.cpuUs) / requests,
    statementsPerReq: total(statementsBetween(before, after)) / requests,
    requests,
    errors: result.errors,
    rssPeakMb: Math.max(peak, after.rssBytes) / 2 ** 20,
    firstError: result.firstError,
    cpuUs: after.cpuUs - before.cpuUs,
    cpuSystemUs: after.cpuSystemUs - before.cpuSystemUs,
  };
}

/** V8's sampling interval while profiling (µs): fine enough for shares of a few seconds of runs, cheap enough not to change them much. */
export const PROFILE_INTERVAL_US = 250;

/** How a system is warmed before its first workload (`warmUpSystem`). */
export interface StartWarmup {
  /** Seconds of load per workload in each round. */
  sliceSeconds: number;
  /** Rounds at least. */
  minRounds: number;
  /** Stop after this many seconds of load whatever the rounds say (0: no start warm-up). */
  maxSeconds: number;
}

export interface WarmupResult {
  /** Seconds of load it took. */
  seconds: number;
  /** Process CPU per request (µs) of each round, over the mix of workloads. */
  rounds: number[];
  /** Why it stopped: CPU per request no longer falling, or the time cap. */
  stopped: 'flat' | 'cap' | 'off';
  errors: number;
  firstError?: string;
}

/**
 * Load on one system before its first workload, so that its first timed runs
 * do not measure V8 still optimising it (bench/README.md, "Warm-up"): rounds
 * of `sliceSeconds` on each workload it takes part in, until two rounds in
 * a row have process CPU per request no longer 5 % below the best earlier
 * round's (at least `minRounds`, at most `maxSeconds`; one flat round alone
 * is too often noise: it stopped the hub while still warming).
 * CPU per request, unlike req/s, hardly moves with other work on the machine,
 * so a busy machine warms longer instead of measuring a cold system.
 * Errors here are counted with the system's first workload.
 */
export async function warmUpSystem(instance: Instance, workloads: readonly Workload[], warmup: StartWarmup, settings: Settings): Promise<WarmupResult> {
  const mine = workloads.filter((w) => w.systems.includes(instance.system));
  const result: WarmupResult = { seconds: 0, rounds: [], stopped: 'off', errors: 0 };
  if (warmup.maxSeconds <= 0 || mine.length === 0) return result;
  const began = performance.now();
  let flat = 0;
  for (;;) {
    const before = await instance.child.stats();
    for (const w of mine) {
      const bodies = instance.bodies.get(bodyKey(w))!;
      const warm = await load({ url: instance.child.url, headers: instance.headers[w.consumer], nextBody: () => pick(bodies), connections: settings.connections, seconds: warmup.sliceSeconds });
      result.errors += warm.errors;
      result.firstError ??= warm.firstError;
    }
    const after = await settled(instance);
    const cpu = (after.cpuUs - before.cpuUs) / Math.max(1, after.requests - before.requests);
    const best = Math.min(...result.rounds);
    result.rounds.push(Math.round(cpu));
    result.seconds = Math.round((performance.now() - began) / 100) / 10;
    flat = cpu >= 0.95 * best ? flat + 1 : 0;
    if (result.rounds.length >= warmup.minRounds && flat >= 2) {
      result.stopped = 'flat';
      break;
    }
    if (result.seconds + mine.length * warmup.sliceSeconds > warmup.maxSeconds) {
      result.stopped = 'cap';
      break;
    }
  }
  return result;
}

/**
 * req/s and process CPU per request in each `bucketMs` over `seconds` of load
 * on `w`: how long a system takes to warm up. CPU per request is read from the
 * process's counters at each bucket's end (over IPC), so it says how warm the
 * code is even when other work on the machine moves req/s about.
 */
export async function throughputCurve(
  w: Workload,
  instance: Instance,
  settings: Settings,
  seconds: number,
  bucketMs: number,
): Promise<{ rps: number[]; cpuUsPerReq: number[]; errors: number; firstError?: string }> {
  const bodies = instance.bodies.get(bodyKey(w))!;
  const marks: ChildStats[] = [await instance.child.stats()];
  let reading = false;
  const timer = setInterval(() => {
    if (reading) return;
    reading = true;
    void instance.child
      .stats()
      .then((s) => void marks.push(s))
      .finally(() => (reading = false));
  }, bucketMs);
  const result = await load({ url: instance.child.url, headers: instance.headers[w.consumer], nextBody: () => pick(bodies), connections: settings.connections, seconds, bucketMs }).finally(() => clearInterval(timer));
  const full = Math.floor((seconds * 1000) / bucketMs);
  const cpuUsPerReq: number[] = [];
  for (let i = 1; i < marks.length && cpuUsPerReq.length < full; i++) {
    const requests = marks[i].requests - marks[i - 1].requests;
    cpuUsPerReq.push(requests > 0 ? Math.round((marks[i].cpuUs - marks[i - 1].cpuUs) / requests) : 0);
  }
  return { rps: (result.buckets ?? []).slice(0, full).map((n) => Math.round((n * 1000) / bucketMs)), cpuUsPerReq, errors: result.errors, firstError: result.firstError };
}

/**
 * Measures `w` on each instance that can answer it. `onStep` is told before
 * each phase (for a progress display). The reference instance's answers
 * (the hub's) give `static` its canned body.
 */
export async function measureWorkload(
  w: Workload,
  instances: Instance[],
  settings: Settings,
  onStep: (what: string) => void,
): Promise<CellResult[]> {
  const prepared: Prepared[] = [];
  // static last: it answers with the typical answer of the systems before it.
  const ordered = [...instances.filter((i) => i.system !== 'static'), ...instances.filter((i) => i.system === 'static')];
  for (const instance of ordered) {
    if (instance.system === 'static') {
      const reference = prepared.find((p) => p.instance.system === 'hub') ?? prepared.find((p) => p.instance.system === 'raw-sql') ?? prepared[0];
      await instance.child.setCanned(reference ? typicalAnswer(reference.answers) : '{"data":null}');
    }
    onStep(`${instance.label}: warm-up`);
    prepared.push(await prepare(w, instance, settings));
  }

  const runs = new Map<Instance, (RunDetail & { firstError?: string; cpuUs: number; cpuSystemUs: number })[]>(ordered.map((i) => [i, []]));
  const profiles = new Map<Instance, string>();
  for (let round = 0; round < settings.runs; round++) {
    const offset = round % ordered.length;
    const order = [...ordered.slice(offset), ...ordered.slice(0, offset)];
    for (const instance of order) {
      onStep(`${instance.label}: run ${round + 1}/${settings.runs}`);
      // The profiler runs from this system's first timed run to its last; in between, while other systems run, it samples an idle process.
      if (instance.profileDir && round === 0) await instance.child.startProfile(PROFILE_INTERVAL_US);
      runs.get(instance)!.push(await timedRun(w, instance, settings));
      if (instance.profileDir && round === settings.runs - 1) {
        const file = path.join(instance.profileDir, `${instance.label}-${workloadKey(w).replace(/[^A-Za-z0-9]+/g, '')}.cpuprofile`);
        await instance.child.stopProfile(file);
        profiles.set(instance, file);
      }
    }
  }

  return prepared.map((p): CellResult => {
    const r = runs.get(p.instance)!;
    const rps = r.map((x) => x.rps);
    const middle = median(rps);
    const profile = profiles.get(p.instance);
    return {
      system: p.instance.system,
      label: p.instance.label,
      workload: w.name,
      n: w.n,
      rps: Math.round(median(r.map((x) => x.rps))),
      p50: round(median(r.map((x) => x.p50)), 2),
      p95: round(median(r.map((x) => x.p95)), 2),
      p99: round(median(r.map((x) => x.p99)), 2),
      cpuUsPerReq: Math.round(median(r.map((x) => x.cpuUsPerReq))),
      statementsPerReq: p.statementsPerReq,
      statementsPerReqUnderLoad: round(median(r.map((x) => x.statementsPerReq)), 2),
      statementsBySource: p.statementsBySource,
      crossCheck: p.crossCheck,
      bytes: p.bytes,
      rssMb: round(Math.max(...r.map((x) => x.rssPeakMb)), 1),
      errors: p.errors + r.reduce((sum, x) => sum + x.errors, 0),
      firstError: p.firstError ?? r.find((x) => x.firstError)?.firstError,
      warmup: { seconds: p.warmupSeconds, cpuUsPerReq: p.warmupCpuUsPerReq, capped: p.warmupCapped },
      rpsMin: Math.round(Math.min(...rps)),
      rpsMax: Math.round(Math.max(...rps)),
      rpsSpreadPct: middle > 0 ? round((Math.max(Math.max(...rps) - middle, middle - Math.min(...rps)) / middle) * 100, 1) : 0,
      ...(profile ? { profile: { file: profile, requests: r.reduce((sum, x) => sum + x.requests, 0), cpuUs: r.reduce((sum, x) => sum + x.cpuUs, 0), cpuSystemUs: r.reduce((sum, x) => sum + x.cpuSystemUs, 0) } } : {}),
      runs: r.map((x) => ({
        rps: Math.round(x.rps),
        p50: round(x.p50, 2),
        p95: round(x.p95, 2),
        p99: round(x.p99, 2),
        cpuUsPerReq: Math.round(x.cpuUsPerReq),
        statementsPerReq: round(x.statementsPerReq, 2),
        requests: x.requests,
        errors: x.errors,
        rssPeakMb: round(x.rssPeakMb, 1),
      })),
    };
  });
}
