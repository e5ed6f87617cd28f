import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyBaseLogger } from 'fastify';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ErrorCode, HubError, QueryTooComplexError, errorCodes, formatError } from '../errors.js';
import type { HubContext } from './context.js';
import { countTokens } from './limits.js';

/**
 * The one place GraphQL errors are shaped for clients (STYLE §5): the hub's
 * own errors keep their code wherever graphql-js or Apollo wrapped them
 * (a limit reached in validation, a bad Date literal in a scalar), a token
 * limit becomes QUERY_TOO_COMPLEX, and everything without a known code is
 * masked by `formatError`.
 */
export function shapeError(formatted: GraphQLFormattedError, error: unknown, maxTokens: number): GraphQLFormattedError {
  return formatError(withHubCode(formatted, error, maxTokens), undefined);
}

/**
 * Apollo's persisted-query refusals that carry no code (a hash that is not the
 * text's, a version other than 1): the caller's mistake, answered 400 by
 * Apollo, never an internal error (SPEC §7).
 */
const PERSISTED_QUERY_MISTAKES = new Set(['provided sha does not match query', 'Unsupported persisted query version']);

/**
 * The hub's errors reach formatError wrapped as validation or parse errors
 * (operation limits, scalar literals): give them back their own code (SPEC §7).
 */
function withHubCode(formatted: GraphQLFormattedError, error: unknown, maxTokens: number): GraphQLFormattedError {
  const original = (error as { originalError?: unknown })?.originalError;
  // The wrapper's message says where ("Variable $from got invalid value …"); the code is ours.
  if (original instanceof HubError) return { ...formatted, extensions: original.extensions };
  // PostgreSQL refuses text it cannot store (a NUL character, 22021/22P05): the caller's input, never an internal error.
  if (errorCodes(original).some((code) => code === '22021' || code === '22P05')) {
    return { message: 'An argument holds a character the hub does not accept (for example NUL); remove it and retry.', locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  if (PERSISTED_QUERY_MISTAKES.has(formatted.message) && !(error as GraphQLError)?.path) return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
  if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && /tokens/.test(formatted.message)) {
    const source = (error as GraphQLError).source?.body;
    const tooComplex = new QueryTooComplexError('tokens', maxTokens, source ? countTokens(source) : null);
    return { message: tooComplex.message, extensions: tooComplex.extensions };
  }
  return formatted;
}

/**
 * Logs every masked error in full under the request id, and gives the client
 * that id (and nothing else) so the two can be matched.
 */
export function errorsWithRequestId(log: FastifyBaseLogger): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if ((!code || code === ErrorCode.INTERNAL_SERVER_ERROR) && !PERSISTED_QUERY_MISTAKES.has(error.message)) {
              log.error({ requestId: contextValue.requestId, err: error.originalError ?? error, path: error.path }, 'masked error');
            }
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (error.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR) {
              (error as { message: string }).message = `Internal server error. Quote request id ${contextValue.requestId} when reporting it.`;
              (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
        },
      };
    },
  };
}
