import type { Config } from '../config.js';
import type { EvaluationSettings } from '../evaluation/indicators.js';
import type { Databases } from '../db/databases.js';
import type { SourceAvailability } from '../db/availability.js';
import { RequestAccess } from '../access/request.js';
import type { FieldInfo } from '../access/fields.js';
import type { Policy } from '../access/policy.js';
import type { Viewer } from '../access/viewer.js';
import { AuditRecorder } from '../audit/recorder.js';
import type { AuditStore } from '../audit/store.js';
import type { HubManager } from '../hub/manager.js';
import { createHubStore, type HubStore } from '../hub/store.js';
import { createAuditStore } from '../audit/store.js';
import { createReportStore, type ReportStore } from '../governance/reportStore.js';
import { createReviewStore, type ReviewStore } from '../governance/reviewStore.js';
import { createAvailabilityStore, type AvailabilityStore } from '../evaluation/availabilityStore.js';
import type { AnySource, DepartmentLoaders, DepartmentStores } from '../sources/index.js';
import { storeCallFor, type RequestTrace, type StoreCall } from '../observability/tracing.js';

/** What the request's log line says about the operation, filled in while it runs. */
export interface LoggedFacts {
  operationName?: string | null;
  /** How many GraphQL errors the response carried. */
  errors?: number;
}

/** What every resolver gets: made fresh for each request, so nothing leaks between callers. */
export interface HubContext {
  readonly requestId: string;
  readonly logged: LoggedFacts;
  readonly limits: Limits;
  /** Who is asking and why. */
  readonly viewer: Viewer;
  /** This request's access decisions (used only by the access transform). */
  readonly access: RequestAccess;
  /** This request's personal reads, written to the audit log before the response leaves. */
  readonly audit: AuditRecorder;
  /** Policy management use cases. */
  readonly hub: HubManager;
  /** Each department source's per-request loaders, by source name. */
  readonly loaders: DepartmentLoaders;
  /** Stores for statements that are not batched lookups (listing pages, catalogues). */
  readonly stores: Stores;
  /** The request's trace, when tracing is on (observability/tracing.ts). */
  readonly trace: RequestTrace | null;
}

export interface Limits {
  readonly pageSize: number;
  readonly batchIds: number;
  /** Distinct citizens a consumer may read in a day without naming a case before grant review flags it. */
  readonly caselessCitizensPerDay: number;
  /** The key audit checkpoints are signed with, or null: then every verification walks the whole chain. */
  readonly auditCheckpointKey: string | null;
  /** Days a department has to answer a rating of 1 or 2 (FOLLOW_UP_DAYS). */
  readonly followUpDays: number;
  /** The evaluation's indicator targets and dimension weights. */
  readonly evaluation: EvaluationSettings;
}

export function limitsOf(
  config: Pick<Config, 'LIMIT_PAGE_SIZE' | 'LIMIT_BATCH_IDS' | 'REVIEW_CASELESS_CITIZENS_PER_DAY' | 'AUDIT_CHECKPOINT_KEY' | 'FOLLOW_UP_DAYS' | 'EVALUATION_TARGETS' | 'EVALUATION_WEIGHTS'>,
): Limits {
  return {
    followUpDays: config.FOLLOW_UP_DAYS,
    evaluation: { targets: config.EVALUATION_TARGETS, weights: config.EVALUATION_WEIGHTS },
    pageSize: config.LIMIT_PAGE_SIZE,
    batchIds: config.LIMIT_BATCH_IDS,
    caselessCitizensPerDay: config.REVIEW_CASELESS_CITIZENS_PER_DAY,
    auditCheckpointKey: config.AUDIT_CHECKPOINT_KEY ?? null,
  };
}

/**
 * The stores, made once per hub over its databases, one per declared source.
 * Department stores are guarded: each call has a deadline and goes through
 * the source's circuit breaker, so one department's outage gives
 * SOURCE_UNAVAILABLE for its fields only.
 */
export function createStores(dbs: Databases, sources: readonly AnySource[], availability: Readonly<Record<string, SourceAvailability>>): Stores {
  const departments = Object.fromEntries(sources.map((source) => [source.name, availability[source.name].guard(source.createStore(dbs[source.name]) as Record<string, (...args: any[]) => Promise<unknown>>)]));
  return { hub: createHubStore(dbs.hub), audit: createAuditStore(dbs.hub), reports: createReportStore(dbs.hub), review: createReviewStore(dbs.hub), availability: createAvailabilityStore(dbs.hub), ...departments } as Stores;
}

export type Stores = {
  readonly hub: HubStore;
  readonly audit: AuditStore;
  readonly reports: ReportStore;
  readonly review: ReviewStore;
  readonly availability: AvailabilityStore;
} & DepartmentStores;

/** Where a request view keeps the request's StoreCall. */
const CALL = Symbol('storeCall');
/** Where per-request loaders keep the request's store views. */
const STORES = Symbol('stores');

/**
 * Per-request views of the stores: each method runs through the request's
 * StoreCall (observability/tracing.ts), so every statement it sends carries
 * the request's sqlcommenter comment and, when traced, has a span. A store's
 * view is made when the request first uses that store: the getters are
 * defined once, on a prototype, so a request pays one small object until then.
 */
export function storeViewsFactory(stores: Stores, sources: readonly AnySource[]): (call: StoreCall) => Stores {
  const prototype = {};
  for (const [name, store] of Object.entries(stores) as [string, Record<string, unknown>][]) {
    // A department's stores speak to its database; the hub's (hub, audit, reports) to the hub's.
    const namespace = sources.some((s) => s.name === name) ? name : 'hub';
    // The view's methods are made once per store, on a prototype, and find the request's StoreCall on the
    // view: a request pays one small object per store it uses, not a closure per method.
    const viewPrototype = Object.create(store) as Record<string, unknown>;
    for (const [method, fn] of Object.entries(store)) {
      if (typeof fn !== 'function') continue;
      const bound = fn.bind(store) as (...args: unknown[]) => unknown;
      viewPrototype[method] = function (this: Record<symbol, StoreCall>, ...args: unknown[]) {
        return this[CALL](namespace, name, method, bound, args);
      };
    }
    Object.defineProperty(prototype, name, {
      enumerable: true,
      get(this: Record<string | symbol, unknown>) {
        const view = Object.create(viewPrototype, { [CALL]: { value: this[CALL] } }) as Record<string, unknown>;
        Object.defineProperty(this, name, { value: view, enumerable: true });
        return view;
      },
    });
  }
  return (call) => Object.create(prototype, { [CALL]: { value: call } }) as Stores;
}

/**
 * Makes fresh per-request loaders over the request's store views: DataLoader
 * caches never outlive a request (STYLE §4). A source's loaders are made when
 * the request first uses them (most operations touch one or two sources).
 */
export function loadersFactory(sources: readonly AnySource[]): (stores: Stores) => DepartmentLoaders {
  const prototype = {};
  for (const source of sources) {
    Object.defineProperty(prototype, source.name, {
      enumerable: true,
      get(this: Record<string | symbol, unknown>) {
        const made = source.createLoaders((this[STORES] as Record<string, unknown>)[source.name]);
        Object.defineProperty(this, source.name, { value: made, enumerable: true });
        return made;
      },
    });
  }
  return (stores) => Object.create(prototype, { [STORES]: { value: stores } }) as DepartmentLoaders;
}

/**
 * An enterprise's legal representative, through the enterprise source's
 * per-request loader (batched with every other enterprise read); null when
 * the enterprise is unknown or the hub serves no enterprise source.
 */
function representativeOf(loaders: DepartmentLoaders, enterpriseId: string): Promise<string | null> {
  // Partial: a hub may be built without the enterprise source (then nobody represents anything).
  const enterprise = (loaders as Partial<DepartmentLoaders>).enterprise?.enterprise;
  return enterprise ? enterprise.load(enterpriseId).then((e) => e?.legalRepresentativeId ?? null) : Promise.resolve(null);
}

/**
 * Builds each request's context (STYLE §4): fresh loaders, this request's
 * access decisions over the policy in force when it began, an empty audit
 * recorder. Access learns about the declared case and enterprises'
 * representatives through loaders handed to it here, never by importing a source.
 */
export function createContextFactory(shared: {
  stores: Stores;
  sources: readonly AnySource[];
  limits: Limits;
  catalogue: ReadonlyMap<string, FieldInfo>;
  /** The policy use cases over a request's view of the hub store (made only for requests that use them). */
  hub: (store: HubStore) => HubManager;
  onDecision: () => void;
}) {
  const storeViews = storeViewsFactory(shared.stores, shared.sources);
  const createLoaders = loadersFactory(shared.sources);
  // `hub` is made on first use, by a getter on the prototype: Apollo copies the context's own enumerable
  // properties into a fresh object for each operation (Object.assign), which would run an own getter and
  // build the policy use cases for every request. The clone keeps the prototype, so the getter runs on it.
  const prototype = Object.defineProperty({}, 'hub', {
    get(this: { stores: Stores }) {
      const made = shared.hub(this.stores.hub);
      Object.defineProperty(this, 'hub', { value: made, enumerable: false });
      return made;
    },
  });
  return (request: { requestId: string; logged: LoggedFacts; viewer: Viewer; policy: Policy; trace: RequestTrace | null }): HubContext => {
    request.trace?.identify(request.viewer);
    const stores = storeViews(storeCallFor(request.viewer, request.trace));
    const loaders = createLoaders(stores);
    const context = Object.create(prototype) as HubContext;
    return Object.assign(context, {
      requestId: request.requestId,
      logged: request.logged,
      limits: shared.limits,
      viewer: request.viewer,
      access: new RequestAccess(request.viewer, request.policy, shared.catalogue, (number) => loaders.cases.case.load(number), (id) => representativeOf(loaders, id), shared.onDecision),
      audit: new AuditRecorder(),
      loaders,
      stores,
      trace: request.trace,
    });
  };
}
