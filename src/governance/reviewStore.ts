import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { isoInstant } from '../db/batch.js';

/** Records a rollup reads per transaction: bounded work per statement on a log of millions. */
const CHUNK = 100_000;
const ROLLUP = 'grant_review';

export interface FieldUsage {
  consumerId: string;
  field: string;
  purpose: string;
  /** Reads on or after `since` (the start of the review window). */
  reads: number;
  lastAt: string;
}

export interface CaselessDay {
  consumerId: string;
  day: string;
  citizens: number;
}

/**
 * SQL of grant review (issue 15 §5). The audit log is rolled up into daily
 * counts incrementally: each rollup reads only the records appended since
 * the last one (ids are assigned in commit order, see audit/store.ts), under
 * a row lock so that two instances never count a record twice.
 */
export function createReviewStore(database: Database) {
  const { db } = database;
  const rows = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

  async function rollUpChunk(): Promise<boolean> {
    return db.transaction(async (tx) => {
      await tx.execute(sql`insert into hub.audit_rollups (name, last_id) values (${ROLLUP}, 0) on conflict (name) do nothing`);
      const [state] = rows<{ last_id: number | string }>(await tx.execute(sql`select last_id from hub.audit_rollups where name = ${ROLLUP} for update`));
      const from = Number(state.last_id);
      const [head] = rows<{ id: number | string | null }>(await tx.execute(sql`select max(id) as id from hub.audit_log`));
      const to = Math.min(Number(head.id ?? 0), from + CHUNK);
      if (to <= from) return false;
      const range: SQL = sql`id > ${from} and id <= ${to}`;
      // A field counts as used when it was returned (masked or not) to the consumer under the declared purpose.
      await tx.execute(sql`
        insert into hub.grant_usage (consumer_id, field, purpose, day, reads, last_at)
        select consumer_id, field, purpose, (at at time zone 'UTC')::date, count(*)::int, max(at)
        from hub.audit_log, unnest(fields_returned) as field
        where ${range} and consumer_id is not null and purpose is not null
        group by 1, 2, 3, 4
        on conflict (consumer_id, field, purpose, day)
        do update set reads = hub.grant_usage.reads + excluded.reads, last_at = greatest(hub.grant_usage.last_at, excluded.last_at)`);
      // Citizens a consumer was served without naming a case: the reads review flags count.
      await tx.execute(sql`
        insert into hub.caseless_reads (day, consumer_id, citizen_id)
        select distinct (at at time zone 'UTC')::date, consumer_id, subject_id
        from hub.audit_log
        where ${range} and role = 'consumer' and consumer_id is not null and subject_type = 'CITIZEN' and case_ref is null and outcome <> 'DENIED'
        on conflict do nothing`);
      await tx.execute(sql`update hub.audit_rollups set last_id = ${to}, rolled_at = now() where name = ${ROLLUP}`);
      return to < Number(head.id ?? 0);
    });
  }

  return {
    /** Counts every record appended since the last rollup; returns when the rollup has caught up. */
    async rollUp(): Promise<void> {
      while (await rollUpChunk());
    },

    /** Reads per consumer, field and purpose since `since` (a date), and the last read ever. */
    async usage(since: string): Promise<FieldUsage[]> {
      const result = await database.rows<{ consumerId: string; field: string; purpose: string; reads: number; lastAt: string }>(sql`
        select consumer_id as "consumerId", field, purpose, coalesce(sum(reads) filter (where day >= ${since}::date), 0)::int as reads, max(last_at) as "lastAt"
        from hub.grant_usage group by 1, 2, 3`);
      return result.map((r) => ({ ...r, reads: Number(r.reads), lastAt: isoInstant(r.lastAt)! }));
    },

    /** Consumer-days since `since` on which a consumer read more than `threshold` distinct citizens without naming a case. */
    async caselessDays(since: string, threshold: number): Promise<CaselessDay[]> {
      const result = await database.rows<{ consumerId: string; day: string; citizens: number }>(sql`
        select consumer_id as "consumerId", day::text as day, count(*)::int as citizens
        from hub.caseless_reads where day >= ${since}::date
        group by consumer_id, day having count(*) > ${threshold}
        order by day desc, citizens desc`);
      return result.map((r) => ({ ...r, citizens: Number(r.citizens) }));
    },
  };
}

export type ReviewStore = ReturnType<typeof createReviewStore>;
