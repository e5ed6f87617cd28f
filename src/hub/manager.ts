import { HubError, ErrorCode } from '../errors.js';
import type { FieldInfo, GrantCondition, Mask } from '../access/fields.js';
import type { PolicyCache } from '../access/policy.js';
import { newApiKey } from '../access/credentials.js';
import { actorOf, type Viewer } from '../access/viewer.js';
import { DEPARTMENTS } from './departments.js';
import type { AccessRequestRecord, ActedBy, ConsumerRecord, GrantRecord, HubStore, NewGrant, PolicyChangeSet, PolicySnapshot, RegisteredOperationRecord } from './store.js';
import { grantKey, problemText, readPolicyFile, writePolicyFile, type FileProblem, type PolicyDocument } from '../governance/policyFile.js';
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
const stewardsReadNoPersonalData = (consumer: Pick<ConsumerRecord, 'id'>, field: string, level: string) =>
  `${consumer.id} is a steward's application and stewards read no personal data; ${field} is ${level}. Grant it to the department application that needs it.`;

const CONSUMER_ID = /^[a-z][a-z0-9-]{2,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

  /** Every rule a new grant must meet (SPEC §4, §5), each problem named under `prefix` (input, consumers[2].grants[0]). */
  function checkGrant(problems: Problems, prefix: string, consumer: Pick<ConsumerRecord, 'id' | 'role'> | null, input: Omit<GrantInput, 'consumerId'>): void {
    const field = checkField(problems, `${prefix}.field`, input.field);
    if (consumer?.role === 'steward' && field && personal(field.level)) problems.add(`${prefix}.field`, stewardsReadNoPersonalData(consumer, field.name, field.level));
    if (input.purposes.length === 0) problems.add(`${prefix}.purposes`, 'name at least one purpose.');
    input.purposes.forEach((p, i) => checkPurpose(problems, `${prefix}.purposes[${i}]`, p));
    const condition = input.condition ?? 'NONE';
    const mask = input.mask ?? 'NONE';
    if (field?.level === 'SENSITIVE' && condition === 'NONE') problems.add(`${prefix}.condition`, `${field.name} is SENSITIVE: its grants need a condition (ACTIVE_CASE).`);
    if (field && !field.masks.includes(mask)) problems.add(`${prefix}.mask`, `${mask} does not fit ${field.name}; it allows ${field.masks.join(', ')}.`);
    if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) problems.add(`${prefix}.expiresAt`, 'must be in the future.');
  }

  /**
   * What applying a policy file would change, or every problem with it (each
   * naming its line). The file is the whole policy: a grant in force that it
   * does not list is revoked; a consumer it does not list is a problem
   * (consumers are never removed), and so is a change to a consumer's name,
   * department, role or portal flag (register a new consumer instead).
   */
  function planPolicy(text: string, snapshot: PolicySnapshot): { changes: PolicyChange[]; set: PolicyChangeSet } {
    const read = readPolicyFile(text);
    const fail = (list: FileProblem[]) => new InvalidInputError(list.map((p) => ({ argument: 'document', message: problemText(p) })));
    if (!read.document) throw fail(read.problems);
    const problems = new Problems();
    const desired = read.document;
    const current = new Map(snapshot.consumers.map((c) => [c.id, c]));
    const listed = new Set(desired.consumers.map((c) => c.id));
    for (const c of snapshot.consumers) {
      if (!listed.has(c.id)) problems.add('consumers', `consumer "${c.id}" is registered but not in the file; consumers are never removed: list it (with no grants to revoke them all).`);
    }
    const changes: PolicyChange[] = [];
    const set: PolicyChangeSet = { consumers: [], registeredOperationsOnly: [], revoke: [], grant: [] };
    const none = { grantId: null, field: null, purposes: null, condition: null, mask: null, expiresAt: null, on: null };
    desired.consumers.forEach((c, i) => {
      const at = `consumers[${i}]`;
      const role = c.role === 'STEWARD' ? 'steward' : 'consumer';
      const existing = current.get(c.id);
      if (existing) {
        const fixed: [string, unknown, unknown][] = [['name', c.name, existing.name], ['department', c.department, existing.department], ['role', role, existing.role], ['portal', c.portal, existing.portal]];
        for (const [key, wanted, actual] of fixed) {
          if (wanted !== actual) problems.add(`${at}.${key}`, `${c.id}'s ${key} is ${JSON.stringify(key === 'role' ? ROLE_IN_FILE[actual as 'consumer'] ?? actual : actual)} in the hub; a policy file cannot change it (register a new consumer instead).`);
        }
      } else {
        if (c.portal && role === 'steward') problems.add(`${at}.portal`, "a steward's application cannot be a portal: citizens sign in through a department's portal.");
        set.consumers.push({ id: c.id, name: c.name, department: c.department, role, portal: c.portal, registeredOperationsOnly: c.registeredOperationsOnly });
        changes.push({ ...none, action: 'ADD_CONSUMER', consumerId: c.id, description: `+ consumer ${c.id} (${c.name}, ${c.department}${role === 'steward' ? ', steward' : ''}${c.portal ? ', portal' : ''})` });
      }
      if (existing && existing.registeredOperationsOnly !== c.registeredOperationsOnly) {
        set.registeredOperationsOnly.push({ consumerId: c.id, on: c.registeredOperationsOnly });
        changes.push({ ...none, action: 'SET_REGISTERED_OPERATIONS_ONLY', consumerId: c.id, on: c.registeredOperationsOnly, description: `~ consumer ${c.id}: registered operations only ${existing.registeredOperationsOnly} -> ${c.registeredOperationsOnly}` });
      }
      // Grants are matched whole: a grant is never edited, a different one replaces it.
      const inForce = new Map<string, GrantRecord[]>();
      for (const g of snapshot.grants.filter((g) => g.consumerId === c.id)) {
        const key = grantKey({ ...g, condition: g.condition as GrantCondition, mask: g.mask as Mask });
        inForce.set(key, [...(inForce.get(key) ?? []), g]);
      }
      c.grants.forEach((g, j) => {
        const kept = inForce.get(grantKey(g));
        if (kept && kept.length > 0) {
          kept.shift();
          return;
        }
        checkGrant(problems, `${at}.grants[${j}]`, { id: c.id, role }, g);
        set.grant.push({ consumerId: c.id, field: g.field, purposes: g.purposes, condition: g.condition, mask: g.mask, expiresAt: g.expiresAt });
        changes.push({ ...none, action: 'ADD_GRANT', consumerId: c.id, field: g.field, purposes: g.purposes, condition: g.condition, mask: g.mask, expiresAt: g.expiresAt, description: `+ grant ${c.id}: ${grantText(g)}` });
      });
      for (const g of [...inForce.values()].flat()) {
        set.revoke.push(g.id);
        changes.push({ ...none, action: 'REVOKE_GRANT', consumerId: c.id, grantId: g.id, field: g.field, purposes: g.purposes, condition: g.condition as GrantCondition, mask: g.mask as Mask, expiresAt: g.expiresAt, description: `- grant ${c.id}: ${grantText(g)} (granted by ${g.grantedBy} at ${g.grantedAt})` });
      }
    });
    if (problems.list.length > 0) throw fail(problems.list.map((p) => ({ path: p.argument, line: read.lineOf(pathOf(p.argument)), message: p.message })));
    return { changes, set };
  }

  return {
    /** The policy in force as YAML (issue 15 §4): consumers, grants, registered-operations switches; never a key. */
    async exportPolicy(viewer: Viewer): Promise<string> {
      const snapshot = await store.loadPolicy();
      return writePolicyFile(documentOf(snapshot), `OnceGraph access policy, exported ${new Date().toISOString()} by ${actorOf(viewer)}.\nReview it like code: npm run policy -- diff <file>, then apply <file>. API keys are never part of it.`);
    },

    /** What applying `document` would change; nothing is written. */
    async diffPolicy(document: string): Promise<PolicyChange[]> {
      return planPolicy(document, await store.loadPolicy()).changes;
    },

    /** Applies `document` as one transaction, recorded as made by the viewer, and propagated to every instance. */
    async applyPolicy(viewer: Viewer, document: string): Promise<PolicyChange[]> {
      const { changes, set } = planPolicy(document, await store.loadPolicy());
      if (changes.length === 0) return changes;
      const applied = await store.applyPolicy(set, actedBy(viewer));
      if (!applied) throw new InvalidInputError([{ argument: 'document', message: 'the policy changed while this file was being applied (another steward or instance); nothing was applied: run diff again.' }]);
      await policies.reload();
      return changes;
    },

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
      checkGrant(problems, 'input', consumer, input);
      problems.throwIfAny();
      const by = actedBy(viewer);
      const grant = await store.insertGrant({
        consumerId: input.consumerId,
        field: input.field,
        purposes: [...new Set(input.purposes)],
        condition: input.condition ?? 'NONE',
        mask: input.mask ?? 'NONE',
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

/** One change a policy file makes (issue 15 §4), for the diff a steward reviews. */
export interface PolicyChange {
  action: 'ADD_CONSUMER' | 'SET_REGISTERED_OPERATIONS_ONLY' | 'REVOKE_GRANT' | 'ADD_GRANT';
  consumerId: string;
  /** The grant's id, for a revocation. */
  grantId: string | null;
  field: string | null;
  purposes: string[] | null;
  condition: GrantCondition | null;
  mask: Mask | null;
  expiresAt: string | null;
  /** The switch's new value, for SET_REGISTERED_OPERATIONS_ONLY. */
  on: boolean | null;
  /** The change in one line, as `npm run policy -- diff` prints it. */
  description: string;
}

const ROLE_IN_FILE = { consumer: 'CONSUMER', steward: 'STEWARD' } as const;

/** The policy in force as a file's document: consumers with their grants not revoked (expired ones too: revoking them is a change). */
function documentOf(snapshot: PolicySnapshot): PolicyDocument {
  return {
    version: 1,
    consumers: snapshot.consumers.map((c) => ({
      id: c.id,
      name: c.name,
      department: c.department,
      role: ROLE_IN_FILE[c.role as keyof typeof ROLE_IN_FILE] ?? 'CONSUMER',
      portal: c.portal,
      registeredOperationsOnly: c.registeredOperationsOnly,
      grants: snapshot.grants
        .filter((g) => g.consumerId === c.id)
        .map((g) => ({ field: g.field, purposes: g.purposes, condition: g.condition as GrantCondition, mask: g.mask as Mask, expiresAt: g.expiresAt })),
    })),
  };
}

const grantText = (g: { field: string; purposes: string[]; condition: string; mask: string; expiresAt: string | null }) =>
  `${g.field} for ${[...g.purposes].sort().join(', ')}${g.condition !== 'NONE' ? `, ${g.condition}` : ''}${g.mask !== 'NONE' ? `, mask ${g.mask}` : ''}${g.expiresAt ? `, until ${g.expiresAt}` : ''}`;

/** `consumers[2].grants[0].field` as a path the YAML document can look up. */
const pathOf = (text: string): (string | number)[] => text.split(/\.|\[|\]/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
