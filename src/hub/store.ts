import { asc } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { purposes } from './tables.js';

export type PurposeRecord = typeof purposes.$inferSelect;

/** SQL of the hub's own database. */
export function createHubStore(database: Database) {
  const { db } = database;
  return {
    listPurposes: (): Promise<PurposeRecord[]> => db.select().from(purposes).orderBy(asc(purposes.code)),
  };
}

export type HubStore = ReturnType<typeof createHubStore>;
