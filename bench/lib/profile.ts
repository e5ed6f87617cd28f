import { readFileSync } from 'node:fs';

/**
 * Where a server's CPU time goes, from a V8 CPU profile (`--cpu-prof`): each
 * sample's time is charged to the component of the innermost frame that
 * belongs to a known component (so time in graphql-js called by Apollo's
 * pipeline is "execution", time in `JSON.stringify` called by the audit is
 * "audit"). Components are recognised by the script's URL, and for the
 * hub's own code by its folder.
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
  'idle',
  'other',
] as const;
export type Component = (typeof COMPONENTS)[number];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
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
  if (functionName === '(idle)' || functionName === '(program)') return 'idle';
  if (!url) return null;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (nm) {
    if (/^(fastify|@fastify\/|find-my-way|light-my-request|avvio|fast-json-stringify|@as-integrations\/fastify|content-type|secure-json-parse|toad-cache|process-warning|fast-querystring|fast-uri|ajv|rfdc|fast-content-type-parse|@fastify)/.test(nm)) return 'HTTP';
    if (/^(jose|jsonwebtoken|fast-jwt|@node-rs\/jsonwebtoken)$/.test(nm)) return 'auth';
    if (/^(@apollo\/|@graphql-tools\/|lru-cache|@escape\.tech\/|graphql-armor|@graphql-yoga|whatwg-mimetype|negotiator|loglevel|node-abort-controller)/.test(nm)) return 'Apollo pipeline';
    if (/^(graphql|graphql-jit|fast-json-stringify|generate-function|lodash\.merge|json-schema)/.test(nm)) return 'execution';
    if (/^(postgres|drizzle-orm|dataloader|pg|@electric-sql\/pglite|opossum|cockatiel)$/.test(nm)) return 'department I/O';
    if (/^(pino|pino-std-serializers|sonic-boom|thread-stream|prom-client|tdigest|bintrees|fast-redact|on-exit-leak-free|atomic-sleep|quick-format-unescaped)/.test(nm)) return 'logging and metrics';
    return null;
  }
  const own = /\/(src|bench)\/(.*)$/.exec(url);
  if (own) {
    const file = own[2];
    if (/^access\/(credentials|viewer)\./.test(file)) return 'auth';
    if (/^access\//.test(file)) return 'access';
    if (/^audit\//.test(file)) return 'audit';
    if (/^(db|sources)\//.test(file)) return 'department I/O';
    if (/^graph\/(executor|scalars|arguments|links)\./.test(file)) return 'execution';
    if (/^graph\//.test(file)) return 'Apollo pipeline';
    if (/^metrics\./.test(file)) return 'logging and metrics';
    if (/^server\./.test(file)) return 'HTTP';
    if (/^systems\//.test(file)) return 'HTTP';
    return null;
  }
  // Node's HTTP server itself; sockets, streams, timers and crypto are charged to whoever called them
  // (a department driver's socket write is department I/O, a response's write is HTTP).
  if (/^node:_http_/.test(url)) return 'HTTP';
  return null;
}

export interface CpuBreakdown {
  /** Sampled CPU time, ms (idle excluded). */
  busyMs: number;
  /** Share of busy time per component, 0..1 (idle excluded). */
  shares: Record<Component, number>;
}

/** Self time per component from one `.cpuprofile` file. */
export function breakdown(file: string): CpuBreakdown {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const componentOfNode = new Map<number, Component>();
  const resolve = (id: number): Component => {
    const known = componentOfNode.get(id);
    if (known) return known;
    let component: Component = 'other';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const c = componentOf(byId.get(at)!.callFrame);
      if (c) {
        component = c;
        break;
      }
    }
    componentOfNode.set(id, component);
    return component;
  };
  const micros = Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
  for (let i = 0; i < profile.samples.length; i++) micros[resolve(profile.samples[i])] += profile.timeDeltas[i] ?? 0;
  const busy = COMPONENTS.filter((c) => c !== 'idle').reduce((sum, c) => sum + micros[c], 0);
  const shares = Object.fromEntries(COMPONENTS.map((c) => [c, c === 'idle' || busy === 0 ? 0 : micros[c] / busy])) as Record<Component, number>;
  return { busyMs: busy / 1000, shares };
}

/** The heaviest self-time functions, for a closer look. */
export function topFunctions(file: string, count = 25): { name: string; ms: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const { functionName, url } = byId.get(profile.samples[i])!.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|bench)\//, '$1/')}`;
    ms.set(key, (ms.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  return [...ms].map(([name, t]) => ({ name, ms: t })).sort((a, b) => b.ms - a.ms).slice(0, count);
}

// `tsx bench/lib/profile.ts <file.cpuprofile>`: the breakdown and the heaviest functions.
if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const b = breakdown(file);
  console.log(`busy ${b.busyMs.toFixed(0)} ms`);
  for (const c of COMPONENTS) if (b.shares[c] > 0) console.log(`${c.padEnd(22)} ${(b.shares[c] * 100).toFixed(1).padStart(5)} %`);
  console.log('');
  for (const f of topFunctions(file, Number(process.argv[3] ?? 40))) console.log(`${f.ms.toFixed(0).padStart(6)} ms  ${f.name}`);
}
