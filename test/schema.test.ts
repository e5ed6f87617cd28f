import { describe, expect, it } from 'vitest';
import { isEnumType, isInputObjectType, isNonNullType, isObjectType } from 'graphql';
import { buildHubSchema, loadTypeDefs } from '../src/graph/schema.js';

describe('the graph schema', () => {
  const { schema, classified } = buildHubSchema();

  it('classifies every field of every department type', () => {
    for (const typeName of ['Citizen', 'Address', 'Household', 'License', 'Case', 'CaseEvent', 'Service', 'DataItem']) {
      const type = schema.getType(typeName);
      expect(isObjectType(type), typeName).toBe(true);
      if (!isObjectType(type)) continue;
      for (const field of Object.keys(type.getFields())) expect(classified.has(`${typeName}.${field}`), `${typeName}.${field}`).toBe(true);
    }
  });

  it('describes every type, field, argument and input field (what client tools and schema linters show)', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInputObjectType(type) || isEnumType(type))) continue;
      if (!type.description) missing.push(type.name);
      if (isEnumType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('refuses to build when a department field has no classification, naming it', () => {
    const typeDefs = loadTypeDefs();
    typeDefs.push({ file: 'registry.graphql', sdl: 'extend type Citizen { shoeSize: Int }' });
    expect(() => buildHubSchema(typeDefs)).toThrow(/Citizen\.shoeSize/);
  });

  it('never classifies personal contact or identity data as PUBLIC or INTERNAL', () => {
    for (const field of ['name', 'birthDate', 'sex', 'address', 'phone', 'email', 'household', 'status', 'licenses', 'cases']) {
      expect(['PERSONAL', 'SENSITIVE'], `Citizen.${field}`).toContain(classified.get(`Citizen.${field}`));
    }
    expect(classified.get('Citizen.household')).toBe('SENSITIVE');
    expect(classified.get('License.holder')).toBe('PERSONAL');
    expect(classified.get('Case.applicant')).toBe('PERSONAL');
    expect(classified.get('License.status')).toBe('PUBLIC');
  });

  it('keeps every field that can be denied nullable, so a denial does not null its parent', () => {
    for (const [name, level] of classified) {
      if (level === 'PUBLIC') continue;
      const [typeName, fieldName] = name.split('.');
      const type = schema.getType(typeName);
      if (!isObjectType(type)) continue;
      const field = type.getFields()[fieldName];
      // Keys (Citizen.id, Case.number, Household.id) are never denied on their own: the caller supplied them.
      if (['id', 'number', 'code'].includes(fieldName)) continue;
      if (level === 'INTERNAL') continue;
      expect(isNonNullType(field.type), name).toBe(false);
    }
  });

  it('describes every type and field for a data steward', () => {
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) undocumented.push(type.name);
      if (isObjectType(type)) for (const f of Object.values(type.getFields())) if (!f.description) undocumented.push(`${type.name}.${f.name}`);
    }
    expect(undocumented).toEqual([]);
  });
});
