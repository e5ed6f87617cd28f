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
  /** A case rated 1 or 2, so that it has a follow-up. */
  ratedCase: string;
}

/** A case of the seed with a rating, its comment and its follow-up (every rating of 1 or 2 opens one): every grantable field of both has a value. */
export const RATED_CASE_SQL = `select f.case_number as number from cases.rating_follow_ups f join cases.case_ratings r on r.case_number = f.case_number
  where r.comment is not null order by f.case_number limit 1`;

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
      CaseRating: [`case(number: "${world.ratedCase}") { rating { %s } }`, 'case.rating'],
      RatingFollowUp: [`case(number: "${world.ratedCase}") { rating { followUp { %s } } }`, 'case.rating.followUp'],
    };
    // A key asked by is echoed: reach the citizen's ID through a license instead; a case's enterprise and rating through cases that have one.
    const [template, at] =
      field.name === 'Citizen.id'
        ? [`license(number: "${world.license}") { holder { %s } }`, 'license.holder']
        : field.name === 'Case.enterprise'
          ? [`case(number: "${world.enterpriseCase}") { %s }`, 'case']
          : field.name === 'Case.rating'
            ? [`case(number: "${world.ratedCase}") { %s }`, 'case']
          : (reach[field.typeName] ?? invariantReach(field.typeName));
    return { query: `{ ${template.replace('%s', selection)} }`, at: `${at}.${field.fieldName}` };
  };
}

/** The value at a dotted response path (`citizen.household.members.0.relation`). */
export const valueAt = (data: unknown, at: string) => at.split('.').reduce<any>((v, key) => (v === null || v === undefined ? v : v[key]), data);

function invariantReach(typeName: string): never {
  throw new Error(`the access matrix does not know how to reach ${typeName}: add it to matrixQueries`);
}
