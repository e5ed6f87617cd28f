/**
 * SPEC §2, §7 (issue 14, part 1): in development the standard introspection
 * query, as graphql-js, GraphiQL 5 and codegen tools send it, works for any
 * authenticated caller; it stays bounded (introspection deeper than the
 * standard query is refused); in production it is refused with a message
 * that names GET /schema.graphql.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import { STANDARD_INTROSPECTION_DEPTH } from '../../src/graph/limits.js';
import { citizenHeaders, startTestHub, STEWARD, type TestHub } from '../setup/hub.js';

const DEMO_CITIZEN = '610113198807150016';
/** The options GraphiQL 5 turns on (its schema fetcher), beside graphql-js's defaults. */
const GRAPHIQL_OPTIONS = { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true };

let dev: TestHub;
let production: TestHub;
let callers: [string, Record<string, string>][];

beforeAll(async () => {
  [dev, production] = await Promise.all([startTestHub(), startTestHub({ NODE_ENV: 'production' })]);
  callers = [
    ['a consumer API key (licensing-desk)', { authorization: `Bearer ${inject('demoKeys')['licensing-desk']}` }],
    ['a citizen JWT', await citizenHeaders(DEMO_CITIZEN)],
    ['a steward', STEWARD],
  ];
});
afterAll(async () => {
  await Promise.all([dev?.close(), production?.close()]);
});

/** `{ __schema { types { ofType { … { name } } } } }`, `levels` fields deep counting `__schema` and `name`. */
function ofTypeChain(levels: number): string {
  let selection = 'name';
  for (let i = 0; i < levels - 3; i++) selection = `ofType { ${selection} }`;
  return `{ __schema { types { ${selection} } } }`;
}

describe('introspection in development', () => {
  it('the standard introspection query, plain and with the options GraphiQL 5 sends, answers every kind of caller with the whole schema', async () => {
    for (const [who, headers] of callers) {
      for (const options of [{}, GRAPHIQL_OPTIONS]) {
        const res = await dev.graphql<IntrospectionQuery>(getIntrospectionQuery(options), {}, headers);
        const label = `${who}, ${JSON.stringify(options)}`;
        expect(res.status, label).toBe(200);
        expect(res.body.errors, label).toBeUndefined();
        // A client builds the same schema from it whoever asks: introspection shows structure, not data or policy.
        const schema = buildClientSchema(res.body.data!);
        expect(schema.getQueryType()?.name, label).toBe('Query');
        expect(Object.keys(schema.getQueryType()!.getFields()), label).toEqual(expect.arrayContaining(['citizen', 'license', 'case', 'cases', 'enterprise', 'prefill']));
        expect(printSchema(schema), label).toContain('hasPreviousPage: Boolean!');
        if (options === GRAPHIQL_OPTIONS) {
          expect(schema.getType('Citizen')?.description, label).toBeTruthy();
          expect(schema.getQueryType()!.getFields().citizen.args[0].description, label).toBeTruthy();
        }
      }
    }
    // Every caller got the same schema.
    const [first, ...rest] = await Promise.all(callers.map(async ([, headers]) => JSON.stringify((await dev.graphql(getIntrospectionQuery(GRAPHIQL_OPTIONS), {}, headers)).body)));
    for (const other of rest) expect(other).toBe(first);
  });

  it('stays bounded: introspection one level deeper than the standard query, or 20 levels deep, is QUERY_TOO_COMPLEX', async () => {
    expect(STANDARD_INTROSPECTION_DEPTH).toBe(15);
    const atLimit = await dev.graphql(ofTypeChain(STANDARD_INTROSPECTION_DEPTH), {}, STEWARD);
    expect(atLimit.body.errors).toBeUndefined();
    expect(atLimit.body.data.__schema.types.length).toBeGreaterThan(50);

    for (const levels of [STANDARD_INTROSPECTION_DEPTH + 1, 20]) {
      const res = await dev.graphql(ofTypeChain(levels), {}, STEWARD);
      expect(res.status, `${levels}`).toBe(400);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors).toEqual([
        {
          message: `The operation is over the introspection depth limit of ${STANDARD_INTROSPECTION_DEPTH} (found ${levels}); split it into smaller operations.`,
          extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'introspection depth', max: STANDARD_INTROSPECTION_DEPTH, found: levels },
        },
      ]);
    }
  });

  it('counts introspection depth after fragments are expanded: 20 levels written as a chain of fragments are refused', async () => {
    const fragments = Array.from({ length: 17 }, (_, i) => `fragment T${i} on __Type { ofType { ${i === 16 ? 'name' : `...T${i + 1}`} } }`).join(' ');
    const res = await dev.graphql(`{ ...S } fragment S on Query { __schema { types { ...T0 } } } ${fragments}`, {}, callers[0][1]);
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'introspection depth', max: STANDARD_INTROSPECTION_DEPTH, found: 20 }]);
  });

  it('__type nests no deeper than data: the depth limit of 8 applies to it', async () => {
    const res = await dev.graphql(`{ __type(name: "Citizen") { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } }`, {}, STEWARD);
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.extensions?.limit)).toEqual(['depth']);
  });
});

describe('introspection in production', () => {
  it('is refused for every caller, plain or as GraphiQL sends it, with a message that says where the schema is', async () => {
    for (const [who, headers] of callers) {
      for (const options of [{}, GRAPHIQL_OPTIONS]) {
        const res = await production.graphql(getIntrospectionQuery(options), {}, headers);
        expect(res.status, who).toBe(400);
        expect(res.body.data ?? null, who).toBeNull();
        expect(res.body.errors?.map(({ message, extensions }) => ({ message, extensions })), who).toEqual([
          {
            message: 'Introspection is off in production. Client tools get the schema, with its access directives, from GET /schema.graphql with the same Authorization header.',
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED', validationErrorCode: 'INTROSPECTION_DISABLED' },
          },
        ]);
        expect(JSON.stringify(res.body), who).not.toContain('Citizen');
      }
    }
    // Where it points works, for the same credentials.
    const sdl = await production.hub.app.inject({ method: 'GET', url: '/schema.graphql', headers: callers[0][1] });
    expect(sdl.statusCode).toBe(200);
    expect(sdl.body).toContain('type Citizen');
  });
});
