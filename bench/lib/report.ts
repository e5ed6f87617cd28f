/**
 * bench/results/latest.json (SPEC §8's shape, plus top-level extras) and
 * bench/results/latest.md, a table a person can read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { workloadKey, type SystemName } from '../workloads.js';
import type { AnswerCheck } from './checks.js';
import { machineLine, type MachineInfo } from './machine.js';
import type { CellResult, Settings, StartWarmup } from './measure.js';
import type { ProfiledCell } from './profile.js';

/** One row exactly as SPEC §8 names it. */
export interface ResultRow {
  system: SystemName;
  workload: string;
  n: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  cpuUsPerReq: number;
  statementsPerReq: number;
  bytes: number;
  rssMb: number;
  errors: number;
}

export interface Ratio {
  system: SystemName;
  workload: string;
  n: number;
  /** Throughput as a share of raw-sql's in the same run. */
  rpsVsRawSql: number | null;
  /** Throughput as a multiple of plain-apollo's in the same run. */
  rpsVsPlainApollo: number | null;
  /** Median latency as a multiple of raw-sql's. */
  p50VsRawSql: number | null;
  /** CPU per request as a multiple of raw-sql's. */
  cpuVsRawSql: number | null;
}

export interface Target {
  goal: string;
  measured: string;
  met: boolean | null;
}

export interface BenchReport {
  date: string;
  machine: string;
  citizens: number;
  quick: boolean;
  results: ResultRow[];
  ratios: Ratio[];
  targets: Target[];
  machineInfo: MachineInfo;
  settings: Settings & { poolSize: number; startWarmup: StartWarmup };
  /** How long each system was warmed before its first workload, and its CPU per request per round (falling, then flat). */
  startWarmup?: Record<string, { seconds: number; stopped: string; cpuUsPerReqByRound: number[] }>;
  database: { name: string; reusedSeed: boolean; seedSeconds: number };
  checks: AnswerCheck[];
  details: Pick<
    CellResult,
    'system' | 'workload' | 'n' | 'rpsMin' | 'rpsMax' | 'rpsSpreadPct' | 'statementsPerReqUnderLoad' | 'statementsBySource' | 'crossCheck' | 'firstError' | 'warmup' | 'runs'
  >[];
  /** With --profile: CPU per request by component, per profiled system and workload. */
  cpuBreakdown?: ProfiledCell[];
  notes: string[];
  durationSeconds: number;
}

const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? null : Math.round((a / b) * 100) / 100);

export function toRows(cells: CellResult[]): ResultRow[] {
  return cells.map((c) => ({
    system: c.system,
    workload: c.workload,
    n: c.n,
    rps: c.rps,
    p50: c.p50,
    p95: c.p95,
    p99: c.p99,
    cpuUsPerReq: c.cpuUsPerReq,
    statementsPerReq: c.statementsPerReq,
    bytes: c.bytes,
    rssMb: c.rssMb,
    errors: c.errors,
  }));
}

function find(rows: ResultRow[], system: SystemName, workload: string, n: number): ResultRow | undefined {
  return rows.find((r) => r.system === system && r.workload === workload && r.n === n);
}

export function ratiosOf(rows: ResultRow[]): Ratio[] {
  return rows.map((r) => {
    const raw = find(rows, 'raw-sql', r.workload, r.n);
    const apollo = find(rows, 'plain-apollo', r.workload, r.n);
    return {
      system: r.system,
      workload: r.workload,
      n: r.n,
      rpsVsRawSql: ratio(r.rps, raw?.rps),
      rpsVsPlainApollo: ratio(r.rps, apollo?.rps),
      p50VsRawSql: ratio(r.p50, raw?.p50),
      cpuVsRawSql: ratio(r.cpuUsPerReq, raw?.cpuUsPerReq),
    };
  });
}

/** Issue 13's goals, against the same run's baselines. */
export function targetsOf(rows: ResultRow[]): Target[] {
  const targets: Target[] = [];
  const vs = (system: SystemName, workload: string, n: number, base: SystemName, goal: number) => {
    const mine = find(rows, system, workload, n);
    const other = find(rows, base, workload, n);
    const r = ratio(mine?.rps, other?.rps);
    targets.push({
      goal: `${workloadKey({ name: workload as never, n })}: ${system} ≥ ${goal.toFixed(1)}× ${base} (req/s)`,
      measured: r === null ? 'not measured' : `${r}×`,
      met: r === null ? null : r >= goal,
    });
  };
  for (const [workload, n] of [['G1', 1], ['G2', 1], ['G3', 100]] as const) vs('hub-registered', workload, n, 'plain-apollo', 1.3);
  vs('hub-registered', 'G2', 1, 'raw-sql', 0.6);
  for (const [workload, n] of [['G1', 1], ['G2', 1], ['G3', 100]] as const) vs('hub', workload, n, 'plain-apollo', 1.0);

  for (const [workload, n] of [
    ['G2', 1],
    ['G3', 100],
  ] as const) {
    const hub = find(rows, 'hub', workload, n);
    const bare = find(rows, 'hub-no-audit', workload, n);
    const goal = `${workloadKey({ name: workload, n })}: audit costs ≤ 15 % throughput and ≤ +3 ms p99 (hub vs hub-no-audit)`;
    if (!hub || !bare) {
      targets.push({ goal, measured: 'not measured', met: null });
      continue;
    }
    const loss = 1 - hub.rps / bare.rps;
    const p99 = hub.p99 - bare.p99;
    targets.push({ goal, measured: `${(loss * 100).toFixed(1)} % throughput, ${p99 >= 0 ? '+' : ''}${p99.toFixed(2)} ms p99`, met: loss <= 0.15 && p99 <= 3 });
  }

  for (const system of ['hub', 'hub-registered'] as const) {
    const g2 = find(rows, system, 'G2', 1);
    const linked = [1, 10, 100].map((n) => find(rows, system, 'G3', n)).filter((r): r is ResultRow => !!r);
    if (!g2 && !linked.length) continue;
    const all = [...(g2 ? [g2] : []), ...linked];
    // citizens (registry), licenses (licensing), cases (cases): one level each, plus one audit insert.
    targets.push({
      goal: `${system}: statements per request unchanged, one per database per level (+1 audit insert) = 4 at G2 and G3, flat in N`,
      measured: all.map((r) => `${workloadKey({ name: r.workload as never, n: r.n })} ${r.statementsPerReq}`).join(', '),
      met: all.every((r) => r.statementsPerReq <= 4) && new Set(all.map((r) => r.statementsPerReq)).size === 1,
    });
  }

  // Peak RSS of the process over the whole run: the largest of its per-workload peaks (RSS hardly shrinks between workloads), over the workloads both ran.
  const apollo = rows.filter((r) => r.system === 'plain-apollo');
  for (const system of ['hub', 'hub-registered'] as const) {
    const mine = rows.filter((r) => r.system === system && apollo.some((a) => a.workload === r.workload && a.n === r.n));
    if (!mine.length) continue;
    const peak = Math.max(...mine.map((r) => r.rssMb));
    const base = Math.max(...apollo.filter((a) => mine.some((r) => r.workload === a.workload && r.n === a.n)).map((a) => a.rssMb));
    const r = ratio(peak, base);
    targets.push({
      goal: `${system}: peak RSS ≤ 1.5× plain-apollo's (the largest per-workload peak of each process, over the workloads both ran)`,
      measured: r === null ? 'not measured' : `${peak.toFixed(0)} MB vs ${base.toFixed(0)} MB = ${r}×`,
      met: r === null ? null : r <= 1.5,
    });
  }
  return targets;
}

const fmt = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? '–' : value.toFixed(digits));
const int = (value: number) => Math.round(value).toLocaleString('en-US');

export function toMarkdown(report: BenchReport): string {
  const lines: string[] = [];
  const s = report.settings;
  lines.push(`# OnceGraph benchmark${report.quick ? ' (quick)' : ''}`, '');
  lines.push(`- date: ${report.date}`);
  lines.push(`- machine: ${report.machine} (load average ${report.machineInfo.loadAtStart} at start)`);
  lines.push(`- data: ${int(report.citizens)} citizens in \`${report.database.name}\` (${report.database.reusedSeed ? 'seed reused' : `seeded in ${report.database.seedSeconds.toFixed(1)} s`})`);
  const startText = report.startWarmup
    ? `before its first workload each system is warmed in rounds of ${s.startWarmup.sliceSeconds} s per workload until its CPU per request stops falling (at most ${s.startWarmup.maxSeconds} s: ${Object.entries(
        report.startWarmup,
      )
        .map(([system, w]) => `${system} ${w.seconds} s${w.stopped === 'cap' ? ' (capped)' : ''}`)
        .join(', ')}); then `
    : '';
  lines.push(
    `- load: ${s.connections} keep-alive connections; ${startText}per system and workload ${s.warmupMaxSeconds > s.warmupSeconds ? `${s.warmupSeconds}–${s.warmupMaxSeconds} s warm-up (in 0.5 s slices after the first ${s.warmupSeconds} s while CPU per request still falls by 5 %)` : `${s.warmupSeconds} s warm-up`}, ${s.sequential} sequential requests (answers checked, statements counted), then ${s.runs} timed run${s.runs === 1 ? '' : 's'} of ${s.runSeconds} s interleaved across systems; medians of the runs, spread = the farthest run from the median`,
  );
  lines.push(`- every system: its own process, NODE_ENV=production, ${s.poolSize} connections per department database; duration ${Math.round(report.durationSeconds)} s`, '');

  lines.push('| workload | system | req/s | spread | p50 ms | p95 ms | p99 ms | CPU µs/req | SQL/req (alone · under load) | bytes | RSS MB | errors | × raw-sql | × plain-apollo |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  let previous = '';
  for (const r of report.results) {
    const key = workloadKey({ name: r.workload as never, n: r.n });
    const ratioRow = report.ratios.find((x) => x.system === r.system && x.workload === r.workload && x.n === r.n);
    const detail = report.details.find((x) => x.system === r.system && x.workload === r.workload && x.n === r.n);
    lines.push(
      `| ${key === previous ? '' : key} | ${r.system} | ${int(r.rps)} | ${detail ? `±${fmt(detail.rpsSpreadPct, 1)} %` : '–'} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${int(r.cpuUsPerReq)} | ${fmt(r.statementsPerReq)} · ${fmt(detail?.statementsPerReqUnderLoad)} | ${int(r.bytes)} | ${fmt(r.rssMb, 0)} | ${r.errors} | ${fmt(ratioRow?.rpsVsRawSql)} | ${fmt(ratioRow?.rpsVsPlainApollo)} |`,
    );
    previous = key;
  }
  lines.push('');
  lines.push('Ratios are of requests per second in this run. "spread" is the farthest timed run from the median, in % of the median (min and max req/s are in the json\'s `details`).');
  lines.push('hub-registered is the hub sent the same operations by hash (registered for its consumer; no text in the request). "SQL/req alone" is counted over the sequential requests (one request at a time);');
  lines.push('"under load" over the timed runs, where the hub\'s group-committed audit shares its statements between concurrent requests.');
  lines.push('G4 is the half-granted consumer: the hub and raw-sql answer four fields (two masked) and four FORBIDDEN errors; plain-apollo has no access control and answers every field.');
  lines.push('');
  const slow = report.details.filter((d) => d.warmup?.capped);
  if (slow.length) {
    lines.push(
      `Warm-up per workload stopped by its ${s.warmupMaxSeconds} s cap while CPU per request was still falling (their first runs may be cold: see the spread): ${slow
        .map((d) => `${workloadKey({ name: d.workload as never, n: d.n })} ${d.system} (${d.warmup.cpuUsPerReq.join(' → ')})`)
        .join('; ')}.`,
      '',
    );
  }
  if (report.startWarmup) {
    lines.push(
      `Start warm-up, process CPU µs per request of each round over the system's workloads (it stops after two rounds in a row no longer 5 % below the best before; raw-sql and static have none): ${Object.entries(report.startWarmup)
        .map(([system, w]) => `${system} ${w.cpuUsPerReqByRound.join(' → ')}${w.stopped === 'cap' ? ' (stopped by the time cap: may still be warming)' : ''}`)
        .join('; ')}.`,
      '',
    );
  }

  if (report.targets.length) {
    lines.push('## Issue 13 targets (against this run)', '');
    lines.push('| goal | measured | met |', '| --- | --- | --- |');
    for (const t of report.targets) lines.push(`| ${t.goal} | ${t.measured} | ${t.met === null ? '–' : t.met ? 'yes' : 'no'} |`);
    lines.push('');
  }

  if (report.cpuBreakdown?.length) lines.push(...cpuBreakdownMarkdown(report.cpuBreakdown));

  const bySource = report.details.filter((d) => d.system === 'hub' && Object.keys(d.statementsBySource).length);
  if (bySource.length) {
    lines.push('## Hub statements per request, by database (one request at a time)', '');
    lines.push('Counted at the driver (postgres.js) in the hub\'s process; transaction control (BEGIN/COMMIT) apart; the last column is the hub\'s own count (Database.stats, through drizzle) as a cross-check.', '');
    const sources = [...new Set(bySource.flatMap((d) => Object.keys(d.statementsBySource)))];
    lines.push(`| workload | ${sources.join(' | ')} | total | BEGIN/COMMIT | Database.stats |`, `| --- | ${sources.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`);
    for (const d of bySource) {
      const totalOf = Object.values(d.statementsBySource).reduce((a, b) => a + b, 0);
      lines.push(
        `| ${workloadKey({ name: d.workload as never, n: d.n })} | ${sources.map((s) => fmt(d.statementsBySource[s] ?? 0)).join(' | ')} | ${fmt(totalOf)} | ${fmt(d.crossCheck.transactionControl)} | ${fmt(d.crossCheck.drizzleStatements)} |`,
      );
    }
    lines.push('');
  }

  if (report.checks.length) {
    lines.push('## Same answers', '');
    const bad = report.checks.filter((c) => !c.sameAnswer);
    const notBytes = report.checks.filter((c) => c.sameAnswer && !c.sameBytes);
    lines.push(bad.length === 0 ? `All ${report.checks.length} comparisons with the hub's answers agree.` : `${bad.length} of ${report.checks.length} comparisons with the hub's answers differ:`);
    for (const c of bad) lines.push(`- ${workloadKey({ name: c.workload as never, n: c.n })} ${c.system}: ${c.note}`);
    for (const c of notBytes) lines.push(`- ${workloadKey({ name: c.workload as never, n: c.n })} ${c.system}: same data, different bytes`);
    lines.push('');
  }

  const failing = report.details.filter((d) => d.firstError);
  if (report.notes.length || failing.length) {
    lines.push('## Notes', '');
    for (const note of report.notes) lines.push(`- ${note}`);
    for (const d of failing) lines.push(`- errors in ${workloadKey({ name: d.workload as never, n: d.n })} on ${d.system}: ${d.firstError}`);
    lines.push('');
  }
  return lines.join('\n');
}

function cpuBreakdownMarkdown(cells: ProfiledCell[]): string[] {
  const lines: string[] = ['## CPU per request by component', ''];
  lines.push(
    'From V8 CPU profiles of the profiled systems\' timed runs only (sampled every 250 µs through node:inspector; no start-up, no warm-up, no sequential pass).',
    'Each sample\'s self time goes to the component of the innermost frame on its stack that names one (`bench/lib/profile.ts`): a socket write called by postgres.js is department I/O, one called by Fastify\'s reply HTTP;',
    'time with no such frame on its stack (event loop, microtask queue, stream plumbing) is shared out in proportion to what it called (the "shared out" row says how much).',
    '**µs/req = the component\'s share of the sampled busy time × the process CPU per request over the same runs** (process.cpuUsage, every thread; the sampler sees the main thread only, in wall time, so its total differs a little).',
    'Top functions: self time as sampled (wall time of the main thread) / requests.',
    '',
  );
  const workloads = [...new Map(cells.map((c) => [`${c.workload}:${c.n}`, c])).values()];
  for (const w of workloads) {
    const mine = cells.filter((c) => c.workload === w.workload && c.n === w.n);
    lines.push(`### ${workloadKey({ name: w.workload as never, n: w.n })}`, '');
    lines.push(`| component | ${mine.map((c) => `${c.system} µs/req | %`).join(' | ')} |`);
    lines.push(`| --- | ${mine.map(() => '---: | ---:').join(' | ')} |`);
    const components = mine[0].components.map((x) => x.component);
    for (const component of components) {
      const cellsOf = mine.map((c) => c.components.find((x) => x.component === component)!);
      if (cellsOf.every((x) => x.share === 0) && component !== 'other') continue;
      lines.push(`| ${component} | ${cellsOf.map((x) => `${fmt(x.usPerReq, 0)} | ${fmt(x.share * 100, 1)}`).join(' | ')} |`);
    }
    lines.push(`| **total** (process CPU) | ${mine.map((c) => `**${int(c.cpuUsPerReq)}** | 100`).join(' | ')} |`);
    lines.push(`| of it in the kernel (system CPU) | ${mine.map((c) => `${int(c.cpuSystemUsPerReq)} | ${fmt((c.cpuSystemUsPerReq / Math.max(1, c.cpuUsPerReq)) * 100, 1)}`).join(' | ')} |`);
    lines.push(`| sampled main thread | ${mine.map((c) => `${int(c.sampledUsPerReq)} | `).join(' | ')} |`);
    lines.push(`| of it shared out in proportion | ${mine.map((c) => ` | ${fmt(c.sharedOut * 100, 1)}`).join(' | ')} |`);
    lines.push(`| requests profiled | ${mine.map((c) => `${int(c.requests)} | `).join(' | ')} |`, '');
    for (const c of mine) {
      lines.push(`<details><summary>${c.system}: top ${c.top.length} self-time functions (${c.file})</summary>`, '');
      lines.push('| µs/req | ms | component | function |', '| ---: | ---: | --- | --- |');
      for (const f of c.top) lines.push(`| ${fmt(f.usPerReq, 1)} | ${fmt(f.ms, 0)} | ${f.component} | \`${f.name.replace(/\|/g, '\\|')}\` |`);
      lines.push('', '</details>', '');
    }
  }
  return lines;
}

export function writeReport(dir: string, report: BenchReport, alsoAs: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(report, null, 2) + '\n';
  const md = toMarkdown(report) + '\n';
  for (const name of ['latest', alsoAs]) {
    writeFileSync(path.join(dir, `${name}.json`), json);
    writeFileSync(path.join(dir, `${name}.md`), md);
  }
  return { json: path.join(dir, 'latest.json'), md: path.join(dir, 'latest.md') };
}

export { machineLine };
