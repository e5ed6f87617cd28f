import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Lexer, Source, TokenKind, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config } from '../config.js';
import { QueryTooComplexError } from '../errors.js';

type LimitsConfig = Pick<Config, 'NODE_ENV' | 'LIMIT_DEPTH' | 'LIMIT_ALIASES' | 'LIMIT_DIRECTIVES' | 'LIMIT_COST' | 'LIMIT_REPEATED_FIELDS'>;

/** graphql-armor reports "… limit of N exceeded, found M." — keep the numbers, use our code and wording. */
function reject(limit: string, max: number) {
  return (ctx: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+(?:\.\d+)?)/.exec(error.message)?.[1];
    ctx?.reportError(new QueryTooComplexError(limit, max, found === undefined ? null : Math.round(Number(found))));
  };
}

/**
 * Operation limits (SPEC §7), checked in validation, before any resolver
 * runs: graphql-armor for depth, aliases, directives and cost, plus a rule
 * against one field repeated many times (graphql-armor lets 500 repeated
 * `__typename` through). Tokens are limited by the parser (`parseOptions`).
 */
export function operationLimits(config: LimitsConfig): { plugins: ApolloServerPlugin[]; validationRules: ValidationRule[] } {
  const armor = new ApolloArmor({
    maxDepth: { n: config.LIMIT_DEPTH, propagateOnRejection: false, onReject: [reject('depth', config.LIMIT_DEPTH)], exposeLimits: true, flattenFragments: true },
    maxAliases: { n: config.LIMIT_ALIASES, propagateOnRejection: false, onReject: [reject('aliases', config.LIMIT_ALIASES)], exposeLimits: true },
    maxDirectives: { n: config.LIMIT_DIRECTIVES, propagateOnRejection: false, onReject: [reject('directives', config.LIMIT_DIRECTIVES)], exposeLimits: true },
    costLimit: {
      maxCost: config.LIMIT_COST,
      // __typename and introspection count like any field: they cost the server the same.
      ignoreIntrospection: false,
      propagateOnRejection: false,
      onReject: [reject('cost', config.LIMIT_COST)],
      exposeLimits: true,
    },
    maxTokens: { enabled: false },
    // Suggestions ("did you mean …") tell an attacker the schema: off where introspection is off.
    blockFieldSuggestion: { enabled: config.NODE_ENV === 'production' },
  });
  const { plugins, validationRules } = armor.protect();
  // graphql-armor is typed against Apollo's CommonJS build; the plugin objects are the same at run time.
  return { plugins: plugins as unknown as ApolloServerPlugin[], validationRules: [...validationRules, repeatedFieldsRule(config.LIMIT_REPEATED_FIELDS)] };
}

/** Rejects a selection set that selects the same field more than `max` times (field duplication attacks). */
export function repeatedFieldsRule(max: number): ValidationRule {
  return (context) => ({
    SelectionSet(node) {
      const counts = new Map<string, number>();
      for (const selection of node.selections) {
        if (selection.kind !== 'Field') continue;
        const n = (counts.get(selection.name.value) ?? 0) + 1;
        counts.set(selection.name.value, n);
        if (n === max + 1) context.reportError(new QueryTooComplexError(`repeated field (${selection.name.value})`, max, null));
      }
    },
  });
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
