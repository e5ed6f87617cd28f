import { getNamedType, getNullableType, isListType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { getDirective } from '@graphql-tools/utils';

export const CLASSIFICATION_LEVELS = ['PUBLIC', 'INTERNAL', 'PERSONAL', 'SENSITIVE'] as const;
export type Classification = (typeof CLASSIFICATION_LEVELS)[number];
export type RoleName = 'consumer' | 'steward' | 'citizen';

export const MASKS = ['NONE', 'YEAR_ONLY', 'PARTIAL', 'PRESENCE'] as const;
export type Mask = (typeof MASKS)[number];
export type GrantCondition = 'NONE' | 'ACTIVE_CASE';

/**
 * What the type holding a field is, as declared in the SDL (`@entity`, `@part`
 * or neither). Nothing here is kept by hand: it is read from the schema.
 */
export type Holder =
  /** Data about one subject: the record properties with its enterprise's or citizen's ID (the enterprise's wins when set). */
  | { readonly kind: 'entity'; readonly citizenKey: string | null; readonly enterpriseKey: string | null; readonly key: string | null }
  /** A value held by an entity field: served only inside a value a decision released. */
  | { readonly kind: 'part' }
  /** The hub's own types (consumers, grants, the audit log), catalogues, connections. */
  | { readonly kind: 'plain' };

export interface FieldInfo {
  /** `Type.field` */
  readonly name: string;
  readonly typeName: string;
  readonly fieldName: string;
  /** The field's classification, or null when an @allow rule decides it. */
  readonly level: Classification | null;
  /** The roles an @allow rule admits, or null when a classification decides. */
  readonly roles: readonly RoleName[] | null;
  readonly holder: Holder;
  /** True for fields of an entity type: decided per grant. */
  readonly onEntity: boolean;
  /** True for the entity's key field: echoed to a caller who asked by it. */
  readonly isKey: boolean;
  /** PERSONAL and SENSITIVE fields of entities: the fields a steward grants. */
  readonly grantable: boolean;
  /** Masks that keep the field's type (SPEC §5: masks change the value, never the type). */
  readonly masks: readonly Mask[];
  /** The field's values are @part values: an allowed read releases them. */
  readonly releasesParts: boolean;
}

export type SubjectType = 'CITIZEN' | 'ENTERPRISE';

/** Whose data a record is: an enterprise or a citizen, by ID. */
export interface Subject {
  readonly type: SubjectType;
  readonly id: string;
}

/**
 * The data subject of an entity's record, as its @entity declares it: its
 * enterprise when it has one, else its citizen; null when it has neither
 * (a record served without its subject: never decided as allowed).
 */
export function subjectOf(holder: Extract<Holder, { kind: 'entity' }>, record: unknown): Subject | null {
  const row = record as Record<string, unknown>;
  const enterprise = holder.enterpriseKey ? row[holder.enterpriseKey] : null;
  if (typeof enterprise === 'string') return { type: 'ENTERPRISE', id: enterprise };
  const citizen = holder.citizenKey ? row[holder.citizenKey] : null;
  return typeof citizen === 'string' ? { type: 'CITIZEN', id: citizen } : null;
}

/** An argument (or input field) declared `@reads(field:)`: passing it reads that field of the subject it names. */
export interface ArgumentRead {
  /** The argument as the caller writes it: `filter.applicantId`. */
  readonly argument: string;
  readonly path: readonly string[];
  readonly field: FieldInfo;
}

export interface Declarations {
  /** Every field of every object type, by `Type.field`. */
  readonly fields: Map<string, FieldInfo>;
  /** Root fields' arguments that read a subject's field, by `Query.cases`. */
  readonly argumentReads: Map<string, ArgumentRead[]>;
  /** Root fields' `@lookup` arguments, by `Query.citizen`: the entity type found and the argument names. */
  readonly lookups: Map<string, { typeName: string; arguments: string[] }>;
  /** Root fields' `@represents` arguments (enterprise IDs only their legal representative may pass), by `Query.enterpriseDataAccess`. */
  readonly representations: Map<string, { argument: string; path: readonly string[] }[]>;
}

/**
 * Reads the access declarations of every object type and field (SPEC §4):
 * deny by construction. Throws one error naming every field with neither a
 * classification nor an @allow rule, every personal field without a data
 * subject, and every malformed declaration.
 */
export function readDeclarations(schema: GraphQLSchema, absentTypes: ReadonlySet<string> = new Set()): Declarations {
  const problems: string[] = [];
  const fields = new Map<string, FieldInfo>();
  const objectTypes = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'));

  const holders = new Map<string, Holder>();
  for (const type of objectTypes) holders.set(type.name, holderOf(schema, type, problems));

  for (const type of objectTypes) {
    const holder = holders.get(type.name)!;
    const typeLevel = getDirective(schema, type, 'classified')?.[0]?.level as Classification | undefined;
    const typeRoles = getDirective(schema, type, 'allow')?.[0]?.roles as string[] | undefined;
    // A data subject's record has no default: a field added to it later must say what it is.
    if (holder.kind === 'entity' && (typeLevel || typeRoles)) problems.push(`${type.name} is an @entity: declare @classified(level: ...) on each of its fields, not on the type`);
    for (const field of Object.values(type.getFields())) {
      const name = `${type.name}.${field.name}`;
      const ownLevel = getDirective(schema, field, 'classified')?.[0]?.level as Classification | undefined;
      const ownRoles = getDirective(schema, field, 'allow')?.[0]?.roles as string[] | undefined;
      // The field's own declaration wins; the type's applies to fields that declare nothing.
      const level = ownLevel ?? (ownRoles ? undefined : typeLevel);
      const roles = ownRoles ?? (ownLevel ? undefined : typeRoles);
      if (!level && !roles) {
        problems.push(`${name} has neither @classified(level: ...) nor @allow(roles: [...]) (on the field or its type)`);
        continue;
      }
      // Roles alone would serve a subject's data undecided by grants and unaudited.
      if (holder.kind === 'entity' && roles) problems.push(`${name}: a field of an @entity is decided by grants; declare @classified(level: ...), not @allow`);
      const personal = level === 'PERSONAL' || level === 'SENSITIVE';
      if (personal && holder.kind === 'plain') problems.push(`${name} is ${level} but ${type.name} declares no data subject: declare the type @entity(...) or @part`);
      if (holder.kind === 'part' && isObjectType(getNamedType(field.type)) && holders.get(getNamedType(field.type).name)?.kind === 'entity') {
        problems.push(`${name}: a @part type may not link to an entity (${getNamedType(field.type).name}); declare ${type.name} an @entity`);
      }
      const named = getNamedType(field.type);
      fields.set(name, {
        name,
        typeName: type.name,
        fieldName: field.name,
        level: level ?? null,
        roles: roles ? roles.map((r) => r.toLowerCase() as RoleName) : null,
        holder,
        onEntity: holder.kind === 'entity',
        isKey: holder.kind === 'entity' && holder.key === field.name,
        grantable: holder.kind === 'entity' && personal,
        masks: masksFor(field),
        releasesParts: isObjectType(named) && holders.get(named.name)?.kind === 'part',
      });
    }
  }

  const argumentReads = new Map<string, ArgumentRead[]>();
  const lookups = new Map<string, { typeName: string; arguments: string[] }>();
  const representations = new Map<string, { argument: string; path: readonly string[] }[]>();
  const roots = [schema.getQueryType(), schema.getMutationType()];
  for (const type of objectTypes) {
    if (roots.includes(type)) continue;
    for (const field of Object.values(type.getFields())) {
      // Only a root field's arguments are decided before it runs: elsewhere the declaration would be ignored.
      const declared = argumentDeclarationsOf(schema, field, fields, [], `${type.name}.${field.name}`, absentTypes);
      if (declared.reads.length > 0 || declared.represents.length > 0 || declared.undecidable) {
        problems.push(`${type.name}.${field.name}: @reads and @represents are enforced on arguments of Query and Mutation fields only`);
      }
    }
  }
  for (const root of roots) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const name = `${root.name}.${field.name}`;
      const { reads, represents } = argumentDeclarationsOf(schema, field, fields, problems, name, absentTypes);
      if (reads.length > 0) argumentReads.set(name, reads);
      if (represents.length > 0) representations.set(name, represents);
      const lookupArgs = field.args.filter((a) => getDirective(schema, a, 'lookup')?.length).map((a) => a.name);
      if (lookupArgs.length > 0) lookups.set(name, { typeName: getNamedType(field.type).name, arguments: lookupArgs });
    }
  }

  if (problems.length > 0) throw new Error(`Schema build failed: every field needs an access declaration.\n  ${problems.join('\n  ')}`);
  return { fields, argumentReads, lookups, representations };
}

function holderOf(schema: GraphQLSchema, type: GraphQLObjectType, problems: string[]): Holder {
  const entity = getDirective(schema, type, 'entity')?.[0] as { key?: string; citizen?: string; enterprise?: string } | undefined;
  const part = getDirective(schema, type, 'part')?.length;
  if (entity && part) problems.push(`${type.name} is declared both @entity and @part`);
  if (entity) {
    if (entity.key && !type.getFields()[entity.key]) problems.push(`${type.name} @entity(key: "${entity.key}") names no field of ${type.name}`);
    if (!entity.citizen && !entity.enterprise) problems.push(`${type.name} @entity names no subject: give citizen: or enterprise: (the record property holding its ID)`);
    return { kind: 'entity', citizenKey: entity.citizen ?? null, enterpriseKey: entity.enterprise ?? null, key: entity.key ?? null };
  }
  return part ? { kind: 'part' } : { kind: 'plain' };
}

/** Arguments and input fields (at any depth of input objects) declared `@reads` or `@represents`. */
function argumentDeclarationsOf(
  schema: GraphQLSchema,
  field: GraphQLField<unknown, unknown>,
  fields: Map<string, FieldInfo>,
  problems: string[],
  rootName: string,
  /** Types of the declared sources this hub is built without. */
  absentTypes: ReadonlySet<string>,
) {
  const reads: ArgumentRead[] = [];
  const represents: { argument: string; path: readonly string[] }[] = [];
  let undecidable = false;
  const visit = (node: Parameters<typeof getDirective>[1], path: string[], type: unknown) => {
    if (getDirective(schema, node, 'represents')?.length) represents.push({ argument: path.join('.'), path });
    const target = getDirective(schema, node, 'reads')?.[0]?.field as string | undefined;
    if (target) {
      const info = fields.get(target);
      // A hub built without the source that owns the target type has no such read; what the argument
      // names is then still refused by any @represents beside it, or found by no lookup. Any other
      // unknown type is a mistake (a misspelt name would otherwise leave the argument undecided).
      if (!info && absentTypes.has(target.split('.')[0])) {
        undecidable = true;
        return;
      }
      if (!info || !info.onEntity) problems.push(`${rootName}(${path.join('.')}) @reads(field: "${target}"): not a field of an entity`);
      else reads.push({ argument: path.join('.'), path, field: info });
    }
    const named = getNamedType(type as never) as unknown as { getFields?: () => Record<string, { type: unknown; name: string }> };
    if (named && 'getFields' in named && typeof named.getFields === 'function' && !isObjectType(named)) {
      for (const inner of Object.values(named.getFields())) visit(inner as never, [...path, inner.name], inner.type);
    }
  };
  for (const arg of field.args) visit(arg, [arg.name], arg.type);
  return { reads, represents, undecidable };
}

function masksFor(field: GraphQLField<unknown, unknown>): Mask[] {
  const named = getNamedType(field.type).name;
  const scalar = !isListType(getNullableType(field.type)) && !isObjectType(getNamedType(field.type));
  const masks: Mask[] = ['NONE'];
  if (scalar && named === 'Date') masks.push('YEAR_ONLY');
  if (scalar && (named === 'String' || named === 'ID')) masks.push('PARTIAL', 'PRESENCE');
  return masks;
}

/** Applies a grant's mask to a value that left its resolver (SPEC §5). */
export function applyMask(mask: Mask, value: unknown): unknown {
  if (mask === 'NONE' || value === null || value === undefined) return value;
  const text = String(value);
  switch (mask) {
    case 'YEAR_ONLY':
      return text.slice(0, 4);
    case 'PARTIAL':
      return text.length <= 4 ? text : '*'.repeat(text.length - 4) + text.slice(-4);
    case 'PRESENCE':
      return 'present';
  }
}
