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
 * The period [from, to], both inclusive calendar dates (reduced precision
 * allowed), as the half-open instants [start, end) that SQL compares: a
 * missing bound leaves that side open, from 0001 to the end of 9999.
 */
export function periodOf(from: string | null, to: string | null): { from: string; to: string } {
  checkYear('from', from);
  checkYear('to', to);
  const start = startOf(from ?? '0001');
  const end = endOf(to ?? '9999');
  if (start >= end) throw new BadUserInputError('from', `must not be after "to" (${from} > ${to}).`);
  return { from: sqlInstant(start), to: sqlInstant(end) };
}

/**
 * Service performance over [from, to], both inclusive, by submission date
 * (issue 6): volumes and processing days from the cases database, items
 * pre-filled versus collected, once-only reads from the audit log, and the
 * ratings given in the period (issue 16).
 */
export async function serviceMetrics(ctx: HubContext, from: string | null, to: string | null) {
  const period = periodOf(from, to);
  const [stats, items, reads, ratings] = await Promise.all([
    ctx.stores.cases.serviceStats(period.from, period.to),
    ctx.stores.cases.itemCounts(period.from, period.to),
    ctx.stores.audit.readsPerService(period.from, period.to),
    ctx.stores.cases.ratingStats(period.from, period.to),
  ]);
  const itemsOf = (code: string, origin: string) => items.find((i) => i.serviceCode === code && i.origin === origin)?.count ?? 0;
  return stats.map((s) => ({
    ...s,
    itemsPrefilled: itemsOf(s.serviceCode, 'PREFILLED'),
    itemsCollected: itemsOf(s.serviceCode, 'COLLECTED'),
    itemsRecollected: itemsOf(s.serviceCode, 'RECOLLECTED'),
    crossDepartmentReads: reads.find((r) => r.serviceCode === s.serviceCode)?.reads ?? 0,
    ...satisfactionOf(ratings.find((r) => r.serviceCode === s.serviceCode)),
  }));
}

/** SPEC §6a: satisfaction is the share of ratings of 4 or 5; null without ratings. */
function satisfactionOf(stats: { ratings: number; satisfied: number; ratingSum: number } | undefined) {
  const ratings = Number(stats?.ratings ?? 0);
  return {
    ratings,
    satisfaction: ratings === 0 ? null : Number(stats!.satisfied) / ratings,
    averageRating: ratings === 0 ? null : Number(stats!.ratingSum) / ratings,
  };
}
