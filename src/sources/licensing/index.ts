/** The licensing bureau source: licenses and permits. */
import { defineSource } from '../declaration.js';
import { createLicensingStore } from './store.js';
import { createLicensingLoaders } from './loaders.js';
import { licensingResolvers } from './resolvers.js';
import * as tables from './tables.js';

export { createLicensingStore, type LicensingStore, type LicenseRecord } from './store.js';
export { createLicensingLoaders, type LicensingLoaders } from './loaders.js';
export { licensingResolvers } from './resolvers.js';

export const licensingSource = defineSource({
  name: 'licensing',
  department: 'licensing',
  urlVariable: 'LICENSING_DATABASE_URL',
  schemaFile: 'licensing.graphql',
  tablesFile: 'src/sources/licensing/tables.ts',
  tables,
  createStore: createLicensingStore,
  createLoaders: createLicensingLoaders,
  resolvers: licensingResolvers,
});
