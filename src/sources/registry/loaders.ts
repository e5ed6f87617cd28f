import DataLoader from 'dataloader';
import { manyByKey, oneByKey } from '../../db/batch.js';
import type { CitizenRecord, HouseholdRecord, RegistryStore } from './store.js';

/** Per-request loaders of the civil registry: one statement per batch, results in key order. */
export function createRegistryLoaders(store: RegistryStore) {
  const citizen = new DataLoader<string, CitizenRecord | null>(async (ids) => oneByKey(ids, await store.citizensByIds(ids), (c) => c.id));
  return {
    citizen,
    household: new DataLoader<string, HouseholdRecord | null>(async (ids) => oneByKey(ids, await store.householdsByIds(ids), (h) => h.id)),
    householdMembers: new DataLoader<string, CitizenRecord[]>(async (ids) => {
      const members = await store.membersOfHouseholds(ids);
      // Members are citizens too: prime the citizen loader so links to them cost nothing.
      for (const m of members) citizen.prime(m.id, m);
      return manyByKey(ids, members, (m) => m.householdId);
    }),
  };
}

export type RegistryLoaders = ReturnType<typeof createRegistryLoaders>;
