import {
  getNamedType,
  isObjectType,
  Kind,
  parse,
  specifiedRules,
  validate,
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { BadUserInputError } from '../errors.js';
import { denyMessage, type DenyReason, type FieldRule } from '../access/decide.js';
import { planFor } from '../access/plan.js';
import type { Declarations, FieldInfo, Mask } from '../access/fields.js';
import { declarationsOf } from '../access/transform.js';
import type { Viewer } from '../access/viewer.js';
import type { HubContext } from '../graph/context.js';

/**
 * previewAccess (issue 15 §3): what a consumer would get of each field of a
 * query text, decided by the same rules as a real request (its access plan
 * over the policy in force), without reading any data and without an audit record.
 * What depends on rows is stated as a condition instead of decided: an
 * ACTIVE_CASE grant serves only the subject of the case named in caseRef
 * while it is open and handled by the consumer's department.
 */

export interface FieldDecision {
  field: string;
  /** Where the value sits in the response, with aliases as written. */
  path: string;
  allowed: boolean;
  reason: string | null;
  reasonCode: DenyReason | 'ECHOED' | 'ACTIVE_CASE' | 'RELEASED' | null;
  mask: Mask | null;
  condition: 'NONE' | 'ACTIVE_CASE' | null;
}

export interface PreviewArgs {
  consumerId: string;
  purpose?: string | null;
  caseRef?: string | null;
  query: string;
}

const QUERY_MAX = 100_000;

/** What a walk knows of the value that holds the fields it is at. */
interface Holding {
  /** The decision of the field whose value holds these fields (for @part values), or null at the root. */
  holder: FieldDecision | null;
  /** The root field's @lookup type, when these fields are of the entity the caller asked for by key. */
  askedType: string | null;
}

function parsed(query: string, schema: GraphQLSchema): DocumentNode {
  if (query.length > QUERY_MAX) throw new BadUserInputError('query', `longer than ${QUERY_MAX.toLocaleString('en')} characters.`);
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: false });
  } catch (error) {
    throw new BadUserInputError('query', `not a GraphQL document: ${(error as Error).message}`);
  }
  const errors = validate(schema, document, specifiedRules);
  if (errors.length > 0) throw new BadUserInputError('query', `not valid against the schema: ${errors.map((e) => e.message).join(' ')}`);
  return document;
}

function decisionOf(path: string, field: FieldInfo, rule: FieldRule, viewer: Viewer, holding: Holding): FieldDecision {
  const base = { field: field.name, path };
  // SPEC §4: a key is echoed without a grant to a caller who asked by it.
  if (field.isKey && holding.askedType === field.typeName) {
    return { ...base, allowed: true, reason: 'echoed: the query asks by this key.', reasonCode: 'ECHOED', mask: 'NONE', condition: null };
  }
  switch (rule.kind) {
    case 'allow':
      return { ...base, allowed: true, reason: null, reasonCode: null, mask: field.grantable ? 'NONE' : null, condition: null };
    case 'deny':
      return { ...base, allowed: false, reason: denyMessage(rule.reason), reasonCode: rule.reason, mask: null, condition: null };
    case 'self':
      return { ...base, allowed: false, reason: denyMessage('NOT_SELF'), reasonCode: 'NOT_SELF', mask: null, condition: null };
    case 'released': {
      const holder = holding.holder;
      if (!holder?.allowed) return { ...base, allowed: false, reason: denyMessage('NO_GRANT'), reasonCode: 'NO_GRANT', mask: null, condition: null };
      return { ...base, allowed: true, reason: `served with ${holder.field}, which holds it.`, reasonCode: 'RELEASED', mask: holder.mask, condition: holder.condition };
    }
    case 'grant': {
      // Without a case only the grants without a condition can serve; with one, the best grant (the case is checked per row).
      const option = viewer.caseRef === null ? rule.options.find((o) => !o.activeCase) : rule.options[0];
      if (!option) return { ...base, allowed: false, reason: denyMessage('CASE_REQUIRED'), reasonCode: 'CASE_REQUIRED', mask: null, condition: null };
      if (!option.activeCase) return { ...base, allowed: true, reason: null, reasonCode: null, mask: option.mask, condition: 'NONE' };
      return {
        ...base,
        allowed: true,
        reason: `only for the citizen or enterprise of case ${viewer.caseRef}, while it is open and handled by ${viewer.consumer?.department}.`,
        reasonCode: 'ACTIVE_CASE',
        mask: option.mask,
        condition: 'ACTIVE_CASE',
      };
    }
  }
}

/** Walks a selection set as execution would, deciding every field once per response path. */
function walk(
  schema: GraphQLSchema,
  declarations: Declarations,
  viewer: Viewer,
  rule: (field: FieldInfo) => FieldRule,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  prefix: string,
  holding: Holding,
  out: Map<string, FieldDecision>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      if (!fragment) continue;
      const on = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
      // The graph has no interfaces or unions: a fragment applies when it is on this very type.
      if (on === type) walk(schema, declarations, viewer, rule, fragments, type, fragment.selectionSet, prefix, holding, out);
      continue;
    }
    const fieldName = selection.name.value;
    if (fieldName.startsWith('__')) continue; // __typename and introspection carry no data
    const info = declarations.fields.get(`${type.name}.${fieldName}`);
    const definition = type.getFields()[fieldName];
    if (!info || !definition) continue;
    const path = `${prefix}${selection.alias?.value ?? fieldName}`;
    let decision = decisionOf(path, info, rule(info), viewer, holding);
    // SPEC §4 "arguments are reads": a @reads argument is decided first; a denied one refuses the whole field.
    for (const read of declarations.argumentReads.get(info.name) ?? []) {
      const given = argumentGiven(selection.arguments ?? [], read.path);
      if (!given) continue;
      const readDecision = decisionOf(`${path}(${read.argument})`, read.field, rule(read.field), viewer, { holder: null, askedType: null });
      out.set(readDecision.path, readDecision);
      if (!readDecision.allowed) decision = { ...decision, allowed: false, reason: `its argument ${read.argument} reads ${read.field.name}, which is refused.`, reasonCode: readDecision.reasonCode, mask: null, condition: null };
    }
    if (!out.has(path)) out.set(path, decision);
    const named = getNamedType(definition.type);
    if (selection.selectionSet && isObjectType(named) && decision.allowed) {
      const lookup = type === schema.getQueryType() ? declarations.lookups.get(info.name) : undefined;
      walk(schema, declarations, viewer, rule, fragments, named, selection.selectionSet, `${path}.`, { holder: decision, askedType: lookup?.typeName ?? null }, out);
    }
  }
}

/** Whether the argument at `path` (filter.applicantId) is written in the query, as a value or a variable. */
function argumentGiven(args: readonly ArgumentNode[], path: readonly string[]): boolean {
  let fields: readonly { name: { value: string }; value: ValueNode }[] = args;
  for (let i = 0; i < path.length; i++) {
    const found = fields.find((f) => f.name.value === path[i]);
    if (!found || found.value.kind === Kind.NULL) return false;
    if (i === path.length - 1 || found.value.kind === Kind.VARIABLE) return true;
    if (found.value.kind !== Kind.OBJECT) return false;
    fields = found.value.fields;
  }
  return false;
}

export function previewAccess(ctx: HubContext, args: PreviewArgs, info: GraphQLResolveInfo): FieldDecision[] {
  const policy = ctx.access.policy;
  const consumer = policy.consumers.get(args.consumerId);
  if (!consumer) throw new BadUserInputError('consumerId', `no consumer has id "${args.consumerId}"; query \`consumers\` for the list.`);
  if (args.purpose != null && !policy.purposes.has(args.purpose)) throw new BadUserInputError('purpose', `unknown purpose "${args.purpose}"; query \`purposes\` for the catalogue.`);
  const caseRef = args.caseRef?.trim() || null;
  if (caseRef !== null && caseRef.length > 64) throw new BadUserInputError('caseRef', 'longer than 64 characters.');
  const schema = info.schema;
  const document = parsed(args.query, schema);
  const declarations = declarationsOf(schema);
  // The consumer as it would call with its own key: its role, its grants, the declared purpose and case.
  const viewer: Viewer = {
    role: consumer.role === 'steward' ? 'steward' : 'consumer',
    actor: consumer.id,
    consumer,
    officer: null,
    citizenId: null,
    purpose: args.purpose ?? null,
    caseRef,
    credential: 'api-key',
    keyId: null,
  };
  // The same access plan a request of this consumer and purpose would use (rules per policy version and class).
  const plan = planFor(viewer, policy, Date.now());
  const rule = (field: FieldInfo) => plan.rule(field);
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const out = new Map<string, FieldDecision>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = definition.operation === 'query' ? schema.getQueryType() : definition.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (!root) continue;
    walk(schema, declarations, viewer, rule, fragments, root, definition.selectionSet, '', { holder: null, askedType: null }, out);
  }
  return [...out.values()];
}
