/**
 * The access matrix, generated from the schema: for each grantable field, a
 * query that reaches it on its own type (the entity asked by its key, or
 * reached through the fields that hold it) and where its value sits. Used by
 * the access suite (real reads) and by previewAccess's agreement test.
 */
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import type { FieldInfo } from '../../src/access/fields.js';

export interface MatrixWorld {
  /** The demo citizen's national ID, their license, an open case of theirs, and a case opened for an enterprise. */
  citizen: string;
  license: string;
  openCase: string;
  enterpriseCase: string;
  /** The demo citizen's company (seed DEMO.enterpriseId). */
  enterprise: string;
}

export function matrixQueries(schema: GraphQLSchema, world: MatrixWorld) {
  return function queryFor(field: FieldInfo): { query: string; at: string } {
    const type = schema.getType(field.typeName);
    if (!isObjectType(type)) throw new Error(field.name);
    const selection = isObjectType(getNamedType(type.getFields()[field.fieldName].type)) ? `${field.fieldName} { __typename }` : field.fieldName;
    const reach: Record<string, [string, string]> = {
      Citizen: [`citizen(id: "${world.citizen}") { %s }`, 'citizen'],
      License: [`license(number: "${world.license}") { %s }`, 'license'],
      Case: [`case(number: "${world.openCase}") { %s }`, 'case'],
      Household: [`citizen(id: "${world.citizen}") { household { %s } }`, 'citizen.household'],
      HouseholdMember: [`citizen(id: "${world.citizen}") { household { members { %s } } }`, 'citizen.household.members.0'],
      Enterprise: [`enterprise(id: "${world.enterprise}") { %s }`, 'enterprise'],
    };
    // A key asked by is echoed: reach the citizen's ID through a license instead.
    const [template, at] =
      field.name === 'Citizen.id'
        ? [`license(number: "${world.license}") { holder { %s } }`, 'license.holder']
        : field.name === 'Case.enterprise'
          ? [`case(number: "${world.enterpriseCase}") { %s }`, 'case']
          : reach[field.typeName];
    return { query: `{ ${template.replace('%s', selection)} }`, at: `${at}.${field.fieldName}` };
  };
}

/** The value at a dotted response path (`citizen.household.members.0.relation`). */
export const valueAt = (data: unknown, at: string) => at.split('.').reduce<any>((v, key) => (v === null || v === undefined ? v : v[key]), data);
