/**
 * SPEC §2: GET /schema.graphql serves the composed SDL, with its access
 * directives, to any authenticated caller in every mode; it is how client
 * tools get the schema where introspection is off (production).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildSchema, getIntrospectionQuery } from 'graphql';
import { citizenHeaders, startTestHub, STEWARD, type TestHub } from './setup/hub.js';

let production: TestHub;

beforeAll(async () => {
  production = await startTestHub({ NODE_ENV: 'production' });
});
afterAll(async () => {
  await production?.close();
});

const get = (headers: Record<string, string> = {}) => production.hub.app.inject({ method: 'GET', url: '/schema.graphql', headers });

describe('GET /schema.graphql', () => {
  it('answers any authenticated caller (consumer key, steward, citizen) with the same SDL, even where introspection is off', async () => {
    const desk = { authorization: `Bearer ${inject('demoKeys')['licensing-desk']}` };
    const introspection = await production.graphql(getIntrospectionQuery(), {}, desk);
    expect(introspection.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const answers = await Promise.all([get(desk), get(STEWARD), get(await citizenHeaders('610113198807150016'))]);
    for (const res of answers) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/graphql; charset=utf-8');
      expect(res.body).toBe(answers[0].body);
    }
    const sdl = answers[0].body;
    // The access declarations are part of it: a department sees what is personal before asking for a grant.
    expect(sdl).toMatch(/type Citizen @entity\(key: "id", citizen: "id"\)/);
    expect(sdl).toMatch(/phone: String @classified\(level: PERSONAL\)/);
    expect(sdl).toContain('hasPreviousPage: Boolean!');
    // It is a whole schema a tool can build.
    const built = buildSchema(sdl);
    expect(Object.keys(built.getQueryType()!.getFields())).toEqual(expect.arrayContaining(['citizen', 'citizens', 'cases', 'prefill', 'enterprise']));
  });

  it('refuses a caller without valid credentials with 401 UNAUTHENTICATED, and tells nothing of the schema', async () => {
    for (const headers of [{}, { authorization: 'Bearer ogk_not-a-key' }, { authorization: 'Basic abc' }] as Record<string, string>[]) {
      const res = await get(headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(res.body).not.toContain('Citizen');
    }
  });
});
