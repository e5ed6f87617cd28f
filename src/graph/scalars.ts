import { GraphQLScalarType, Kind } from 'graphql';
import { ErrorCode, HubError } from '../errors.js';

/** A malformed Date or DateTime, as a literal or a variable: the caller's mistake (BAD_USER_INPUT), never a 500. */
class InvalidScalarError extends HubError {
  constructor(message: string) {
    super(ErrorCode.BAD_USER_INPUT, message);
  }
}

/** ISO 8601 calendar date, reduced precision allowed: YYYY, YYYY-MM or YYYY-MM-DD (SPEC §4). */
const ISO_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
/** ISO 8601 instant; the time zone is required so that an instant is never ambiguous. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) {
    throw new InvalidScalarError('Date must be an ISO 8601 calendar date such as "1988-07-15", "1988-07" or "1988".');
  }
  if (value.length === 10 && Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidScalarError(`Date "${value}" does not exist.`);
  if (value.length === 10 && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) throw new InvalidScalarError(`Date "${value}" does not exist.`);
  return value;
}

/** The instants the hub stores and writes back in four-digit ISO 8601 (PostgreSQL keeps no era; `toISOString()` widens later years). */
const EARLIEST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LATEST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

function parseDateTime(value: unknown): string {
  const instant = typeof value === 'string' && ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(instant)) {
    throw new InvalidScalarError('DateTime must be ISO 8601 with a time zone, such as "2026-03-01T09:30:00Z".');
  }
  if (instant < EARLIEST_INSTANT || instant > LATEST_INSTANT) {
    throw new InvalidScalarError(`DateTime "${value}" is out of range: instants run from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.`);
  }
  return new Date(instant).toISOString();
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date in ISO 8601, reduced precision allowed: "1988-07-15", "1988-07" or "1988".',
  serialize: (value) => String(value),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant in ISO 8601 with a time zone, for example "2026-03-01T09:30:00.000Z".',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
