/**
 * The GraphQL operations the README shows, read from README.md itself, so
 * that the client tests run what a reader copies and the README cannot drift
 * from the schema.
 */
import { readFileSync } from 'node:fs';
import { Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The ```graphql blocks of the README, as one document of named operations. */
export function readmeOperations(): DocumentNode {
  const blocks = [...README.matchAll(/^```graphql\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  if (blocks.length === 0) throw new Error('README.md has no ```graphql block');
  return parse(blocks.join('\n'));
}

/** One named operation of the README's ```graphql blocks, alone in its document. */
export function readmeOperation(name: string): DocumentNode {
  const operation = readmeOperations().definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name);
  if (!operation) throw new Error(`README.md shows no operation named ${name}`);
  return { kind: Kind.DOCUMENT, definitions: [operation] };
}

/**
 * The operations inside the README's shell examples: each `"query": "…"` (the
 * JSON bodies of curl and jq), as the JSON string the shell sends.
 */
export function readmeShellQueries(): string[] {
  const shell = [...README.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]).join('\n');
  return [...shell.matchAll(/"?query"?\s*:\s*("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string);
}

/** The README's ```ts blocks that import from `module`. */
export function readmeTypeScript(module: string): string[] {
  return [...README.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]).filter((block) => block.includes(`from '${module}'`));
}
