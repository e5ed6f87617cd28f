import { BadUserInputError } from '../errors.js';
import type { HubContext } from '../graph/context.js';

/** The first instant of a reduced-precision ISO date ("2026", "2026-03", "2026-03-01"). */
function startOf(date: string): Date {
  const [y, m = '01', d = '01'] = date.split('-');
  return new Date(`${y}-${m}-${d}T00:00:00Z`);
}

/** The instant after a reduced-precision ISO date ends: "2026" → 2027-01-01. */
function endOf(date: string): Date {
  const parts = date.split('-');
  const start = startOf(date);
  if (parts.length === 1) start.setUTCFullYear(start.getUTCFullYear() + 1);
  else if (parts.length === 2) start.setUTCMonth(start.getUTCMonth() + 1);
  else start.setUTCDate(start.getUTCDate() + 1);
  return start;
}

/**
 * An instant as PostgreSQL reads it. The end of 9999 is 10000-01-01, which
 * `toISOString()` writes in its expanded form (+010000-…) that PostgreSQL
 * refuses; PostgreSQL reads the plain five-digit year.
 */
function sqlInstant(instant: Date): string {
  return instant.toISOString().replace(/^\+0*/, '');
}

/**
 * A bound of the period. The Date scalar takes any ISO 8601 year from 0000;
 * the databases hold years 0001 to 9999 (no era), so a bound before 0001
 * cannot be compared and is the caller's mistake.
 */
function checkYear(argument: 'from' | 'to', date: string | null): void {
  if (date !== null && Number(date.slice(0, 4)) < 1) throw new BadUserInputError(argument, `years run from 0001 to 9999, got "${date}".`);
}

/**
 * Service performance over [from, to], both inclusive, by submission date
 * (issue 6): volumes and processing days from the cases database, items
 * pre-filled versus collected, and once-only reads from the audit log. A
 * missing bound leaves that side open: from 0001, to the end of 9999.
 */
export async function serviceMetrics(ctx: HubContext, from: string | null, to: string | null) {
  checkYear('from', from);
  checkYear('to', to);
  const start = startOf(from ?? '0001');
  const end = endOf(to ?? '9999');
  if (start >= end) throw new BadUserInputError('from', `must not be after "to" (${from} > ${to}).`);
  const [fromIso, toIso] = [sqlInstant(start), sqlInstant(end)];
  const [stats, items, reads] = await Promise.all([
    ctx.stores.cases.serviceStats(fromIso, toIso),
    ctx.stores.cases.itemCounts(fromIso, toIso),
    ctx.stores.audit.readsPerService(fromIso, toIso),
  ]);
  const itemsOf = (code: string, origin: string) => items.find((i) => i.serviceCode === code && i.origin === origin)?.count ?? 0;
  return stats.map((s) => ({
    ...s,
    itemsPrefilled: itemsOf(s.serviceCode, 'PREFILLED'),
    itemsCollected: itemsOf(s.serviceCode, 'COLLECTED'),
    itemsRecollected: itemsOf(s.serviceCode, 'RECOLLECTED'),
    crossDepartmentReads: reads.find((r) => r.serviceCode === s.serviceCode)?.reads ?? 0,
  }));
}
