import { asc, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { enterprises } from './tables.js';

/**
 * An enterprise as the graph sees it; field names match schema/enterprise.graphql.
 * `legalRepresentativeId` (a national ID) is what `Enterprise.legalRepresentative`
 * and the access layer's "is this citizen its representative" look up.
 */
export interface EnterpriseRecord {
  id: string;
  name: string;
  kind: string;
  status: 'ACTIVE' | 'REVOKED' | 'DEREGISTERED';
  establishedOn: string;
  /** Whole yuan. */
  registeredCapital: number;
  address: string;
  businessScope: string;
  legalRepresentativeId: string;
  legalRepresentativeName: string;
  contactPhone: string | null;
  regionCode: string;
}

const toEnterprise = (row: typeof enterprises.$inferSelect): EnterpriseRecord => ({ ...row, status: row.status as EnterpriseRecord['status'] });

/** SQL of the enterprise registry. Batch statements take one array parameter (`= any($1)`), prepared once. */
export function createEnterpriseStore(database: Database) {
  const { db } = database;
  const byIds = db
    .select()
    .from(enterprises)
    .where(sql`${enterprises.id} = any(${sql.placeholder('ids')})`)
    .prepare('enterprise_by_ids');
  const byRepresentatives = db
    .select()
    .from(enterprises)
    .where(sql`${enterprises.legalRepresentativeId} = any(${sql.placeholder('ids')})`)
    .orderBy(asc(enterprises.establishedOn), asc(enterprises.id))
    .prepare('enterprise_by_representatives');

  return {
    enterprisesByIds: async (ids: readonly string[]): Promise<EnterpriseRecord[]> => (await byIds.execute({ ids: [...ids] })).map(toEnterprise),
    /** Enterprises the given citizens legally represent, oldest first. */
    enterprisesOfRepresentatives: async (ids: readonly string[]): Promise<EnterpriseRecord[]> => (await byRepresentatives.execute({ ids: [...ids] })).map(toEnterprise),
  };
}

export type EnterpriseStore = ReturnType<typeof createEnterpriseStore>;
