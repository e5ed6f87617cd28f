/**
 * Builds one template database from the migrations, seeded with a small
 * district, before any test file runs. Each test file then gets its own copy:
 * on PostgreSQL (`TEST_DATABASE_URL`) a `CREATE DATABASE … TEMPLATE`, on PGlite
 * a load of the dumped data dir. Nothing is mocked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { everyDatabaseAt, migrateAll, openDatabases } from '../../src/db/databases.js';
import { seedDemo } from '../../src/seed/load.js';
import { createHubStore } from '../../src/hub/store.js';
import { seedDemoPolicy, type DemoCredentials } from '../../src/hub/demo.js';
import { seedAvailabilityHistory } from '../../src/seed/availability.js';

export const TEST_CITIZENS = 400;

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabaseUrl: string | null;
    templateDump: string | null;
    /** API keys of the demo consumers in the template. */
    demoKeys: DemoCredentials;
  }
}

const dbConfig = (url: string | undefined, dataDir: string) => ({
  DATA_DIR: dataDir,
  SOURCE_TIMEOUT_MS: 10_000,
  SOURCE_POOL_SIZE: 2,
  ...(url ? everyDatabaseAt(url) : {}),
});

export default async function setup(project: TestProject) {
  const work = mkdtempSync(path.join(tmpdir(), 'oncegraph-test-'));
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `og_template_${process.pid}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name}`);
    await admin.unsafe(`create database ${name}`);
    const url = withDatabase(serverUrl, name);
    const dbs = await openDatabases(dbConfig(url, work));
    await migrateAll(dbs);
    await seedDemo(dbs, { citizens: TEST_CITIZENS, seed: 1 });
    project.provide('demoKeys', await seedDemoPolicy(createHubStore(dbs.hub)));
  await seedAvailabilityHistory(dbs.hub);
    await seedAvailabilityHistory(dbs.hub);
    await dbs.closeAll();
    project.provide('templateDatabaseUrl', url);
    project.provide('templateDump', null);
    return async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(work, { recursive: true, force: true });
    };
  }
  const pg = await PGlite.create();
  const dbs = await openDatabases(dbConfig(undefined, work), pg);
  await migrateAll(dbs);
  await seedDemo(dbs, { citizens: TEST_CITIZENS, seed: 1 });
  project.provide('demoKeys', await seedDemoPolicy(createHubStore(dbs.hub)));
  await seedAvailabilityHistory(dbs.hub);
  const dump = await pg.dumpDataDir('none');
  const dumpFile = path.join(work, 'template.tar');
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  await pg.close();
  project.provide('templateDatabaseUrl', null);
  project.provide('templateDump', dumpFile);
  return () => rmSync(work, { recursive: true, force: true });
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
