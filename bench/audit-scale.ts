/**
 * `npx tsx bench/audit-scale.ts [--records 1000000] [--url postgres://…/postgres]`:
 * how long grant review (the audit rollup, first and incremental) and
 * verifyAudit take on an audit log of N chained records (issue 15's closing
 * note). It makes its own database on the server of --url (default
 * TEST_DATABASE_URL's, else local PostgreSQL), fills it through the audit
 * store's own append (real chain, real hashes), measures, and drops it.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { chain, type AuditContent } from '../src/audit/chain.js';
import { createAuditStore } from '../src/audit/store.js';
import { verifyAuditLog } from '../src/audit/checkpoints.js';
import { connect, migrateSource } from '../src/db/database.js';
import { createReviewStore } from '../src/governance/reviewStore.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, url: { type: 'string' } } });
const N = Number(values.records);
const serverUrl = values.url ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `oncegraph_scale_${randomBytes(4).toString('hex')}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
const hub = connect('hub', { url, timeoutMs: 600_000, poolSize: 4 });

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  console.log(`${label.padEnd(52)} ${seconds(performance.now() - started)}`);
  return result;
}

try {
  await migrateSource(hub);
  const audit = createAuditStore(hub);
  const consumers = ['licensing-desk', 'benefits-office', 'market-desk', 'housing-office', 'statistics-bureau'];
  const fields = [['Citizen.name'], ['Citizen.name', 'Citizen.address'], ['Citizen.birthDate'], ['Citizen.phone', 'Citizen.email'], ['Citizen.household']];
  const purposes = ['LICENSE_ISSUANCE', 'BENEFIT_ELIGIBILITY', 'MARKET_SUPERVISION', 'HOUSING_ALLOCATION', 'STATISTICS'];
  const start = Date.now() - 120 * 86_400_000;
  const content = (i: number): AuditContent => {
    const c = i % consumers.length;
    return {
      at: new Date(start + Math.floor((i / N) * 120 * 86_400_000)).toISOString(),
      requestId: `req-${Math.floor(i / 3)}`,
      consumerId: consumers[c],
      department: 'licensing',
      actor: consumers[c],
      role: 'consumer',
      officer: null,
      purpose: purposes[c],
      caseRef: i % 4 === 0 ? `SC2026${String(i).padStart(7, '0')}` : null,
      operationName: 'Lookup',
      operationHash: 'a'.repeat(64),
      subjectType: 'CITIZEN',
      subjectId: `6101131988${String(i % 100_000).padStart(8, '0')}`,
      citizenId: `6101131988${String(i % 100_000).padStart(8, '0')}`,
      fieldsReturned: fields[c],
      fieldsDenied: [],
      outcome: 'GRANTED',
      serviceCode: null,
    };
  };
  await timed(`append ${N.toLocaleString('en')} chained records (batches of 2,000)`, async () => {
    for (let i = 0; i < N; i += 2000) {
      const batch = Array.from({ length: Math.min(2000, N - i) }, (_, k) => content(i + k));
      await audit.append((lastId, lastHash) => chain(batch, lastId, lastHash));
    }
  });
  await hub.rows(sql`analyze hub.audit_log`);

  const review = createReviewStore(hub);
  await timed('grant review: first rollup of the whole log', () => review.rollUp());
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
  await timed('grant review: usage per grant (after rollup)', () => review.usage(since));
  await timed('grant review: reading flags, 30 days', () => review.caselessDays(new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10), 200));
  const more = Array.from({ length: 2000 }, (_, k) => content(N + k));
  await audit.append((lastId, lastHash) => chain(more, lastId, lastHash));
  await timed('grant review: incremental rollup of 2,000 new records', () => review.rollUp());
  await timed('grant review: rollup with nothing new (each request)', () => review.rollUp());
  const key = randomBytes(32).toString('hex');
  const verified = await timed('verifyAudit: full chain walk (leaves a checkpoint)', () => verifyAuditLog(audit, { key, full: true }));
  console.log(`verifyAudit: ok=${verified.ok}, checked ${verified.checked.toLocaleString('en')} records`);
  const newer = Array.from({ length: 2000 }, (_, k) => content(N + 2000 + k));
  await audit.append((lastId, lastHash) => chain(newer, lastId, lastHash));
  const incremental = await timed('verifyAudit: on from the checkpoint, 2,000 new records', () => verifyAuditLog(audit, { key, full: false }));
  console.log(`verifyAudit: ok=${incremental.ok}, checked ${incremental.checked.toLocaleString('en')} records after checkpoint ${incremental.fromId}`);
} finally {
  await hub.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
