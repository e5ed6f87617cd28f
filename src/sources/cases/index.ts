/** The service center source: services, cases and their events. */
export { createCasesStore, type CasesStore, type CaseRecord, type ServiceRecord, type DataItemRecord } from './store.js';
export { createCasesLoaders, type CasesLoaders } from './loaders.js';
export { casesResolvers } from './resolvers.js';
