/**
 * bench/results/latest.json (SPEC §8's shape, plus top-level extras) and
 * bench/results/latest.md, a table a person can read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { workloadKey, type SystemName } from '../workloads.js';
import type { AnswerCheck } from './checks.js';
import { machineLine, type MachineInfo } from './machine.js';
import type { CellResult, Settings } from './measure.js';

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
  settings: Settings & { poolSize: number };
  database: { name: string; reusedSeed: boolean; seedSeconds: number };
  checks: AnswerCheck[];
  details: Pick<CellResult, 'system' | 'workload' | 'n' | 'statementsPerReqUnderLoad' | 'statementsBySource' | 'crossCheck' | 'firstError' | 'runs'>[];
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

/** Issue 7's goals for the hub, against the same run's baselines. */
export function targetsOf(rows: ResultRow[]): Target[] {
  const targets: Target[] = [];
  const vs = (workload: string, n: number, base: SystemName, goal: number, label: string) => {
    const hub = find(rows, 'hub', workload, n);
    const other = find(rows, base, workload, n);
    const r = ratio(hub?.rps, other?.rps);
    targets.push({ goal: `${label}: hub ≥ ${goal}× ${base} (req/s)`, measured: r === null ? 'not measured' : `${r}×`, met: r === null ? null : r >= goal });
  };
  vs('G2', 1, 'raw-sql', 0.8, 'G2');
  vs('G3', 100, 'raw-sql', 0.6, 'G3 n=100');
  vs('G2', 1, 'plain-apollo', 1.5, 'G2');
  vs('G3', 100, 'plain-apollo', 2, 'G3 n=100');

  const linked = [1, 10, 100].map((n) => find(rows, 'hub', 'G3', n)).filter((r): r is ResultRow => !!r);
  const g2 = find(rows, 'hub', 'G2', 1);
  if (g2 || linked.length) {
    const counts = [...(g2 ? [`G2 ${g2.statementsPerReq}`] : []), ...linked.map((r) => `G3 n=${r.n} ${r.statementsPerReq}`)];
    const all = [...(g2 ? [g2] : []), ...linked].map((r) => r.statementsPerReq);
    // citizens (registry), licenses (licensing), cases (cases): one level each, plus one audit insert.
    targets.push({ goal: 'statements per request = one per database per level (+1 audit insert) = 4, independent of N', measured: counts.join(', '), met: all.every((c) => c <= 4) && new Set(all).size === 1 });
  }
  for (const [workload, n] of [
    ['G2', 1],
    ['G3', 100],
  ] as const) {
    const hub = find(rows, 'hub', workload, n);
    const bare = find(rows, 'hub-no-audit', workload, n);
    if (!hub || !bare) continue;
    const loss = 1 - hub.rps / bare.rps;
    const p99 = hub.p99 - bare.p99;
    targets.push({
      goal: `${workloadKey({ name: workload, n })}: audit costs ≤ 10 % throughput and ≤ 1 ms p99`,
      measured: `${(loss * 100).toFixed(1)} % throughput, ${p99 >= 0 ? '+' : ''}${p99.toFixed(2)} ms p99`,
      met: loss <= 0.1 && p99 <= 1,
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
  lines.push(
    `- load: ${s.connections} keep-alive connections; per system and workload ${s.warmupSeconds} s warm-up, ${s.sequential} sequential requests (answers checked, statements counted), then ${s.runs} timed run${s.runs === 1 ? '' : 's'} of ${s.runSeconds} s interleaved across systems; medians of the runs`,
  );
  lines.push(`- every system: its own process, NODE_ENV=production, ${s.poolSize} connections per department database; duration ${Math.round(report.durationSeconds)} s`, '');

  lines.push('| workload | system | req/s | p50 ms | p95 ms | p99 ms | CPU µs/req | SQL/req (alone · under load) | bytes | RSS MB | errors | × raw-sql | × plain-apollo |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  let previous = '';
  for (const r of report.results) {
    const key = workloadKey({ name: r.workload as never, n: r.n });
    const ratioRow = report.ratios.find((x) => x.system === r.system && x.workload === r.workload && x.n === r.n);
    const detail = report.details.find((x) => x.system === r.system && x.workload === r.workload && x.n === r.n);
    lines.push(
      `| ${key === previous ? '' : key} | ${r.system} | ${int(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${int(r.cpuUsPerReq)} | ${fmt(r.statementsPerReq)} · ${fmt(detail?.statementsPerReqUnderLoad)} | ${int(r.bytes)} | ${fmt(r.rssMb, 0)} | ${r.errors} | ${fmt(ratioRow?.rpsVsRawSql)} | ${fmt(ratioRow?.rpsVsPlainApollo)} |`,
    );
    previous = key;
  }
  lines.push('');
  lines.push('Ratios are of requests per second in this run. "SQL/req alone" is counted over the sequential requests (one request at a time);');
  lines.push('"under load" over the timed runs, where the hub\'s group-committed audit shares its statements between concurrent requests.');
  lines.push('G4 is the half-granted consumer: the hub and raw-sql answer four fields (two masked) and four FORBIDDEN errors; plain-apollo has no access control and answers every field.');
  lines.push('');

  if (report.targets.length) {
    lines.push('## Issue 7 targets (hub, against this run)', '');
    lines.push('| goal | measured | met |', '| --- | --- | --- |');
    for (const t of report.targets) lines.push(`| ${t.goal} | ${t.measured} | ${t.met === null ? '–' : t.met ? 'yes' : 'no'} |`);
    lines.push('');
  }

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
