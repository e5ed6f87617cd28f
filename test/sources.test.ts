/**
 * Sources are declarations (issue 12): a hub built with one department source
 * left out (the enterprise registry, the newest) has none of its fields, and
 * nothing else breaks.
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
  t = await startTestHub({}, undefined, { sources: DEPARTMENT_SOURCES.filter((s) => s.name !== 'enterprise') });
  reader = (await createReader(t, { department: 'licensing', fields: ['Citizen.name', 'Citizen.cases', 'Citizen.licenses'] })).headers;
});
afterAll(() => t?.close());

describe('a hub without the enterprise source', () => {
  it('serves the other departments, with the same statements as before', async () => {
    await t.graphql(`{ citizen(id: "${DEMO}") { name } }`, {}, reader); // the audit writer reads the chain's head once, then knows it
    t.statementsSince();
    const res = await t.graphql(`{ citizen(id: "${DEMO}") { name cases { number } licenses { number } } }`, {}, reader);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.citizen.name).toEqual(expect.any(String));
    expect(res.body.data.citizen.cases.length).toBeGreaterThan(0);
    expect(t.statementsSince()).toEqual({ hub: 1, registry: 1, licensing: 1, cases: 1, enterprise: 0 });
  });

  it("has none of the enterprise fields: not the root fields, not the links, not its types", async () => {
    for (const query of [`{ enterprise(id: "91610113MA06A5AG5W") { name } }`, `{ citizen(id: "${DEMO}") { enterprises { name } } }`, `{ license(number: "DL1") { enterprise { name } } }`]) {
      const res = await t.graphql(query, {}, reader);
      expect(res.status).toBe(400);
      expect(res.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const fields = await t.graphql(`{ classifiedFields { name } }`, {}, STEWARD);
    const names = fields.body.data.classifiedFields.map((f: { name: string }) => f.name);
    expect(names).toContain('Citizen.name');
    expect(names).toContain('License.holder');
    expect(names.filter((n: string) => n.startsWith('Enterprise.') || ['Citizen.enterprises', 'License.enterprise', 'Case.enterprise'].includes(n))).toEqual([]);
  });

  it("refuses an application for an enterprise it cannot check the representative of (NOT_SELF)", async () => {
    const { SignJWT } = await import('jose');
    const { TEST_JWT_SECRET } = await import('./setup/hub.js');
    const token = await new SignJWT({ role: 'citizen', consumer: 'citizen-portal', sub: DEMO }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const res = await t.graphql(`mutation($input: ApplicationInput!) { submitApplication(input: $input) { number } }`, { input: { serviceCode: 'BUSINESS_LICENSE_APPLICATION', applicantId: DEMO, enterpriseId: '91610113MA06A5AG5W', answers: [] } }, { authorization: `Bearer ${token}` });
    expect(res.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_SELF' });
  });

  it('reports readiness for the sources it serves', async () => {
    const ready = await t.hub.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(Object.keys(JSON.parse(ready.body).sources).sort()).toEqual(['cases', 'hub', 'licensing', 'registry']);
  });
});

describe('the source declarations', () => {
  it('give every database its URL variable, in the configuration too', () => {
    expect(SOURCES.map((s) => s.name)).toEqual(['hub', ...DEPARTMENT_SOURCES.map((s) => s.name)]);
    const env = Object.fromEntries(SOURCES.map((s) => [s.urlVariable, 'mysql://nope']));
    expect(() => loadConfig(env)).toThrow(new RegExp(SOURCES.map((s) => s.urlVariable).join('[\\s\\S]*')));
  });
});
