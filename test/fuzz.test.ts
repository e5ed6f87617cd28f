/**
 * Property-based fuzzing (issue 5): random and mutated operations, variables
 * and headers never make the hub answer 500 or crash, and never make it
 * return a field the caller has no grant for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { createReader, startTestHub, type TestHub } from './setup/hub.js';
import { buildHubSchema } from '../src/graph/schema.js';

const DEMO = '610113198807150016';
const GRANTED = new Set(['Citizen.name', 'Citizen.licenses', 'License.holder']);
const { schema, catalogue } = buildHubSchema();

let t: TestHub;
let reader: { key: string; headers: Record<string, string> };
let license: string;
let caseNumber: string;

beforeAll(async () => {
  t = await startTestHub({ RATE_LIMIT_PER_MINUTE: '1000000' });
  reader = await createReader(t, { fields: [...GRANTED] });
  [{ number: license }] = await t.dbs.licensing.rows<{ number: string }>(sql`select number from licensing.licenses where holder_id = ${DEMO} limit 1`);
  [{ number: caseNumber }] = await t.dbs.cases.rows<{ number: string }>(sql`select number from cases.cases where applicant_id = ${DEMO} limit 1`);
});
afterAll(() => t?.close());

/** Random selections over the real schema, `__typename` everywhere so the response can be checked type by type. */
function selection(type: GraphQLObjectType, depth: number): fc.Arbitrary<string> {
  const fields = Object.values(type.getFields()).filter((f) => f.args.length === 0);
  return fc.subarray(fields, { minLength: 1, maxLength: Math.min(6, fields.length) }).chain((picked) =>
    fc.tuple(
      ...picked.map((f) => {
        const named = getNamedType(f.type);
        if (!isObjectType(named)) return fc.constant(f.name);
        if (depth >= 3) return fc.constant(`${f.name} { __typename }`);
        return selection(named, depth + 1).map((inner) => `${f.name} ${inner}`);
      }),
    ).map((parts) => `{ __typename ${parts.join(' ')} }`),
  );
}

const validOperation = fc.oneof(
  selection(schema.getType('Citizen') as GraphQLObjectType, 1).map((s) => `{ citizen(id: "${DEMO}") ${s} }`),
  selection(schema.getType('License') as GraphQLObjectType, 1).map((s) => `{ license(number: "${license}") ${s} }`),
  selection(schema.getType('Case') as GraphQLObjectType, 1).map((s) => `{ case(number: "${caseNumber}") ${s} }`),
);

/** Every non-null value of a PERSONAL or SENSITIVE field in `data` must be one the reader was granted. */
function leakedFields(data: unknown): string[] {
  const leaks: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    const typeName = object.__typename as string | undefined;
    for (const [key, child] of Object.entries(object)) {
      const field = typeName ? catalogue.get(`${typeName}.${key}`) : undefined;
      if (field?.grantable && child !== null && !GRANTED.has(field.name)) leaks.push(field.name);
      walk(child);
    }
  };
  walk(data);
  return leaks;
}

const header = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('STATISTICS', 'LICENSE_ISSUANCE', 'SC20260000001', '', ' '));

describe('fuzzing', () => {
  it('random operations over the schema never leak an ungranted field, and never answer 500', async () => {
    await fc.assert(
      fc.asyncProperty(validOperation, fc.constantFrom('STATISTICS', 'LICENSE_ISSUANCE'), async (query, purpose) => {
        const res = await t.graphql(query, {}, { ...reader.headers, 'x-purpose': purpose });
        expect(res.status).toBeLessThan(500);
        expect(leakedFields(res.body.data)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('mutated operations, random variables and headers never answer 500', async () => {
    const mutated = fc.tuple(validOperation, fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 3 })), { maxLength: 5 })).map(([query, edits]) => {
      let q = query;
      for (const [at, text] of edits) {
        const i = at % (q.length + 1);
        q = q.slice(0, i) + text + q.slice(i + (text.length % 2));
      }
      return q;
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutated, fc.string({ maxLength: 200 })),
        fc.oneof(fc.constant(undefined), fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }))),
        header,
        header,
        header,
        async (query, variables, purpose, caseRef, onBehalfOf) => {
          const headers: Record<string, string> = { authorization: `Bearer ${reader.key}` };
          // Header values a client could actually send (no control characters in HTTP headers).
          const clean = (v: string) => v.replace(/[^\x20-\x7e]/g, '');
          if (clean(purpose)) headers['x-purpose'] = clean(purpose);
          if (clean(caseRef)) headers['x-case-ref'] = clean(caseRef);
          if (clean(onBehalfOf)) headers['x-on-behalf-of'] = clean(onBehalfOf);
          const res = await t.graphql(query, variables as Record<string, unknown> | undefined, headers);
          expect(res.status).toBeLessThan(500);
          expect(res.body.errors ?? res.body.data).toBeDefined();
          expect(leakedFields(res.body.data)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
    expect((await t.hub.app.inject('/healthz')).statusCode).toBe(200);
  });

  it('random bearer tokens are refused with 401, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.string().map((s) => `ogk_${s}`), fc.string().map((s) => `eyJ${s}.${s}.${s}`)), async (token) => {
        const clean = token.replace(/[^\x21-\x7e]/g, '');
        const res = await t.graphql(`{ citizen(id: "${DEMO}") { name } }`, {}, { authorization: `Bearer ${clean || 'x'}` });
        expect(res.status).toBe(401);
      }),
      { numRuns: 150 },
    );
  });
});
