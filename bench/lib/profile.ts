import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where a server's CPU time goes, from a V8 CPU profile (the bench takes them
 * over the timed runs through node:inspector; a `--cpu-prof` file reads the
 * same): each sample's self time is charged to the component of the innermost
 * frame that belongs to a known component (so time in graphql-js called by
 * Apollo's pipeline is "execution", time in `JSON.stringify` called by the
 * audit is "audit", a socket write called by postgres.js is "department I/O"
 * and one called by Fastify's reply is "HTTP"). Components are recognised by
 * the script's URL, and for the hub's own code by its folder.
 *
 * Time no frame of its stack names (Node's event loop, `runMicrotasks`,
 * a stream's `onStreamRead` before it hands the bytes to the socket's
 * owner) is shared among the components of what it called, in proportion to
 * their time under the nearest frame that called anything known: so the
 * event loop's share of a read goes to whoever's socket it was. Only
 * V8's own unattributed time ("(program)": compiling, IC misses, native
 * code between frames) stays apart.
 */

export const COMPONENTS = [
  'HTTP',
  'auth',
  'Apollo pipeline',
  'execution',
  'access',
  'department I/O',
  'audit',
  'logging and metrics',
  'garbage collection',
  'V8 (program)',
  'other',
  /** Waiting for work (not in shares). */
  'idle',
  /** The profiler itself (node:inspector's start and stop) and the bench's IPC: not the system's work (not in shares). */
  'bench harness',
] as const;
export type Component = (typeof COMPONENTS)[number];
/** Components that are not the system's work: left out of busy time and shares. */
const NOT_WORK: ReadonlySet<Component> = new Set(['idle', 'bench harness']);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The component one frame belongs to, or null when it says nothing (Node internals, anonymous glue). */
function componentOf(frame: ProfileNode['callFrame']): Component | null {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'V8 (program)';
  if (!url) return null;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (nm) {
    if (/^(fastify|@fastify\/|find-my-way|light-my-request|avvio|fast-json-stringify|@as-integrations\/fastify|content-type|secure-json-parse|toad-cache|process-warning|fast-querystring|fast-uri|ajv|rfdc|fast-content-type-parse|@fastify)/.test(nm)) return 'HTTP';
    if (/^(jose|jsonwebtoken|fast-jwt|@node-rs\/jsonwebtoken)$/.test(nm)) return 'auth';
    if (/^(@apollo\/|@graphql-tools\/|lru-cache|@escape\.tech\/|graphql-armor|@graphql-yoga|whatwg-mimetype|negotiator|loglevel|node-abort-controller)/.test(nm)) return 'Apollo pipeline';
    if (/^(graphql|graphql-jit|fast-json-stringify|generate-function|lodash\.merge|json-schema)/.test(nm)) return 'execution';
    if (/^(postgres|drizzle-orm|dataloader|pg|@electric-sql\/pglite|opossum|cockatiel)$/.test(nm)) return 'department I/O';
    if (/^(pino|pino-std-serializers|sonic-boom|thread-stream|prom-client|tdigest|bintrees|fast-redact|on-exit-leak-free|atomic-sleep|quick-format-unescaped)/.test(nm)) return 'logging and metrics';
    // Anything else, tsx's require hooks included (Apollo's createHash calls module.require('crypto') per request, through them), goes to its caller.
    return null;
  }
  const own = /\/(src|bench)\/(.*)$/.exec(url);
  if (own) {
    const [, root, file] = own;
    if (root === 'bench') {
      // The system process's harness: the request counter is on the HTTP server; IPC (stats, profiler) is the bench's.
      if (/^systems\/count\./.test(file)) return 'department I/O';
      if (/^systems\/child\./.test(file)) return functionName === '' || /message|profiler|send/i.test(functionName) ? 'bench harness' : 'HTTP';
      if (/^systems\/(departments)\./.test(file)) return 'department I/O';
      // A baseline's own code: its handler (raw-sql, static) or resolvers (plain-apollo).
      if (/^systems\/(raw-sql|static)\./.test(file)) return 'HTTP';
      if (/^systems\/plain-apollo\./.test(file)) return 'execution';
      return null;
    }
    if (/^access\/(credentials|viewer)\./.test(file)) return 'auth';
    if (/^access\//.test(file)) return 'access';
    if (/^audit\//.test(file)) return 'audit';
    if (/^(db|sources)\//.test(file)) return 'department I/O';
    if (/^graph\/(executor|scalars|arguments|links)\./.test(file)) return 'execution';
    if (/^graph\//.test(file)) return 'Apollo pipeline';
    if (/^onceonly\//.test(file)) return 'execution';
    if (/^(metrics|onceonly\/metrics)\./.test(file)) return 'logging and metrics';
    if (/^(server|errors)\./.test(file)) return 'HTTP';
    if (/^hub\//.test(file)) return 'access';
    return null;
  }
  // Node's HTTP server itself; sockets, streams, timers and crypto are charged to whoever called them
  // (a department driver's socket write is department I/O, a response's write is HTTP).
  if (/^node:_http_/.test(url)) return 'HTTP';
  // The profiler's own start and stop run through node:inspector; the bench's IPC through child_process.
  if (/^node:(inspector|internal\/inspector|internal\/child_process)/.test(url)) return 'bench harness';
  return null;
}

interface Analysed {
  profile: CpuProfile;
  byId: Map<number, ProfileNode>;
  /** Self time per node, µs. */
  self: Map<number, number>;
  /** Per node: its share of time per component (one component for a node with a known frame on its stack, several for unattributed glue). */
  components: Map<number, Map<Component, number>>;
  /** Nodes with no known frame on their stack, whose time was shared out in proportion. */
  shared: Set<number>;
}

/**
 * Reads a profile and assigns each node's self time to components: the
 * innermost known frame on its stack decides; a node with no known frame on
 * its stack (event loop, microtask queue, stream plumbing called from the
 * loop) is shared among the components of the time under it, or, if nothing
 * under it is known, under its nearest ancestor with known time below.
 */
function analyse(file: string): Analysed {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // A sample's time: from it to the next sample (V8 records the delta before each sample).
  const self = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const duration = i + 1 < samples.length ? (timeDeltas[i + 1] ?? 0) : 0;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + Math.max(0, duration));
  }
  // The innermost known component of each node's stack, top-down.
  const own = new Map<number, Component | null>();
  const root = profile.nodes.find((n) => !parent.has(n.id))!;
  const stack: [number, Component | null][] = [[root.id, null]];
  const order: number[] = [];
  while (stack.length) {
    const [id, inherited] = stack.pop()!;
    const c = componentOf(byId.get(id)!.callFrame) ?? inherited;
    own.set(id, c);
    order.push(id);
    for (const child of byId.get(id)!.children ?? []) stack.push([child, c]);
  }
  // Known time below each node (itself included), per component, bottom-up.
  const below = new Map<number, Map<Component, number>>();
  for (let k = order.length - 1; k >= 0; k--) {
    const id = order[k];
    const sum = new Map<Component, number>();
    const c = own.get(id);
    if (c && !NOT_WORK.has(c)) sum.set(c, self.get(id) ?? 0);
    for (const child of byId.get(id)!.children ?? []) for (const [cc, t] of below.get(child)!) sum.set(cc, (sum.get(cc) ?? 0) + t);
    below.set(id, sum);
  }
  const components = new Map<number, Map<Component, number>>();
  const shared = new Set<number>();
  for (const id of order) {
    const c = own.get(id);
    if (c) {
      components.set(id, new Map([[c, 1]]));
      continue;
    }
    shared.add(id);
    let shares: Map<Component, number> | undefined;
    for (let at: number | undefined = id; at !== undefined && !shares; at = parent.get(at)) {
      const known = below.get(at)!;
      const total = [...known.values()].reduce((a, b) => a + b, 0);
      if (total > 0) shares = new Map([...known].map(([cc, t]) => [cc, t / total]));
    }
    components.set(id, shares ?? new Map([['other', 1]]));
  }
  return { profile, byId, self, components, shared };
}

export interface CpuBreakdown {
  /** Sampled busy time of the main thread, ms (idle and the bench harness excluded). */
  busyMs: number;
  /** Share of busy time per component, 0..1 (0 for idle and the bench harness). */
  shares: Record<Component, number>;
  /** Share of busy time that no frame of its stack claimed, shared out among components in proportion (0..1). */
  sharedOut: number;
}

function breakdownOf(a: Analysed): CpuBreakdown {
  const micros = Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
  let sharedOut = 0;
  for (const [id, t] of a.self) {
    for (const [c, share] of a.components.get(id)!) micros[c] += t * share;
    if (a.shared.has(id)) sharedOut += t;
  }
  const busy = COMPONENTS.filter((c) => !NOT_WORK.has(c)).reduce((sum, c) => sum + micros[c], 0);
  const shares = Object.fromEntries(COMPONENTS.map((c) => [c, NOT_WORK.has(c) || busy === 0 ? 0 : micros[c] / busy])) as Record<Component, number>;
  return { busyMs: busy / 1000, shares, sharedOut: busy === 0 ? 0 : sharedOut / busy };
}

/** Self time per component from one `.cpuprofile` file. */
export function breakdown(file: string): CpuBreakdown {
  return breakdownOf(analyse(file));
}

const where = (frame: ProfileNode['callFrame']) =>
  `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|bench)\//, '$1/')}`.trim();

function topOf(a: Analysed, count: number): { name: string; component: string; ms: number }[] {
  const ms = new Map<string, { ms: number; by: Map<Component, number> }>();
  for (const [id, t] of a.self) {
    const node = a.byId.get(id)!;
    const shares = a.components.get(id)!;
    if ([...shares.keys()].every((c) => NOT_WORK.has(c))) continue;
    const key = where(node.callFrame);
    const entry = ms.get(key) ?? { ms: 0, by: new Map() };
    entry.ms += t / 1000;
    for (const [c, share] of shares) entry.by.set(c, (entry.by.get(c) ?? 0) + (t * share) / 1000);
    ms.set(key, entry);
  }
  return [...ms]
    .map(([name, e]) => ({ name, component: [...e.by].sort((x, y) => y[1] - x[1])[0]?.[0] ?? 'other', ms: e.ms }))
    .sort((x, y) => y.ms - x.ms)
    .slice(0, count);
}

/** The heaviest self-time functions (idle and the bench harness left out), each with the component most of its time went to. */
export function topFunctions(file: string, count = 25): { name: string; component: string; ms: number }[] {
  return topOf(analyse(file), count);
}

/** Where "other" comes from: the stacks (innermost first) of the time no component claimed. */
export function otherStacks(file: string, count = 20): { stack: string; ms: number }[] {
  const a = analyse(file);
  const parent = new Map<number, number>();
  for (const n of a.profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ms = new Map<string, number>();
  for (const [id, t] of a.self) {
    const share = a.components.get(id)!.get('other') ?? 0;
    if (share === 0) continue;
    const frames: string[] = [];
    for (let at: number | undefined = id; at !== undefined && frames.length < 8; at = parent.get(at)) frames.push(where(a.byId.get(at)!.callFrame));
    const key = frames.join(' < ');
    ms.set(key, (ms.get(key) ?? 0) + (t * share) / 1000);
  }
  return [...ms].map(([stack, t]) => ({ stack, ms: t })).sort((x, y) => y.ms - x.ms).slice(0, count);
}

/** One profiled cell of the report: a system's timed runs of one workload. */
export interface ProfiledCell {
  system: string;
  workload: string;
  n: number;
  /** The .cpuprofile, relative to the project root. */
  file: string;
  requests: number;
  /** Process CPU (user + system, every thread: process.cpuUsage) over the profiled runs / requests. */
  cpuUsPerReq: number;
  /** Of it, system (kernel) time: mostly socket writes and reads (writeBuffer, writev, onStreamRead in the top functions). */
  cpuSystemUsPerReq: number;
  /** The profile's non-idle sampled time (the main thread) / requests. */
  sampledUsPerReq: number;
  /** Share of it no frame claimed (event loop, microtask queue, stream plumbing), shared out in proportion to what it called. */
  sharedOut: number;
  /** Per component: share of the sampled non-idle time, and that share of cpuUsPerReq (µs per request). */
  components: { component: Component; share: number; usPerReq: number }[];
  /** Heaviest self-time functions: total ms over the runs, µs per request, and the component most of it went to. */
  top: { name: string; component: string; ms: number; usPerReq: number }[];
}

export function profileCell(cell: { system: string; workload: string; n: number }, profiled: { file: string; requests: number; cpuUs: number; cpuSystemUs: number }): ProfiledCell {
  const a = analyse(profiled.file);
  const b = breakdownOf(a);
  const requests = Math.max(1, profiled.requests);
  const cpuUsPerReq = profiled.cpuUs / requests;
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    system: cell.system,
    workload: cell.workload,
    n: cell.n,
    file: path.relative(ROOT, profiled.file),
    requests: profiled.requests,
    cpuUsPerReq: Math.round(cpuUsPerReq),
    cpuSystemUsPerReq: Math.round(profiled.cpuSystemUs / requests),
    sampledUsPerReq: Math.round((b.busyMs * 1000) / requests),
    sharedOut: Math.round(b.sharedOut * 1000) / 1000,
    components: COMPONENTS.filter((c) => !NOT_WORK.has(c)).map((component) => ({ component, share: Math.round(b.shares[component] * 1000) / 1000, usPerReq: r1(b.shares[component] * cpuUsPerReq) })),
    top: topOf(a, 15).map((f) => ({ name: f.name, component: f.component, ms: r1(f.ms), usPerReq: r1((f.ms * 1000) / requests) })),
  };
}

// `tsx bench/lib/profile.ts <file.cpuprofile> [count]`: the breakdown, the heaviest functions, and where "other" comes from.
if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const count = Number(process.argv[3] ?? 40);
  const b = breakdown(file);
  console.log(`busy ${b.busyMs.toFixed(0)} ms, of which ${(b.sharedOut * 100).toFixed(1)} % shared out in proportion (no known frame on its stack)`);
  for (const c of COMPONENTS) if (b.shares[c] > 0) console.log(`${c.padEnd(22)} ${(b.shares[c] * 100).toFixed(1).padStart(5)} %`);
  console.log('');
  for (const f of topFunctions(file, count)) console.log(`${f.ms.toFixed(0).padStart(6)} ms  ${f.component.padEnd(20)} ${f.name}`);
  console.log('\nother:');
  for (const o of otherStacks(file, 15)) console.log(`${o.ms.toFixed(1).padStart(7)} ms  ${o.stack}`);
}
