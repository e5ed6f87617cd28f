import { getNamedType, getNullableType, isListType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Classification } from '../graph/schema.js';

/**
 * Which department fields carry access decisions. Entities (Citizen, License,
 * Case) are about one citizen, their owner; every other department type is a
 * part of an entity (an Address, a CaseEvent) and is only reachable through a
 * field of that entity, whose decision covers it.
 */
export const ENTITY_OWNER: Readonly<Record<string, (row: any) => string>> = {
  Citizen: (c: { id: string }) => c.id,
  License: (l: { holderId: string }) => l.holderId,
  Case: (c: { applicantId: string }) => c.applicantId,
};

/** An entity's key: the caller already knows it (they asked by it), so it is never withheld on its own. */
export const ENTITY_KEY: Readonly<Record<string, string>> = { Citizen: 'id', License: 'number', Case: 'number' };

export const MASKS = ['NONE', 'YEAR_ONLY', 'PARTIAL', 'PRESENCE'] as const;
export type Mask = (typeof MASKS)[number];
export type GrantCondition = 'NONE' | 'ACTIVE_CASE';

export interface FieldInfo {
  /** `Type.field` */
  name: string;
  typeName: string;
  fieldName: string;
  level: Classification;
  /** True for fields of an entity type: decided per grant; parts inherit. */
  onEntity: boolean;
  /** True for PERSONAL and SENSITIVE fields of entities: the fields a steward grants. */
  grantable: boolean;
  /** Masks that keep the field's type (SPEC §5: masks change the value, never the type). */
  masks: readonly Mask[];
}

/** Every classified field with what access control needs to know about it. */
export function fieldCatalogue(schema: GraphQLSchema, classified: Map<string, Classification>): Map<string, FieldInfo> {
  const catalogue = new Map<string, FieldInfo>();
  for (const [name, level] of classified) {
    const [typeName, fieldName] = name.split('.');
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    const fieldType = type.getFields()[fieldName].type;
    const named = getNamedType(fieldType).name;
    const scalar = !isListType(getNullableType(fieldType)) && !isObjectType(getNamedType(fieldType));
    const masks: Mask[] = ['NONE'];
    if (scalar && named === 'Date') masks.push('YEAR_ONLY');
    if (scalar && (named === 'String' || named === 'ID')) masks.push('PARTIAL', 'PRESENCE');
    const onEntity = typeName in ENTITY_OWNER;
    catalogue.set(name, { name, typeName, fieldName, level, onEntity, grantable: onEntity && (level === 'PERSONAL' || level === 'SENSITIVE'), masks });
  }
  return catalogue;
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
