/**
 * `npx tsx bench/evaluation-scale.ts [--citizens 1000000] [--runs 5] [--url postgres://…/postgres]`:
 * how long serviceEvaluation and serviceMetrics take over HTTP on the demo
 * world of N citizens (issue 16's closing note). It reuses (or seeds) the
 * bench database of that size (bench/lib/database.ts), adds a year of hourly
 * availability history, starts a hub in this process, warms it up, and prints
 * each run and the median, for the whole history and for the last 12 months.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { everyDatabaseAt, openDatabases } from '../src/db/databases.js';
import { createHub } from '../src/server.js';
import { seedAvailabilityHistory } from '../src/seed/availability.js';
import { prepareBenchDatabase } from './lib/database.js';

const { values } = parseArgs({ options: { citizens: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' }, url: { type: 'string' } } });
const citizens = Number(values.citizens);
const runs = Number(values.runs);
const serverUrl = values.url ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const db = await prepareBenchDatabase(serverUrl, citizens, 1, (line) => console.log(line));
const stewardKey = `scale-steward-${randomBytes(16).toString('hex')}`;
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', STEWARD_BOOTSTRAP_KEY: stewardKey, SOURCE_TIMEOUT_MS: '60000', LIMIT_COST: '100000', ...everyDatabaseAt(db.url) });
const dbs = await openDatabases(config);
await seedAvailabilityHistory(dbs.hub);
const hub = await createHub(config, dbs);

async function ask(query: string): Promise<void> {
  const res = await hub.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${stewardKey}` }, payload: JSON.stringify({ query }) });
  const body = JSON.parse(res.body) as { errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}

async function timed(label: string, query: string): Promise<void> {
  await ask(query); // warm-up: plans, buffers, V8
  await ask(query);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await ask(query);
    times.push(performance.now() - started);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${label.padEnd(48)} median ${(sorted[Math.floor(runs / 2)] / 1000).toFixed(2)} s  (runs: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s)`);
}

const lastYear = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
const EVALUATION = `serviceEvaluation%s { department operation processingTime benefit technical satisfaction score indicators { name value score } }`;
const METRICS = `serviceMetrics%s { serviceCode submitted decided medianDays ratings satisfaction }`;
try {
  console.log(`${citizens.toLocaleString('en')} citizens on PostgreSQL ${db.serverVersion}, ${runs} runs after 2 warm-ups`);
  await timed('serviceEvaluation, whole history', `{ ${EVALUATION.replace('%s', '')} }`);
  await timed('serviceEvaluation, last 12 months', `{ ${EVALUATION.replace('%s', `(from: "${lastYear}")`)} }`);
  await timed('serviceMetrics, whole history', `{ ${METRICS.replace('%s', '')} }`);
  await timed('serviceMetrics, last 12 months', `{ ${METRICS.replace('%s', `(from: "${lastYear}")`)} }`);
} finally {
  await hub.close();
  await dbs.closeAll();
}
