import { and, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { isoInstant } from '../db/batch.js';
import { auditLog } from '../hub/tables.js';
import { GENESIS_HASH, type ChainedRecord } from './chain.js';

/** Any constant: serializes chain appends across every hub instance sharing the hub database. */
const CHAIN_LOCK = 0x0a0d17;
/** Rows per INSERT statement: 16 parameters a row stays well under PostgreSQL's 65,535. */
const ROWS_PER_INSERT = 1000;

export interface AuditFilter {
  citizenId?: string | null;
  consumerId?: string | null;
  department?: string | null;
  purpose?: string | null;
  from?: string | null;
  to?: string | null;
  requestId?: string | null;
}

function toRecord(row: typeof auditLog.$inferSelect): ChainedRecord {
  return { ...row, at: isoInstant(row.at)!, outcome: row.outcome as ChainedRecord['outcome'] };
}

/** Reads served per service, for service metrics: once-only reads that were not wholly denied. */
export interface ServiceReads {
  serviceCode: string;
  reads: number;
}

/** SQL of the audit log. */
export function createAuditStore(database: Database) {
  const { db } = database;
  return {
    /**
     * Appends a batch at the end of the chain in one transaction: takes the
     * chain lock, reads the last record, lets `chainAfter` hash the batch after
     * it, and inserts it. Concurrent writers (other instances) wait for the
     * lock, so the chain never forks.
     */
    async append(chainAfter: (lastId: number, lastHash: string) => ChainedRecord[]): Promise<number> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
        const [last] = await tx.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
        const records = chainAfter(last?.id ?? 0, last?.hash ?? GENESIS_HASH);
        for (let i = 0; i < records.length; i += ROWS_PER_INSERT) {
          await tx.insert(auditLog).values(records.slice(i, i + ROWS_PER_INSERT));
        }
        return records.length;
      });
    },

    /** Records after `afterId` in chain order, for verification. */
    async chainPage(afterId: number, limit: number): Promise<ChainedRecord[]> {
      const rows = await db.select().from(auditLog).where(sql`${auditLog.id} > ${afterId}`).orderBy(auditLog.id).limit(limit);
      return rows.map(toRecord);
    },

    /** Newest first, before the keyset position `beforeId`; one extra row tells whether more follow. */
    async search(filter: AuditFilter, first: number, beforeId: number | null): Promise<{ records: ChainedRecord[]; hasNextPage: boolean }> {
      const conditions: (SQL | undefined)[] = [
        filter.citizenId ? eq(auditLog.citizenId, filter.citizenId) : undefined,
        filter.consumerId ? eq(auditLog.consumerId, filter.consumerId) : undefined,
        filter.department ? eq(auditLog.department, filter.department) : undefined,
        filter.purpose ? eq(auditLog.purpose, filter.purpose) : undefined,
        filter.from ? gte(auditLog.at, filter.from) : undefined,
        filter.to ? lte(auditLog.at, filter.to) : undefined,
        filter.requestId ? eq(auditLog.requestId, filter.requestId) : undefined,
        beforeId !== null ? lt(auditLog.id, beforeId) : undefined,
      ];
      const rows = await db
        .select()
        .from(auditLog)
        .where(and(...conditions))
        .orderBy(desc(auditLog.id))
        .limit(first + 1);
      return { records: rows.slice(0, first).map(toRecord), hasNextPage: rows.length > first };
    },

    /** Once-only reads per service in [from, to): records tied to a service, not wholly denied. */
    async readsPerService(from: string, to: string): Promise<ServiceReads[]> {
      const rows = await db
        .select({ serviceCode: auditLog.serviceCode, reads: sql<number>`count(*)::int` })
        .from(auditLog)
        .where(and(sql`${auditLog.serviceCode} is not null`, sql`${auditLog.outcome} <> 'DENIED'`, gte(auditLog.at, from), lt(auditLog.at, to)))
        .groupBy(auditLog.serviceCode);
      return rows.map((r) => ({ serviceCode: r.serviceCode!, reads: Number(r.reads) }));
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
