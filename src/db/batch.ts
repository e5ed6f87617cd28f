/**
 * DataLoader batch results must be in key order with one entry per key
 * (STYLE §4). These two helpers put rows back in that order.
 */

/** One row per key, or null where the database had none. */
export function oneByKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): (R | null)[] {
  const byKey = new Map<K, R>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((k) => byKey.get(k) ?? null);
}

/** All rows per key, keeping the rows' order; an empty list where the database had none. */
export function manyByKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const byKey = new Map<K, R[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = byKey.get(k);
    if (list) list.push(row);
    else byKey.set(k, [row]);
  }
  return keys.map((k) => byKey.get(k) ?? []);
}

/** PostgreSQL's text of a timestamptz in UTC: `2026-03-01 08:00:00.123456+00` (fraction optional). */
const UTC_TEXT = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/**
 * ISO 8601 with a time zone (`Date.prototype.toISOString`'s form, milliseconds
 * truncated as Date does), from whatever text or Date a driver gave for a
 * timestamptz. A UTC text is rewritten without parsing a Date: this runs for
 * every instant of every row read.
 */
export function isoInstant(value: string | Date | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') {
    const utc = UTC_TEXT.exec(value);
    if (utc) return `${utc[1]}T${utc[2]}.${(utc[3] ?? '').slice(0, 3).padEnd(3, '0')}Z`;
  }
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
