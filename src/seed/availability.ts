import type { Database } from '../db/database.js';
import { DEPARTMENT_SOURCES, type DepartmentSourceName } from '../sources/index.js';

/**
 * A year of demo availability history for each department source (SPEC §6a,
 * the evaluation's `operation` dimension), in the hub's database: per hour,
 * a readiness check a minute, nearly all up, and a few hundred calls with a
 * tiny failure share, busier in office hours (China Standard Time), with a
 * handful of outages that differ per source. Every hour's counts are a pure
 * function of the source and the hour, so a later run adds the hours since
 * and leaves the rows already there as they were.
 */

const HISTORY_DAYS = 365;
const HOUR_MS = 3_600_000;
const CHECKS_PER_HOUR = 60;

/**
 * An outage, on the same day of every 365-day cycle (epoch day mod 365), so
 * that any year of history holds each once: from `startHour` (UTC) for
 * `hours`, with `up` the share of checks and calls that still succeeded.
 */
interface Outage {
  cycleDay: number;
  startHour: number;
  hours: number;
  up: number;
}

interface SourceProfile {
  /** Calls in a busy office hour on a working day. */
  peakCalls: number;
  /** Share of calls that fail outside outages (a timeout now and then). */
  failureShare: number;
  outages: readonly Outage[];
}

/** One profile per source: a source added to DEPARTMENT_SOURCES does not compile until it has one. */
const PROFILES: Record<DepartmentSourceName, SourceProfile> = {
  // The civil registry: the most read, very steady; one night-time upgrade that overran, one slow hour.
  registry: {
    peakCalls: 420,
    failureShare: 0.0003,
    outages: [
      { cycleDay: 47, startHour: 17, hours: 2, up: 0 },
      { cycleDay: 231, startHour: 3, hours: 1, up: 0.6 },
    ],
  },
  // Licensing: a few short outages in office hours (a failing disk, then its replacement the next morning).
  licensing: {
    peakCalls: 300,
    failureShare: 0.0008,
    outages: [
      { cycleDay: 12, startHour: 2, hours: 1, up: 0 },
      { cycleDay: 118, startHour: 6, hours: 2, up: 0.25 },
      { cycleDay: 119, startHour: 1, hours: 3, up: 0 },
      { cycleDay: 290, startHour: 7, hours: 1, up: 0.5 },
    ],
  },
  // The service center: one long outage (an overnight migration that overran), otherwise steady.
  cases: {
    peakCalls: 360,
    failureShare: 0.0005,
    outages: [
      { cycleDay: 84, startHour: 14, hours: 6, up: 0 },
      { cycleDay: 302, startHour: 5, hours: 1, up: 0.4 },
    ],
  },
  // The enterprise registry: a flaky network link, many short partial outages.
  enterprise: {
    peakCalls: 180,
    failureShare: 0.002,
    outages: [
      { cycleDay: 9, startHour: 2, hours: 1, up: 0.5 },
      { cycleDay: 63, startHour: 8, hours: 2, up: 0.2 },
      { cycleDay: 140, startHour: 1, hours: 1, up: 0 },
      { cycleDay: 177, startHour: 3, hours: 1, up: 0.7 },
      { cycleDay: 205, startHour: 6, hours: 3, up: 0 },
      { cycleDay: 268, startHour: 2, hours: 1, up: 0.3 },
      { cycleDay: 333, startHour: 7, hours: 2, up: 0.5 },
    ],
  },
};

/** A 32-bit string hash (FNV-1a), to key a source's draws by its name rather than its position. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Uniform in [0, 1), a pure function of its arguments (murmur3's finaliser over them). */
function unit(key: number, hour: number, salt: number): number {
  let h = (key ^ Math.imul(hour, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/** Share of the peak traffic in a local (UTC+8) hour: office hours, lunch, evenings, nights, weekends. */
function trafficShare(epochHour: number): number {
  const local = epochHour + 8;
  const hour = local % 24;
  // Epoch day 0 was a Thursday: 0 is Sunday, 6 Saturday.
  const weekday = (Math.floor(local / 24) + 4) % 7;
  const share = hour >= 9 && hour < 12 ? 1 : hour >= 14 && hour < 18 ? 0.9 : hour >= 12 && hour < 14 ? 0.45 : hour >= 7 && hour < 22 ? 0.3 : 0.04;
  return weekday === 0 || weekday === 6 ? share * 0.3 : share;
}

/** The share of checks and calls that succeeded in an hour of an outage of `profile`, or null outside them. */
function outageUp(profile: SourceProfile, epochHour: number): number | null {
  for (const outage of profile.outages) {
    // The outage's first hour in the 365-day cycle that holds this hour, or the cycle before (one that runs past midnight).
    const cycleStart = Math.floor(epochHour / 24 / HISTORY_DAYS) * HISTORY_DAYS;
    for (const start of [cycleStart, cycleStart - HISTORY_DAYS]) {
      const first = (start + outage.cycleDay) * 24 + outage.startHour;
      if (epochHour >= first && epochHour < first + outage.hours) return outage.up;
    }
  }
  return null;
}

/** One source's hours as columns, for unnest(). */
interface Columns {
  hours: string[];
  checksUp: number[];
  calls: number[];
  callsFailed: number[];
}

/** Appends one source's counts for one hour. */
function addHour(columns: Columns, source: DepartmentSourceName, key: number, epochHour: number): void {
  const profile = PROFILES[source];
  const calls = Math.round(profile.peakCalls * trafficShare(epochHour) * (0.75 + 0.5 * unit(key, epochHour, 1)));
  // Failures rounded by a draw, so that their mean is the share however few the calls.
  let callsFailed = Math.floor(calls * profile.failureShare + unit(key, epochHour, 2));
  // Now and then a check misses its answer outside an outage.
  let checksUp = unit(key, epochHour, 3) < 0.004 ? CHECKS_PER_HOUR - 1 : CHECKS_PER_HOUR;
  const up = outageUp(profile, epochHour);
  if (up !== null) {
    checksUp = Math.round(CHECKS_PER_HOUR * up);
    callsFailed = Math.max(callsFailed, Math.round(calls * (1 - up)));
  }
  columns.hours.push(new Date(epochHour * HOUR_MS).toISOString());
  columns.checksUp.push(checksUp);
  columns.calls.push(calls);
  columns.callsFailed.push(callsFailed);
}

/** An array parameter as PostgreSQL's text form, which both drivers pass as is; numbers and ISO instants need no quoting. */
const arrayLiteral = (values: readonly (string | number)[]) => `{${values.join(',')}}`;

/**
 * A source's year in one statement: its columns as four array parameters.
 * (Drizzle's multi-row inserts spent about 1.5 s building the statements
 * for a year of four sources, several times what the database took.)
 */
const INSERT_HOURS = `
  insert into hub.source_availability (source, hour, checks, checks_up, calls, calls_failed)
  select $1, hour, ${CHECKS_PER_HOUR}, checks_up, calls, calls_failed
  from unnest($2::timestamptz[], $3::int[], $4::int[], $5::int[]) as h (hour, checks_up, calls, calls_failed)
  on conflict (source, hour) do nothing`;

/**
 * Writes the demo availability of every department source for the 365 days
 * before the hour of `now` (that hour excluded); hours already recorded are
 * kept (ON CONFLICT DO NOTHING), so running it again adds only the new hours.
 */
export async function seedAvailabilityHistory(hub: Database, now: Date = new Date()): Promise<void> {
  const end = Math.floor(now.getTime() / HOUR_MS);
  const start = end - HISTORY_DAYS * 24;
  for (const { name } of DEPARTMENT_SOURCES) {
    const key = hashName(name);
    const columns: Columns = { hours: [], checksUp: [], calls: [], callsFailed: [] };
    for (let hour = start; hour < end; hour++) addHour(columns, name, key, hour);
    await hub.execute(INSERT_HOURS, [name, arrayLiteral(columns.hours), arrayLiteral(columns.checksUp), arrayLiteral(columns.calls), arrayLiteral(columns.callsFailed)]);
  }
}
