import type { ConsumerRecord } from '../hub/store.js';

export type Role = 'consumer' | 'steward' | 'citizen';

/**
 * Text a client chose (headers, token subjects, operation names) as the hub
 * keeps it: printable, trimmed, bounded, or null when nothing is left. It is
 * written into logs and audit records, so it is cleaned once, where it enters.
 */
export function printable(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, max);
  return clean === '' ? null : clean;
}

/**
 * Who is asking and why, as read from the credentials and headers of one
 * request (SPEC §3). Its text fields are already `printable` and bounded.
 */
export interface Viewer {
  readonly role: Role;
  /** The consumer the credentials belong to; null for the bootstrap key and for a steward JWT without one. */
  readonly consumer: ConsumerRecord | null;
  /** The officer acting: JWT `sub`, or X-On-Behalf-Of with an API key. For a citizen, their national ID. */
  readonly officer: string | null;
  /** For a citizen token, the citizen's national ID. */
  readonly citizenId: string | null;
  readonly purpose: string | null;
  readonly caseRef: string | null;
  /** How the caller signed in, for the log (never the credential itself). */
  readonly credential: 'api-key' | 'jwt' | 'bootstrap-key';
  readonly keyId: string | null;
}

/** The name recorded as the actor of a policy change: the officer, else the consumer, else the credential. */
export function actorOf(viewer: Viewer): string {
  return viewer.officer ?? viewer.consumer?.id ?? viewer.credential;
}
