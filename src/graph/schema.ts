import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { getDirective } from '@graphql-tools/utils';
import { isObjectType, parse, type GraphQLSchema } from 'graphql';
import { hubResolvers } from '../hub/resolvers.js';
import { registryResolvers } from '../sources/registry/index.js';
import { licensingResolvers } from '../sources/licensing/index.js';
import { casesResolvers } from '../sources/cases/index.js';
import { linkResolvers } from './links.js';
import { auditResolvers } from '../audit/resolvers.js';
import { onceOnlyResolvers } from '../onceonly/resolvers.js';
import { DateScalar, DateTimeScalar } from './scalars.js';
import { fieldCatalogue, type FieldInfo } from '../access/fields.js';
import { applyAccessControl } from '../access/transform.js';

const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));

export const CLASSIFICATION_LEVELS = ['PUBLIC', 'INTERNAL', 'PERSONAL', 'SENSITIVE'] as const;
export type Classification = (typeof CLASSIFICATION_LEVELS)[number];

/** The SDL files: hub.graphql first (it declares Query and the directive), then one per source. */
export function loadTypeDefs(dir = SCHEMA_DIR): { file: string; sdl: string }[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.graphql'));
  files.sort((a, b) => (a === 'hub.graphql' ? -1 : b === 'hub.graphql' ? 1 : a.localeCompare(b)));
  return files.map((file) => ({ file, sdl: readFileSync(path.join(dir, file), 'utf8') }));
}

/** The SDL files of department sources; every other file (hub.graphql, onceonly.graphql) is the hub's own. */
const DEPARTMENT_FILES = new Set(['registry.graphql', 'licensing.graphql', 'cases.graphql']);

/** Object types a department source declares: their fields carry @classified. */
function departmentTypes(typeDefs: { file: string; sdl: string }[]): Set<string> {
  const names = new Set<string>();
  for (const { file, sdl } of typeDefs) {
    if (!DEPARTMENT_FILES.has(file)) continue;
    for (const def of parse(sdl).definitions) {
      if (def.kind === 'ObjectTypeDefinition' || (def.kind === 'ObjectTypeExtension' && def.name.value !== 'Query' && def.name.value !== 'Mutation')) names.add(def.name.value);
    }
  }
  return names;
}

/** The classification of `Type.field`, or undefined when it has none. */
export function classificationOf(schema: GraphQLSchema, typeName: string, fieldName: string): Classification | undefined {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return undefined;
  const field = type.getFields()[fieldName];
  if (!field) return undefined;
  return getDirective(schema, field, 'classified')?.[0]?.level as Classification | undefined;
}

/**
 * SPEC §4: every field of a department type is classified. Returns the
 * department fields (`Type.field`) with their level; throws naming every
 * field that has none.
 */
export function checkClassification(schema: GraphQLSchema, departmentTypeNames: Set<string>): Map<string, Classification> {
  const levels = new Map<string, Classification>();
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !departmentTypeNames.has(type.name)) continue;
    // Connection plumbing carries no data of its own; its nodes are classified.
    if (/(Connection|Edge)$/.test(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      const level = classificationOf(schema, type.name, field.name);
      if (level) levels.set(`${type.name}.${field.name}`, level);
      else missing.push(`${type.name}.${field.name}`);
    }
  }
  if (missing.length > 0) {
    throw new Error(`Schema build failed: every field of a department type needs @classified(level: ...). Missing on: ${missing.join(', ')}`);
  }
  return levels;
}

export interface HubSchema {
  /** The executable schema, with access control applied to every field. */
  schema: GraphQLSchema;
  /** Every department field (`Citizen.phone`) and its classification. */
  classified: Map<string, Classification>;
  /** Every classified field with its access facts (grantable, masks that fit). */
  catalogue: Map<string, FieldInfo>;
}

export function buildHubSchema(typeDefs = loadTypeDefs()): HubSchema {
  const schema = makeExecutableSchema({
    typeDefs: typeDefs.map((t) => t.sdl),
    resolvers: [{ Date: DateScalar, DateTime: DateTimeScalar }, hubResolvers, registryResolvers, licensingResolvers, casesResolvers, linkResolvers, auditResolvers, onceOnlyResolvers],
  });
  const classified = checkClassification(schema, departmentTypes(typeDefs));
  const catalogue = fieldCatalogue(schema, classified);
  return { schema: applyAccessControl(schema, catalogue), classified, catalogue };
}
