import { and, asc, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { isoInstant } from '../../db/batch.js';
import { caseEvents, serviceCases, serviceDataItems, services } from './tables.js';

/** A case as the graph sees it; field names match schema/cases.graphql. */
export interface CaseRecord {
  number: string;
  serviceCode: string;
  applicantId: string;
  department: string;
  status: string;
  submittedAt: string;
  dueAt: string;
  decidedAt: string | null;
}

export interface CaseEventRecord {
  caseNumber: string;
  at: string;
  status: string;
  actor: string;
}

export interface ServiceRecord {
  code: string;
  name: string;
  theme: string;
  department: string;
  timeLimitDays: number;
  description: string;
}

export interface DataItemRecord {
  serviceCode: string;
  key: string;
  label: string;
  required: boolean;
  field: string | null;
  licenseKind: string | null;
}

export interface CaseListFilter {
  department?: string | null;
  status?: string | null;
  serviceCode?: string | null;
  applicantId?: string | null;
}

/** Keyset position in the newest-first case list. */
export interface CasePosition {
  submittedAt: string;
  number: string;
}

function toCase(row: typeof serviceCases.$inferSelect): CaseRecord {
  return { ...row, submittedAt: isoInstant(row.submittedAt)!, dueAt: isoInstant(row.dueAt)!, decidedAt: isoInstant(row.decidedAt) };
}

/** SQL of the service center. Batch statements take one array parameter (`= any($1)`). */
export function createCasesStore(database: Database) {
  const { db } = database;
  const byNumbers = db
    .select()
    .from(serviceCases)
    .where(sql`${serviceCases.number} = any(${sql.placeholder('numbers')})`)
    .prepare('cases_by_numbers');
  const byApplicants = db
    .select()
    .from(serviceCases)
    .where(sql`${serviceCases.applicantId} = any(${sql.placeholder('ids')})`)
    .orderBy(desc(serviceCases.submittedAt), desc(serviceCases.number))
    .prepare('cases_by_applicants');
  const eventsByCases = db
    .select({ caseNumber: caseEvents.caseNumber, at: caseEvents.at, status: caseEvents.status, actor: caseEvents.actor })
    .from(caseEvents)
    .where(sql`${caseEvents.caseNumber} = any(${sql.placeholder('numbers')})`)
    .orderBy(asc(caseEvents.caseNumber), asc(caseEvents.at), asc(caseEvents.id))
    .prepare('cases_events_by_cases');
  const servicesByCodes = db
    .select()
    .from(services)
    .where(sql`${services.code} = any(${sql.placeholder('codes')})`)
    .prepare('cases_services_by_codes');
  const itemsByServices = db
    .select()
    .from(serviceDataItems)
    .where(sql`${serviceDataItems.serviceCode} = any(${sql.placeholder('codes')})`)
    .orderBy(asc(serviceDataItems.serviceCode), asc(serviceDataItems.position))
    .prepare('cases_items_by_services');

  return {
    casesByNumbers: async (numbers: readonly string[]) => (await byNumbers.execute({ numbers: [...numbers] })).map(toCase),
    /** Cases of the given applicants, newest first. */
    casesOfApplicants: async (ids: readonly string[]) => (await byApplicants.execute({ ids: [...ids] })).map(toCase),
    /** Events of the given cases, oldest first. */
    eventsOfCases: async (numbers: readonly string[]): Promise<CaseEventRecord[]> =>
      (await eventsByCases.execute({ numbers: [...numbers] })).map((e) => ({ ...e, at: isoInstant(e.at)! })),
    servicesByCodes: (codes: readonly string[]): Promise<ServiceRecord[]> => servicesByCodes.execute({ codes: [...codes] }),
    dataItemsOfServices: (codes: readonly string[]): Promise<DataItemRecord[]> => itemsByServices.execute({ codes: [...codes] }),

    listServices: (theme: string | null): Promise<ServiceRecord[]> =>
      db
        .select()
        .from(services)
        .where(theme === null ? undefined : eq(services.theme, theme))
        .orderBy(asc(services.theme), asc(services.code)),

    /** One page of cases, newest first, after a keyset position; fetches one extra row to know if more follow. */
    async pageOfCases(filter: CaseListFilter, first: number, after: CasePosition | null): Promise<{ cases: CaseRecord[]; hasNextPage: boolean }> {
      const conditions: (SQL | undefined)[] = [
        filter.department ? eq(serviceCases.department, filter.department) : undefined,
        filter.status ? eq(serviceCases.status, filter.status) : undefined,
        filter.serviceCode ? eq(serviceCases.serviceCode, filter.serviceCode) : undefined,
        filter.applicantId ? eq(serviceCases.applicantId, filter.applicantId) : undefined,
        after
          ? or(
              lt(serviceCases.submittedAt, after.submittedAt),
              and(eq(serviceCases.submittedAt, after.submittedAt), lt(serviceCases.number, after.number)),
            )
          : undefined,
      ];
      const rows = await db
        .select()
        .from(serviceCases)
        .where(and(...conditions))
        .orderBy(desc(serviceCases.submittedAt), desc(serviceCases.number))
        .limit(first + 1);
      return { cases: rows.slice(0, first).map(toCase), hasNextPage: rows.length > first };
    },
  };
}

export type CasesStore = ReturnType<typeof createCasesStore>;
