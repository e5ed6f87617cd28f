/**
 * The hub as a process: crash safety of the audit log (issue 4: SIGKILL
 * under load, then every personal response a client received has its
 * record) and graceful shutdown (issue 5: SIGTERM finishes what is in
 * flight, audit included, and exits within 10 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabases, TEST_BOOTSTRAP_KEY, type TestDatabases } from './setup/hub.js';
import { everyDatabaseAt } from '../src/db/databases.js';

const DEMO = '610113198807150016';
/**
 * The demo steward's key, known once a hub has started: the bootstrap key is refused once a steward consumer
 * holds a key (SPEC §3), and every demo setup has one.
 */
const steward: Record<string, string> = {};

let db: TestDatabases | null = null;
let dataDir: string;
let env: Record<string, string>;
let child: ChildProcess | null = null;
/** Every hub this file started, so that none outlives it, whatever failed. */
const children = new Set<ChildProcess>();
let childStderr = '';

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
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d, childStderr = stderr));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) {
        // On PostgreSQL the child runs on this file's copy of the template; on PGlite it seeded its own DATA_DIR and wrote the keys there.
        const keys = db ? inject('demoKeys') : JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8'));
        steward.authorization = `Bearer ${keys['data-steward']}`;
        return base;
      }
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`hub did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function gql(base: string, query: string, variables: object, headers: Record<string, string>) {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, requestId: res.headers.get('x-request-id')!, body: (await res.json()) as any };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'oncegraph-crash-'));
  env = { NODE_ENV: 'test', LOG_LEVEL: 'info', STEWARD_BOOTSTRAP_KEY: TEST_BOOTSTRAP_KEY, DATA_DIR: dataDir, SEED_CITIZENS: '300' };
  db = await createTestDatabases();
  if (db.url) {
    // On PostgreSQL the child uses this file's own database; on PGlite it seeds its own DATA_DIR.
    Object.assign(env, everyDatabaseAt(db.url));
  } else {
    await db.drop();
    db = null;
  }
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function registerReader(base: string, id: string) {
  await gql(base, `mutation { createConsumer(input: { id: "${id}", name: "Process reader", department: "licensing" }) { id } }`, {}, steward);
  await gql(base, `mutation { grantAccess(input: { consumerId: "${id}", field: "Citizen.name", purposes: ["STATISTICS"] }) { id } }`, {}, steward);
  const { body } = await gql(base, `mutation { issueApiKey(consumerId: "${id}") { key } }`, {}, steward);
  return { authorization: `Bearer ${body.data.issueApiKey.key}`, 'x-purpose': 'STATISTICS' };
}

/** Request ids of every audit record written for `consumerId`. */
async function auditedRequests(base: string, consumerId: string): Promise<Set<string>> {
  const recorded = new Set<string>();
  let after: string | null = null;
  do {
    const page: any = (await gql(base, `query($after: String) { auditLog(filter: { consumerId: "${consumerId}" }, first: 100, after: $after) { edges { node { requestId } } pageInfo { hasNextPage endCursor } } }`, { after }, steward)).body.data.auditLog;
    for (const e of page.edges) recorded.add(e.node.requestId);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return recorded;
}

async function exited(): Promise<void> {
  if (child!.exitCode === null && child!.signalCode === null) await new Promise((r) => child!.once('exit', r));
}

describe('the hub process', () => {
  it('every personal response a client received has its record after a restart, and the chain verifies', async () => {
    let base = await startHub();
    const reader = await registerReader(base, 'crash-reader');

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
    await exited();

    base = await startHub();
    const recorded = await auditedRequests(base, 'crash-reader');
    expect(received.length).toBeGreaterThanOrEqual(200);
    expect(received.filter((id) => !recorded.has(id))).toEqual([]);
    const verification = (await gql(base, `{ verifyAudit { ok checked problem } }`, {}, steward)).body.data.verifyAudit;
    expect(verification).toMatchObject({ ok: true, problem: null });
    expect(verification.checked).toBeGreaterThanOrEqual(received.length);
    child!.kill('SIGKILL');
    await exited();
  }, 180_000);

  it('on SIGTERM finishes the requests in flight, with their audit, and exits within 10 s', async () => {
    let base = await startHub();
    const reader = await registerReader(base, 'shutdown-reader');
    // Eight clients keep requests in flight; SIGTERM arrives in the middle of the load.
    const responses: (Awaited<ReturnType<typeof gql>> & { afterSignal: boolean })[] = [];
    let signalled = 0;
    const client = async () => {
      for (;;) {
        try {
          const res = await gql(base, `{ citizen(id: "${DEMO}") { name } }`, {}, reader);
          responses.push({ ...res, afterSignal: signalled > 0 });
        } catch {
          return; // connection refused or closed: the hub no longer accepts
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    while (responses.length < 100) await new Promise((r) => setTimeout(r, 10));
    signalled = performance.now();
    child!.kill('SIGTERM');
    await Promise.all(clients);
    await exited();
    const exitMs = performance.now() - signalled;
    expect({ code: child!.exitCode, stderr: childStderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(exitMs).toBeLessThan(10_000);
    // A request the hub had started is answered in full; one that arrived after SIGTERM is refused
    // with 503 (or its connection is closed) so that the client retries elsewhere. Nothing in between.
    const answered = responses.filter((r) => r.status === 200);
    for (const res of answered) expect(typeof res.body.data.citizen.name).toBe('string');
    for (const res of responses) expect([200, 503]).toContain(res.status);
    const finishedAfterSignal = answered.filter((r) => r.afterSignal).length;
    console.log(`SIGTERM: ${finishedAfterSignal} requests in flight at the signal answered in full, ${responses.length - answered.length} refused with 503, exit after ${exitMs.toFixed(0)} ms`);
    expect(finishedAfterSignal).toBeGreaterThan(0);

    base = await startHub();
    const recorded = await auditedRequests(base, 'shutdown-reader');
    expect(answered.map((r) => r.requestId).filter((id) => !recorded.has(id))).toEqual([]);
    child!.kill('SIGKILL');
    await exited();
  }, 120_000);
});
