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
import { createContextFactory, limitsOf, type HubContext } from './graph/context.js';
import { buildHubSchema } from './graph/schema.js';

export interface Hub {
  app: FastifyInstance;
  /** Stops accepting, finishes requests in flight, then stops Apollo. Databases stay open (the caller owns them). */
  close(): Promise<void>;
}

type ServerConfig = Pick<Config, 'NODE_ENV' | 'LOG_LEVEL' | 'LIMIT_PAGE_SIZE' | 'LIMIT_BATCH_IDS' | 'LIMIT_BODY_BYTES'>;

/** Wires Fastify and Apollo over open, migrated databases. Does not listen. */
export async function createHub(config: ServerConfig, dbs: Databases): Promise<Hub> {
  const production = config.NODE_ENV === 'production';
  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL, redact: ['req.headers.authorization'] },
    bodyLimit: config.LIMIT_BODY_BYTES,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });
  const { schema } = buildHubSchema();
  const contextFor = createContextFactory(dbs, limitsOf(config));

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
    context: async (request) => contextFor(request.id),
  });

  return {
    app,
    async close() {
      await app.close();
      await apollo.stop();
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
