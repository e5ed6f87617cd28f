import type { Database } from '../db/database.js';
import { POLICY_CHANNEL, type ConsumerRecord, type GrantRecord, type HubStore, type PurposeRecord, type RegisteredOperationRecord } from '../hub/store.js';

/** The policy in force, compiled for lookups on the request path. */
export interface Policy {
  readonly purposes: ReadonlyMap<string, PurposeRecord>;
  readonly consumers: ReadonlyMap<string, ConsumerRecord>;
  readonly keyByHash: ReadonlyMap<string, { id: string; consumerId: string }>;
  /** Whether a steward consumer holds a key that works: from then on STEWARD_BOOTSTRAP_KEY is refused (SPEC §3). */
  readonly stewardHasKey: boolean;
  /** Grants not revoked, by consumer and field (expired ones kept, to tell GRANT_EXPIRED). */
  readonly grants: ReadonlyMap<string, ReadonlyMap<string, readonly GrantRecord[]>>;
  /** Registered operations by consumer and SHA-256 of the document (SPEC §8); a consumer's flag is `ConsumerRecord.registeredOperationsOnly`. */
  readonly registeredOperations: ReadonlyMap<string, ReadonlyMap<string, RegisteredOperationRecord>>;
  readonly loadedAt: number;
}

function compile(snapshot: Awaited<ReturnType<HubStore['loadPolicy']>>): Policy {
  const grants = new Map<string, Map<string, GrantRecord[]>>();
  for (const g of snapshot.grants) {
    let byField = grants.get(g.consumerId);
    if (!byField) grants.set(g.consumerId, (byField = new Map()));
    const list = byField.get(g.field);
    if (list) list.push(g);
    else byField.set(g.field, [g]);
  }
  const consumers = new Map(snapshot.consumers.map((c) => [c.id, c]));
  const registeredOperations = new Map<string, Map<string, RegisteredOperationRecord>>();
  for (const o of snapshot.registeredOperations) {
    let byHash = registeredOperations.get(o.consumerId);
    if (!byHash) registeredOperations.set(o.consumerId, (byHash = new Map()));
    byHash.set(o.hash, o);
  }
  return {
    purposes: new Map(snapshot.purposes.map((p) => [p.code, p])),
    consumers,
    keyByHash: new Map(snapshot.activeKeys.map((k) => [k.hash, { id: k.id, consumerId: k.consumerId }])),
    stewardHasKey: snapshot.activeKeys.some((k) => consumers.get(k.consumerId)?.role === 'steward'),
    grants,
    registeredOperations,
    loadedAt: Date.now(),
  };
}

/**
 * Each hub instance's copy of the policy. It reloads whenever any instance
 * announces a change on POLICY_CHANNEL (LISTEN/NOTIFY, on PostgreSQL and on
 * PGlite alike), and after (re)connecting its listener, so a grant change
 * reaches every instance within milliseconds, without a restart.
 */
export class PolicyCache {
  #policy: Policy;
  #reloading: Promise<void> | null = null;
  #again = false;
  #unlisten: (() => Promise<void>) | null = null;

  private constructor(
    private readonly store: HubStore,
    initial: Policy,
    private readonly onError: (error: unknown) => void,
    private readonly onReload: () => void,
  ) {
    this.#policy = initial;
  }

  static async start(store: HubStore, hubDb: Database, onError: (error: unknown) => void, onReload: () => void = () => {}): Promise<PolicyCache> {
    const cache = new PolicyCache(store, compile(await store.loadPolicy()), onError, onReload);
    const onNotify = () => void cache.reload().catch(onError);
    if (hubDb.driver.kind === 'postgres') {
      // postgres.js re-listens after a reconnect and calls the third argument again: reload then, in case we missed a change.
      const { unlisten } = await hubDb.driver.sql.listen(POLICY_CHANNEL, onNotify, onNotify);
      cache.#unlisten = unlisten;
    } else {
      const unlisten = await hubDb.driver.pg.listen(POLICY_CHANNEL, onNotify);
      cache.#unlisten = unlisten;
    }
    return cache;
  }

  get policy(): Policy {
    return this.#policy;
  }

  /** Reloads now; concurrent calls share one reload, and a call during a reload triggers one more after it. */
  reload(): Promise<void> {
    if (this.#reloading) {
      this.#again = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      try {
        do {
          this.#again = false;
          this.#policy = compile(await this.store.loadPolicy());
          this.onReload();
        } while (this.#again);
      } finally {
        this.#reloading = null;
      }
    })();
    return this.#reloading;
  }

  async stop(): Promise<void> {
    await this.#unlisten?.().catch(this.onError);
    this.#unlisten = null;
  }
}
