/**
 * Systems `hub` and `hub-no-audit`: OnceGraph itself, built exactly as
 * `npm start` builds it (createHub over the configured databases), with the
 * audit log on, or off when BENCH_AUDIT=off. Configuration comes from the
 * environment the runner sets (NODE_ENV=production, LOG_LEVEL=silent, the
 * four database URLs, a rate limit high enough not to interfere).
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { openDatabases } from '../../src/db/databases.js';
import { SOURCE_NAMES } from '../../src/db/sources.js';
import { createHub } from '../../src/server.js';
import { serveUnderBench } from './child.js';
import { countStatements, type StatementCounter } from './count.js';

await serveUnderBench(async () => {
  const config = loadConfig(process.env);
  const dbs = await openDatabases(config);
  // Counted at the driver like the baselines' statements; Database.stats (drizzle's count) is kept as a cross-check.
  const counters = new Map<string, StatementCounter>();
  for (const name of SOURCE_NAMES) {
    const driver = dbs[name].driver;
    if (driver.kind !== 'postgres') throw new Error('the bench runs the hub on PostgreSQL only');
    counters.set(name, countStatements(driver.sql));
  }
  const hub = await createHub(config, dbs, { audit: process.env.BENCH_AUDIT !== 'off' });
  await hub.app.listen({ port: config.PORT, host: config.HOST });
  return {
    server: hub.app.server,
    port: (hub.app.server.address() as AddressInfo).port,
    statements: () => Object.fromEntries(SOURCE_NAMES.map((name) => [name, counters.get(name)!.statements])),
    extra: () => ({
      transactionControl: [...counters.values()].reduce((sum, c) => sum + c.transactionControl, 0),
      drizzleStatements: SOURCE_NAMES.reduce((sum, name) => sum + dbs[name].stats.statements, 0),
    }),
    async close() {
      await hub.close();
      await dbs.closeAll();
    },
  };
});
