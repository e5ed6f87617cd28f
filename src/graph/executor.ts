import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';

/** Compiled operations kept per hub; an operation is compiled once (~0.4 ms) and reused. */
const MAX_COMPILED = 1000;

/**
 * Executes operations with graphql-jit instead of graphql-js: each distinct
 * operation is compiled once to a function, which removes most of
 * graphql-js's per-field overhead (issue 7; NOTES.md "Where the time goes").
 * Apollo Server 5 accepts a custom executor only through its gateway
 * interface, so this is a minimal gateway over our own schema. Behaviour is
 * graphql-js's: variables are coerced by graphql-js itself (so errors carry
 * the nodes Apollo turns into BAD_USER_INPUT), and every error is rebuilt as
 * a GraphQLError that keeps its path, locations, extensions and original error.
 */
export function compiledExecutorGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new Map<string, CompiledQuery | ExecutionResult>();
  let onSchema: Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0] | null = null;

  const executor: GatewayExecutor = async (requestContext) => {
    const { document, request, queryHash, context, operation } = requestContext;
    // graphql-jit must be given the operation name the client sent (not the one Apollo resolved).
    const operationName = request.operationName ?? undefined;
    const key = `${queryHash}:${operationName ?? ''}`;
    let query = compiled.get(key);
    if (!query) {
      query = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
      if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
      compiled.set(key, query);
    }
    if (!isCompiledQuery(query)) return { errors: query.errors?.map(rebuild) };
    const result = await query.query(undefined, context, request.variables ?? {});
    // graphql-jit answers without `data` only when it could not coerce the variables: then graphql-js
    // coerces them again, for its errors (they carry the nodes Apollo turns into BAD_USER_INPUT). Valid
    // variables are coerced once, by graphql-jit, which executes with them either way.
    if (!('data' in result) && result.errors && operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, operation.variableDefinitions, request.variables ?? {}, { maxErrors: 50 });
      if (coerced.errors) return { errors: coerced.errors };
    }
    return result.errors ? { ...result, errors: result.errors.map(rebuild) } : result;
  };

  return {
    async load() {
      onSchema?.({ apiSchema: schema, coreSupergraphSdl: '' });
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      onSchema = callback;
      return () => {
        onSchema = null;
      };
    },
    async stop() {
      compiled.clear();
    },
  };
}

/**
 * graphql-jit's errors lack `extensions` (Apollo would mask them all as
 * internal errors): carry over the original error's extensions, path and
 * locations onto a real GraphQLError.
 */
function rebuild(error: GraphQLError): GraphQLError {
  const original = error.originalError;
  // The original error keeps its stack (if it has one) for the log; the wrapper needs none.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const rebuilt = new GraphQLError(error.message, {
    path: error.path,
    originalError: original ?? undefined,
    extensions: { ...(original instanceof GraphQLError ? original.extensions : {}), ...error.extensions },
  });
  Error.stackTraceLimit = stackTraceLimit;
  if (error.locations) Object.defineProperty(rebuilt, 'locations', { value: error.locations, enumerable: true });
  return rebuilt;
}
