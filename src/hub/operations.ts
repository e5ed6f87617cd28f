import { createHash } from 'node:crypto';
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { QueryTooComplexError } from '../errors.js';
import { countTokens } from '../graph/limits.js';

/** What `@apollo/generate-persisted-query-manifest` writes (SPEC §8). */
const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';
const MANIFEST_VERSION = 1;
/** What the hub runs over HTTP; a subscription needs a transport the hub does not offer (src/graph/supportedOperations.ts). */
const RUNNABLE = new Set(['query', 'mutation']);

/** One operation of a manifest that passed every check, ready to store for a consumer. */
export interface CheckedOperation {
  name: string | null;
  /** SHA-256 (hex) of `document`, exactly as Apollo computes `queryHash` for the text. */
  hash: string;
  document: string;
  /** The fields it reads as `Type.field`, fragments expanded, in the order they first appear; no meta-fields. */
  fields: string[];
}

export interface ManifestProblem {
  argument: string;
  message: string;
}

/** The SHA-256 of an operation's text as Apollo Server computes it (`queryHash`) and as the persisted-query extension sends it. */
export const operationHash = (text: string): string => createHash('sha256').update(text).digest('hex');

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks persisted-query manifests against the hub's schema with the same
 * parser limit and validation rules that requests get (graphql-js's specified
 * rules and the operation limits), so that a registered operation is one the
 * hub would also run when sent as text. Reports every problem of the whole
 * manifest, each naming where it is (`manifest.operations[2].id`).
 */
export function createManifestChecker(schema: GraphQLSchema, limits: { maxTokens: number; validationRules: readonly ValidationRule[] }) {
  const rules = [...specifiedRules, ...limits.validationRules];

  function checkOperation(entry: unknown, at: string, problems: ManifestProblem[]): CheckedOperation | null {
    if (!isRecord(entry)) {
      problems.push({ argument: at, message: 'each operation is an object with id, name, type and body.' });
      return null;
    }
    const before = problems.length;
    const { id, name, type, body } = entry;
    if (typeof body !== 'string' || body.trim() === '') problems.push({ argument: `${at}.body`, message: 'give the operation text as a string.' });
    if (typeof id !== 'string') problems.push({ argument: `${at}.id`, message: 'give the SHA-256 (hex) of body as a string.' });
    if (name !== undefined && name !== null && typeof name !== 'string') problems.push({ argument: `${at}.name`, message: 'give the operation name as a string.' });
    if (typeof type !== 'string' || !['query', 'mutation', 'subscription'].includes(type)) problems.push({ argument: `${at}.type`, message: 'one of query, mutation (subscription is not run by the hub).' });
    if (typeof body !== 'string' || body.trim() === '') return null;

    const hash = operationHash(body);
    if (typeof id === 'string' && id !== hash) problems.push({ argument: `${at}.id`, message: `is not the SHA-256 of body (that is ${hash}); regenerate the manifest instead of editing it.` });

    let document: DocumentNode;
    try {
      document = parse(body, { maxTokens: limits.maxTokens });
    } catch (error) {
      const message = (error as Error).message;
      problems.push({ argument: `${at}.body`, message: /tokens/.test(message) ? new QueryTooComplexError('tokens', limits.maxTokens, countTokens(body)).message : message });
      return null;
    }
    const errors = validate(schema, document, rules);
    for (const error of errors) problems.push({ argument: `${at}.body`, message: error.message });
    if (errors.length > 0) return null;

    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1) {
      problems.push({ argument: `${at}.body`, message: `holds ${operations.length} operations; register one operation per entry, as the manifest generator writes them.` });
      return null;
    }
    const [operation] = operations;
    const declaredName = operation.name?.value ?? null;
    if (!RUNNABLE.has(operation.operation)) problems.push({ argument: `${at}.body`, message: `is a ${operation.operation}; the hub runs queries and mutations only.` });
    if (typeof type === 'string' && type !== operation.operation) problems.push({ argument: `${at}.type`, message: `says ${type} but body is a ${operation.operation}.` });
    if (typeof name === 'string' && name !== declaredName) problems.push({ argument: `${at}.name`, message: `says ${name} but body names the operation ${declaredName ?? '(anonymous)'}.` });
    if (problems.length > before) return null;
    return { name: declaredName, hash, document: body, fields: fieldsRead(schema, document, operation) };
  }

  return {
    /** The manifest's operations, or every problem found in it (then no operation is returned). */
    check(manifest: string): { operations: CheckedOperation[]; problems: ManifestProblem[] } {
      const problems: ManifestProblem[] = [];
      let parsed: unknown;
      try {
        parsed = JSON.parse(manifest);
      } catch (error) {
        return { operations: [], problems: [{ argument: 'manifest', message: `is not JSON (${(error as Error).message}); pass the file @apollo/generate-persisted-query-manifest wrote.` }] };
      }
      if (!isRecord(parsed)) return { operations: [], problems: [{ argument: 'manifest', message: 'is not a JSON object; pass the file @apollo/generate-persisted-query-manifest wrote.' }] };
      if (parsed.format !== MANIFEST_FORMAT) problems.push({ argument: 'manifest.format', message: `must be "${MANIFEST_FORMAT}".` });
      if (parsed.version !== MANIFEST_VERSION) problems.push({ argument: 'manifest.version', message: `must be ${MANIFEST_VERSION}; the hub reads version ${MANIFEST_VERSION} manifests.` });
      if (!Array.isArray(parsed.operations) || parsed.operations.length === 0) {
        problems.push({ argument: 'manifest.operations', message: 'list at least one operation.' });
        return { operations: [], problems };
      }
      const operations: CheckedOperation[] = [];
      const seen = new Map<string, number>();
      parsed.operations.forEach((entry, i) => {
        const checked = checkOperation(entry, `manifest.operations[${i}]`, problems);
        if (!checked) return;
        const first = seen.get(checked.hash);
        if (first !== undefined) problems.push({ argument: `manifest.operations[${i}]`, message: `repeats manifest.operations[${first}] (the same body); list each operation once.` });
        else seen.set(checked.hash, i);
        operations.push(checked);
      });
      return problems.length > 0 ? { operations: [], problems } : { operations, problems };
    },
  };
}

export type ManifestChecker = ReturnType<typeof createManifestChecker>;

/**
 * The fields an operation reads, as `Type.field` on the type that declares
 * them, fragments expanded where they are spread; `__typename` and
 * introspection are left out. A field is named on the type it is selected on
 * (an interface's field on the interface, a fragment's on its type condition).
 */
export function fieldsRead(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const fields = new Set<string>();
  const expanding = new Set<string>();

  const walk = (selections: SelectionSetNode, parent: GraphQLNamedType | undefined) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
        const definition = parent.getFields()[name];
        if (!definition) continue;
        fields.add(`${parent.name}.${name}`);
        if (selection.selectionSet) walk(selection.selectionSet, getNamedType(definition.type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) ?? undefined : parent);
      } else {
        const fragment = fragments.get(selection.name.value);
        // Validation refuses cycles; the guard keeps a walk finite regardless.
        if (!fragment || expanding.has(fragment.name.value)) continue;
        expanding.add(fragment.name.value);
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined);
        expanding.delete(fragment.name.value);
      }
    }
  };
  walk(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
  return [...fields];
}
