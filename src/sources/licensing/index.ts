/** The licensing bureau source: licenses and permits. */
export { createLicensingStore, type LicensingStore, type LicenseRecord } from './store.js';
export { createLicensingLoaders, type LicensingLoaders } from './loaders.js';
export { licensingResolvers } from './resolvers.js';
