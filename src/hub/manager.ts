import { HubError, ErrorCode } from '../errors.js';
import type { FieldInfo, GrantCondition, Mask } from '../access/fields.js';
import type { PolicyCache } from '../access/policy.js';
import { newApiKey } from '../access/credentials.js';
import { actorOf, type Viewer } from '../access/viewer.js';
import { DEPARTMENTS } from './departments.js';
import type { AccessRequestRecord, ActedBy, ConsumerRecord, GrantRecord, HubStore, NewGrant, RegisteredOperationRecord } from './store.js';
import type { ManifestChecker } from './operations.js';

/** One or more problems with an input; each names the argument to fix. Nothing was written. */
export class InvalidInputError extends HubError {
  constructor(problems: { argument: string; message: string }[]) {
    super(ErrorCode.BAD_USER_INPUT, problems.map((p) => `${p.argument}: ${p.message}`).join('; '), { argument: problems[0].argument, problems });
  }
}

class Problems {
  readonly list: { argument: string; message: string }[] = [];
  add(argument: string, message: string) {
    this.list.push({ argument, message });
  }
  throwIfAny() {
    if (this.list.length > 0) throw new InvalidInputError(this.list);
  }
}

/** Who a change is recorded as made by: the credential's actor, the declared officer beside it (SPEC §3). */
const actedBy = (viewer: Viewer): ActedBy => ({ actor: actorOf(viewer), officer: viewer.officer });

/** Stewards read no personal data (SPEC §3): no grant of such a field may name a steward's application. */
const personal = (level: string | null | undefined): level is 'PERSONAL' | 'SENSITIVE' => level === 'PERSONAL' || level === 'SENSITIVE';
const stewardsReadNoPersonalData = (consumer: ConsumerRecord, field: string, level: string) =>
  `${consumer.id} is a steward's application and stewards read no personal data; ${field} is ${level}. Grant it to the department application that needs it.`;

const CONSUMER_ID = /^[a-z][a-z0-9-]{2,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface GrantInput {
  consumerId: string;
  field: string;
  purposes: string[];
  condition?: GrantCondition | null;
  mask?: Mask | null;
  expiresAt?: string | null;
}

/**
 * The use cases of policy management (SPEC §5): every input is checked in
 * full before anything is written, and every change reloads this instance's
 * policy before answering (other instances follow through NOTIFY).
 */
export function createHubManager(
  store: HubStore,
  policies: PolicyCache,
  catalogue: ReadonlyMap<string, FieldInfo>,
  describe: (field: string) => string | null,
  manifests: ManifestChecker,
) {
  const grantable = () => [...catalogue.values()].filter((f) => f.grantable).map((f) => f.name);

  function checkField(problems: Problems, argument: string, name: string): FieldInfo | null {
    const field = catalogue.get(name);
    if (!field) {
      problems.add(argument, `unknown field "${name}"; grantable fields are ${grantable().join(', ')}.`);
      return null;
    }
    if (!field.grantable) {
      const why = field.level === 'PUBLIC' ? 'is PUBLIC: every caller may read it without a grant' : field.level === 'INTERNAL' ? 'is INTERNAL: every consumer may read it without a grant' : `is part of an entity; grant the ${field.typeName} field that holds it`;
      problems.add(argument, `${name} ${why}.`);
      return null;
    }
    return field;
  }

  function checkPurpose(problems: Problems, argument: string, code: string) {
    if (!policies.policy.purposes.has(code)) problems.add(argument, `unknown purpose "${code}"; query \`purposes\` for the catalogue.`);
  }

  function checkConsumer(problems: Problems, argument: string, id: string): ConsumerRecord | null {
    const consumer = policies.policy.consumers.get(id);
    if (!consumer) problems.add(argument, `no consumer "${id}" is registered.`);
    return consumer ?? null;
  }

  return {
    /** The fields of the graph's entities and their parts, with their levels: what a steward reasons about when granting. */
    classifiedFields() {
      return [...catalogue.values()].filter((f) => f.level !== null && f.holder.kind !== 'plain').map((f) => ({
        name: f.name,
        typeName: f.typeName,
        level: f.level,
        grantable: f.grantable,
        masks: f.masks,
        requiresCondition: f.level === 'SENSITIVE',
        key: f.isKey,
        description: describe(f.name),
      }));
    },

    async createConsumer(viewer: Viewer, input: { id: string; name: string; department: string; role?: string | null; portal?: boolean | null }): Promise<ConsumerRecord> {
      const problems = new Problems();
      const role = (input.role ?? 'CONSUMER').toLowerCase();
      const portal = input.portal ?? false;
      if (!CONSUMER_ID.test(input.id)) problems.add('input.id', 'use 3 to 64 lowercase letters, digits and dashes, starting with a letter (for example licensing-desk).');
      if (input.name.trim().length === 0 || input.name.length > 200) problems.add('input.name', 'give a name of 1 to 200 characters.');
      if (!(DEPARTMENTS as readonly string[]).includes(input.department)) problems.add('input.department', `unknown department "${input.department}"; one of ${DEPARTMENTS.join(', ')}.`);
      if (portal && role === 'steward') problems.add('input.portal', "a steward's application cannot be a portal: citizens sign in through a department's portal.");
      problems.throwIfAny();
      const by = actedBy(viewer);
      const created = await store.insertConsumer({ id: input.id, name: input.name.trim(), department: input.department, role, portal, createdBy: by.actor, createdByOfficer: by.officer });
      if (!created) throw new InvalidInputError([{ argument: 'input.id', message: `a consumer "${input.id}" already exists.` }]);
      await policies.reload();
      return created;
    },

    async issueApiKey(viewer: Viewer, consumerId: string): Promise<{ id: string; consumerId: string; key: string }> {
      const problems = new Problems();
      checkConsumer(problems, 'consumerId', consumerId);
      problems.throwIfAny();
      const { key, hash, prefix } = newApiKey();
      const by = actedBy(viewer);
      const row = await store.insertApiKey({ consumerId, hash, prefix, createdBy: by.actor, createdByOfficer: by.officer });
      await policies.reload();
      return { id: row.id, consumerId, key };
    },

    async revokeApiKey(viewer: Viewer, id: string): Promise<boolean> {
      if (!UUID.test(id)) throw new InvalidInputError([{ argument: 'id', message: 'not an API key id.' }]);
      const revoked = await store.revokeApiKey(id, actedBy(viewer));
      await policies.reload();
      return revoked;
    },

    async grantAccess(viewer: Viewer, input: GrantInput): Promise<GrantRecord> {
      const problems = new Problems();
      const consumer = checkConsumer(problems, 'input.consumerId', input.consumerId);
      const field = checkField(problems, 'input.field', input.field);
      if (consumer?.role === 'steward' && field && personal(field.level)) problems.add('input.field', stewardsReadNoPersonalData(consumer, field.name, field.level));
      if (input.purposes.length === 0) problems.add('input.purposes', 'name at least one purpose.');
      input.purposes.forEach((p, i) => checkPurpose(problems, `input.purposes[${i}]`, p));
      const condition = input.condition ?? 'NONE';
      const mask = input.mask ?? 'NONE';
      if (field?.level === 'SENSITIVE' && condition === 'NONE') problems.add('input.condition', `${field.name} is SENSITIVE: its grants need a condition (ACTIVE_CASE).`);
      if (field && !field.masks.includes(mask)) problems.add('input.mask', `${mask} does not fit ${field.name}; it allows ${field.masks.join(', ')}.`);
      if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) problems.add('input.expiresAt', 'must be in the future.');
      problems.throwIfAny();
      const by = actedBy(viewer);
      const grant = await store.insertGrant({
        consumerId: input.consumerId,
        field: input.field,
        purposes: [...new Set(input.purposes)],
        condition,
        mask,
        expiresAt: input.expiresAt ?? null,
        grantedBy: by.actor,
        officer: by.officer,
      });
      await policies.reload();
      return grant;
    },

    async revokeGrant(viewer: Viewer, id: string): Promise<GrantRecord> {
      if (!UUID.test(id)) throw new InvalidInputError([{ argument: 'id', message: 'not a grant id.' }]);
      const revoked = await store.revokeGrant(id, actedBy(viewer));
      if (revoked) {
        await policies.reload();
        return revoked;
      }
      // Revoking twice is harmless: answer with the grant as it stands.
      const existing = await store.grantById(id);
      if (!existing) throw new InvalidInputError([{ argument: 'id', message: `no grant has id ${id}.` }]);
      return existing;
    },

    /**
     * Registers a persisted-query manifest's operations for one consumer (SPEC §8):
     * every problem of the whole manifest is reported at once and nothing is
     * written unless all is well. Registering the same operation again updates it.
     */
    async registerOperations(viewer: Viewer, consumerId: string, manifest: string): Promise<RegisteredOperationRecord[]> {
      const problems = new Problems();
      checkConsumer(problems, 'consumerId', consumerId);
      const checked = manifests.check(manifest);
      for (const p of checked.problems) problems.add(p.argument, p.message);
      problems.throwIfAny();
      const registered = await store.registerOperations(
        checked.operations.map((o) => ({ consumerId, name: o.name, hash: o.hash, document: o.document, fields: o.fields })),
        actedBy(viewer),
      );
      await policies.reload();
      return registered;
    },

    /**
     * Withdraws operations registered for one consumer (SPEC §8): from the
     * answer on, no hub instance runs them by hash, and a consumer restricted
     * to its registered operations is refused them as text too. All or
     * nothing: a hash that names no operation in force for the consumer is a
     * problem naming it, and then nothing is removed.
     */
    async removeOperations(viewer: Viewer, consumerId: string, hashes: string[]): Promise<RegisteredOperationRecord[]> {
      const problems = new Problems();
      checkConsumer(problems, 'consumerId', consumerId);
      if (hashes.length === 0) problems.add('hashes', 'name at least one operation by its hash; operations(consumerId:) lists them.');
      hashes.forEach((hash, i) => {
        if (!SHA256_HEX.test(hash)) problems.add(`hashes[${i}]`, `"${hash}" is not a SHA-256 hash (64 hexadecimal digits, as operations(consumerId:) lists it).`);
      });
      problems.throwIfAny();
      const unique = [...new Set(hashes.map((h) => h.toLowerCase()))];
      const { removed, missing } = await store.removeOperations(consumerId, unique, actedBy(viewer));
      if (missing.length > 0) {
        const at = (hash: string) => hashes.findIndex((h) => h.toLowerCase() === hash);
        throw new InvalidInputError(
          missing.map(({ hash, lastRemoval }) => ({
            argument: `hashes[${at(hash)}]`,
            message: lastRemoval
              ? `${hash} is no longer registered for ${consumerId}: ${lastRemoval.removedBy} removed it at ${lastRemoval.removedAt}. Nothing was removed.`
              : `no operation with hash ${hash} is registered for ${consumerId}; operations(consumerId:) lists those in force. Nothing was removed.`,
          })),
        );
      }
      await policies.reload();
      return removed;
    },

    async setRegisteredOperationsOnly(viewer: Viewer, consumerId: string, on: boolean): Promise<ConsumerRecord> {
      const problems = new Problems();
      checkConsumer(problems, 'consumerId', consumerId);
      problems.throwIfAny();
      const consumer = await store.setRegisteredOperationsOnly(consumerId, on, actedBy(viewer));
      if (!consumer) throw new InvalidInputError([{ argument: 'consumerId', message: `no consumer "${consumerId}" is registered.` }]);
      await policies.reload();
      return consumer;
    },

    async requestAccess(viewer: Viewer, input: { fields: string[]; purpose: string; justification: string }): Promise<AccessRequestRecord> {
      const problems = new Problems();
      if (!viewer.consumer) problems.add('Authorization', 'only a registered consumer can request access.');
      if (input.fields.length === 0) problems.add('input.fields', 'name at least one field.');
      input.fields.forEach((f, i) => checkField(problems, `input.fields[${i}]`, f));
      checkPurpose(problems, 'input.purpose', input.purpose);
      const justification = input.justification.trim();
      if (justification.length < 10 || justification.length > 2000) problems.add('input.justification', 'explain the need in 10 to 2,000 characters.');
      problems.throwIfAny();
      const by = actedBy(viewer);
      return store.insertAccessRequest({
        consumerId: viewer.consumer!.id,
        fields: [...new Set(input.fields)],
        purpose: input.purpose,
        justification,
        requestedBy: by.actor,
        requestedByOfficer: by.officer,
      });
    },

    async decideAccessRequest(viewer: Viewer, id: string, approve: boolean, note: string | null): Promise<AccessRequestRecord> {
      if (!UUID.test(id)) throw new InvalidInputError([{ argument: 'id', message: 'not an access request id.' }]);
      if (note !== null && note.length > 2000) throw new InvalidInputError([{ argument: 'note', message: 'at most 2,000 characters.' }]);
      const request = await store.accessRequestById(id);
      if (!request) throw new InvalidInputError([{ argument: 'id', message: `no access request has id ${id}.` }]);
      if (request.status !== 'PENDING') throw new InvalidInputError([{ argument: 'id', message: `the request was already ${request.status.toLowerCase()} by ${request.decidedBy}.` }]);
      if (approve) {
        // A request made before stewards were barred from personal data (or by any other path) is rejected, not approved.
        const problems = new Problems();
        const consumer = policies.policy.consumers.get(request.consumerId);
        for (const name of request.fields) {
          const level = catalogue.get(name)?.level;
          if (consumer?.role === 'steward' && personal(level)) problems.add('approve', `${stewardsReadNoPersonalData(consumer, name, level)} Reject the request instead.`);
        }
        problems.throwIfAny();
      }
      const decidedBy = actedBy(viewer);
      const grants: NewGrant[] = approve
        ? request.fields.map((name) => ({
            consumerId: request.consumerId,
            field: name,
            purposes: [request.purpose],
            // SENSITIVE fields are only ever granted with a condition (SPEC §4).
            condition: catalogue.get(name)?.level === 'SENSITIVE' ? 'ACTIVE_CASE' : 'NONE',
            mask: 'NONE',
            expiresAt: null,
            grantedBy: decidedBy.actor,
            officer: decidedBy.officer,
            requestId: request.id,
          }))
        : [];
      const decided = await store.decideAccessRequest(id, { status: approve ? 'APPROVED' : 'REJECTED', decidedBy, note: note?.trim() || null }, grants);
      if (!decided) throw new InvalidInputError([{ argument: 'id', message: 'the request was decided by someone else a moment ago.' }]);
      if (approve) await policies.reload();
      return decided;
    },
  };
}

export type HubManager = ReturnType<typeof createHubManager>;
