/**
 * Sources are declarations (issue 12): a hub built with one department source
 * left out has none of its fields, and nothing else breaks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReader, startTestHub, STEWARD, type TestHub } from './setup/hub.js';
import { DEPARTMENT_SOURCES } from '../src/sources/index.js';
import { SOURCES } from '../src/db/sources.js';
import { loadConfig } from '../src/config.js';

const DEMO = '610113198807150016';
let t: TestHub;
let reader: Record<string, string>;

beforeAll(async () => {
  t = await startTestHub({}, undefined, { sources: DEPARTMENT_SOURCES.filter((s) => s.name !== 'licensing') });
  reader = (await createReader(t, { department: 'licensing', fields: ['Citizen.name', 'Citizen.cases'] })).headers;
});
afterAll(() => t?.close());

describe('a hub without the licensing source', () => {
  it('serves the other departments, with the same statements as before', async () => {
    t.statementsSince();
    const res = await t.graphql(`{ citizen(id: "${DEMO}") { name cases { number } } }`, {}, reader);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.citizen.name).toEqual(expect.any(String));
    expect(res.body.data.citizen.cases.length).toBeGreaterThan(0);
    expect(t.statementsSince()).toMatchObject({ registry: 1, cases: 1, licensing: 0 });
  });

  it("has none of the licensing fields: not the root field, not the link, not its types", async () => {
    for (const query of [`{ license(number: "DL1") { status } }`, `{ citizen(id: "${DEMO}") { licenses { number } } }`]) {
      const res = await t.graphql(query, {}, reader);
      expect(res.status).toBe(400);
      expect(res.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const fields = await t.graphql(`{ classifiedFields { name } }`, {}, STEWARD);
    const names = fields.body.data.classifiedFields.map((f: { name: string }) => f.name);
    expect(names).toContain('Citizen.name');
    expect(names.filter((n: string) => n.startsWith('License.') || n === 'Citizen.licenses')).toEqual([]);
  });

  it('reports readiness for the sources it serves', async () => {
    const ready = await t.hub.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(Object.keys(JSON.parse(ready.body).sources).sort()).toEqual(['cases', 'hub', 'registry']);
  });
});

describe('the source declarations', () => {
  it('give every database its URL variable, in the configuration too', () => {
    expect(SOURCES.map((s) => s.name)).toEqual(['hub', ...DEPARTMENT_SOURCES.map((s) => s.name)]);
    const env = Object.fromEntries(SOURCES.map((s) => [s.urlVariable, 'mysql://nope']));
    expect(() => loadConfig(env)).toThrow(new RegExp(SOURCES.map((s) => s.urlVariable).join('[\\s\\S]*')));
  });
});
