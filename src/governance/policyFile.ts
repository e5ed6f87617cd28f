import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { LineCounter, parseDocument, stringify, type Document } from 'yaml';

/**
 * The access policy as a file (issue 15 §4): consumers, their grants and
 * their registered-operations setting, in YAML, reviewed like code. Read
 * and checked the same way by the CLI (before it sends anything) and by the
 * hub (which trusts no client): every problem names its line.
 */

export type Role = 'CONSUMER' | 'STEWARD';
export type Condition = 'NONE' | 'ACTIVE_CASE';
export type FileMask = 'NONE' | 'YEAR_ONLY' | 'PARTIAL' | 'PRESENCE';

export interface PolicyGrant {
  field: string;
  purposes: string[];
  condition: Condition;
  mask: FileMask;
  /** ISO 8601 instant (normalised to UTC milliseconds), or null. */
  expiresAt: string | null;
}

export interface PolicyConsumer {
  id: string;
  name: string;
  department: string;
  role: Role;
  portal: boolean;
  registeredOperationsOnly: boolean;
  grants: PolicyGrant[];
}

export interface PolicyDocument {
  version: 1;
  consumers: PolicyConsumer[];
}

/** A problem with the file; `path` as the hub names arguments (`consumers[2].grants[0].field`), `line` 1-based. */
export interface FileProblem {
  path: string;
  line: number | null;
  message: string;
}

export interface ReadPolicy {
  document: PolicyDocument | null;
  problems: FileProblem[];
  /** The line of a path of the file, for problems found later (an unknown field, a consumer that cannot change). */
  lineOf(path: readonly (string | number)[]): number | null;
}

export const POLICY_SCHEMA = JSON.parse(readFileSync(fileURLToPath(new URL('../../schema/policy.schema.json', import.meta.url)), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true });
addFormats.default(ajv);
const validateSchema = ajv.compile(POLICY_SCHEMA);

/** The longest policy file accepted: far above a real deployment's, far below what could tie a hub up. */
export const POLICY_MAX_BYTES = 2_000_000;

export const pathText = (path: readonly (string | number)[]) => path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');

/** One line per problem: `line 14, consumers[2].grants[0].field: unknown field ...`. */
export const problemText = (p: FileProblem) => `${p.line !== null ? `line ${p.line}, ` : ''}${p.path || 'the file'}: ${p.message}`;

export function readPolicyFile(text: string): ReadPolicy {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number | undefined) => (offset === undefined ? null : lineCounter.linePos(offset).line);
  const lineOf = (path: readonly (string | number)[]): number | null => {
    // The nearest node that exists: a missing property is reported at its object.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineAt(node.range[0]);
    }
    return null;
  };
  if (Buffer.byteLength(text) > POLICY_MAX_BYTES) {
    return { document: null, problems: [{ path: '', line: null, message: `the file is larger than ${POLICY_MAX_BYTES.toLocaleString('en')} bytes.` }], lineOf };
  }
  if (doc.errors.length > 0) {
    return { document: null, problems: doc.errors.map((e) => ({ path: '', line: lineAt(e.pos[0]), message: `not valid YAML: ${e.message.split('\n')[0]}` })), lineOf };
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!validateSchema(data)) {
    const problems = (validateSchema.errors ?? []).map((e) => {
      const path = e.instancePath.split('/').slice(1).map((k) => (/^\d+$/.test(k) ? Number(k) : k.replace(/~1/g, '/').replace(/~0/g, '~')));
      const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
      const missing = e.keyword === 'required' ? [...path, (e.params as { missingProperty: string }).missingProperty] : path;
      return { path: pathText(missing), line: lineOf(path), message: `${e.message}${extra}.` };
    });
    return { document: null, problems, lineOf };
  }
  const document = data as PolicyDocument;
  const problems: FileProblem[] = [];
  const seenConsumers = new Map<string, number>();
  document.consumers.forEach((consumer, i) => {
    const first = seenConsumers.get(consumer.id);
    if (first !== undefined) problems.push({ path: `consumers[${i}].id`, line: lineOf(['consumers', i, 'id']), message: `consumer "${consumer.id}" is listed twice (first at consumers[${first}]).` });
    else seenConsumers.set(consumer.id, i);
    const seenGrants = new Map<string, number>();
    consumer.grants.forEach((grant, j) => {
      if (grant.expiresAt !== null && grant.expiresAt !== undefined) grant.expiresAt = new Date(grant.expiresAt).toISOString();
      else grant.expiresAt = null;
      const key = grantKey(grant);
      const same = seenGrants.get(key);
      if (same !== undefined) problems.push({ path: `consumers[${i}].grants[${j}]`, line: lineOf(['consumers', i, 'grants', j]), message: `the same grant as grants[${same}].` });
      else seenGrants.set(key, j);
    });
  });
  return { document: problems.length > 0 ? null : document, problems, lineOf };
}

/** What makes two grants the same grant: a grant is never edited, only given and revoked. */
export function grantKey(grant: Pick<PolicyGrant, 'field' | 'purposes' | 'condition' | 'mask' | 'expiresAt'>): string {
  const expires = grant.expiresAt ? new Date(grant.expiresAt).toISOString() : '';
  return [grant.field, [...grant.purposes].sort().join(','), grant.condition, grant.mask, expires].join('|');
}

/** The policy as a file, in a stable order (consumers by id, grants by field then purposes), so that exports diff cleanly. */
export function writePolicyFile(document: PolicyDocument, header: string): string {
  const consumers = [...document.consumers]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((c) => ({
      id: c.id,
      name: c.name,
      department: c.department,
      role: c.role,
      portal: c.portal,
      registeredOperationsOnly: c.registeredOperationsOnly,
      grants: [...c.grants]
        .sort((a, b) => grantKey(a).localeCompare(grantKey(b)))
        .map((g) => ({ field: g.field, purposes: [...g.purposes].sort(), condition: g.condition, mask: g.mask, ...(g.expiresAt ? { expiresAt: g.expiresAt } : {}) })),
    }));
  const body = stringify({ version: 1, consumers }, { lineWidth: 0, flowCollectionPadding: false });
  return `${header
    .split('\n')
    .map((l) => `# ${l}`.trimEnd())
    .join('\n')}\n${body}`;
}

