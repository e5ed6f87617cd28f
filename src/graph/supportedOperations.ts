import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode, HubError } from '../errors.js';
import type { HubContext } from './context.js';

/** What the hub executes over HTTP; a subscription needs a transport the hub does not offer. */
const SUPPORTED = new Set(['query', 'mutation']);

/**
 * SPEC §7: an operation of a type the hub does not execute (a subscription)
 * is the caller's mistake, refused with 400 BAD_USER_INPUT before execution,
 * never answered as an internal error.
 */
export function supportedOperationsOnly(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          const type = operation?.operation;
          if (type === undefined || SUPPORTED.has(type)) return;
          throw new HubError(ErrorCode.BAD_USER_INPUT, `The hub answers queries and mutations over HTTP; a ${type} operation is not supported. Send a query instead.`, {
            operationType: type,
            http: { status: 400 },
          });
        },
      };
    },
  };
}
