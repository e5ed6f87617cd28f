/**
 * `npm start`: the only module with side effects at import. Parses the
 * configuration, opens and migrates every database, makes sure reference data
 * is there, seeds a new embedded setup with the demo district, then listens.
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabases } from './db/databases.js';
import { migrateSource } from './db/database.js';
import { ensureReferenceData } from './seed/reference.js';
import { seedDemo } from './seed/load.js';
import { seedAvailabilityHistory } from './seed/availability.js';
import { createHub } from './server.js';
import { DEPARTMENT_SOURCES } from './sources/index.js';
import { createHubStore } from './hub/store.js';
import { seedDemoPolicy, type DemoCredentials } from './hub/demo.js';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

async function main(config: Config): Promise<void> {
  const dbs = await openDatabases(config);
  // The hub's own database is required; a department that is down does not stop the hub (SPEC §7):
  // its fields answer SOURCE_UNAVAILABLE and it is migrated when it comes back.
  await migrateSource(dbs.hub);
  for (const { name: source } of DEPARTMENT_SOURCES) {
    await migrateSource(dbs[source]).catch((error) => console.warn(`The ${source} database is unavailable (${describe(error)}); starting without it.`));
  }
  await ensureReferenceData(dbs).catch((error) => console.warn(`Reference data not refreshed: ${describe(error)}`));
  if (dbs.embeddedIsNew) {
    console.log(`New embedded setup in ${config.DATA_DIR}: seeding a demo district of ${config.SEED_CITIZENS} citizens…`);
    const counts = await seedDemo(dbs, { citizens: config.SEED_CITIZENS, seed: 1 });
    console.log(`Seeded ${counts.citizens} citizens, ${counts.enterprises} enterprises, ${counts.licenses} licenses, ${counts.cases} cases in ${(counts.ms / 1000).toFixed(1)} s.`);
    const keys = await seedDemoPolicy(createHubStore(dbs.hub));
    // Only here: `npm run seed` and the bench keep the hub's own tables as they are, and so leave its availability history alone.
    await seedAvailabilityHistory(dbs.hub);
    // Development convenience only: the demo keys in clear text, next to the embedded data they open.
    // In production they are never written or shown (SPEC §1: no demo credentials).
    if (config.NODE_ENV !== 'production') writeFileSync(credentialsFile(config), JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  }
  const hub = await createHub(config, dbs);
  const address = await hub.app.listen({ port: config.PORT, host: config.HOST });
  const base = address.replace('://[::1]', '://localhost').replace('://127.0.0.1', '://localhost');
  console.log(`OnceGraph is listening on ${base}/graphql`);
  console.log(`  steward console: ${base}/console`);
  if (config.NODE_ENV !== 'production') {
    console.log(`  GraphiQL:        ${base}/graphiql`);
    printDemoCredentials(config);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    hub.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await hub.close();
    await dbs.closeAll();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** An error's code and message, never its stack: enough to act on at start. */
function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return [e.code, e.message].filter(Boolean).join(' ') || String(error);
}

function credentialsFile(config: Config): string {
  return path.resolve(config.DATA_DIR, 'demo-credentials.json');
}

function printDemoCredentials(config: Config): void {
  let keys: DemoCredentials;
  try {
    keys = JSON.parse(readFileSync(credentialsFile(config), 'utf8')) as DemoCredentials;
  } catch {
    return; // not a demo setup
  }
  console.log('\nDemo API keys (development only; send as "Authorization: Bearer <key>"):');
  for (const [consumer, key] of Object.entries(keys)) console.log(`  ${consumer.padEnd(16)} ${key}`);
  console.log('  Try: curl -s localhost:' + config.PORT + '/graphql -H "authorization: Bearer ' + keys['licensing-desk'] + '" -H "x-purpose: LICENSE_ISSUANCE" \\');
  console.log('         -H "content-type: application/json" -d \'{"query":"{ citizen(id: \\"610113198807150016\\") { name birthDate phone household { id } } }"}\'');
}

try {
  await main(loadConfig());
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error('OnceGraph could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
}
