/**
 * `npm run audit:verify`: walks the audit log's hash chain in the configured
 * hub database (or the embedded one) and names the first broken record.
 * Exit code 0 when intact, 1 when broken, 2 when it could not run. Full by default;
 * `-- --since-checkpoint` walks on from the latest checkpoint (audit/checkpoints.ts).
 */
import { ConfigError, loadConfig } from '../config.js';
import { migrateAll, openDatabases } from '../db/databases.js';
import { createAuditStore } from '../audit/store.js';
import { verifyAuditLog } from '../audit/checkpoints.js';

try {
  const config = loadConfig();
  const dbs = await openDatabases({ ...config, SOURCE_TIMEOUT_MS: 600_000 });
  await migrateAll(dbs);
  const started = performance.now();
  // A full walk by default (schedule it nightly); --since-checkpoint walks on from the latest signed checkpoint.
  const full = !process.argv.includes('--since-checkpoint');
  const result = await verifyAuditLog(createAuditStore(dbs.hub), { key: config.AUDIT_CHECKPOINT_KEY ?? null, full });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  await dbs.closeAll();
  if (result.ok) {
    console.log(`Audit log intact: ${result.checked} records checked${result.fromId !== null ? ` after checkpoint ${result.fromId}` : ''} in ${seconds} s.`);
    process.exit(0);
  }
  console.error(`Audit log BROKEN at record ${result.firstBrokenId}: ${result.problem} (${result.checked} records checked in ${seconds} s)`);
  process.exit(1);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `audit:verify could not run: ${error instanceof Error ? error.message : error}`);
  process.exit(2);
}
