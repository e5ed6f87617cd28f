/**
 * A department outage degrades only that department (SPEC §7, issue 5):
 * a TCP proxy between the hub and the licensing database is cut, slowed and
 * restored. Runs on real PostgreSQL (TEST_DATABASE_URL, as in CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReader, createTestDatabases, startTestHub, type TestDatabases, type TestHub } from './setup/hub.js';
import { everyDatabaseAt, openDatabases } from '../src/db/databases.js';
import { TcpProxy } from './setup/proxy.js';

const DEMO = '610113198807150016';
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const QUERY = `{ citizen(id: "${DEMO}") { name licenses { number } } }`;

let db: TestDatabases;
let proxy: TcpProxy;
let t: TestHub;
let reader: Record<string, string>;

async function viaProxy(): Promise<TestDatabases> {
  const proxied = new URL(db.url!);
  proxied.port = String(proxy.port);
  const dbs = await openDatabases({
    DATA_DIR: '/nonexistent',
    SOURCE_TIMEOUT_MS: 2000,
    SOURCE_POOL_SIZE: 4,
    ...everyDatabaseAt(db.url!),
    LICENSING_DATABASE_URL: proxied.toString(),
  });
  return { dbs, url: db.url, drop: () => dbs.closeAll() };
}

async function timed(query = QUERY) {
  const started = performance.now();
  const res = await t.graphql(query, {}, reader);
  return { res, ms: performance.now() - started };
}

async function until(check: () => Promise<boolean>, withinMs: number) {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!onPostgres)('a licensing outage', () => {
  beforeAll(async () => {
    db = await createTestDatabases();
    proxy = await TcpProxy.start({ host: new URL(db.url!).hostname, port: Number(new URL(db.url!).port || 5432) });
    t = await startTestHub({ SOURCE_TIMEOUT_MS: '2000' }, await viaProxy());
    reader = (await createReader(t, { fields: ['Citizen.name', 'Citizen.licenses'] })).headers;
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('serves everything while the proxy passes', async () => {
    const { res } = await timed();
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.citizen.licenses.length).toBeGreaterThan(0);
  });

  it('cut: the name is served, licenses are null with SOURCE_UNAVAILABLE within 3 s; then fails fast; /readyz says licensing is down', async () => {
    proxy.cut();
    const first = await timed();
    expect(first.res.body.data.citizen.name).toBeTruthy();
    expect(first.res.body.data.citizen.licenses).toBeNull();
    expect(first.res.body.errors).toEqual([expect.objectContaining({ path: ['citizen', 'licenses'], extensions: { code: 'SOURCE_UNAVAILABLE', source: 'licensing' } })]);
    expect(first.ms).toBeLessThan(3000);
    const times = [first.ms];
    for (let i = 0; i < 3; i++) times.push((await timed()).ms);
    const fast = await timed();
    expect(fast.res.body.data.citizen.licenses).toBeNull();
    console.log(`cut: SOURCE_UNAVAILABLE after ${times.map((m) => m.toFixed(0)).join(', ')} ms; with the breaker open ${fast.ms.toFixed(1)} ms`);
    expect(fast.ms).toBeLessThan(500);
    const ready = await t.hub.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().sources).toEqual({ hub: 'up', registry: 'up', licensing: 'down', cases: 'up', enterprise: 'up' });
  });

  it('restore: licenses come back without a restart', async () => {
    proxy.mode = 'pass';
    await until(async () => Array.isArray((await timed()).res.body.data.citizen.licenses), 15_000);
    expect((await t.hub.app.inject('/readyz')).json().sources.licensing).toBe('up');
  });

  it('slow: a licensing answer later than the 2 s timeout is SOURCE_UNAVAILABLE within 3 s, the rest is served', async () => {
    proxy.mode = 'slow';
    const slow = await timed();
    expect(slow.res.body.data.citizen.name).toBeTruthy();
    expect(slow.res.body.data.citizen.licenses).toBeNull();
    expect(slow.res.body.errors![0].extensions!.code).toBe('SOURCE_UNAVAILABLE');
    expect(slow.ms).toBeLessThan(3000);
    console.log(`slow (answers delayed 3 s): SOURCE_UNAVAILABLE after ${slow.ms.toFixed(0)} ms`);
    proxy.mode = 'pass';
    await until(async () => Array.isArray((await timed()).res.body.data.citizen.licenses), 15_000);
  });

  it('the hub starts while licensing is down, and serves it once it is back', async () => {
    proxy.cut();
    const second = await startTestHub({ SOURCE_TIMEOUT_MS: '2000' }, await viaProxy());
    try {
      const ready = await second.hub.app.inject('/readyz');
      expect(ready.json().sources.licensing).toBe('down');
      const res = await second.graphql(QUERY, {}, reader);
      expect(res.body.data.citizen.name).toBeTruthy();
      expect(res.body.errors![0].extensions!.code).toBe('SOURCE_UNAVAILABLE');
      proxy.mode = 'pass';
      await until(async () => Array.isArray((await second.graphql(QUERY, {}, reader)).body.data.citizen.licenses), 15_000);
    } finally {
      await second.close();
    }
  });
});
