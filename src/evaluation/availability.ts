import type { AvailabilityCounts, AvailabilityStore } from './availabilityStore.js';

const HOUR_MS = 3_600_000;

/** The first instant of the hour `at` falls in. */
export const hourOf = (at: number): string => new Date(Math.floor(at / HOUR_MS) * HOUR_MS).toISOString();

/**
 * Each department source's availability over time (issue 16, the operation
 * dimension): the outcome of every readiness check (the periodic one below and
 * every GET /readyz) and of every call requests made through the source's
 * breaker, counted in memory per hour and added to the hub database's hourly
 * rows every `everyMs`. A failed write keeps the counts for the next one.
 */
export class AvailabilityRecorder {
  /** Counts not yet written, by hour and source. */
  #pending = new Map<string, Map<string, AvailabilityCounts>>();
  /** The current hour, computed once per hour rather than per call (this runs on every store call). */
  #hourIndex = -1;
  #hour = '';
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(
    private readonly store: AvailabilityStore,
    /** Pings every department source: `up` or `down` by source name. */
    private readonly check: () => Promise<Record<string, 'up' | 'down'>>,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  #counts(source: string, hour?: string): AvailabilityCounts {
    if (hour === undefined) {
      const index = Math.floor(this.now() / HOUR_MS);
      if (index !== this.#hourIndex) {
        this.#hourIndex = index;
        this.#hour = hourOf(index * HOUR_MS);
      }
      hour = this.#hour;
    }
    let sources = this.#pending.get(hour);
    if (!sources) this.#pending.set(hour, (sources = new Map()));
    let counts = sources.get(source);
    if (!counts) sources.set(source, (counts = { source, hour, checks: 0, checksUp: 0, calls: 0, callsFailed: 0 }));
    return counts;
  }

  /** Takes what was counted so far, to write it. */
  #drain(): AvailabilityCounts[] {
    const counts = [...this.#pending.values()].flatMap((sources) => [...sources.values()]);
    this.#pending = new Map();
    return counts;
  }

  /** A readiness check's outcome per source. */
  checked(states: Readonly<Record<string, 'up' | 'down'>>): void {
    for (const [source, state] of Object.entries(states)) {
      const counts = this.#counts(source);
      counts.checks++;
      if (state === 'up') counts.checksUp++;
    }
  }

  /** A call through a source's breaker: `available` false when it failed as unavailable (down, slow, breaker open). */
  called(source: string, available: boolean): void {
    const counts = this.#counts(source);
    counts.calls++;
    if (!available) counts.callsFailed++;
  }

  /** Checks every source, then writes what was counted since the last write. */
  async sample(): Promise<void> {
    this.checked(await this.check());
    const counts = this.#drain();
    try {
      await this.store.add(counts);
    } catch (error) {
      // Kept for the next write: the hub database may be back by then.
      for (const c of counts) {
        const mine = this.#counts(c.source, c.hour);
        mine.checks += c.checks;
        mine.checksUp += c.checksUp;
        mine.calls += c.calls;
        mine.callsFailed += c.callsFailed;
      }
      throw error;
    }
  }

  start(everyMs: number): this {
    this.#timer = setInterval(() => {
      this.#running ??= this.sample()
        .catch(this.onError)
        .finally(() => (this.#running = null));
    }, everyMs).unref();
    return this;
  }

  /** Stops sampling and writes what is pending. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
    await this.store.add(this.#drain()).catch(this.onError);
  }
}
