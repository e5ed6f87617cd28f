import type { ConsumerRecord } from '../hub/store.js';

export type Role = 'consumer' | 'steward' | 'citizen';

/**
 * Text a client chose (headers, token subjects, operation names) as the hub
 * keeps it: printable, trimmed, bounded, or null when nothing is left. It is
 * written into logs and audit records, so it is cleaned once, where it enters.
 */
export function printable(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  // Lone surrogates become U+FFFD (after the cut, which may split a pair): the text must survive UTF-8 and
  // JSON unchanged, or the audit record stored would differ from the one hashed.
  const clean = value
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, max)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return clean === '' ? null : clean;
}

/**
 * Who is asking and why, as read from the credentials and headers of one
 * request (SPEC §3). Its text fields are already `printable` and bounded.
 */
export interface Viewer {
  readonly role: Role;
  /**
   * Who did it: the identity the credential proves (SPEC §3). The consumer's id
   * for an API key, `bootstrap` for STEWARD_BOOTSTRAP_KEY, the JWT's `sub` for a
   * JWT. Nothing the client declares (X-On-Behalf-Of) ever changes it.
   */
  readonly actor: string;
  /**
   * The consumer the credentials belong to; null for the bootstrap key and for a steward JWT without one.
   * For a citizen, the portal that signed them in: it names the application, and lends the citizen none of its grants or keys.
   */
  readonly consumer: ConsumerRecord | null;
  /**
   * The officer acting, as declared: X-On-Behalf-Of with an API key or the bootstrap key (unproven,
   * recorded beside the actor), or the JWT's `sub`. For a citizen, their national ID.
   */
  readonly officer: string | null;
  /** For a citizen token, the citizen's national ID. */
  readonly citizenId: string | null;
  readonly purpose: string | null;
  readonly caseRef: string | null;
  /** How the caller signed in, for the log (never the credential itself). */
  readonly credential: 'api-key' | 'jwt' | 'bootstrap-key';
  readonly keyId: string | null;
}

/** The name recorded as who made a change or a read: the credential's owner, never the declared officer. */
export function actorOf(viewer: Viewer): string {
  return viewer.actor;
}
