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
 * Service performance over [from, to], both inclusive, by submission date
 * (issue 6): volumes and processing days from the cases database, items
 * pre-filled versus collected, and once-only reads from the audit log.
 */
export async function serviceMetrics(ctx: HubContext, from: string | null, to: string | null) {
  const start = from ? startOf(from) : new Date('1900-01-01T00:00:00Z');
  const end = to ? endOf(to) : new Date('9999-01-01T00:00:00Z');
  if (start >= end) throw new BadUserInputError('from', `must not be after "to" (${from} > ${to}).`);
  const [fromIso, toIso] = [start.toISOString(), end.toISOString()];
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
