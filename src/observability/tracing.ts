import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Viewer } from '../access/viewer.js';
import { sqlComment } from '../db/sqlcommenter.js';
import { runInScope, type StatementScope } from '../db/statementScope.js';

/**
 * OpenTelemetry traces (OTLP over HTTP), on only when a collector is
 * configured. With tracing off nothing here is created: no provider, no hooks,
 * no span objects; a request pays one null check.
 *
 * Spans are parented explicitly (the caller's `traceparent`, then the
 * request's span), not through a context manager: no AsyncLocalStorage, which
 * on Node 20 would hook every promise of the process. Nothing is registered
 * globally, so two hubs in one process (tests) keep their traces apart.
 *
 * No attribute carries personal data, a field value, a token or a key: who
 * (consumer id, role), why (purpose, whether a case was named, never its
 * number), what (operation name, type and hash) and how it went.
 */
export interface Tracing {
  readonly tracer: Tracer;
  /** The request's span: a child of the caller's `traceparent` when that is valid (W3C); an invalid one is ignored. */
  startRequest(request: FastifyRequest): RequestTrace;
  /** Exports every ended span now. */
  flush(): Promise<void>;
  /** Flushes and stops exporting (graceful stop). */
  shutdown(): Promise<void>;
}

type TracingConfig = Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_SERVICE_NAME'>;

/** The tracing of a hub, or null when no OTLP endpoint is configured. */
export function createTracing(config: TracingConfig): Tracing | null {
  const url = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (config.OTEL_EXPORTER_OTLP_ENDPOINT && `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`);
  if (!url) return null;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  const tracer = provider.getTracer('oncegraph');
  const propagator = new W3CTraceContextPropagator();
  return {
    tracer,
    startRequest(request) {
      const parent = propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter);
      const span = tracer.startSpan(
        `${request.method} ${GRAPHQL_ROUTE}`,
        { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: request.method, [ATTR_HTTP_ROUTE]: GRAPHQL_ROUTE, 'oncegraph.request_id': request.id } },
        parent,
      );
      return new RequestTrace(tracer, span, request.id);
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

const GRAPHQL_ROUTE = '/graphql';

/** One traced request: its span, and a child span per store call it makes. */
export class RequestTrace {
  readonly #context: Context;
  #errors = 0;

  constructor(
    private readonly tracer: Tracer,
    readonly span: Span,
    readonly requestId: string,
  ) {
    this.#context = trace.setSpan(ROOT_CONTEXT, span);
  }

  /** False when the request is not sampled (the caller's flags or the sampler): then it costs what an untraced one does. */
  get recording(): boolean {
    return this.span.isRecording();
  }

  /** Who asked and why, once authenticated. */
  identify(viewer: Viewer): void {
    this.span.setAttributes({
      'oncegraph.consumer': consumerOf(viewer),
      'oncegraph.role': viewer.role,
      ...(viewer.purpose ? { 'oncegraph.purpose': viewer.purpose } : {}),
      'oncegraph.case_ref.present': viewer.caseRef !== null,
    });
  }

  /** The GraphQL operation (OTel GraphQL semantic conventions), once resolved. */
  operation(type: string, name: string | null, hash: string | undefined): void {
    this.span.updateName(name ? `${type} ${name}` : type);
    this.span.setAttributes({ 'graphql.operation.type': type, ...(name ? { 'graphql.operation.name': name } : {}), ...(hash ? { 'oncegraph.operation.hash': hash } : {}) });
  }

  errors(count: number): void {
    this.#errors = count;
    this.span.setAttribute('oncegraph.graphql.errors', count);
  }

  end(status: number): void {
    this.span.setAttributes({ [ATTR_HTTP_RESPONSE_STATUS_CODE]: status, 'oncegraph.outcome': status >= 400 ? 'error' : this.#errors ? 'partial' : 'ok' });
    if (status >= 500) this.span.setStatus({ code: SpanStatusCode.ERROR });
    this.span.end();
  }

  /**
   * A store call (a DataLoader batch, a page, a use case's statement) as a
   * client span under the request's; its statements' comment carries this
   * span's `traceparent`, so a statement in the database's log leads to it.
   */
  storeCall<R>(namespace: string, store: string, method: string, fn: (...args: any[]) => R, args: readonly unknown[], tags: Record<string, string | undefined>): R {
    const keys = Array.isArray(args[0]) ? args[0].length : undefined;
    const span = this.tracer.startSpan(
      `${store}.${method}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system': 'postgresql', 'db.system.name': 'postgresql', 'db.namespace': namespace, 'oncegraph.store.method': `${store}.${method}`, ...(keys !== undefined ? { 'oncegraph.keys': keys } : {}) },
      },
      this.#context,
    );
    const { traceId, spanId, traceFlags } = span.spanContext();
    const scope: StatementScope = {
      comment: sqlComment({ ...tags, request_id: this.requestId, traceparent: `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}` }),
      perRequest: true,
    };
    let result: R;
    try {
      result = runInScope(scope, fn, args);
    } catch (error) {
      failed(span, error);
      throw error;
    }
    if (result instanceof Promise) {
      result.then(
        () => span.end(),
        (error) => failed(span, error),
      );
    } else {
      span.end();
    }
    return result;
  }
}

/** Ends a span as failed, naming the error's class and code only (a message may quote a value). */
function failed(span: Span, error: unknown): void {
  const code = (error as { code?: unknown }).code;
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttributes({ 'error.type': typeof code === 'string' ? code : error instanceof Error ? error.name : 'Error' });
  span.end();
}

/** The consumer a request acts for, as comments and spans name it: never a citizen's or an officer's id. */
function consumerOf(viewer: Viewer): string {
  return viewer.consumer?.id ?? (viewer.credential === 'bootstrap-key' ? 'bootstrap' : viewer.role);
}

/** The sqlcommenter tags every statement of a request carries, traced or not (bounded: no request id). */
function tagsOf(viewer: Viewer): Record<string, string | undefined> {
  return { application: 'oncegraph', consumer: consumerOf(viewer), role: viewer.role, purpose: viewer.purpose ?? undefined };
}

/** How a request's store calls run: inside its statement scope, and traced when the request is. */
export type StoreCall = <R>(namespace: string, store: string, method: string, fn: (...args: any[]) => R, args: readonly unknown[]) => R;

/**
 * A request's store calls. Untraced (tracing off, or not sampled), the
 * comment names the consumer, role and purpose only: a few texts per
 * consumer, so hot statements stay prepared. Traced, it adds the request id
 * and the traceparent, and the statements are sent unprepared (a text used
 * once; see StatementScope.perRequest).
 */
export function storeCallFor(viewer: Viewer, requestTrace: RequestTrace | null): StoreCall {
  if (requestTrace?.recording) {
    const tags = tagsOf(viewer);
    return (namespace, store, method, fn, args) => requestTrace.storeCall(namespace, store, method, fn, args, tags);
  }
  const scope = untracedScope(viewer);
  return (_namespace, _store, _method, fn, args) => runInScope(scope, fn, args);
}

/**
 * Untraced scopes, one per consumer, role and purpose: bounded, as consumers are
 * registered and purposes come from the catalogue (an unknown X-Purpose is refused
 * before any statement).
 */
const untracedScopes = new Map<string, StatementScope>();
function untracedScope(viewer: Viewer): StatementScope {
  const key = `${consumerOf(viewer)}\n${viewer.role}\n${viewer.purpose ?? ''}`;
  let scope = untracedScopes.get(key);
  if (!scope) untracedScopes.set(key, (scope = { comment: sqlComment(tagsOf(viewer)), perRequest: false }));
  return scope;
}

/**
 * Fastify hooks of a traced hub: each /graphql request's span starts when the
 * request arrives and ends with its response. Registered before the hub's own
 * hooks, so authentication happens inside the span.
 */
export function traceRequests(app: FastifyInstance, tracing: Tracing, isGraphql: (request: FastifyRequest) => boolean): (request: FastifyRequest) => RequestTrace | null {
  const traces = new WeakMap<FastifyRequest, RequestTrace>();
  app.addHook('onRequest', (request, _reply, done) => {
    if (isGraphql(request)) traces.set(request, tracing.startRequest(request));
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    traces.get(request)?.end(reply.statusCode);
    done();
  });
  return (request) => traces.get(request) ?? null;
}

/** Names the request's span after its operation, and counts its errors. */
export function tracingPlugin<C extends { trace: RequestTrace | null }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName, queryHash, contextValue }) {
          if (operation) contextValue.trace?.operation(operation.operation, operationName ?? null, queryHash);
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') contextValue.trace?.errors(response.body.singleResult.errors?.length ?? 0);
        },
      };
    },
  };
}
