import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyBaseLogger } from 'fastify';
import { ErrorCode } from '../errors.js';
import type { HubContext } from '../graph/context.js';
import type { AuditWriter } from './writer.js';

/**
 * SPEC §6: a response carrying personal data leaves only after its audit
 * records are committed. If they cannot be, every personal value is withheld
 * (null, with AUDIT_UNAVAILABLE at its path); public data is still served.
 */
export function auditBeforeResponse(log: FastifyBaseLogger, writer: AuditWriter | null): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, request, queryHash, operationName }) {
          const recorder = contextValue.audit;
          if (!writer || !recorder || recorder.isEmpty) return;
          const operationHash = queryHash ?? createHash('sha256').update(request.query ?? '').digest('hex');
          try {
            await writer.append(recorder.contents({ requestId: contextValue.requestId, viewer: contextValue.viewer, operationName: operationName ?? null, operationHash }));
          } catch (err) {
            log.error({ requestId: contextValue.requestId, err }, 'audit write failed: personal data withheld');
            if (response.body.kind === 'single') withhold(response.body.singleResult, recorder.personalPaths);
          }
        },
      };
    },
  };
}

function withhold(result: { data?: Record<string, unknown> | null; errors?: ReadonlyArray<unknown> }, paths: readonly (readonly (string | number)[])[]): void {
  const errors = [...(result.errors ?? [])];
  for (const path of paths) {
    let parent: any = result.data;
    for (const key of path.slice(0, -1)) parent = parent?.[key];
    const last = path[path.length - 1];
    if (parent === null || parent === undefined || parent[last] === undefined) continue;
    parent[last] = null;
    errors.push({
      message: 'Personal data withheld: the audit log cannot be written right now. Try again shortly.',
      path,
      extensions: { code: ErrorCode.AUDIT_UNAVAILABLE },
    });
  }
  (result as { errors?: unknown[] }).errors = errors;
}
