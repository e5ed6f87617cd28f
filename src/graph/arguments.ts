import { BadUserInputError } from '../errors.js';
import { isValidNationalId } from '../sources/registry/nationalId.js';
import { isValidCreditCode } from '../sources/enterprise/creditCode.js';

/**
 * Argument checks that run before any database work (SPEC §4, §7). Each names
 * the argument as the caller wrote it, so the error says what to fix.
 */

export function nationalIdArgument(argument: string, value: string): string {
  if (!isValidNationalId(value)) {
    throw new BadUserInputError(argument, 'not a valid national ID (18 characters: region, birth date, sequence, GB 11643-1999 check character).');
  }
  return value;
}

export function nationalIdListArgument(argument: string, values: readonly string[], max: number): string[] {
  if (values.length > max) throw new BadUserInputError(argument, `at most ${max} IDs per request, got ${values.length}.`);
  return values.map((v, i) => nationalIdArgument(`${argument}[${i}]`, v));
}

export function creditCodeArgument(argument: string, value: string): string {
  if (!isValidCreditCode(value)) {
    throw new BadUserInputError(
      argument,
      'not a valid unified social credit code (18 characters: registration authority, organisation type, region, organisation code, GB 32100-2015 check character).',
    );
  }
  return value;
}

export function creditCodeListArgument(argument: string, values: readonly string[], max: number): string[] {
  if (values.length > max) throw new BadUserInputError(argument, `at most ${max} credit codes per request, got ${values.length}.`);
  return values.map((v, i) => creditCodeArgument(`${argument}[${i}]`, v));
}

/** A data subject's ID: a citizen's national ID or an enterprise's unified social credit code. */
export function subjectIdArgument(argument: string, value: string): string {
  if (!isValidNationalId(value) && !isValidCreditCode(value)) {
    throw new BadUserInputError(argument, 'not a national ID (GB 11643-1999) nor a unified social credit code (GB 32100-2015).');
  }
  return value;
}

/** Control characters other than tab and line breaks: never part of what a person writes. */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

interface TextRules {
  /** The longest text accepted, in characters. */
  readonly max: number;
  /** What the text is, for the messages ("the comment"). */
  readonly what: string;
  /** What to do about an empty required text, appended to "… is empty". */
  readonly whenEmpty?: string;
}

/**
 * Text a person wrote (a comment, a note, an answer), cleaned the same way
 * everywhere: Unicode NFC, trimmed, no control characters, at most `max`
 * characters. Empty text is null when optional, an error when required.
 */
export function textArgument(argument: string, value: string, rules: TextRules): string;
export function textArgument(argument: string, value: string | null | undefined, rules: TextRules & { readonly optional: true }): string | null;
export function textArgument(argument: string, value: string | null | undefined, rules: TextRules & { readonly optional?: boolean }): string | null {
  const text = (value ?? '').normalize('NFC').trim();
  if (text.length === 0) {
    if (rules.optional) return null;
    throw new BadUserInputError(argument, `${rules.what} is empty${rules.whenEmpty ? `: ${rules.whenEmpty}` : ''}.`);
  }
  if (CONTROL_CHARACTERS.test(text)) throw new BadUserInputError(argument, `${rules.what} holds control characters; send plain text (line breaks are fine).`);
  if (text.length > rules.max) throw new BadUserInputError(argument, `${rules.what} is longer than ${rules.max.toLocaleString('en')} characters (${text.length.toLocaleString('en')}).`);
  return text;
}

export function pageSizeArgument(argument: string, value: number | null | undefined, max: number, fallback = 20): number {
  const size = value ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max) throw new BadUserInputError(argument, `page size must be between 1 and ${max}, got ${size}.`);
  return size;
}

/**
 * A connection's PageInfo (Relay's cursor connections): paging forward with
 * `first`/`after`, an earlier page exists exactly when the caller passed
 * `after` (a cursor the hub wrote names an edge that was served).
 */
export function pageInfoOf(edges: readonly { cursor: string }[], hasNextPage: boolean, after: string | null | undefined) {
  return { hasNextPage, hasPreviousPage: after !== null && after !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null };
}

/** Opaque cursors: base64url of the keyset position's parts. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/**
 * What each part of a keyset cursor may hold. A cursor comes back from the
 * caller, so each part is checked as strictly as the hub wrote it before it
 * reaches SQL: a forged part is the caller's mistake (BAD_USER_INPUT), never a
 * database error.
 */
const CURSOR_PARTS = {
  /** An instant exactly as `Date.toISOString()` writes it, years 0001–9999 (what the database stores without an era). */
  instant: (part: string) => /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(part) && !Number.isNaN(Date.parse(part)) && new Date(part).toISOString() === part,
  /** A record id: a positive integer in decimal without leading zeros, safe in JavaScript and in a bigint column. */
  id: (part: string) => /^[1-9]\d*$/.test(part) && Number.isSafeInteger(Number(part)),
  /** A business key such as a case number: letters, digits and hyphens, at most 24 (the key columns' width). */
  key: (part: string) => /^[A-Za-z0-9-]{1,24}$/.test(part),
} satisfies Record<string, (part: string) => boolean>;
export type CursorPart = keyof typeof CURSOR_PARTS;

/** The parts of a cursor returned by this connection, one per entry of `parts`; null when there is none. */
export function decodeCursor(argument: string, cursor: string | null | undefined, parts: readonly CursorPart[]): string[] | null {
  if (cursor === null || cursor === undefined) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // not JSON: reported below like any other cursor this connection did not return
  }
  if (Array.isArray(decoded) && decoded.length === parts.length && decoded.every((p, i) => typeof p === 'string' && CURSOR_PARTS[parts[i]](p))) return decoded as string[];
  throw new BadUserInputError(argument, 'not a cursor returned by this connection; pass an endCursor or edge cursor unchanged.');
}
