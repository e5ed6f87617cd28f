import { and, desc, eq, isNull, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { isoInstant } from '../db/batch.js';
import { errorCodes } from '../errors.js';
import { accessReports } from '../hub/tables.js';
import type { ActedBy } from '../hub/store.js';

export type AccessReportStatus = 'OPEN' | 'RESOLVED';

export interface AccessReportRecord {
  id: string;
  recordId: number;
  subjectType: 'CITIZEN' | 'ENTERPRISE';
  subjectId: string;
  reportedBy: string;
  note: string;
  reportedAt: string;
  status: AccessReportStatus;
  resolution: string | null;
  resolvedBy: string | null;
  resolvedByOfficer: string | null;
  resolvedAt: string | null;
}

export interface NewAccessReport {
  recordId: number;
  subjectType: 'CITIZEN' | 'ENTERPRISE';
  subjectId: string;
  reportedBy: string;
  note: string;
}

function toReport(row: typeof accessReports.$inferSelect): AccessReportRecord {
  return {
    ...row,
    subjectType: row.subjectType as AccessReportRecord['subjectType'],
    reportedAt: isoInstant(row.reportedAt)!,
    resolvedAt: isoInstant(row.resolvedAt),
    status: row.resolvedAt === null ? 'OPEN' : 'RESOLVED',
  };
}

/** PostgreSQL's unique_violation: this citizen already reported this record. */
const UNIQUE_VIOLATION = '23505';

/** SQL of access reports (hub database). Rows are never updated but once, to resolve them (a trigger enforces it). */
export function createReportStore(database: Database) {
  const { db } = database;
  return {
    /** The new report, or null when this citizen already reported this record. */
    async insert(report: NewAccessReport): Promise<AccessReportRecord | null> {
      try {
        const [row] = await db.insert(accessReports).values(report).returning().execute();
        return toReport(row);
      } catch (error) {
        if (errorCodes(error).includes(UNIQUE_VIOLATION)) return null;
        throw error;
      }
    },

    async byId(id: string): Promise<AccessReportRecord | null> {
      const [row] = await db.select().from(accessReports).where(eq(accessReports.id, id)).execute();
      return row ? toReport(row) : null;
    },

    /** Oldest open first (they wait longest); resolved ones newest first after them. */
    async list(status: AccessReportStatus | null): Promise<AccessReportRecord[]> {
      const rows = await db
        .select()
        .from(accessReports)
        .where(status === 'OPEN' ? isNull(accessReports.resolvedAt) : status === 'RESOLVED' ? isNotNull(accessReports.resolvedAt) : undefined)
        .orderBy(sql`${accessReports.resolvedAt} is not null`, sql`case when ${accessReports.resolvedAt} is null then ${accessReports.reportedAt} end asc`, desc(accessReports.reportedAt)).execute();
      return rows.map(toReport);
    },

    /** A citizen's own reports, newest first. */
    async ofReporter(citizenId: string): Promise<AccessReportRecord[]> {
      const rows = await db.select().from(accessReports).where(eq(accessReports.reportedBy, citizenId)).orderBy(desc(accessReports.reportedAt)).execute();
      return rows.map(toReport);
    },

    /** Resolves an open report; null when it was resolved already (by someone else a moment ago). */
    async resolve(id: string, resolution: string, by: ActedBy): Promise<AccessReportRecord | null> {
      const [row] = await db
        .update(accessReports)
        .set({ resolution, resolvedBy: by.actor, resolvedByOfficer: by.officer, resolvedAt: sql`now()` })
        .where(and(eq(accessReports.id, id), isNull(accessReports.resolvedAt)))
        .returning().execute();
      return row ? toReport(row) : null;
    },
  };
}

export type ReportStore = ReturnType<typeof createReportStore>;
