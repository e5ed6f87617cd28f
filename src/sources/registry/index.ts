/** The civil registry source: citizens, households, addresses. */
import { defineSource } from '../declaration.js';
import { createRegistryStore } from './store.js';
import { createRegistryLoaders } from './loaders.js';
import { registryResolvers } from './resolvers.js';
import * as tables from './tables.js';

export { createRegistryStore, type RegistryStore, type CitizenRecord, type HouseholdRecord } from './store.js';
export { createRegistryLoaders, type RegistryLoaders } from './loaders.js';
export { registryResolvers } from './resolvers.js';

export const registrySource = defineSource({
  name: 'registry',
  department: 'registry',
  urlVariable: 'REGISTRY_DATABASE_URL',
  schemaFile: 'registry.graphql',
  tablesFile: 'src/sources/registry/tables.ts',
  tables,
  createStore: createRegistryStore,
  createLoaders: createRegistryLoaders,
  resolvers: registryResolvers,
});
