/**
 * The runner's side of a system process: fork it (node with tsx as a loader,
 * so the pid is the server itself), wait for its port, ask for its counters,
 * sample its memory from /proc, stop it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ChildStats, ParentMessage } from '../systems/child.js';

const SYSTEMS_DIR = fileURLToPath(new URL('../systems/', import.meta.url));
/** The project root: `--import tsx` resolves from the working directory. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SystemSpec {
  /** Label in results (`hub`, `raw-sql`, … or `hub@1000000` in the scale run). */
  label: string;
  /** File in bench/systems/. */
  file: string;
  env: Record<string, string>;
}

export class SystemChild {
  readonly label: string;
  port = 0;
  pid = 0;
  #child: ChildProcess;
  #nextId = 1;
  #pending = new Map<number, (message: ChildMessage) => void>();
  #output: string[] = [];
  #exited: Promise<number | null>;
  #ready: Promise<void>;

  private constructor(spec: SystemSpec) {
    this.label = spec.label;
    const execArgv = ['--import', 'tsx'];
    this.#child = fork(path.join(SYSTEMS_DIR, spec.file), [], {
      execArgv,
      cwd: ROOT,
      env: { ...process.env, ...spec.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (chunk: Buffer) => {
      this.#output.push(chunk.toString());
      if (this.#output.length > 200) this.#output.shift();
    };
    this.#child.stdout!.on('data', keep);
    this.#child.stderr!.on('data', keep);
    this.#exited = new Promise((resolve) => this.#child.on('exit', (code) => resolve(code)));
    this.#ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label} did not start within 90 s\n${this.output()}`)), 90_000);
      this.#child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          this.port = message.port;
          this.pid = message.pid;
          resolve();
        } else if (message.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`${this.label} failed to start: ${message.message}`));
        } else {
          this.#pending.get(message.id)?.(message);
          this.#pending.delete(message.id);
        }
      });
      void this.#exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.label} exited with code ${code} before it was ready\n${this.output()}`));
      });
    });
    this.#ready.catch(() => {});
  }

  static async start(spec: SystemSpec): Promise<SystemChild> {
    const child = new SystemChild(spec);
    await child.#ready;
    return child;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  output(): string {
    return this.#output.join('').slice(-4000);
  }

  #ask(message: Omit<Extract<ParentMessage, { id: number }>, 'id'>, timeoutMs = 15_000): Promise<ChildMessage> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (!this.alive) return reject(new Error(`${this.label} is not running\n${this.output()}`));
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.label} did not answer ${message.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.#child.send({ ...message, id } as ParentMessage);
    });
  }

  async stats(): Promise<ChildStats> {
    const answer = await this.#ask({ type: 'stats' });
    if (answer.type !== 'stats') throw new Error(`${this.label}: unexpected answer ${answer.type}`);
    return answer.stats;
  }

  async setCanned(body: string): Promise<void> {
    await this.#ask({ type: 'canned', body } as Omit<Extract<ParentMessage, { type: 'canned' }>, 'id'>);
  }

  /** Starts V8's CPU profiler in the process (node:inspector), sampling every `intervalUs` µs. */
  async startProfile(intervalUs: number): Promise<void> {
    const answer = await this.#ask({ type: 'profile-start', intervalUs } as Omit<Extract<ParentMessage, { type: 'profile-start' }>, 'id'>);
    if (answer.type === 'nack') throw new Error(`${this.label} could not start its profiler: ${answer.message}`);
  }

  /** Stops the profiler and has the process write its profile to `file`. */
  async stopProfile(file: string): Promise<void> {
    const answer = await this.#ask({ type: 'profile-stop', file } as Omit<Extract<ParentMessage, { type: 'profile-stop' }>, 'id'>, 60_000);
    if (answer.type === 'nack') throw new Error(`${this.label} could not write its profile: ${answer.message}`);
  }

  /** Resident memory now, from /proc (no work in the process itself). */
  rssBytes(): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb * 1024;
    } catch {
      return 0;
    }
  }

  /** Asks the process to close and exit; kills it if it does not within 15 s. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    await this.#ask({ type: 'stop' }, 15_000).catch(() => {});
    const exited = await Promise.race([this.#exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 5000))]);
    if (!exited && this.alive) {
      this.#child.kill('SIGKILL');
      await this.#exited;
    }
  }

  /** Immediate termination (the runner is failing or interrupted). */
  kill(): void {
    if (this.alive) this.#child.kill('SIGKILL');
  }
}

/** Samples a process's resident memory every `everyMs` while a phase runs; returns the peak. */
export function sampleRss(child: SystemChild, everyMs = 200): { stop(): number } {
  let peak = child.rssBytes();
  const timer = setInterval(() => {
    peak = Math.max(peak, child.rssBytes());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, child.rssBytes());
    },
  };
}
