import { desc, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { licenses } from './tables.js';

/** A license as the graph sees it; field names match schema/licensing.graphql. Exactly one of holderId, enterpriseId is set. */
export type LicenseRecord = typeof licenses.$inferSelect;

/** SQL of the licensing bureau. Batch statements take one array parameter (`= any($1)`). */
export function createLicensingStore(database: Database) {
  const { db } = database;
  const byNumbers = db
    .select()
    .from(licenses)
    .where(sql`${licenses.number} = any(${sql.placeholder('numbers')})`)
    .prepare('licensing_by_numbers');
  const byHolders = db
    .select()
    .from(licenses)
    .where(sql`${licenses.holderId} = any(${sql.placeholder('ids')})`)
    .orderBy(desc(licenses.issuedOn), licenses.number)
    .prepare('licensing_by_holders');
  const byEnterprises = db
    .select()
    .from(licenses)
    .where(sql`${licenses.enterpriseId} = any(${sql.placeholder('ids')})`)
    .orderBy(desc(licenses.issuedOn), licenses.number)
    .prepare('licensing_by_enterprises');

  return {
    licensesByNumbers: (numbers: readonly string[]): Promise<LicenseRecord[]> => byNumbers.execute({ numbers: [...numbers] }),
    /** Licenses of the given holders, newest first. */
    licensesOfHolders: (ids: readonly string[]): Promise<LicenseRecord[]> => byHolders.execute({ ids: [...ids] }),
    /** Licenses of the given enterprises, newest first. */
    licensesOfEnterprises: (ids: readonly string[]): Promise<LicenseRecord[]> => byEnterprises.execute({ ids: [...ids] }),
  };
}

export type LicensingStore = ReturnType<typeof createLicensingStore>;
