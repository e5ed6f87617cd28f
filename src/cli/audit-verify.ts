/**
 * `npm run audit:verify`: walks the audit log's hash chain in the configured
 * hub database (or the embedded one) and names the first broken record.
 * Exit code 0 when intact, 1 when broken, 2 when it could not run.
 */
import { ConfigError, loadConfig } from '../config.js';
import { migrateAll, openDatabases } from '../db/databases.js';
import { createAuditStore } from '../audit/store.js';
import { verifyAuditChain } from '../audit/verify.js';

try {
  const config = loadConfig();
  const dbs = await openDatabases({ ...config, SOURCE_TIMEOUT_MS: 600_000 });
  await migrateAll(dbs);
  const started = performance.now();
  const result = await verifyAuditChain(createAuditStore(dbs.hub));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  await dbs.closeAll();
  if (result.ok) {
    console.log(`Audit log intact: ${result.checked} records checked in ${seconds} s.`);
    process.exit(0);
  }
  console.error(`Audit log BROKEN at record ${result.firstBrokenId}: ${result.problem} (${result.checked} records checked in ${seconds} s)`);
  process.exit(1);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `audit:verify could not run: ${error instanceof Error ? error.message : error}`);
  process.exit(2);
}
