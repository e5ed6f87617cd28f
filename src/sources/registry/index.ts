/** The civil registry source: citizens, households, addresses. */
export { createRegistryStore, type RegistryStore, type CitizenRecord, type HouseholdRecord } from './store.js';
export { createRegistryLoaders, type RegistryLoaders } from './loaders.js';
export { registryResolvers } from './resolvers.js';
