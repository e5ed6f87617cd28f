import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { Kind, parse, type GraphQLSchema } from 'graphql';
import { hubResolvers } from '../hub/resolvers.js';
import { DEPARTMENT_SOURCES, type AnySource } from '../sources/index.js';
import { LINKS } from './links.js';
import type { IResolvers } from '@graphql-tools/utils';
import { auditResolvers } from '../audit/resolvers.js';
import { onceOnlyResolvers } from '../onceonly/resolvers.js';
import { governanceResolvers } from '../governance/resolvers.js';
import { evaluationResolvers } from '../evaluation/resolvers.js';
import { DateScalar, DateTimeScalar } from './scalars.js';
import { readDeclarations, type Classification, type Declarations, type FieldInfo } from '../access/fields.js';
import { applyAccessControl } from '../access/transform.js';

const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));

export { CLASSIFICATION_LEVELS, type Classification } from '../access/fields.js';

/** The SDL files: hub.graphql first (it declares Query and the directives), then every other file. */
export function loadTypeDefs(dir = SCHEMA_DIR): { file: string; sdl: string }[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.graphql'));
  files.sort((a, b) => (a === 'hub.graphql' ? -1 : b === 'hub.graphql' ? 1 : a.localeCompare(b)));
  return files.map((file) => ({ file, sdl: readFileSync(path.join(dir, file), 'utf8') }));
}

/** Object types a set of SDL files defines (not those they only extend). */
function typesDeclaredIn(files: readonly { sdl: string }[]): Set<string> {
  const names = new Set<string>();
  for (const { sdl } of files) for (const definition of parse(sdl).definitions) if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) names.add(definition.name.value);
  return names;
}

export interface HubSchema {
  /** The executable schema, with access control applied to every field. */
  schema: GraphQLSchema;
  /** Every classified field (`Citizen.phone`) and its level; fields decided by @allow are not here. */
  classified: Map<string, Classification>;
  /** Every field of every object type with its access facts (level or roles, holder, grantable, masks). */
  catalogue: Map<string, FieldInfo>;
  /** The access declarations the transform applied (argument reads, lookups). */
  declarations: Declarations;
}

/**
 * Builds the executable schema of the given sources (default: every declared
 * one): the hub's own SDL and one file per source, their resolvers, and the
 * links between sources that are all present. Access control is applied to
 * every field.
 */
export function buildHubSchema(typeDefs = loadTypeDefs(), sources: readonly AnySource[] = DEPARTMENT_SOURCES): HubSchema {
  const present = new Set(sources.map((s) => s.name));
  const absentFiles = new Set(DEPARTMENT_SOURCES.filter((s) => !present.has(s.name)).map((s) => s.schemaFile));
  const schema = makeExecutableSchema({
    typeDefs: typeDefs.filter((t) => !absentFiles.has(t.file)).map((t) => t.sdl),
    resolvers: [
      { Date: DateScalar, DateTime: DateTimeScalar },
      hubResolvers,
      ...sources.map((s) => s.resolvers),
      ...LINKS.filter((link) => link.between.every((name) => present.has(name))).map((link) => link.resolvers),
      auditResolvers,
      onceOnlyResolvers,
      governanceResolvers,
      evaluationResolvers,
    ] as IResolvers[],
  });
  // Deny by construction: a field without a declaration fails here, naming it.
  const declarations = readDeclarations(schema, typesDeclaredIn(typeDefs.filter((t) => absentFiles.has(t.file))));
  const catalogue = declarations.fields;
  const classified = new Map([...catalogue.values()].filter((f) => f.level !== null).map((f) => [f.name, f.level!]));
  return { schema: applyAccessControl(schema, declarations), classified, catalogue, declarations };
}
