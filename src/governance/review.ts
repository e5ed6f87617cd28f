import type { HubContext } from '../graph/context.js';
import type { GrantRecord } from '../hub/store.js';
import type { CaselessDay, FieldUsage, ReviewStore } from './reviewStore.js';

/**
 * Grant review (issue 15 §5): how much each grant is used, from the audit
 * log's daily rollup (brought up to date first, reading only new records),
 * and which consumers read many citizens a day without naming a case.
 */

/** The review window: a grant unused this long is a candidate for revocation. */
export const REVIEW_DAYS = 90;
const DAY_MS = 86_400_000;

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Usage by consumer and field, brought up to date once per request however many grants are shown. */
const usageOfRequest = new WeakMap<HubContext, Promise<Map<string, FieldUsage[]>>>();

function usageByField(ctx: HubContext): Promise<Map<string, FieldUsage[]>> {
  let usage = usageOfRequest.get(ctx);
  if (!usage) {
    usage = (async () => {
      await ctx.stores.review.rollUp();
      const byField = new Map<string, FieldUsage[]>();
      for (const row of await ctx.stores.review.usage(utcDate(Date.now() - REVIEW_DAYS * DAY_MS))) {
        const key = `${row.consumerId}\u0000${row.field}`;
        const list = byField.get(key);
        if (list) list.push(row);
        else byField.set(key, [row]);
      }
      return byField;
    })();
    usageOfRequest.set(ctx, usage);
  }
  return usage;
}

/**
 * The reads a grant covers: its consumer read its field under one of its
 * purposes (a read another grant of the same consumer, field and purpose
 * also covers counts for both).
 */
async function usageOf(ctx: HubContext, grant: GrantRecord): Promise<FieldUsage[]> {
  const rows = (await usageByField(ctx)).get(`${grant.consumerId}\u0000${grant.field}`) ?? [];
  return rows.filter((r) => grant.purposes.includes(r.purpose));
}

export async function lastUsedAt(ctx: HubContext, grant: GrantRecord): Promise<string | null> {
  const rows = await usageOf(ctx, grant);
  return rows.reduce<string | null>((last, r) => (last === null || r.lastAt > last ? r.lastAt : last), null);
}

export async function usesInReviewWindow(ctx: HubContext, grant: GrantRecord): Promise<number> {
  return (await usageOf(ctx, grant)).reduce((sum, r) => sum + r.reads, 0);
}

/** Consumer-days in the last `days` days above the configured number of distinct citizens read without naming a case. */
export async function readingFlags(ctx: HubContext, days: number, threshold: number): Promise<(CaselessDay & { threshold: number })[]> {
  await ctx.stores.review.rollUp();
  const flags = await ctx.stores.review.caselessDays(utcDate(Date.now() - days * DAY_MS), threshold);
  return flags.map((f) => ({ ...f, threshold }));
}

/**
 * Keeps the rollup close to the log in the background, so that a review
 * reads at most a few minutes of new records (a first rollup of a million
 * records takes about 12 s). Instances share the work through the rollup's
 * row lock. A failure is reported and tried again next time.
 */
export function keepRolledUp(store: ReviewStore, everyMs: number, onError: (error: unknown) => void): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= store
      .rollUp()
      .catch(onError)
      .finally(() => (running = null));
  }, everyMs).unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
