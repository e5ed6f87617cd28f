import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { invariant } from '../errors.js';
import type { HubContext } from '../graph/context.js';
import { creditCodeArgument, nationalIdArgument } from '../graph/arguments.js';
import { forbiddenField } from './decide.js';
import { UNMASKED, type ReadDecision } from './request.js';
import { applyMask, subjectOf, type ArgumentRead, type Declarations, type FieldInfo, type Subject } from './fields.js';

type Resolver = GraphQLFieldResolver<unknown, HubContext>;

/** Marks a resolver this transform wrapped: the schema-walk test proves every non-public field carries one. */
export const GUARDED = Symbol('oncegraph.guarded');

/**
 * The one place access is enforced (STYLE §3). Every field of every type is
 * decided (SPEC §4, no exemption by position): only PUBLIC fields outside
 * @part types run unwrapped. Entity fields are decided against their data
 * subject's grants and recorded for the audit; fields of @part values are
 * served only inside a value an allowed decision released; the hub's own
 * fields are decided by their @allow roles or level; root fields record the
 * keys they look up and decide the subject reads their arguments declare.
 * Rules are computed once per request and field, so rows never cost extra
 * statements and DataLoader batches stay whole.
 */
export function applyAccessControl(schema: GraphQLSchema, declarations: Declarations): GraphQLSchema {
  const { fields, argumentReads, lookups, representations } = declarations;
  const governed = mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const name = `${typeName}.${fieldName}`;
      const field = fields.get(name);
      invariant(field, `${name} has no access declaration (readDeclarations fails the build first)`);
      let resolve = (fieldConfig.resolve ?? defaultFieldResolver) as Resolver;
      const reads = argumentReads.get(name);
      if (reads) resolve = readingArguments(reads, resolve);
      const lookup = lookups.get(name);
      if (lookup) resolve = askingBy(lookup, resolve);
      const represented = representations.get(name);
      if (represented) resolve = representing(name, represented, resolve);
      const guard = guardFor(field, resolve);
      if (guard === resolve && !reads && !lookup && !represented) return fieldConfig;
      return { ...fieldConfig, resolve: Object.assign(guard, { [GUARDED]: field.name }) };
    },
  });
  DECLARED.set(governed, declarations);
  return governed;
}

const DECLARED = new WeakMap<GraphQLSchema, Declarations>();

/** The declarations a governed schema was built from (previewAccess decides a query text by them, as the transform would). */
export function declarationsOf(schema: GraphQLSchema): Declarations {
  const declarations = DECLARED.get(schema);
  invariant(declarations, 'the schema was not built by applyAccessControl');
  return declarations;
}

function guardFor(field: FieldInfo, resolve: Resolver): Resolver {
  if (field.roles) return ruledField(field, resolve);
  // A public field runs as it is, unless it hands out @part values (an allowed read releases them).
  if (field.level === 'PUBLIC') return field.onEntity && field.releasesParts ? entityField(field, resolve) : resolve;
  if (field.onEntity) return entityField(field, resolve);
  if (field.holder.kind === 'part') return partField(field, resolve);
  return ruledField(field, resolve);
}

/** A field of an entity: decided against the subject's grants, audited under the subject's ID. */
function entityField(field: FieldInfo, resolve: Resolver): Resolver {
  const holder = field.holder;
  invariant(holder.kind === 'entity', field.name);
  const serve = (decision: ReadDecision, subject: Subject, parent: unknown, args: Record<string, unknown>, ctx: HubContext, info: GraphQLResolveInfo) => {
    ctx.audit.read(field, subject, decision.allowed, info.path);
    if (!decision.allowed) throw forbiddenField(field.name, decision.reason);
    const value = resolve(parent, args, ctx, info);
    if (field.releasesParts) {
      if (value instanceof Promise) return value.then((v) => (ctx.access.release(v), v));
      ctx.access.release(value);
    }
    return masked(decision.mask, value);
  };
  return (parent, args, ctx, info) => {
    const subject = subjectOf(holder, parent);
    invariant(subject, `${field.typeName} record without its data subject`);
    // SPEC §4: a key is data; it is echoed without a grant only to a caller who asked by it.
    const echoed = field.isKey && ctx.access.wasAsked(field.typeName, (parent as Record<string, unknown>)[field.fieldName]);
    const decision = echoed ? UNMASKED : ctx.access.decide(field, subject);
    return decision instanceof Promise ? decision.then((d) => serve(d, subject, parent, args, ctx, info)) : serve(decision, subject, parent, args, ctx, info);
  };
}

/** A non-public field of a @part value: served only inside a value an allowed decision released. */
function partField(field: FieldInfo, resolve: Resolver): Resolver {
  return (parent, args, ctx, info) => {
    if (!ctx.access.isReleased(parent)) throw forbiddenField(field.name, 'NO_GRANT');
    return resolve(parent, args, ctx, info);
  };
}

/** A field of the hub's own types or a root field: decided by its @allow roles or its level. */
function ruledField(field: FieldInfo, resolve: Resolver): Resolver {
  return (parent, args, ctx, info) => {
    const rule = ctx.access.rule(field);
    if (rule.kind !== 'allow') throw forbiddenField(field.name, rule.kind === 'deny' ? rule.reason : 'NO_GRANT');
    return resolve(parent, args, ctx, info);
  };
}

/** A root field's @lookup arguments: the caller knows these keys, so entities found by them echo them. */
function askingBy(lookup: { typeName: string; arguments: string[] }, resolve: Resolver): Resolver {
  return (parent, args, ctx, info) => {
    for (const argument of lookup.arguments) ctx.access.ask(lookup.typeName, args[argument]);
    return resolve(parent, args, ctx, info);
  };
}

/**
 * SPEC §4 "arguments are reads": passing a @reads argument reads that field
 * of the subject it names, with the same decision and audit, before the
 * resolver runs. A denied read refuses the whole root field.
 */
function readingArguments(reads: readonly ArgumentRead[], resolve: Resolver): Resolver {
  return async (parent, args, ctx, info) => {
    for (const read of reads) {
      const value = valueAt(args, read.path);
      if (value === null || value === undefined) continue;
      // The subject is checked before it is decided on, audited or sent to a database.
      const subject = subjectArgument(read, String(value));
      const decision = await ctx.access.decide(read.field, subject);
      ctx.audit.read(read.field, subject, decision.allowed, info.path);
      if (!decision.allowed) throw forbiddenField(read.field.name, decision.reason);
    }
    return resolve(parent, args, ctx, info);
  };
}

/**
 * SPEC §3: a citizen reads an enterprise's data as self only while they are
 * its legal representative. A @represents argument names such an enterprise:
 * anyone else is refused before the resolver runs.
 */
function representing(name: string, represented: readonly { argument: string; path: readonly string[] }[], resolve: Resolver): Resolver {
  return async (parent, args, ctx, info) => {
    for (const { argument, path } of represented) {
      const value = valueAt(args, path);
      if (value === null || value === undefined) continue;
      const enterpriseId = creditCodeArgument(argument, String(value));
      if (!(await ctx.access.represents(enterpriseId))) throw forbiddenField(name, 'NOT_SELF');
    }
    return resolve(parent, args, ctx, info);
  };
}

/** The subject an argument names: a national ID for a citizen's field, a credit code for an enterprise's. */
function subjectArgument(read: ArgumentRead, value: string): Subject {
  invariant(read.field.holder.kind === 'entity', read.field.name);
  return read.field.holder.citizenKey !== null
    ? { type: 'CITIZEN', id: nationalIdArgument(read.argument, value) }
    : { type: 'ENTERPRISE', id: creditCodeArgument(read.argument, value) };
}

function valueAt(args: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = args;
  for (const key of path) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[key];
  return value;
}

function masked(mask: FieldInfo['masks'][number], value: unknown): unknown {
  if (mask === 'NONE') return value;
  return value instanceof Promise ? value.then((v) => applyMask(mask, v)) : applyMask(mask, value);
}
