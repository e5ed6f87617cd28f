import { SourceUnavailableError, errorCodes } from '../errors.js';
import type { Database } from './database.js';
import { migrateSource } from './database.js';
import { sql } from 'drizzle-orm';
import type { Databases } from './databases.js';
import type { SourceName } from './sources.js';

/**
 * Errors that mean "the database is down or too slow", as opposed to a bug:
 * network failures, connect and statement timeouts, server shutdown, too many
 * connections (SPEC §7: those give SOURCE_UNAVAILABLE).
 */
const UNAVAILABLE_CODES = new Set([
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57014', // query_canceled: statement_timeout
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

export function isUnavailable(error: unknown): boolean {
  return error instanceof DeadlineExceeded || errorCodes(error).some((code) => UNAVAILABLE_CODES.has(code) || code.startsWith('08'));
}

class DeadlineExceeded extends Error {}

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker per source: after `threshold` consecutive failures it
 * opens and every call fails at once for `cooldownMs`; then one trial call
 * goes through (half-open), and its outcome closes or reopens it.
 */
export class CircuitBreaker {
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #trialInFlight = false;

  constructor(
    private readonly threshold = 3,
    private readonly cooldownMs = 3000,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.#state === 'open' && this.now() - this.#openedAt >= this.cooldownMs) return 'half-open';
    return this.#state;
  }

  /** True when a call may go to the database now. */
  admit(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'half-open' && !this.#trialInFlight) {
      this.#state = 'half-open';
      this.#trialInFlight = true;
      return true;
    }
    return false;
  }

  succeeded(): void {
    this.#state = 'closed';
    this.#failures = 0;
    this.#trialInFlight = false;
  }

  failed(): void {
    this.#trialInFlight = false;
    this.#failures++;
    if (this.#state === 'half-open' || this.#failures >= this.threshold) {
      this.#state = 'open';
      this.#openedAt = this.now();
    }
  }
}

/**
 * One department source's availability: whether its migrations are applied
 * (the hub starts while a department is down and migrates it when it comes
 * back), its breaker, and the deadline of each call.
 */
export class SourceAvailability {
  readonly breaker: CircuitBreaker;
  #migrated = false;
  #migrating: Promise<void> | null = null;
  #lastAttempt = 0;

  constructor(
    readonly database: Database,
    private readonly timeoutMs: number,
    private readonly onEvent: (event: string, detail?: unknown) => void = () => {},
    /**
     * Called after every call: with its duration when it reached (or tried to reach) the database, with null
     * when it was refused at once (breaker open, migrations not applied), which counts as unavailable.
     */
    private readonly observe: (seconds: number | null, available: boolean) => void = () => {},
  ) {
    this.breaker = new CircuitBreaker(3, Math.max(1000, timeoutMs));
  }

  get name(): string {
    return this.database.source;
  }

  get migrated(): boolean {
    return this.#migrated;
  }

  /** Applies pending migrations; on failure the source stays unavailable and is retried later. */
  async migrate(): Promise<boolean> {
    this.#lastAttempt = Date.now();
    this.#migrating ??= migrateSource(this.database)
      .then(() => {
        this.#migrated = true;
        this.onEvent('migrated');
      })
      .catch((error) => this.onEvent('migration failed', error))
      .finally(() => (this.#migrating = null));
    await this.#migrating;
    return this.#migrated;
  }

  /** Runs `call` against the source, or throws SOURCE_UNAVAILABLE when it is down, slow, or its breaker is open. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    if (!this.#migrated) {
      if (Date.now() - this.#lastAttempt > 5000) void this.migrate();
      this.observe(null, false);
      throw new SourceUnavailableError(this.name);
    }
    if (!this.breaker.admit()) {
      this.observe(null, false);
      throw new SourceUnavailableError(this.name);
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineExceeded(`${this.name} did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    const started = performance.now();
    const attempt = call();
    try {
      const result = await Promise.race([attempt, deadline]);
      this.breaker.succeeded();
      this.observe((performance.now() - started) / 1000, true);
      return result;
    } catch (error) {
      if (!isUnavailable(error)) {
        this.breaker.succeeded(); // the database answered; the error is ours
        this.observe((performance.now() - started) / 1000, true);
        throw error;
      }
      this.observe((performance.now() - started) / 1000, false);
      attempt.catch(() => {}); // a late failure of an abandoned call is expected
      const wasClosed = this.breaker.state === 'closed';
      this.breaker.failed();
      if (wasClosed && this.breaker.state !== 'closed') this.onEvent('breaker opened', error);
      throw new SourceUnavailableError(this.name);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Wraps every method of a store so that each call goes through `run`. */
  guard<S extends Record<string, (...args: any[]) => Promise<unknown>>>(store: S): S {
    const guarded = {} as Record<string, unknown>;
    for (const [name, method] of Object.entries(store)) {
      guarded[name] = (...args: unknown[]) => this.run(() => method(...args));
    }
    return guarded as S;
  }
}

/** Pings every database with a short deadline: `up` or `down` (a department not yet migrated is down). */
export async function readinessOf(dbs: Databases, sources: Readonly<Record<string, SourceAvailability>>, withHub = true): Promise<Record<string, 'up' | 'down'>> {
  const states = await Promise.all(
    [...(withHub ? ['hub'] : []), ...Object.keys(sources)].map(async (name) => {
      const source = name === 'hub' ? null : sources[name];
      if (source && !source.migrated && !(await source.migrate())) return [name, 'down'] as const;
      const ping = dbs[name as SourceName].rows(sql`select 1`);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 1500)));
      try {
        await Promise.race([ping, deadline]);
        return [name, 'up'] as const;
      } catch {
        ping.catch(() => {});
        return [name, 'down'] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(states);
}
