/**
 * Resident identity numbers (GB 11643-1999): a 6-digit region code, the birth
 * date as YYYYMMDD, a 3-digit sequence (odd for men, even for women) and an
 * ISO 7064 MOD 11-2 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[0-9X]$/;

/** The check character for the first 17 digits of a national ID. */
export function nationalIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('nationalIdCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/**
 * Whether `id` is a well-formed national ID: 18 characters, 17 digits and a
 * check character `0-9` or uppercase `X`, a real calendar date of birth from
 * 1900 up to today, and the right check character. Whether the region code
 * exists is for the registry to answer.
 */
export function isValidNationalId(id: string): boolean {
  if (!SHAPE.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  if (Date.UTC(year, month - 1, day) > Date.now()) return false;
  return nationalIdCheckChar(id.slice(0, 17)) === id[17];
}
