import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { isoInstant } from '../db/batch.js';
import { accessRequests, apiKeys, consumers, grants, purposes, registeredOperations } from './tables.js';

export type PurposeRecord = typeof purposes.$inferSelect;
export type ConsumerRecord = typeof consumers.$inferSelect;
export type ApiKeyRecord = Omit<typeof apiKeys.$inferSelect, 'hash'>;
export type GrantRecord = typeof grants.$inferSelect;
export type AccessRequestRecord = typeof accessRequests.$inferSelect;
export type RegisteredOperationRecord = typeof registeredOperations.$inferSelect;
export type NewRegisteredOperation = Pick<RegisteredOperationRecord, 'consumerId' | 'name' | 'hash' | 'document' | 'fields'>;

export type NewGrant = Pick<GrantRecord, 'consumerId' | 'field' | 'purposes' | 'condition' | 'mask' | 'expiresAt' | 'grantedBy'> & { officer?: string | null; requestId?: string | null };

/** Who made a change: the credential's actor, and the officer declared beside it (SPEC §3). */
export interface ActedBy {
  actor: string;
  officer: string | null;
}

/** Every change to policy is announced on this channel, so that every hub instance reloads (SPEC §5). */
export const POLICY_CHANNEL = 'oncegraph_policy';

const instants = <T extends Record<string, unknown>>(row: T, keys: (keyof T)[]): T => {
  const out = { ...row };
  for (const k of keys) (out as Record<string, unknown>)[k as string] = isoInstant(row[k] as string | null);
  return out;
};
const grantOut = (g: GrantRecord): GrantRecord => instants(g, ['expiresAt', 'grantedAt', 'revokedAt']);
const requestOut = (r: AccessRequestRecord): AccessRequestRecord => instants(r, ['requestedAt', 'decidedAt']);
const operationOut = (o: RegisteredOperationRecord): RegisteredOperationRecord => instants(o, ['registeredAt', 'removedAt']);
const consumerOut = (c: ConsumerRecord): ConsumerRecord => instants(c, ['createdAt', 'registeredOperationsOnlySetAt']);
/** A registered operation not removed: the consumer may run it (SPEC §8). */
const inForce = isNull(registeredOperations.removedAt);
const keyOut = ({ hash: _hash, ...k }: typeof apiKeys.$inferSelect): ApiKeyRecord => instants(k, ['createdAt', 'revokedAt']);

/** What every hub instance keeps in memory to decide access without a statement per request. */
export interface PolicySnapshot {
  purposes: PurposeRecord[];
  consumers: ConsumerRecord[];
  /** Keys that work: not revoked. */
  activeKeys: { id: string; consumerId: string; hash: string }[];
  /** Grants not revoked (expired ones included, to answer GRANT_EXPIRED). */
  grants: GrantRecord[];
  /** Every registered operation of every consumer (SPEC §8). */
  registeredOperations: RegisteredOperationRecord[];
}

/** What a policy file changes, as rows to write (issue 15 §4). */
export interface PolicyChangeSet {
  consumers: Pick<ConsumerRecord, 'id' | 'name' | 'department' | 'role' | 'portal' | 'registeredOperationsOnly'>[];
  registeredOperationsOnly: { consumerId: string; on: boolean }[];
  /** Ids of grants in force to revoke. */
  revoke: string[];
  grant: Pick<GrantRecord, 'consumerId' | 'field' | 'purposes' | 'condition' | 'mask' | 'expiresAt'>[];
}

/** Thrown inside a transaction to roll it back when the policy changed since the changes were computed. */
class PolicyConflict extends Error {}
const rollback = (_tx: unknown): never => {
  throw new PolicyConflict('the policy changed meanwhile');
};

/**
 * SQL of the hub's own database. Writes to policy notify POLICY_CHANNEL in the same transaction.
 * Builders are sent with `.execute()` so that they carry the request's sqlcommenter comment (db/statementScope.ts).
 */
export function createHubStore(database: Database) {
  const { db } = database;
  type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];
  const announce = (tx: Tx) => tx.execute(sql`select pg_notify(${POLICY_CHANNEL}, '')`);

  return {
    async loadPolicy(): Promise<PolicySnapshot> {
      const [p, c, k, g, o] = await Promise.all([
        db.select().from(purposes).orderBy(asc(purposes.code)),
        db.select().from(consumers).orderBy(asc(consumers.id)),
        db.select({ id: apiKeys.id, consumerId: apiKeys.consumerId, hash: apiKeys.hash }).from(apiKeys).where(isNull(apiKeys.revokedAt)),
        db.select().from(grants).where(isNull(grants.revokedAt)).orderBy(desc(grants.grantedAt)),
        db.select().from(registeredOperations).where(inForce),
      ]);
      return { purposes: p, consumers: c.map(consumerOut), activeKeys: k, grants: g.map(grantOut), registeredOperations: o.map(operationOut) };
    },

    /** A working key by hash, for a key issued on another instance that this one has not reloaded yet. */
    async activeKeyByHash(hash: string): Promise<{ id: string; consumerId: string } | null> {
      const [row] = await db
        .select({ id: apiKeys.id, consumerId: apiKeys.consumerId })
        .from(apiKeys)
        .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt))).execute();
      return row ?? null;
    },

    async insertConsumer(consumer: Pick<ConsumerRecord, 'id' | 'name' | 'department' | 'role' | 'createdBy'> & Partial<Pick<ConsumerRecord, 'portal' | 'createdByOfficer'>>): Promise<ConsumerRecord | null> {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(consumers).values(consumer).onConflictDoNothing().returning();
        if (row) await announce(tx);
        return row ? consumerOut(row) : null;
      });
    },

    /** Sets whether a consumer may run only its registered operations; null when there is no such consumer. */
    async setRegisteredOperationsOnly(consumerId: string, on: boolean, by: ActedBy): Promise<ConsumerRecord | null> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(consumers)
          .set({ registeredOperationsOnly: on, registeredOperationsOnlySetBy: by.actor, registeredOperationsOnlySetByOfficer: by.officer, registeredOperationsOnlySetAt: sql`now()` })
          .where(eq(consumers.id, consumerId))
          .returning();
        if (row) await announce(tx);
        return row ? consumerOut(row) : null;
      });
    },

    /**
     * Registers operations for their consumers in one transaction; an operation
     * already registered under the same consumer and hash is updated (its
     * name, fields, who and when), so registering a manifest again is harmless.
     */
    async registerOperations(operations: readonly NewRegisteredOperation[], by: ActedBy): Promise<RegisteredOperationRecord[]> {
      if (operations.length === 0) return [];
      return db.transaction(async (tx) => {
        const rows = await tx
          .insert(registeredOperations)
          .values(operations.map((o) => ({ ...o, registeredBy: by.actor, registeredByOfficer: by.officer })))
          .onConflictDoUpdate({
            // The unique index covers operations in force only: a removed one stays as history beside a new registration.
            target: [registeredOperations.consumerId, registeredOperations.hash],
            targetWhere: inForce,
            set: {
              name: sql`excluded.name`,
              document: sql`excluded.document`,
              fields: sql`excluded.fields`,
              registeredAt: sql`now()`,
              registeredBy: sql`excluded.registered_by`,
              registeredByOfficer: sql`excluded.registered_by_officer`,
            },
          })
          .returning();
        await announce(tx);
        const byHash = new Map(rows.map((r) => [`${r.consumerId}:${r.hash}`, operationOut(r)]));
        // RETURNING gives no order guarantee: answer in the order they were given.
        return operations.map((o) => byHash.get(`${o.consumerId}:${o.hash}`)!);
      });
    },

    /**
     * Removes a consumer's operations in force by hash, all or none, in one
     * transaction: when any hash names no operation in force (never
     * registered, or removed already, perhaps by another steward a moment
     * ago), nothing is removed and `missing` lists those hashes, with the
     * latest removal of each where there was one. Rows stay, marked with who
     * removed them and when.
     */
    async removeOperations(
      consumerId: string,
      hashes: readonly string[],
      by: ActedBy,
    ): Promise<{ removed: RegisteredOperationRecord[]; missing: { hash: string; lastRemoval: RegisteredOperationRecord | null }[] }> {
      const ofConsumer = and(eq(registeredOperations.consumerId, consumerId), sql`${registeredOperations.hash} = any(${sql.param([...hashes])})`);
      return db.transaction(async (tx) => {
        // Locked, so that a concurrent removal of the same operation waits and then finds it removed.
        const found = await tx.select({ hash: registeredOperations.hash }).from(registeredOperations).where(and(inForce, ofConsumer)).for('update');
        const inForceHashes = new Set(found.map((r) => r.hash));
        const missingHashes = hashes.filter((h) => !inForceHashes.has(h));
        if (missingHashes.length > 0) {
          const removals = await tx
            .select()
            .from(registeredOperations)
            .where(and(eq(registeredOperations.consumerId, consumerId), sql`${registeredOperations.hash} = any(${sql.param(missingHashes)})`, sql`${registeredOperations.removedAt} is not null`))
            .orderBy(desc(registeredOperations.removedAt));
          const latest = new Map<string, RegisteredOperationRecord>();
          for (const r of removals) if (!latest.has(r.hash)) latest.set(r.hash, operationOut(r));
          return { removed: [], missing: missingHashes.map((hash) => ({ hash, lastRemoval: latest.get(hash) ?? null })) };
        }
        const rows = await tx
          .update(registeredOperations)
          .set({ removedAt: sql`now()`, removedBy: by.actor, removedByOfficer: by.officer })
          .where(and(inForce, ofConsumer))
          .returning();
        await announce(tx);
        const byHash = new Map(rows.map((r) => [r.hash, operationOut(r)]));
        // RETURNING gives no order guarantee: answer in the order they were given.
        return { removed: hashes.map((h) => byHash.get(h)!), missing: [] };
      });
    },

    /** A consumer's operations (or everyone's) in force, or with the removed ones too: by consumer, name, hash, then newest first. */
    async listRegisteredOperations(consumerId: string | null, includeRemoved = false): Promise<RegisteredOperationRecord[]> {
      const rows = await db
        .select()
        .from(registeredOperations)
        .where(and(includeRemoved ? undefined : inForce, consumerId === null ? undefined : eq(registeredOperations.consumerId, consumerId)))
        .orderBy(asc(registeredOperations.consumerId), asc(registeredOperations.name), asc(registeredOperations.hash), desc(registeredOperations.registeredAt)).execute();
      return rows.map(operationOut);
    },

    async keysOfConsumers(ids: readonly string[]): Promise<ApiKeyRecord[]> {
      const rows = await db
        .select()
        .from(apiKeys)
        .where(sql`${apiKeys.consumerId} = any(${sql.param([...ids])})`)
        .orderBy(desc(apiKeys.createdAt)).execute();
      return rows.map(keyOut);
    },

    async insertApiKey(key: { consumerId: string; hash: string; prefix: string; createdBy: string; createdByOfficer?: string | null }): Promise<ApiKeyRecord> {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(apiKeys).values(key).returning();
        await announce(tx);
        return keyOut(row);
      });
    },

    /** Revokes a key that works; false when there is no such working key. */
    async revokeApiKey(id: string, by: ActedBy): Promise<boolean> {
      return db.transaction(async (tx) => {
        const rows = await tx
          .update(apiKeys)
          .set({ revokedAt: sql`now()`, revokedBy: by.actor, revokedByOfficer: by.officer })
          .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
          .returning({ id: apiKeys.id });
        if (rows.length > 0) await announce(tx);
        return rows.length > 0;
      });
    },

    async listGrants(consumerId: string | null): Promise<GrantRecord[]> {
      const rows = await db
        .select()
        .from(grants)
        .where(consumerId === null ? undefined : eq(grants.consumerId, consumerId))
        .orderBy(desc(grants.grantedAt), asc(grants.field)).execute();
      return rows.map(grantOut);
    },

    async insertGrant(grant: NewGrant): Promise<GrantRecord> {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(grants).values(grant).returning();
        await announce(tx);
        return grantOut(row);
      });
    },

    /** Revokes a grant in force; returns it, or null when no such grant is in force. */
    async revokeGrant(id: string, by: ActedBy): Promise<GrantRecord | null> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(grants)
          .set({ revokedAt: sql`now()`, revokedBy: by.actor, revokedByOfficer: by.officer })
          .where(and(eq(grants.id, id), isNull(grants.revokedAt)))
          .returning();
        if (row) await announce(tx);
        return row ? grantOut(row) : null;
      });
    },

    /**
     * Applies a policy file's changes as one transaction (issue 15 §4), recorded like the same changes made one
     * by one: new consumers, registered-operations switches, revocations, new grants, each with who and when.
     * The changes were computed from the policy as read before; if a grant to revoke was revoked meanwhile
     * (another steward, another instance), nothing is applied and null is returned: diff again.
     */
    async applyPolicy(change: PolicyChangeSet, by: ActedBy): Promise<{ added: GrantRecord[] } | null> {
      return db.transaction(async (tx) => {
        if (change.consumers.length > 0) {
          const created = await tx.insert(consumers).values(change.consumers.map((c) => ({ ...c, createdBy: by.actor, createdByOfficer: by.officer }))).onConflictDoNothing().returning({ id: consumers.id });
          if (created.length !== change.consumers.length) return rollback(tx);
        }
        for (const { consumerId, on } of change.registeredOperationsOnly) {
          await tx
            .update(consumers)
            .set({ registeredOperationsOnly: on, registeredOperationsOnlySetBy: by.actor, registeredOperationsOnlySetByOfficer: by.officer, registeredOperationsOnlySetAt: sql`now()` })
            .where(eq(consumers.id, consumerId));
        }
        if (change.revoke.length > 0) {
          const revoked = await tx
            .update(grants)
            .set({ revokedAt: sql`now()`, revokedBy: by.actor, revokedByOfficer: by.officer })
            .where(and(sql`${grants.id} = any(${sql.param([...change.revoke])}::uuid[])`, isNull(grants.revokedAt)))
            .returning({ id: grants.id });
          if (revoked.length !== change.revoke.length) return rollback(tx);
        }
        const added = change.grant.length === 0 ? [] : await tx.insert(grants).values(change.grant.map((g) => ({ ...g, grantedBy: by.actor, officer: by.officer }))).returning();
        await announce(tx);
        return { added: added.map(grantOut) };
      }).catch((error: unknown) => {
        if (error instanceof PolicyConflict) return null;
        throw error;
      });
    },

    async grantById(id: string): Promise<GrantRecord | null> {
      const [row] = await db.select().from(grants).where(eq(grants.id, id)).execute();
      return row ? grantOut(row) : null;
    },

    async insertAccessRequest(
      request: Pick<AccessRequestRecord, 'consumerId' | 'fields' | 'purpose' | 'justification' | 'requestedBy'> & Partial<Pick<AccessRequestRecord, 'requestedByOfficer'>>,
    ): Promise<AccessRequestRecord> {
      const [row] = await db.insert(accessRequests).values(request).returning().execute();
      return requestOut(row);
    },

    async listAccessRequests(status: string | null): Promise<AccessRequestRecord[]> {
      const rows = await db
        .select()
        .from(accessRequests)
        .where(status === null ? undefined : eq(accessRequests.status, status))
        .orderBy(desc(accessRequests.requestedAt)).execute();
      return rows.map(requestOut);
    },

    async accessRequestById(id: string): Promise<AccessRequestRecord | null> {
      const [row] = await db.select().from(accessRequests).where(eq(accessRequests.id, id)).execute();
      return row ? requestOut(row) : null;
    },

    /**
     * Decides a pending request: sets its status, and on approval creates its
     * grants, all in one transaction. Null when the request is not pending
     * (already decided, possibly by another steward at the same moment).
     */
    async decideAccessRequest(
      id: string,
      decision: { status: 'APPROVED' | 'REJECTED'; decidedBy: ActedBy; note: string | null },
      grantsToCreate: NewGrant[],
    ): Promise<AccessRequestRecord | null> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(accessRequests)
          .set({ status: decision.status, decidedBy: decision.decidedBy.actor, decidedByOfficer: decision.decidedBy.officer, decidedAt: sql`now()`, note: decision.note })
          .where(and(eq(accessRequests.id, id), eq(accessRequests.status, 'PENDING')))
          .returning();
        if (!row) return null;
        if (grantsToCreate.length > 0) {
          await tx.insert(grants).values(grantsToCreate);
          await announce(tx);
        }
        return requestOut(row);
      });
    },
  };
}

export type HubStore = ReturnType<typeof createHubStore>;
