import { chain, type AuditContent } from './chain.js';
import type { AuditStore } from './store.js';

interface Waiting {
  contents: AuditContent[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface AuditWriterStats {
  batches: number;
  records: number;
  lastBatchSize: number;
  lastCommitMs: number;
}

/**
 * Group commit (issue 4): records of concurrent requests are gathered while
 * the previous batch commits, then written together in one transaction; each
 * request's promise settles when its batch has committed (or failed). One
 * batch is in flight at a time per instance; across instances the chain lock
 * in the store orders them.
 */
export class AuditWriter {
  #queue: Waiting[] = [];
  #flushing: Promise<void> | null = null;
  readonly stats: AuditWriterStats = { batches: 0, records: 0, lastBatchSize: 0, lastCommitMs: 0 };

  constructor(
    private readonly store: AuditStore,
    private readonly maxBatch = 2000,
    private readonly onBatch?: (size: number, ms: number, ok: boolean) => void,
  ) {}

  /** Resolves once `contents` are committed to the chain; rejects if they could not be. */
  append(contents: AuditContent[]): Promise<void> {
    if (contents.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ contents, resolve, reject });
      this.#flushing ??= this.#drain();
    });
  }

  /** Settles when everything queued so far has been written or has failed. */
  async idle(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async #drain(): Promise<void> {
    // Let requests finishing in this same tick join the first batch.
    await new Promise((r) => setImmediate(r));
    try {
      while (this.#queue.length > 0) {
        const batch: Waiting[] = [];
        let size = 0;
        while (this.#queue.length > 0 && (batch.length === 0 || size + this.#queue[0].contents.length <= this.maxBatch)) {
          const next = this.#queue.shift()!;
          batch.push(next);
          size += next.contents.length;
        }
        const started = performance.now();
        try {
          await this.store.append((lastId, lastHash) => chain(batch.flatMap((w) => w.contents), lastId, lastHash));
          const ms = performance.now() - started;
          Object.assign(this.stats, { batches: this.stats.batches + 1, records: this.stats.records + size, lastBatchSize: size, lastCommitMs: ms });
          this.onBatch?.(size, ms, true);
          for (const w of batch) w.resolve();
        } catch (error) {
          this.onBatch?.(size, performance.now() - started, false);
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.#flushing = null;
    }
  }
}
