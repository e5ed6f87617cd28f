import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import { OperationNotRegisteredError } from '../errors.js';
import type { HubContext } from './context.js';

/**
 * Apollo's automatic persisted queries, switched off while its
 * persisted-query extension keeps working: Apollo stores any text a caller
 * sends with a hash and would then run it for anyone sending the hash alone.
 * With this cache nothing is stored and nothing is found, so a hash runs only
 * when it names an operation a steward registered for the caller's consumer
 * (`registeredOperations` below puts its text in the request); any other hash
 * is PERSISTED_QUERY_NOT_FOUND.
 */
export const noAutomaticPersistedQueries: PersistedQueryOptions = {
  cache: {
    async get() {
      return undefined;
    },
    async set() {},
    async delete() {},
  },
};

/**
 * Registered operations (SPEC §8), from the policy in force when the request
 * began:
 * - a request that sends only a persisted-query hash runs the document
 *   registered under that hash for the caller's consumer. Apollo reads
 *   `request.query` only after every plugin's `requestDidStart` has run, so the
 *   document is put there before parsing; Apollo then checks that the hash is
 *   the document's, and from there the request is an ordinary one: the same
 *   parse, validation, limits, access control, audit, masking, errors and
 *   metrics as the same text sent ad hoc. A hash registered for another
 *   consumer is not found.
 * - a consumer switched to registered operations only gets
 *   OPERATION_NOT_REGISTERED for any operation whose hash is not registered
 *   for it, whether sent by hash or as text (an ad hoc text identical to a
 *   registered document is that operation, and runs).
 *
 * A citizen signed in through a portal acts as themself (SPEC §3): the
 * portal's flag does not restrict them, since it governs what the portal's own
 * credentials may send, and a citizen's operations reach only the citizen's
 * own data whatever their text. The portal's registered operations still run
 * by hash for them, as the portal's app sends them.
 *
 * Must come first among the plugins: others may read `request.query` in
 * their own `requestDidStart`.
 */
export function registeredOperations(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const { viewer, access } = contextValue;
      const consumerId = viewer.consumer?.id;
      if (consumerId === undefined) return;
      const registered = access.policy.registeredOperations.get(consumerId);
      const persisted = request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
      if (request.query === undefined && typeof persisted?.sha256Hash === 'string') {
        const operation = registered?.get(persisted.sha256Hash);
        if (operation) request.query = operation.document;
      }
      const restricted = viewer.role !== 'citizen' && access.policy.consumers.get(consumerId)?.registeredOperationsOnly === true;
      if (!restricted) return;
      return {
        async didResolveOperation({ queryHash }) {
          if (!registered?.has(queryHash)) throw new OperationNotRegisteredError(consumerId, queryHash);
        },
      };
    },
  };
}
