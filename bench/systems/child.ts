/**
 * The protocol between the bench runner and a system under test. Each system
 * runs in its own process (forked with an IPC channel); the runner asks it
 * for counters before and after every run, over IPC, so nothing is added to
 * the system's HTTP path except one request counter.
 */
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Session } from 'node:inspector/promises';

/** Counters of one system process, cumulative since it started. */
export interface ChildStats {
  /** process.cpuUsage(): user + system, in microseconds. */
  cpuUs: number;
  /** Of it, system (kernel) time: socket reads and writes, which on loopback include the receiving side's TCP work. */
  cpuSystemUs: number;
  /** SQL statements sent, per database (hub, registry, licensing, cases), counted at the driver (count.ts). */
  statements: Record<string, number>;
  /** Other counters for cross-checks: transaction control, the hub's own Database.stats. */
  extra: Record<string, number>;
  /** HTTP requests received on the server. */
  requests: number;
  rssBytes: number;
  /** Peak resident set since start (process.resourceUsage().maxRSS). */
  maxRssBytes: number;
}

export type ParentMessage =
  | { type: 'stats'; id: number }
  | { type: 'canned'; id: number; body: string }
  /** Start V8's sampling CPU profiler (node:inspector), sampling every `intervalUs`. */
  | { type: 'profile-start'; id: number; intervalUs: number }
  /** Stop it and write the profile (.cpuprofile JSON) to `file`. */
  | { type: 'profile-stop'; id: number; file: string }
  | { type: 'stop'; id: number };

export type ChildMessage =
  | { type: 'ready'; port: number; pid: number }
  | { type: 'stats'; id: number; stats: ChildStats }
  | { type: 'ack'; id: number }
  | { type: 'nack'; id: number; message: string }
  | { type: 'failed'; message: string };

export interface SystemProcess {
  /** The listening HTTP server (counted on its `request` event). */
  server: Server;
  port: number;
  statements(): Record<string, number>;
  extra?(): Record<string, number>;
  /** Only the static system: the body to answer with from now on. */
  setCanned?(body: string): void;
  close(): Promise<void>;
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

/**
 * Runs a system under the runner's control: starts it, reports `ready` with
 * its port, answers `stats`, profiles on request (only the phases the runner
 * asks for: no start-up, no warm-up), and exits cleanly on `stop`.
 */
export async function serveUnderBench(start: () => Promise<SystemProcess>): Promise<void> {
  if (!process.send) {
    console.error('This is a bench system; start it through `npm run bench`.');
    process.exit(2);
  }
  let system: SystemProcess;
  try {
    system = await start();
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) });
    process.exit(1);
  }
  let requests = 0;
  system.server.on('request', () => void requests++);
  let inspector: Session | undefined;
  const profiler = async (message: Extract<ParentMessage, { type: 'profile-start' | 'profile-stop' }>) => {
    if (message.type === 'profile-start') {
      if (!inspector) {
        inspector = new Session();
        inspector.connect();
        await inspector.post('Profiler.enable');
      }
      await inspector.post('Profiler.setSamplingInterval', { interval: message.intervalUs });
      await inspector.post('Profiler.start');
    } else {
      if (!inspector) throw new Error('the profiler was not started');
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(message.file, JSON.stringify(profile));
    }
  };

  process.on('message', (message: ParentMessage) => {
    switch (message.type) {
      case 'stats': {
        const cpu = process.cpuUsage();
        send({
          type: 'stats',
          id: message.id,
          stats: {
            cpuUs: cpu.user + cpu.system,
            cpuSystemUs: cpu.system,
            statements: system.statements(),
            extra: system.extra?.() ?? {},
            requests,
            rssBytes: process.memoryUsage.rss(),
            maxRssBytes: process.resourceUsage().maxRSS * 1024,
          },
        });
        break;
      }
      case 'canned':
        system.setCanned?.(message.body);
        send({ type: 'ack', id: message.id });
        break;
      case 'profile-start':
      case 'profile-stop':
        profiler(message).then(
          () => send({ type: 'ack', id: message.id }),
          (error: unknown) => send({ type: 'nack', id: message.id, message: error instanceof Error ? error.message : String(error) }),
        );
        break;
      case 'stop': {
        const force = setTimeout(() => process.exit(0), 10_000);
        force.unref();
        system
          .close()
          .catch(() => {})
          .finally(() => {
            send({ type: 'ack', id: message.id });
            // Let the ack leave before exiting.
            setTimeout(() => process.exit(0), 50);
          });
        break;
      }
    }
  });
  // The runner went away (crashed or killed): do not linger.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port: system.port, pid: process.pid });
}

/** Environment the runner sets for every system. */
export function benchEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the bench runner sets it)`);
  return value;
}
