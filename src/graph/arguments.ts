import { BadUserInputError } from '../errors.js';
import { isValidNationalId } from '../sources/registry/nationalId.js';

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

export function pageSizeArgument(argument: string, value: number | null | undefined, max: number, fallback = 20): number {
  const size = value ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max) throw new BadUserInputError(argument, `page size must be between 1 and ${max}, got ${size}.`);
  return size;
}

/** Opaque cursors: base64url of the keyset position's parts. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(argument: string, cursor: string | null | undefined, length: number): string[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === length && parts.every((p) => typeof p === 'string')) return parts as string[];
  } catch {
    // fall through to the error below: any undecodable cursor is the caller's mistake
  }
  throw new BadUserInputError(argument, 'not a cursor returned by this connection; pass an endCursor or edge cursor unchanged.');
}
