/** The enterprise registry source (market regulation): enterprises by unified social credit code. */
import { defineSource } from '../declaration.js';
import { createEnterpriseStore } from './store.js';
import { createEnterpriseLoaders } from './loaders.js';
import { enterpriseResolvers } from './resolvers.js';
import * as tables from './tables.js';

export { createEnterpriseStore, type EnterpriseStore, type EnterpriseRecord } from './store.js';
export { createEnterpriseLoaders, type EnterpriseLoaders } from './loaders.js';
export { enterpriseResolvers } from './resolvers.js';
export { isValidCreditCode, creditCodeFor } from './creditCode.js';

export const enterpriseSource = defineSource({
  name: 'enterprise',
  department: 'market-regulation',
  urlVariable: 'ENTERPRISE_DATABASE_URL',
  schemaFile: 'enterprise.graphql',
  tablesFile: 'src/sources/enterprise/tables.ts',
  tables,
  createStore: createEnterpriseStore,
  createLoaders: createEnterpriseLoaders,
  resolvers: enterpriseResolvers,
});
