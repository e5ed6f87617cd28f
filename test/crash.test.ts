/**
 * Crash safety of the audit log (issue 4): a hub process serving personal
 * reads under load is killed with SIGKILL; after a restart, every response
 * that reached a client with personal data has its audit record, and the
 * chain verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, TEST_BOOTSTRAP_KEY, type TestDatabases } from './setup/hub.js';

const DEMO = '610113198807150016';
const steward = { authorization: `Bearer ${TEST_BOOTSTRAP_KEY}` };

let db: TestDatabases | null = null;
let dataDir: string;
let env: Record<string, string>;
let child: ChildProcess | null = null;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startHub(): Promise<string> {
  const port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return base;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`hub did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function gql(base: string, query: string, variables: object, headers: Record<string, string>) {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { requestId: res.headers.get('x-request-id')!, body: (await res.json()) as any };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'oncegraph-crash-'));
  env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', STEWARD_BOOTSTRAP_KEY: TEST_BOOTSTRAP_KEY, DATA_DIR: dataDir, SEED_CITIZENS: '300' };
  db = await createTestDatabases();
  if (db.url) {
    // On PostgreSQL the child uses this file's own database; on PGlite it seeds its own DATA_DIR.
    Object.assign(env, { HUB_DATABASE_URL: db.url, REGISTRY_DATABASE_URL: db.url, LICENSING_DATABASE_URL: db.url, CASES_DATABASE_URL: db.url });
  } else {
    await db.drop();
    db = null;
  }
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the audit log survives SIGKILL under load', () => {
  it('every personal response a client received has its record after a restart, and the chain verifies', async () => {
    let base = await startHub();
    await gql(base, `mutation { createConsumer(input: { id: "crash-reader", name: "Crash reader", department: "licensing" }) { id } }`, {}, steward);
    await gql(base, `mutation { grantAccess(input: { consumerId: "crash-reader", field: "Citizen.name", purposes: ["STATISTICS"] }) { id } }`, {}, steward);
    const { body } = await gql(base, `mutation { issueApiKey(consumerId: "crash-reader") { key } }`, {}, steward);
    const reader = { authorization: `Bearer ${body.data.issueApiKey.key}`, 'x-purpose': 'STATISTICS' };

    const received: string[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const res = await gql(base, `{ citizen(id: "${DEMO}") { name } }`, {}, reader);
          if (typeof res.body.data?.citizen?.name === 'string') received.push(res.requestId);
        } catch {
          return; // the process is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (received.length < 200) await new Promise((r) => setTimeout(r, 20));
    child!.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    if (child!.exitCode === null && child!.signalCode === null) await new Promise((r) => child!.once('exit', r));

    base = await startHub();
    const recorded = new Set<string>();
    let after: string | null = null;
    do {
      const page: any = (await gql(base, `query($after: String) { auditLog(filter: { consumerId: "crash-reader" }, first: 100, after: $after) { edges { node { requestId } } pageInfo { hasNextPage endCursor } } }`, { after }, steward)).body.data.auditLog;
      for (const e of page.edges) recorded.add(e.node.requestId);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(received.length).toBeGreaterThanOrEqual(200);
    expect(received.filter((id) => !recorded.has(id))).toEqual([]);
    const verification = (await gql(base, `{ verifyAudit { ok checked problem } }`, {}, steward)).body.data.verifyAudit;
    expect(verification).toMatchObject({ ok: true, problem: null });
    expect(verification.checked).toBeGreaterThanOrEqual(received.length);
    child!.kill('SIGKILL');
  }, 180_000);
});
