import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';

/** One source's counts for one hour, as an instance adds them. */
export interface AvailabilityCounts {
  source: string;
  /** The hour's first instant (ISO 8601). */
  hour: string;
  checks: number;
  checksUp: number;
  calls: number;
  callsFailed: number;
}

/** A source's availability over a period. */
export interface SourceAvailabilityTotals {
  source: string;
  checks: number;
  checksUp: number;
  calls: number;
  callsFailed: number;
}

/** SQL of the availability history (hub database, hub.source_availability): one row per source and hour. */
export function createAvailabilityStore(database: Database) {
  return {
    /** Adds counts to their hours' rows: every instance adds its own, so the row holds the hub's total. */
    async add(counts: readonly AvailabilityCounts[]): Promise<void> {
      if (counts.length === 0) return;
      const values = sql.join(
        counts.map((c) => sql`(${c.source}, ${c.hour}::timestamptz, ${c.checks}::int, ${c.checksUp}::int, ${c.calls}::int, ${c.callsFailed}::int)`),
        sql`, `,
      );
      await database.rows(sql`
        insert into hub.source_availability (source, hour, checks, checks_up, calls, calls_failed) values ${values}
        on conflict (source, hour) do update set
          checks = hub.source_availability.checks + excluded.checks,
          checks_up = hub.source_availability.checks_up + excluded.checks_up,
          calls = hub.source_availability.calls + excluded.calls,
          calls_failed = hub.source_availability.calls_failed + excluded.calls_failed`);
    },

    /** Each source's totals over the hours that start in [from, to). */
    async totals(from: string, to: string): Promise<SourceAvailabilityTotals[]> {
      const rows = await database.rows<SourceAvailabilityTotals>(sql`
        select source, sum(checks)::bigint as checks, sum(checks_up)::bigint as "checksUp",
          sum(calls)::bigint as calls, sum(calls_failed)::bigint as "callsFailed"
        from hub.source_availability
        where hour >= ${from} and hour < ${to}
        group by source order by source`);
      return rows.map((r) => ({ source: r.source, checks: Number(r.checks), checksUp: Number(r.checksUp), calls: Number(r.calls), callsFailed: Number(r.callsFailed) }));
    },
  };
}

export type AvailabilityStore = ReturnType<typeof createAvailabilityStore>;
