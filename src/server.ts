import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { GraphQLObjectType } from 'graphql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { sql } from 'drizzle-orm';
import type { Config } from './config.js';
import type { Databases } from './db/databases.js';
import type { SourceName } from './db/sources.js';
import { DEPARTMENT_SOURCES, type AnySource } from './sources/index.js';
import { SourceAvailability, readinessOf } from './db/availability.js';
import { AvailabilityRecorder } from './evaluation/availability.js';
import { createAvailabilityStore } from './evaluation/availabilityStore.js';
import { migrateSource } from './db/database.js';
import { ErrorCode, HubError, UnauthenticatedError } from './errors.js';
import { keepRolledUp } from './governance/review.js';
import { createContextFactory, createStores, limitsOf, type HubContext, type LoggedFacts } from './graph/context.js';
import { buildHubSchema, loadTypeDefs } from './graph/schema.js';
import { operationLimits } from './graph/limits.js';
import { errorsWithRequestId, shapeError } from './graph/errorShaping.js';
import { auditBeforeResponse } from './audit/beforeResponse.js';
import { compiledExecutorGateway } from './graph/executor.js';
import { supportedOperationsOnly } from './graph/supportedOperations.js';
import { noAutomaticPersistedQueries, registeredOperations } from './graph/registeredOperations.js';
import { createManifestChecker } from './hub/operations.js';
import { createAuthenticator } from './access/credentials.js';
import { PolicyCache } from './access/policy.js';
import type { Viewer } from './access/viewer.js';
import { createHubManager } from './hub/manager.js';
import { AuditWriter } from './audit/writer.js';
import { registerConsole } from './console/routes.js';
import { createHubMetrics } from './metrics.js';
import { createTracing, traceRequests, tracingPlugin } from './observability/tracing.js';

export interface Hub {
  app: FastifyInstance;
  /** Stops accepting, finishes requests in flight (their audit included), then stops Apollo and flushes traces. Databases stay open (the caller owns them). */
  close(): Promise<void>;
  /** Exports the spans ended so far (a no-op when tracing is off). */
  flushTraces(): Promise<void>;
}

type ServerConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'LOG_LEVEL'
  | 'LIMIT_PAGE_SIZE'
  | 'LIMIT_BATCH_IDS'
  | 'REVIEW_CASELESS_CITIZENS_PER_DAY'
  | 'REVIEW_ROLLUP_SECONDS'
  | 'AUDIT_CHECKPOINT_KEY'
  | 'FOLLOW_UP_DAYS'
  | 'EVALUATION_TARGETS'
  | 'EVALUATION_WEIGHTS'
  | 'AVAILABILITY_SAMPLE_SECONDS'
  | 'LIMIT_BODY_BYTES'
  | 'LIMIT_DEPTH'
  | 'LIMIT_ALIASES'
  | 'LIMIT_TOKENS'
  | 'LIMIT_DIRECTIVES'
  | 'LIMIT_COST'
  | 'LIMIT_REPEATED_FIELDS'
  | 'RATE_LIMIT_PER_MINUTE'
  | 'CORS_ORIGINS'
  | 'AUTH_JWT_SECRET'
  | 'AUTH_JWT_PUBLIC_KEY'
  | 'STEWARD_BOOTSTRAP_KEY'
  | 'AUTH_JWT_ISSUER'
  | 'AUTH_JWT_AUDIENCE'
  | 'AUTH_JWT_MAX_TTL'
  | 'SOURCE_TIMEOUT_MS'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_SERVICE_NAME'
>;

export interface HubOptions {
  /**
   * Benchmarks only: `false` builds the hub without its audit log, to measure
   * what the audit costs. Not reachable from configuration on purpose.
   */
  audit?: boolean;
  /** The department sources to serve (default: every declared one). A hub without a source has none of its fields. */
  sources?: readonly AnySource[];
}

/** What the hub learns about a request before GraphQL runs, for rate limits, the context and the log line. */
interface RequestFacts extends LoggedFacts {
  viewer?: Viewer;
  /** Why the credentials were refused; thrown again from the GraphQL context so the answer is a GraphQL error. */
  refusal?: unknown;
}
const facts = new WeakMap<FastifyRequest, RequestFacts>();
const GRAPHQL_PATH = '/graphql';

/** Wires Fastify and Apollo over open databases. Does not listen. */
export async function createHub(config: ServerConfig, dbs: Databases, options: HubOptions = {}): Promise<Hub> {
  const production = config.NODE_ENV === 'production';
  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL, redact: ['req.headers.authorization'] },
    // One line per request is written by the onResponse hook below, with who asked and what.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.LIMIT_BODY_BYTES,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });
  const served = options.sources ?? DEPARTMENT_SOURCES;
  const { schema, catalogue } = buildHubSchema(loadTypeDefs(), served);
  const metrics = createHubMetrics(() => Object.fromEntries(Object.entries(sources).map(([name, s]) => [name, s.breaker.state])));
  // The hub's own database must be there; a department may be down and is migrated when it comes back.
  await migrateSource(dbs.hub);
  // Each source's availability over time, for the evaluation's operation dimension.
  const availability = new AvailabilityRecorder(
    createAvailabilityStore(dbs.hub),
    () => readinessOf(dbs, sources, false),
    (err) => app.log.warn({ err }, 'recording source availability failed'),
  );
  const sources = Object.fromEntries(
    served.map(({ name }) => [
      name,
      new SourceAvailability(dbs[name], config.SOURCE_TIMEOUT_MS, (event, err) =>
        err ? app.log.warn({ source: name, err }, `source ${name}: ${event}`) : app.log.info({ source: name }, `source ${name}: ${event}`),
        (seconds, available) => {
          if (seconds !== null) metrics.sourceCall(name, seconds, available);
          availability.called(name, available);
        },
      ),
    ]),
  ) as Record<string, SourceAvailability>;
  await Promise.all(Object.values(sources).map((s) => s.migrate()));
  const stores = createStores(dbs, served, sources);
  const limits = limitsOf(config);
  const policies = await PolicyCache.start(stores.hub, dbs.hub, (err) => app.log.error({ err }, 'policy reload failed'), metrics.policyReload);
  availability.start(config.AVAILABILITY_SAMPLE_SECONDS * 1000);
  const rollups = keepRolledUp(stores.review, config.REVIEW_ROLLUP_SECONDS * 1000, (err) => app.log.warn({ err }, 'grant review rollup failed'));
  const authenticate = createAuthenticator(config, stores.hub);
  const operationLimitsConfig = operationLimits(config);
  // Registered operations are checked with the parser limit and validation rules requests get (ApolloServer below).
  const manifests = createManifestChecker(schema, { maxTokens: config.LIMIT_TOKENS, validationRules: operationLimitsConfig.validationRules });
  const describeField = (name: string) => {
    const [typeName, fieldName] = name.split('.');
    return (schema.getType(typeName) as GraphQLObjectType | undefined)?.getFields()[fieldName]?.description ?? null;
  };
  // Made per request over the request's view of the hub store (its statements carry the request's comment).
  const hubManager = (store: typeof stores.hub) => createHubManager(store, policies, catalogue, describeField, manifests);
  const auditWriter = options.audit === false ? null : new AuditWriter(stores.audit, 2000, (size, ms, ok) => metrics.auditBatch(size, ms / 1000, ok));

  // Tracing is on only with an OTLP endpoint; off, no hook or plugin is added and traceOf is a constant null.
  const tracing = createTracing(config);
  const traceOf = tracing ? traceRequests(app, tracing, (request) => request.routeOptions.url === GRAPHQL_PATH) : () => null;
  const contextOf = createContextFactory({ stores, sources: served, limits, catalogue, hub: hubManager, onDecision: metrics.accessDecision });
  const contextFor = async (request: FastifyRequest): Promise<HubContext> => {
    const known = facts.get(request) ?? {};
    if (known.refusal) throw known.refusal;
    const policy = policies.policy;
    const viewer = known.viewer ?? (await authenticate(request.headers, policy));
    return contextOf({ requestId: request.id, logged: known, viewer, policy, trace: traceOf(request) });
  };

  const apollo = new ApolloServer<HubContext>({
    // Operations run compiled (graphql-jit); see src/graph/executor.ts.
    gateway: compiledExecutorGateway(schema),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: config.LIMIT_TOKENS },
    validationRules: operationLimitsConfig.validationRules,
    // The persisted-query extension runs registered operations only; nothing a caller sends is stored (src/graph/registeredOperations.ts).
    persistedQueries: noAutomaticPersistedQueries,
    // Masks anything without a known code; the request id is added by errorsWithRequestId.
    formatError: (formatted, error) => shapeError(formatted, error, config.LIMIT_TOKENS),
    plugins: [
      // First: it puts a registered operation's text in the request before any other plugin reads it.
      registeredOperations(),
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ...(operationLimitsConfig.plugins as ApolloServerPlugin<HubContext>[]),
      supportedOperationsOnly(),
      errorsWithRequestId(app.log),
      auditBeforeResponse(app.log, auditWriter),
      ...(tracing ? [tracingPlugin<HubContext>()] : []),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ operationName, contextValue }) {
              contextValue.logged.operationName = operationName;
            },
            async willSendResponse({ response, contextValue }) {
              if (response.body.kind === 'single') contextValue.logged.errors = response.body.singleResult.errors?.length ?? 0;
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Errors outside GraphQL (body too large, malformed JSON): the same error shape, no internals.
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error, requestId: request.id }, 'request failed');
    const message =
      status === 413
        ? `The request body is larger than ${config.LIMIT_BODY_BYTES} bytes.`
        : status < 500
          ? error.message
          : `Internal server error. Quote request id ${request.id} when reporting it.`;
    const code = status === 413 ? ErrorCode.QUERY_TOO_COMPLEX : status === 429 ? ErrorCode.RATE_LIMITED : status < 500 ? 'BAD_REQUEST' : ErrorCode.INTERNAL_SERVER_ERROR;
    void reply.code(status).send({ errors: [{ message, extensions: { code, ...(status >= 500 ? { requestId: request.id } : {}) } }] });
  });

  // While shutting down, every answer closes its connection: keep-alive clients move to another instance
  // instead of holding this one open until their keep-alive timeout.
  let closing = false;
  // Hooks that never wait are written with `done` (an async hook costs a promise and a microtask per request).
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // The route Fastify matched, never the URL text: `/%67raphql` is /graphql too (SPEC §2).
    if (request.routeOptions.url !== GRAPHQL_PATH) return;
    // Who is asking, decided once: the rate limiter keys on it, the GraphQL context reuses it.
    const f: RequestFacts = {};
    facts.set(request, f);
    try {
      f.viewer = await authenticate(request.headers, policies.policy);
    } catch (refusal) {
      f.refusal = refusal;
    }
  });
  // One line per request, with who asked and what (never a value, a token or a key).
  const logRequest = (request: FastifyRequest, reply: FastifyReply, f: RequestFacts | undefined) =>
    request.log.info(
      {
        requestId: request.id,
        method: request.method,
        url: request.routeOptions.url ?? request.url.split('?')[0],
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        consumer: f?.viewer?.consumer?.id ?? (f?.viewer ? f.viewer.credential : undefined),
        role: f?.viewer?.role,
        operation: f?.operationName ?? undefined,
      },
      'request',
    );
  const logRequests = config.LOG_LEVEL !== 'silent';
  app.addHook('onResponse', (request, reply, done) => {
    const f = facts.get(request);
    if (f) {
      const outcome = reply.statusCode >= 400 ? 'error' : f.errors ? 'partial' : 'ok';
      metrics.request(f.operationName, outcome, reply.elapsedTime / 1000);
    }
    if (logRequests) logRequest(request, reply, f);
    done();
  });

  if (config.CORS_ORIGINS.length > 0) {
    await app.register(cors, { origin: config.CORS_ORIGINS, methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', 'x-purpose', 'x-case-ref', 'x-on-behalf-of', 'apollo-require-preflight'] });
  }
  await app.register(rateLimit, {
    allowList: (request) => request.routeOptions.url !== GRAPHQL_PATH,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    hook: 'preHandler',
    // Per consumer (SPEC: one consumer's flood must not slow another's answers); unauthenticated callers per address.
    keyGenerator: (request) => {
      const viewer = facts.get(request)?.viewer;
      // A citizen counts alone, not against the portal that signed them in.
      return viewer?.citizenId ? `citizen:${viewer.citizenId}` : viewer?.consumer ? `consumer:${viewer.consumer.id}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => {
      const error = new Error(`Rate limit of ${context.max} requests per minute reached; retry in ${Math.ceil(context.ttl / 1000)} s.`) as FastifyError;
      error.statusCode = 429;
      return error;
    },
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  // SPEC §2: the composed SDL with its access directives, for any authenticated caller in every mode (what
  // client tools generate types from where introspection is off). Structure only: no data, no policy.
  const composedSdl = printSchemaWithDirectives(schema);
  app.get('/schema.graphql', async (request, reply) => {
    try {
      await authenticate(request.headers, policies.policy);
    } catch (refusal) {
      const error = refusal instanceof HubError ? refusal : new UnauthenticatedError();
      const status = (error.extensions.http as { status?: number } | undefined)?.status ?? 400;
      return reply.code(status).send({ errors: [{ message: error.message, extensions: { code: error.extensions.code } }] });
    }
    return reply.type('application/graphql; charset=utf-8').send(composedSdl);
  });
  app.get('/readyz', async (_request, reply) => {
    const states = await readinessOf(dbs, sources);
    availability.checked(Object.fromEntries(Object.entries(states).filter(([name]) => name !== 'hub')));
    reply.code(states.hub === 'up' ? 200 : 503);
    return { status: states.hub === 'up' ? 'ready' : 'not ready', sources: states };
  });
  await registerConsole(app, { production });
  await app.register(fastifyApollo(apollo), {
    path: GRAPHQL_PATH,
    method: ['GET', 'POST'],
    context: async (request) => contextFor(request),
  });

  return {
    app,
    async close() {
      closing = true;
      // Requests in flight get up to 8 s (SIGTERM must end within 10 s); then remaining connections are cut.
      const hardStop = setTimeout(() => app.server.closeAllConnections(), 8000).unref();
      await app.close();
      clearTimeout(hardStop);
      await apollo.stop();
      await auditWriter?.idle();
      await policies.stop();
      await rollups.stop();
      await availability.stop();
      await tracing?.shutdown();
    },
    flushTraces: async () => tracing?.flush(),
  };
}
