import type { Config } from '../config.js';
import type { HubStore } from '../hub/store.js';
import type { CasesLoaders } from '../sources/cases/loaders.js';
import type { CasesStore } from '../sources/cases/store.js';
import type { LicensingLoaders } from '../sources/licensing/loaders.js';
import type { RegistryLoaders } from '../sources/registry/loaders.js';

/** What every resolver gets: made fresh for each request, so nothing leaks between callers. */
export interface HubContext {
  readonly requestId: string;
  readonly limits: Limits;
  readonly loaders: {
    readonly registry: RegistryLoaders;
    readonly licensing: LicensingLoaders;
    readonly cases: CasesLoaders;
  };
  /** Stores for statements that are not batched lookups (listing pages, catalogues). */
  readonly stores: {
    readonly hub: HubStore;
    readonly cases: CasesStore;
  };
}

export interface Limits {
  readonly pageSize: number;
  readonly batchIds: number;
}

export function limitsOf(config: Pick<Config, 'LIMIT_PAGE_SIZE' | 'LIMIT_BATCH_IDS'>): Limits {
  return { pageSize: config.LIMIT_PAGE_SIZE, batchIds: config.LIMIT_BATCH_IDS };
}

import { randomUUID } from 'node:crypto';
import type { Databases } from '../db/databases.js';
import { createHubStore } from '../hub/store.js';
import { createCasesLoaders, createCasesStore } from '../sources/cases/index.js';
import { createLicensingLoaders, createLicensingStore } from '../sources/licensing/index.js';
import { createRegistryLoaders, createRegistryStore } from '../sources/registry/index.js';

/** Builds the stores once; returns the function that makes each request's context. */
export function createContextFactory(dbs: Databases, limits: Limits) {
  const registry = createRegistryStore(dbs.registry);
  const licensing = createLicensingStore(dbs.licensing);
  const cases = createCasesStore(dbs.cases);
  const stores = { hub: createHubStore(dbs.hub), cases };
  return (requestId: string = randomUUID()): HubContext => ({
    requestId,
    limits,
    stores,
    loaders: {
      registry: createRegistryLoaders(registry),
      licensing: createLicensingLoaders(licensing),
      cases: createCasesLoaders(cases),
    },
  });
}
