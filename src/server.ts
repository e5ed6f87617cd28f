import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { sql } from 'drizzle-orm';
import type { Config } from './config.js';
import type { Databases } from './db/databases.js';
import { SOURCE_NAMES } from './db/sources.js';
import { ErrorCode, formatError } from './errors.js';
import { createLoaders, createStores, limitsOf, type HubContext } from './graph/context.js';
import { buildHubSchema } from './graph/schema.js';
import { createAuthenticator } from './access/credentials.js';
import { PolicyCache } from './access/policy.js';
import { RequestAccess } from './access/request.js';
import { createHubManager } from './hub/manager.js';
import { AuditRecorder } from './audit/recorder.js';
import { AuditWriter } from './audit/writer.js';
import { createHash } from 'node:crypto';

export interface Hub {
  app: FastifyInstance;
  /** Stops accepting, finishes requests in flight, then stops Apollo. Databases stay open (the caller owns them). */
  close(): Promise<void>;
}

type ServerConfig = Pick<
  Config,
  'NODE_ENV' | 'LOG_LEVEL' | 'LIMIT_PAGE_SIZE' | 'LIMIT_BATCH_IDS' | 'LIMIT_BODY_BYTES' | 'AUTH_JWT_SECRET' | 'AUTH_JWT_PUBLIC_KEY' | 'STEWARD_BOOTSTRAP_KEY'
>;

export interface HubOptions {
  /**
   * Benchmarks only: `false` builds the hub without its audit log, to measure
   * what the audit costs. Not reachable from configuration on purpose.
   */
  audit?: boolean;
}

/** Wires Fastify and Apollo over open, migrated databases. Does not listen. */
export async function createHub(config: ServerConfig, dbs: Databases, options: HubOptions = {}): Promise<Hub> {
  const production = config.NODE_ENV === 'production';
  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL, redact: ['req.headers.authorization'] },
    bodyLimit: config.LIMIT_BODY_BYTES,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });
  const { schema, catalogue } = buildHubSchema();
  const stores = createStores(dbs);
  const limits = limitsOf(config);
  const policies = await PolicyCache.start(stores.hub, dbs.hub, (err) => app.log.error({ err }, 'policy reload failed'));
  const authenticate = createAuthenticator(config, stores.hub);
  const hubManager = createHubManager(stores.hub, policies, catalogue);
  const auditWriter = options.audit === false ? null : new AuditWriter(stores.audit);
  const contextFor = async (requestId: string, headers: Record<string, string | string[] | undefined>): Promise<HubContext> => {
    const policy = policies.policy;
    const viewer = await authenticate(headers, policy);
    const loaders = createLoaders(stores);
    return {
      requestId,
      limits,
      viewer,
      access: new RequestAccess(viewer, policy, (n) => loaders.cases.case.load(n)),
      audit: new AuditRecorder(),
      hub: hubManager,
      loaders,
      stores: { hub: stores.hub, cases: stores.cases, audit: stores.audit },
    };
  };

  const apollo = new ApolloServer<HubContext>({
    schema,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // Masks anything without a known code; the request id is added by errorsWithRequestId.
    formatError: (formatted) => formatError(formatted, undefined),
    plugins: [
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      errorsWithRequestId(app),
      auditBeforeResponse(app, auditWriter),
    ],
  });
  await apollo.start();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const states = await sourceStates(dbs);
    reply.code(states.hub === 'up' ? 200 : 503);
    return { status: states.hub === 'up' ? 'ready' : 'not ready', sources: states };
  });
  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    method: ['GET', 'POST'],
    context: async (request) => contextFor(request.id, request.headers),
  });

  return {
    app,
    async close() {
      await app.close();
      await apollo.stop();
      await auditWriter?.idle();
      await policies.stop();
    },
  };
}

/** Pings every database with a short deadline: `up` or `down`. */
async function sourceStates(dbs: Databases): Promise<Record<string, 'up' | 'down'>> {
  const states = await Promise.all(
    SOURCE_NAMES.map(async (name) => {
      const ping = dbs[name].rows(sql`select 1`);
      const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1500).unref());
      try {
        await Promise.race([ping, deadline]);
        return [name, 'up'] as const;
      } catch {
        ping.catch(() => {});
        return [name, 'down'] as const;
      }
    }),
  );
  return Object.fromEntries(states);
}

/**
 * Logs every masked error in full under the request id, and gives the client
 * that id (and nothing else) so the two can be matched.
 */
function errorsWithRequestId(app: FastifyInstance): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (!code || code === ErrorCode.INTERNAL_SERVER_ERROR) {
              app.log.error({ requestId: contextValue.requestId, err: error.originalError ?? error, path: error.path }, 'masked error');
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

/**
 * SPEC §6: a response carrying personal data leaves only after its audit
 * records are committed. If they cannot be, every personal value is withheld
 * (null, with AUDIT_UNAVAILABLE at its path); public data is still served.
 */
function auditBeforeResponse(app: FastifyInstance, writer: AuditWriter | null): ApolloServerPlugin<HubContext> {
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
            app.log.error({ requestId: contextValue.requestId, err }, 'audit write failed: personal data withheld');
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
