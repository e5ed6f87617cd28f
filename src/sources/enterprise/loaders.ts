import DataLoader from 'dataloader';
import { manyByKey, oneByKey } from '../../db/batch.js';
import type { EnterpriseRecord, EnterpriseStore } from './store.js';

/** Per-request loaders of the enterprise registry: one statement per batch, results in key order. */
export function createEnterpriseLoaders(store: EnterpriseStore) {
  const enterprise = new DataLoader<string, EnterpriseRecord | null>(async (ids) => oneByKey(ids, await store.enterprisesByIds(ids), (e) => e.id));
  return {
    /** By unified social credit code; null where unknown. */
    enterprise,
    /** By the legal representative's national ID; [] for a citizen who represents none. */
    enterprisesOfRepresentative: new DataLoader<string, EnterpriseRecord[]>(async (ids) => {
      const rows = await store.enterprisesOfRepresentatives(ids);
      // Links back to these enterprises (a license's, a case's) then cost nothing.
      for (const e of rows) enterprise.prime(e.id, e);
      return manyByKey(ids, rows, (e) => e.legalRepresentativeId);
    }),
  };
}

export type EnterpriseLoaders = ReturnType<typeof createEnterpriseLoaders>;
