import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { getDirective } from '@graphql-tools/utils';
import {
  getIntrospectionQuery,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  Lexer,
  parse,
  SchemaMetaFieldDef,
  Source,
  TokenKind,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Config } from '../config.js';
import { ErrorCode, QueryTooComplexError } from '../errors.js';

type LimitsConfig = Pick<Config, 'NODE_ENV' | 'LIMIT_DEPTH' | 'LIMIT_ALIASES' | 'LIMIT_DIRECTIVES' | 'LIMIT_COST' | 'LIMIT_REPEATED_FIELDS' | 'LIMIT_PAGE_SIZE'>;

/** graphql-armor reports "… limit of N exceeded, found M." — keep the numbers, use our code and wording. */
function reject(limit: string, max: number) {
  return (ctx: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+(?:\.\d+)?)/.exec(error.message)?.[1];
    ctx?.reportError(new QueryTooComplexError(limit, max, found === undefined ? null : Math.round(Number(found))));
  };
}

/**
 * Operation limits (SPEC §7), checked in validation, before any resolver
 * runs: graphql-armor for depth, aliases and directives; our own rules for
 * cost (graphql-armor 3.2's cost limit has no per-field weights, and counts a
 * fragment spread as one more level) and for one field repeated many times
 * (graphql-armor lets 500 repeated `__typename` through) and for the depth
 * of introspection (graphql-armor's depth limit skips `__schema`, so that
 * the standard introspection query, 15 levels deep, passes a limit of 8).
 * Every limit counts fields after fragments are expanded. Tokens are limited
 * by the parser (`parseOptions`). The plugins answer an operation over a
 * limit with that limit's error alone, and introspection in production with
 * where to get the schema instead.
 */
export function operationLimits(config: LimitsConfig): { plugins: ApolloServerPlugin[]; validationRules: ValidationRule[] } {
  const armor = new ApolloArmor({
    maxDepth: { n: config.LIMIT_DEPTH, propagateOnRejection: false, onReject: [reject('depth', config.LIMIT_DEPTH)], exposeLimits: true, flattenFragments: true },
    maxAliases: { n: config.LIMIT_ALIASES, propagateOnRejection: false, onReject: [reject('aliases', config.LIMIT_ALIASES)], exposeLimits: true },
    maxDirectives: { n: config.LIMIT_DIRECTIVES, propagateOnRejection: false, onReject: [reject('directives', config.LIMIT_DIRECTIVES)], exposeLimits: true },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    // Suggestions ("did you mean …") tell an attacker the schema: off where introspection is off.
    blockFieldSuggestion: { enabled: config.NODE_ENV === 'production' },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    // graphql-armor is typed against Apollo's CommonJS build; the plugin objects are the same at run time.
    plugins: [...(plugins as unknown as ApolloServerPlugin[]), limitAnswers()],
    validationRules: [
      ...validationRules,
      costRule(config.LIMIT_COST, config.LIMIT_PAGE_SIZE),
      repeatedFieldsRule(config.LIMIT_REPEATED_FIELDS),
      introspectionDepthRule(STANDARD_INTROSPECTION_DEPTH),
    ],
  };
}

/**
 * How refusals by the limits read, rewritten once before the response leaves:
 * - an operation over a limit is answered with that limit's error and nothing
 *   else: not one more error per offending node (ten unknown directives are one
 *   directive-limit error, not eleven errors), and one error per limit however
 *   many operations or selections broke it;
 * - SPEC §2, §7: introspection is off in production, where client tools get the
 *   schema from `GET /schema.graphql`. Apollo's refusal tells a caller to change
 *   the server's configuration; ours tells them where the schema is. Same code
 *   (`GRAPHQL_VALIDATION_FAILED`, `INTROSPECTION_DISABLED`), new message.
 */
export function limitAnswers(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors) return;
          const errors = result.errors as { message: string; extensions?: Record<string, unknown> }[];
          if (errors.some((e) => e.extensions?.code === ErrorCode.QUERY_TOO_COMPLEX)) {
            const limits = new Set<unknown>();
            (result as { errors?: unknown[] }).errors = errors.filter((e) => {
              if (e.extensions?.code !== ErrorCode.QUERY_TOO_COMPLEX || limits.has(e.extensions.limit)) return false;
              limits.add(e.extensions.limit);
              return true;
            });
          } else if (errors.some((e) => e.extensions?.validationErrorCode === 'INTROSPECTION_DISABLED')) {
            (result as { errors?: unknown[] }).errors = errors.map((e) => (e.extensions?.validationErrorCode === 'INTROSPECTION_DISABLED' ? { ...e, message: INTROSPECTION_OFF_MESSAGE } : e));
          }
        },
      };
    },
  };
}

export const INTROSPECTION_OFF_MESSAGE =
  'Introspection is off in production. Client tools get the schema, with its access directives, from GET /schema.graphql with the same Authorization header.';

/** How deep `__schema` and `__type` selections count: from the meta-field down, fragments expanded. */
function introspectionDepthOf(selections: SelectionSetNode, fragmentOf: (name: string) => { selectionSet: SelectionSetNode } | null | undefined): number {
  const depths = new Map<string, number>();
  const expanding = new Set<string>();
  const depth = (set: SelectionSetNode): number => {
    let deepest = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) deepest = Math.max(deepest, 1 + (selection.selectionSet ? depth(selection.selectionSet) : 0));
      else if (selection.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depth(selection.selectionSet));
      else deepest = Math.max(deepest, fragmentDepth(selection.name.value));
    }
    return deepest;
  };
  const fragmentDepth = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    const fragment = fragmentOf(name);
    // A cycle or an unknown fragment: graphql's own validation rules report those.
    if (!fragment || expanding.has(name)) return 0;
    expanding.add(name);
    const d = depth(fragment.selectionSet);
    expanding.delete(name);
    depths.set(name, d);
    return d;
  };
  return depth(selections);
}

/**
 * The depth of the standard introspection query (graphql-js
 * `getIntrospectionQuery()` with every option GraphiQL 5 and codegen tools
 * turn on, and its default type depth): what client tools send, and the most
 * introspection may nest. Measured, not written down, so it follows graphql-js.
 */
export const STANDARD_INTROSPECTION_DEPTH: number = (() => {
  const document: DocumentNode = parse(
    getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true }),
  );
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  return introspectionDepthOf(operation.selectionSet, (name) => fragments.get(name));
})();

/**
 * Bounds introspection in development: graphql-armor's depth limit skips
 * `__schema` (the standard query is deeper than the limit for data), and
 * graphql-js's own rule bounds only `fields`/`interfaces`/`possibleTypes`
 * nesting, so a `__schema` or `__type` selection deeper than the standard
 * introspection query (an `ofType` chain 20 levels down) is refused here.
 */
export function introspectionDepthRule(max: number): ValidationRule {
  return (context) => {
    let reported = false;
    return {
      Field(node) {
        if (reported || (node.name.value !== SchemaMetaFieldDef.name && node.name.value !== TypeMetaFieldDef.name) || !node.selectionSet) return;
        const found = 1 + introspectionDepthOf(node.selectionSet, (name) => context.getFragment(name));
        if (found <= max) return;
        reported = true;
        context.reportError(new QueryTooComplexError('introspection depth', max, found));
      },
    };
  };
}

/** What a field costs when its definition declares no `@cost`: graphql-armor's defaults. */
const OBJECT_COST = 2;
const LEAF_COST = 1;
/** Each level of nesting multiplies what lies under it (graphql-armor's depth cost factor). */
const DEPTH_FACTOR = 1.5;

const declaredWeights = new WeakMap<GraphQLField<unknown, unknown>, number | null>();

/** The `@cost(weight:)` a field definition declares (schema/hub.graphql), or null. */
function declaredWeight(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): number | null {
  let weight = declaredWeights.get(field);
  if (weight === undefined) {
    weight = (getDirective(schema, field, 'cost')?.[0]?.weight as number | undefined) ?? null;
    declaredWeights.set(field, weight);
  }
  return weight;
}

/** The definition of a field selected on `parent`, meta-fields included; undefined when unknown (validation reports it). */
function fieldDefinition(schema: GraphQLSchema, parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === SchemaMetaFieldDef.name && parent === schema.getQueryType()) return SchemaMetaFieldDef;
  if (name === TypeMetaFieldDef.name && parent === schema.getQueryType()) return TypeMetaFieldDef;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/**
 * The cost limit (SPEC §7): each field costs its `@cost` weight, or 2 with a
 * selection and 1 without; what is selected under a field costs 1.5× per
 * level; `first`/`last` multiply a field by the page asked for (a variable by
 * the largest page, since its value is not known in validation). Fragments
 * are expanded where they are spread: the same fields cost the same whether
 * written in place or in a fragment. Introspection counts like any field; the
 * standard introspection query (`getIntrospectionQuery()`) costs about 11,300.
 */
export function costRule(max: number, largestPage: number): ValidationRule {
  return (context) => {
    const schema = context.getSchema();
    // A fragment costs the same wherever it is spread (its type condition fixes its fields): computed once.
    const fragmentCosts = new Map<string, number>();
    const expanding = new Set<string>();

    const multiplierOf = (field: FieldNode): number => {
      const page = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last')?.value;
      if (page?.kind === Kind.INT) return Math.max(1, Number(page.value));
      return page?.kind === Kind.VARIABLE ? largestPage : 1;
    };

    const selectionCost = (selections: SelectionSetNode, parent: GraphQLNamedType | undefined): number => {
      let cost = 0;
      for (const selection of selections.selections) {
        if (selection.kind === Kind.FIELD) {
          const definition = fieldDefinition(schema, parent, selection.name.value);
          const own = (definition && declaredWeight(schema, definition)) ?? (selection.selectionSet ? OBJECT_COST : LEAF_COST);
          const below = selection.selectionSet ? DEPTH_FACTOR * selectionCost(selection.selectionSet, definition && getNamedType(definition.type)) : 0;
          cost += (own + below) * multiplierOf(selection);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          cost += selectionCost(selection.selectionSet, condition);
        } else {
          cost += fragmentCost(selection.name.value);
        }
      }
      return cost;
    };

    const fragmentCost = (name: string): number => {
      const known = fragmentCosts.get(name);
      if (known !== undefined) return known;
      const fragment = context.getFragment(name);
      // A cycle or an unknown fragment: graphql's own validation rules report those.
      if (!fragment || expanding.has(name)) return 0;
      expanding.add(name);
      const cost = selectionCost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      expanding.delete(name);
      fragmentCosts.set(name, cost);
      return cost;
    };

    return {
      OperationDefinition(operation) {
        const cost = selectionCost(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
        if (cost > max) context.reportError(new QueryTooComplexError('cost', max, Math.round(cost)));
      },
    };
  };
}

/**
 * Rejects a selection that selects the same field more than `max` times
 * (field duplication attacks), counting the fields of each selection set
 * after its fragment spreads and inline fragments are expanded.
 */
export function repeatedFieldsRule(max: number): ValidationRule {
  return (context) => {
    // The fields a fragment adds to the selection it is spread in, by name: counted once per fragment.
    const fragmentFields = new Map<string, Map<string, number>>();
    const expanding = new Set<string>();
    let reported = false;

    const countInto = (counts: Map<string, number>, selections: SelectionSetNode): void => {
      for (const selection of selections.selections) {
        if (selection.kind === Kind.FIELD) counts.set(selection.name.value, (counts.get(selection.name.value) ?? 0) + 1);
        else if (selection.kind === Kind.INLINE_FRAGMENT) countInto(counts, selection.selectionSet);
        else for (const [name, n] of fieldsOfFragment(selection.name.value)) counts.set(name, (counts.get(name) ?? 0) + n);
      }
    };

    const fieldsOfFragment = (name: string): Map<string, number> => {
      const known = fragmentFields.get(name);
      if (known) return known;
      const counts = new Map<string, number>();
      const fragment = context.getFragment(name);
      // A cycle or an unknown fragment: graphql's own validation rules report those.
      if (!fragment || expanding.has(name)) return counts;
      expanding.add(name);
      countInto(counts, fragment.selectionSet);
      expanding.delete(name);
      fragmentFields.set(name, counts);
      return counts;
    };

    return {
      SelectionSet(node) {
        if (reported) return;
        const counts = new Map<string, number>();
        countInto(counts, node);
        for (const [name, n] of counts) {
          if (n <= max) continue;
          reported = true;
          context.reportError(new QueryTooComplexError(`repeated field (${name})`, max, n));
          return;
        }
      },
    };
  };
}

/** The number of tokens in an operation, for the message of a token-limit rejection. */
export function countTokens(query: string): number {
  const lexer = new Lexer(new Source(query));
  let n = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) n++;
  } catch {
    // a lexing error ends the count: the operation is rejected either way
  }
  return n;
}
