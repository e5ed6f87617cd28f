import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { isoInstant } from '../db/batch.js';
import { auditCheckpoints, auditLog } from '../hub/tables.js';
import { GENESIS_HASH, type ChainedRecord } from './chain.js';
import { errorCodes } from '../errors.js';

/**
 * A batch is one JSON parameter: the chained records as they are (one
 * JSON.stringify, no per-record mapping), expanded into rows by PostgreSQL (sent as text, so no driver encodes it again).
 * One prepared statement for every batch size (issue 13: the audit's
 * per-request cost; 22 array parameters cost far more to escape and send).
 */
const INSERT_BATCH = `insert into hub.audit_log (id, at, request_id, consumer_id, department, actor, role, officer, purpose, case_ref, operation_name, operation_hash, subject_type, subject_id, citizen_id, fields_returned, fields_denied, outcome, service_code, chain_version, prev_hash, hash)
  select id, at, "requestId", "consumerId", department, actor, role, officer, purpose, "caseRef", "operationName", "operationHash", "subjectType", "subjectId", "citizenId", "fieldsReturned", "fieldsDenied", outcome, "serviceCode", "chainVersion", "prevHash", hash
  from json_to_recordset($1::text::json) as r(id bigint, at timestamptz, "requestId" text, "consumerId" text, department text, actor text, role text, officer text, purpose text, "caseRef" text, "operationName" text, "operationHash" text, "subjectType" text, "subjectId" text, "citizenId" text, "fieldsReturned" text[], "fieldsDenied" text[], outcome text, "serviceCode" text, "chainVersion" smallint, "prevHash" text, hash text)`;

/** PostgreSQL's unique_violation: another instance appended the ids we meant to use. */
const UNIQUE_VIOLATION = '23505';

const isUniqueViolation = (error: unknown) => errorCodes(error).includes(UNIQUE_VIOLATION);

export interface AuditFilter {
  citizenId?: string | null;
  /** Records about this subject (a citizen's national ID or an enterprise's credit code). */
  subjectId?: string | null;
  /** With subjectId: only records about subjects of this type. */
  subjectType?: 'CITIZEN' | 'ENTERPRISE' | null;
  consumerId?: string | null;
  department?: string | null;
  purpose?: string | null;
  from?: string | null;
  to?: string | null;
  requestId?: string | null;
}

function toRecord(row: typeof auditLog.$inferSelect): ChainedRecord {
  // chainVersion is checked by the verifier, not trusted here: a row may have been tampered with.
  return {
    ...row,
    at: isoInstant(row.at)!,
    outcome: row.outcome as ChainedRecord['outcome'],
    chainVersion: row.chainVersion as ChainedRecord['chainVersion'],
    subjectType: row.subjectType as ChainedRecord['subjectType'],
  };
}

/** Reads served per service, for service metrics: once-only reads that were not wholly denied. */
export interface ServiceReads {
  serviceCode: string;
  reads: number;
}

/** SQL of the audit log. */
export function createAuditStore(database: Database) {
  const { db } = database;
  /** The last record this instance knows to be the end of the chain; null when it must be read. */
  let head: { id: number; hash: string } | null = null;

  async function readHead(): Promise<{ id: number; hash: string }> {
    const [last] = await db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).execute();
    return last ?? { id: 0, hash: GENESIS_HASH };
  }

  async function insertBatch(records: ChainedRecord[]): Promise<void> {
    await database.execute(INSERT_BATCH, [JSON.stringify(records)]);
  }

  return {
    /**
     * Appends a batch at the end of the chain with ONE statement (issue 7:
     * "+1 audit insert"). The ids are contiguous and the primary key is the
     * arbiter: the batch is chained after the head this instance last wrote or
     * read; if another instance appended in between, the insert violates the
     * primary key, nothing is written, and the batch is chained again after
     * the real head. So the chain never forks, without a lock or a read per batch.
     */
    async append(chainAfter: (lastId: number, lastHash: string) => ChainedRecord[]): Promise<number> {
      for (let attempt = 1; ; attempt++) {
        head ??= await readHead();
        const records = chainAfter(head.id, head.hash);
        try {
          await insertBatch(records);
        } catch (error) {
          head = null; // unknown now: re-read before the next attempt or batch
          if (isUniqueViolation(error) && attempt < 20) continue;
          throw error;
        }
        const last = records[records.length - 1];
        if (last) head = { id: last.id, hash: last.hash };
        return records.length;
      }
    },

    /** The records with these ids, in id order; ids with no record are left out. */
    async byIds(ids: readonly number[]): Promise<ChainedRecord[]> {
      if (ids.length === 0) return [];
      const rows = await db.select().from(auditLog).where(inArray(auditLog.id, [...ids])).orderBy(auditLog.id).execute();
      return rows.map(toRecord);
    },

    /** The last record: where a verification that found everything intact ends. */
    async lastRecord(): Promise<{ id: number; hash: string; chainVersion: number } | null> {
      const [row] = await db.select({ id: auditLog.id, hash: auditLog.hash, chainVersion: auditLog.chainVersion }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).execute();
      return row ?? null;
    },

    /** The newest checkpoints first (a forged or stale one is skipped by the verifier, so a few are read). */
    async checkpoints(limit: number): Promise<(typeof auditCheckpoints.$inferSelect)[]> {
      return db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.recordId)).limit(limit).execute();
    },

    async insertCheckpoint(checkpoint: Omit<typeof auditCheckpoints.$inferInsert, 'createdAt'>): Promise<void> {
      await db.insert(auditCheckpoints).values(checkpoint).onConflictDoNothing().execute();
    },

    /** Records after `afterId` in chain order, for verification. */
    async chainPage(afterId: number, limit: number): Promise<ChainedRecord[]> {
      const rows = await db.select().from(auditLog).where(sql`${auditLog.id} > ${afterId}`).orderBy(auditLog.id).limit(limit).execute();
      return rows.map(toRecord);
    },

    /** Newest first, before the keyset position `beforeId`; one extra row tells whether more follow. */
    async search(filter: AuditFilter, first: number, beforeId: number | null): Promise<{ records: ChainedRecord[]; hasNextPage: boolean }> {
      const conditions: (SQL | undefined)[] = [
        // A citizen's records are those whose subject is that citizen (the same rows: the table's check
        // constraint and the recorder keep citizen_id = subject_id for citizens); asked this way they come
        // from the subject index.
        filter.citizenId ? and(eq(auditLog.subjectType, 'CITIZEN'), eq(auditLog.subjectId, filter.citizenId)) : undefined,
        filter.subjectId ? eq(auditLog.subjectId, filter.subjectId) : undefined,
        filter.subjectType ? eq(auditLog.subjectType, filter.subjectType) : undefined,
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
        .limit(first + 1).execute();
      return { records: rows.slice(0, first).map(toRecord), hasNextPage: rows.length > first };
    },

    /** Once-only reads per service in [from, to): records tied to a service, not wholly denied. */
    async readsPerService(from: string, to: string): Promise<ServiceReads[]> {
      const rows = await db
        .select({ serviceCode: auditLog.serviceCode, reads: sql<number>`count(*)::int` })
        .from(auditLog)
        .where(and(sql`${auditLog.serviceCode} is not null`, sql`${auditLog.outcome} <> 'DENIED'`, gte(auditLog.at, from), lt(auditLog.at, to)))
        .groupBy(auditLog.serviceCode).execute();
      return rows.map((r) => ({ serviceCode: r.serviceCode!, reads: Number(r.reads) }));
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
