/** The service center source: services, cases and their events. */
import { defineSource } from '../declaration.js';
import { createCasesStore } from './store.js';
import { createCasesLoaders } from './loaders.js';
import { casesResolvers } from './resolvers.js';
import * as tables from './tables.js';

export { createCasesStore, type CasesStore, type CaseRecord, type ServiceRecord, type DataItemRecord, type ServiceObject, type CaseRatingRecord, type FollowUpRecord, type FollowUpStatus, type DepartmentCaseStats } from './store.js';
export { createCasesLoaders, type CasesLoaders } from './loaders.js';
export { casesResolvers } from './resolvers.js';

export const casesSource = defineSource({
  name: 'cases',
  department: 'service-center',
  urlVariable: 'CASES_DATABASE_URL',
  schemaFile: 'cases.graphql',
  tablesFile: 'src/sources/cases/tables.ts',
  tables,
  createStore: createCasesStore,
  createLoaders: createCasesLoaders,
  resolvers: casesResolvers,
});
