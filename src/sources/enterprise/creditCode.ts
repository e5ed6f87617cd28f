/**
 * Unified social credit codes (GB 32100-2015): 18 characters over
 * `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, S, V, Z):
 *
 *   1      registration authority code (9 = market regulation, 5 = civil affairs, …)
 *   2      organisation type within that authority (for 9: 1 enterprise,
 *          2 individual business, 3 farmers' cooperative)
 *   3–8    the registering authority's region code (GB/T 2260)
 *   9–17   the organisation code (GB 11714-1997): 8 characters and its own
 *          MOD 11 check character (0–9 or X)
 *   18     the check character of the first 17, MOD 31 over the code's alphabet
 */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

/** Weights of the final check character: 3^(i) mod 31 for positions 1 to 17. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Weights of the GB 11714 organisation-code check character over its 8 body characters. */
const ORGANISATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * Registration authorities and the organisation types each assigns: GB 32100-2015
 * Table 1 with the authorities added since (foreign affairs, judicial
 * administration, culture, tourism, religious affairs, trade unions, the
 * military's staffing office, agriculture).
 */
const ORGANISATION_TYPES: Readonly<Record<string, string>> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '123',
  A: '19',
  N: '1239',
  Y: '1',
};

const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{8}[0-9X][0-9A-HJ-NPQRTUWXY]$/;

/** GB 11714's value of a body character: digits as themselves, letters A=10 … Z=35. */
function organisationValue(c: string): number {
  const code = c.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 55;
}

/** The GB 11714 check character of an organisation code's 8 body characters. */
export function organisationCodeCheckChar(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) throw new Error('organisationCodeCheckChar needs 8 digits or capital letters');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += organisationValue(body[i]) * ORGANISATION_WEIGHTS[i];
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** The final check character of a credit code's first 17 characters. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error('creditCodeCheckChar needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = VALUE.get(first17[i]);
    if (value === undefined) throw new Error(`creditCodeCheckChar: "${first17[i]}" is not in the code's alphabet`);
    sum += value * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/**
 * Whether `code` is a well-formed unified social credit code: the shape, a
 * known registration authority with one of its organisation types, a 6-digit
 * region, and both check characters right. Whether the region or the
 * organisation exists is for the registry to answer.
 */
export function isValidCreditCode(code: string): boolean {
  if (!SHAPE.test(code)) return false;
  if (!ORGANISATION_TYPES[code[0]]?.includes(code[1])) return false;
  if (organisationCodeCheckChar(code.slice(8, 16)) !== code[16]) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/** Market-regulation organisation types (registration authority 9). */
export type MarketOrganisationType = 'ENTERPRISE' | 'INDIVIDUAL_BUSINESS' | 'FARMERS_COOPERATIVE';
const MARKET_TYPE_CODE: Record<MarketOrganisationType, string> = { ENTERPRISE: '1', INDIVIDUAL_BUSINESS: '2', FARMERS_COOPERATIVE: '3' };

const SERIALS = 31 ** 6;
/** Coprime with 31, so `n ↦ (n × SPREAD + OFFSET) mod 31^6` is a bijection: codes look assigned, never collide. */
const SPREAD = 7_368_787;
const OFFSET = 5_844_167;

/**
 * A credit code issued by the market regulator of `regionCode` to organisation
 * number `sequence` (deterministic: the seed's codes). Organisation codes
 * issued since 2015 begin with "MA"; the remaining 6 body characters are the
 * sequence spread over base 31 in the code's alphabet, so distinct sequences
 * give distinct organisation codes, unique nationwide as GB 11714 requires
 * (up to 31^6, about 887 million).
 */
export function creditCodeFor(type: MarketOrganisationType, regionCode: string, sequence: number): string {
  if (!/^\d{6}$/.test(regionCode)) throw new Error('creditCodeFor needs a 6-digit region code');
  if (!Number.isInteger(sequence) || sequence < 0 || sequence >= SERIALS) throw new Error('creditCodeFor: sequence out of range');
  let serial = '';
  // Below 2^53 for every sequence in range: exact in a JavaScript number.
  for (let n = (sequence * SPREAD + OFFSET) % SERIALS, i = 0; i < 6; i++, n = Math.floor(n / 31)) serial = ALPHABET[n % 31] + serial;
  const body = `MA${serial}`;
  const first17 = `9${MARKET_TYPE_CODE[type]}${regionCode}${body}${organisationCodeCheckChar(body)}`;
  return first17 + creditCodeCheckChar(first17);
}
