import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * The one error vocabulary of the hub (SPEC §7). Every error a client sees has
 * one of these codes in `extensions.code`; anything else is masked by
 * `formatError` as INTERNAL_SERVER_ERROR.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  SOURCE_UNAVAILABLE: 'SOURCE_UNAVAILABLE',
  AUDIT_UNAVAILABLE: 'AUDIT_UNAVAILABLE',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** A consumer restricted to its registered operations sent another one (SPEC §8). */
  OPERATION_NOT_REGISTERED: 'OPERATION_NOT_REGISTERED',
  /** Too many requests from one consumer (HTTP 429 with Retry-After). */
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));
/** Codes graphql-js and Apollo assign themselves to malformed requests; safe to pass through. */
const PROTOCOL_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

/**
 * The hub's errors are answers (a denied field, a bad argument), not bugs:
 * they carry no stack trace, whose capture cost ~0.3 ms for each denied field
 * (bench G4). Masked internal errors keep theirs, for the log.
 */
export class HubError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message, { extensions: { code, ...extensions } });
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** A malformed argument; `argument` names it the way the caller wrote it (`ids[3]`, `filter.applicantId`). */
export class BadUserInputError extends HubError {
  constructor(argument: string, message: string) {
    super(ErrorCode.BAD_USER_INPUT, `Invalid argument "${argument}": ${message}`, { argument });
  }
}

export class UnauthenticatedError extends HubError {
  constructor(message = 'Send a valid API key or JWT in "Authorization: Bearer <token>".') {
    super(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
  }
}

export class ForbiddenError extends HubError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(ErrorCode.FORBIDDEN, message, extensions);
  }
}

/** A department database is down, slow, or its breaker is open. */
export class SourceUnavailableError extends HubError {
  constructor(source: string) {
    super(ErrorCode.SOURCE_UNAVAILABLE, `The ${source} source is unavailable right now; other departments' data is unaffected. Try again shortly.`, { source });
  }
}

/** An operation over a limit (depth, aliases, directives, tokens, cost, repeated fields); rejected before any database work. */
export class QueryTooComplexError extends HubError {
  constructor(limit: string, max: number, found: number | null) {
    super(
      ErrorCode.QUERY_TOO_COMPLEX,
      `The operation is over the ${limit} limit of ${max}${found === null ? '' : ` (found ${found})`}; split it into smaller operations.`,
      { limit, max, ...(found === null ? {} : { found }) },
    );
  }
}

/** A consumer switched to registered operations only sent an operation not registered for it (SPEC §8); refused before execution. */
export class OperationNotRegisteredError extends HubError {
  constructor(consumerId: string, hash: string | undefined) {
    super(
      ErrorCode.OPERATION_NOT_REGISTERED,
      `${consumerId} runs only its registered operations, and this one is not registered for it. Send a registered operation by its hash, or ask a data steward to register this one (registerOperations).`,
      { consumerId, ...(hash ? { hash } : {}), http: { status: 403 } },
    );
  }
}

/**
 * The codes along an error's cause chain (drizzle wraps driver errors in
 * `cause`): what the database said, whichever layer threw.
 */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') codes.push(e.code);
  }
  return codes;
}

/** Impossible states: a bug, never the caller's fault. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant violated: ${message}`);
}

/**
 * The one place errors are shaped for clients: known codes pass (without
 * stack traces or `exception`), everything else becomes INTERNAL_SERVER_ERROR
 * carrying only the request id, so the full error can be found in the log.
 */
export function formatError(formatted: GraphQLFormattedError, requestId: string | undefined): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && (KNOWN_CODES.has(code) || PROTOCOL_CODES.has(code)) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    const { stacktrace: _s, exception: _e, http: _h, ...rest } = formatted.extensions ?? {};
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code, ...rest } };
  }
  return {
    message: `Internal server error. Quote request id ${requestId ?? 'unknown'} when reporting it.`,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
