import DataLoader from 'dataloader';
import { manyByKey, oneByKey } from '../../db/batch.js';
import type { LicenseRecord, LicensingStore } from './store.js';

/** Per-request loaders of the licensing bureau. */
export function createLicensingLoaders(store: LicensingStore) {
  const license = new DataLoader<string, LicenseRecord | null>(async (numbers) =>
    oneByKey(numbers, await store.licensesByNumbers(numbers), (l) => l.number),
  );
  return {
    license,
    licensesOfHolder: new DataLoader<string, LicenseRecord[]>(async (ids) => {
      const rows = await store.licensesOfHolders(ids);
      for (const l of rows) license.prime(l.number, l);
      return manyByKey(ids, rows, (l) => l.holderId);
    }),
    licensesOfEnterprise: new DataLoader<string, LicenseRecord[]>(async (ids) => {
      const rows = await store.licensesOfEnterprises(ids);
      for (const l of rows) license.prime(l.number, l);
      return manyByKey(ids, rows, (l) => l.enterpriseId);
    }),
  };
}

export type LicensingLoaders = ReturnType<typeof createLicensingLoaders>;
