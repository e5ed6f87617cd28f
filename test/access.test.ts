import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { createReader, reopenDatabases, startTestHub, STEWARD, TEST_JWT_SECRET } from './setup/hub.js';
import { inMode, MODES, sha256, type ModeHub } from './setup/modes.js';
import { matrixQueries, RATED_CASE_SQL, valueAt } from './setup/matrix.js';
import { buildHubSchema } from '../src/graph/schema.js';
import { createHubStore } from '../src/hub/store.js';

const DEMO = '610113198807150016';
const secret = new TextEncoder().encode(TEST_JWT_SECRET);

/** The hub of the mode being run (ad hoc, or registered operations sent by hash). */
let t: ModeHub;
/** An open case of the demo citizen, and its department. */
let demoCase: { number: string; department: string };
let demoLicense: string;
let otherCitizen: string;
let otherLicense: string;
/** A case opened for an enterprise: Case.enterprise is reached through it. */
let enterpriseCase: string;
/** A case rated 1 or 2: CaseRating and RatingFollowUp are reached through it. */
let ratedCase: string;

async function jwt(claims: Record<string, unknown>, expiresIn = '5m') {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresIn).sign(secret);
}

function errorAt(res: { body: { errors?: any[] } }, path: string) {
  return res.body.errors?.find((e) => e.path?.join('.') === path);
}

describe.each(MODES)('%s', (mode) => {
  beforeAll(async () => {
    t = inMode(await startTestHub(), mode);
    [demoCase] = await t.dbs.cases.rows<{ number: string; department: string }>(
      sql`select number, department from cases.cases where applicant_id = ${DEMO} and status in ('SUBMITTED', 'IN_REVIEW') order by number limit 1`,
    );
    [{ number: demoLicense }] = await t.dbs.licensing.rows<{ number: string }>(sql`select number from licensing.licenses where holder_id = ${DEMO} limit 1`);
    [{ number: enterpriseCase }] = await t.dbs.cases.rows<{ number: string }>(sql`select number from cases.cases where enterprise_id is not null order by number limit 1`);
    [{ number: ratedCase }] = await t.dbs.cases.rows<{ number: string }>(sql.raw(RATED_CASE_SQL));
    [{ number: otherLicense, holder_id: otherCitizen }] = await t.dbs.licensing.rows<{ number: string; holder_id: string }>(
      sql`select number, holder_id from licensing.licenses where holder_id <> ${DEMO} order by number limit 1`,
    );
  });
  afterAll(() => t?.close());

  describe('who is asking', () => {
    const query = `{ citizen(id: "${DEMO}") { id } }`;

    it.each([
      ['no Authorization header', {}],
      ['a malformed header', { authorization: 'Token abc' }],
      ['an unknown API key', { authorization: 'Bearer ogk_unknownunknownunknownunknownunknownunknown' }],
      ['a random string', { authorization: 'Bearer not-a-token' }],
    ])('refuses %s with 401 UNAUTHENTICATED and no data', async (_, headers) => {
      // As text in both modes: nothing can be registered for credentials the hub refuses.
      const res = await t.adHoc(query, {}, headers as Record<string, string>);
      expect(res.status).toBe(401);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('refuses expired, wrongly signed and unsigned (alg: none) JWTs', async () => {
      const expired = await new SignJWT({ role: 'steward', sub: 'officer-1' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(secret);
      const wrong = await new SignJWT({ role: 'steward', sub: 'officer-1' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode('another-secret-another-secret-another!'));
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'steward', sub: 'x', exp: Math.floor(Date.now() / 1000) + 600 })}.`;
      const noExp = await new SignJWT({ role: 'steward', sub: 'officer-1' }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
      for (const token of [expired, wrong, none, noExp]) {
        // As text in both modes: nothing can be registered for credentials the hub refuses.
        const res = await t.adHoc(query, {}, { authorization: `Bearer ${token}` });
        expect(res.status).toBe(401);
        expect(res.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      }
    });

    it('refuses a purpose that is not in the catalogue as BAD_USER_INPUT', async () => {
      const res = await t.graphql(query, {}, { ...STEWARD, 'x-purpose': 'CURIOSITY' });
      expect(res.status).toBe(400);
      expect(res.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'X-Purpose' });
    });

    it(`sends its operations ${mode === 'ad hoc' ? 'as text' : 'by hash alone, after registering them for the caller\'s consumer'}`, async () => {
      const reader = await createReader(t, { fields: ['Citizen.name'] });
      const text = `query Sent($id: ID!) { citizen(id: $id) { name } }`;
      const res = await t.graphql(text, { id: DEMO }, reader.headers);
      expect(typeof res.body.data.citizen.name).toBe('string');
      if (mode === 'ad hoc') {
        expect(res.sentAs).toBe('text');
        expect(t.lastBody).toEqual({ query: text, variables: { id: DEMO } });
      } else {
        expect(res.sentAs).toBe('hash');
        expect(t.lastBody).toEqual({ operationName: 'Sent', variables: { id: DEMO }, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } } });
        expect(t.lastBody).not.toHaveProperty('query');
      }
    });

    it('reads the declaration headers into `me`', async () => {
      const token = await jwt({ role: 'consumer', consumer: 'licensing-desk', sub: 'officer-7' });
      const res = await t.graphql(`{ me { role officer purpose caseRef consumer { id department } grants { field } } }`, {}, { authorization: `Bearer ${token}`, 'x-purpose': 'LICENSE_ISSUANCE', 'x-case-ref': 'SC1' });
      expect(res.body.data.me).toMatchObject({ role: 'consumer', officer: 'officer-7', purpose: 'LICENSE_ISSUANCE', caseRef: 'SC1', consumer: { id: 'licensing-desk', department: 'licensing' } });
      expect(res.body.data.me.grants.map((g: any) => g.field)).toContain('Citizen.name');
    });
  });

  describe('the access matrix, generated from the schema', () => {
    const { schema, catalogue } = buildHubSchema();
    const grantable = [...catalogue.values()].filter((f) => f.grantable);

    const queryFor = (field: (typeof grantable)[number]) =>
      matrixQueries(schema, { citizen: DEMO, license: demoLicense, openCase: demoCase.number, enterpriseCase, enterprise: '91610113MA06A5AG5W', ratedCase })(field);

    it('covers every grantable field of every entity', () => {
      expect(grantable.map((f) => f.name)).toEqual(
        expect.arrayContaining(['Citizen.id', 'Citizen.name', 'Citizen.phone', 'Citizen.household', 'License.holder', 'Case.applicant', 'Household.address', 'Household.members', 'HouseholdMember.relation', 'HouseholdMember.citizen', 'Enterprise.legalRepresentativeName', 'Enterprise.contactPhone', 'Enterprise.legalRepresentative', 'Enterprise.cases', 'Citizen.enterprises']),
      );
    });

    it('denies every grantable field to a consumer granted everything else, serving the rest', async () => {
      for (const field of grantable) {
        const reader = await createReader(t, { department: demoCase.department, fields: grantable.map((f) => f.name).filter((name) => name !== field.name) });
        const { query, at } = queryFor(field);
        const res = await t.graphql(query, {}, { ...reader.headers, 'x-case-ref': demoCase.number });
        expect(res.status, field.name).toBe(200);
        const holder = at.split('.').slice(0, -1).join('.');
        expect(valueAt(res.body.data, holder), field.name).not.toBeNull();
        expect(valueAt(res.body.data, at), field.name).toBeNull();
        expect(errorAt(res, at)?.extensions, field.name).toEqual({ code: 'FORBIDDEN', field: field.name, reason: 'NO_GRANT' });
      }
    });

    it('serves every grantable field to a consumer granted it (SENSITIVE ones with an open case)', async () => {
      const reader = await createReader(t, { department: demoCase.department });
      for (const field of grantable) {
        const { query, at } = queryFor(field);
        const res = await t.graphql(query, {}, { ...reader.headers, 'x-case-ref': demoCase.number });
        expect(res.body.errors, field.name).toBeUndefined();
        expect(valueAt(res.body.data, at), field.name).not.toBeNull();
        expect(valueAt(res.body.data, at), field.name).not.toBeUndefined();
      }
    });
  });

  describe('reasons for a denial', () => {
    let desk: Record<string, string>;
    let benefits: { headers: Record<string, string>; consumerId: string };

    beforeAll(async () => {
      desk = { authorization: `Bearer ${(await createReader(t, { department: 'licensing', purpose: 'LICENSE_ISSUANCE', fields: ['Citizen.name'] })).key}` };
      benefits = await createReader(t, { department: demoCase.department, purpose: 'BENEFIT_ELIGIBILITY', fields: ['Citizen.household', 'Citizen.name'] });
    });

    it('PURPOSE_REQUIRED without X-Purpose, PURPOSE_NOT_GRANTED for another purpose', async () => {
      const q = `{ citizen(id: "${DEMO}") { id name } }`;
      const missing = await t.graphql(q, {}, desk);
      expect(missing.body.data.citizen).toEqual({ id: DEMO, name: null });
      expect(errorAt(missing, 'citizen.name')!.extensions!.reason).toBe('PURPOSE_REQUIRED');
      const other = await t.graphql(q, {}, { ...desk, 'x-purpose': 'STATISTICS' });
      expect(errorAt(other, 'citizen.name')!.extensions!.reason).toBe('PURPOSE_NOT_GRANTED');
      const right = await t.graphql(q, {}, { ...desk, 'x-purpose': 'LICENSE_ISSUANCE' });
      expect(right.body.errors).toBeUndefined();
      expect(typeof right.body.data.citizen.name).toBe('string');
    });

    it('ACTIVE_CASE: served for an open case of its own department about this citizen, denied otherwise', async () => {
      const q = `{ citizen(id: "${DEMO}") { household { id } } }`;
      const reason = async (caseRef?: string) => {
        const res = await t.graphql(q, {}, { ...benefits.headers, ...(caseRef ? { 'x-case-ref': caseRef } : {}) });
        return res.body.data.citizen.household ? 'SERVED' : errorAt(res, 'citizen.household')!.extensions!.reason;
      };
      expect(await reason()).toBe('CASE_REQUIRED');
      expect(await reason(demoCase.number)).toBe('SERVED');
      const [closed] = await t.dbs.cases.rows<{ number: string }>(sql`select number from cases.cases where applicant_id = ${DEMO} and status in ('APPROVED','REJECTED','CLOSED') limit 1`);
      const [otherDept] = await t.dbs.cases.rows<{ number: string }>(sql`select number from cases.cases where applicant_id = ${DEMO} and status in ('SUBMITTED','IN_REVIEW') and department <> ${demoCase.department} limit 1`);
      // An open case of the same department, but of another citizen (inserted: a small district may have none).
      await t.dbs.cases.rows(sql`insert into cases.cases (number, service_code, applicant_id, department, status, submitted_at, due_at)
        select 'SC-TEST-OTHER', service_code, ${otherCitizen}, department, 'IN_REVIEW', now(), now() + interval '20 days' from cases.cases where number = ${demoCase.number}`);
      const otherCitizens = { number: 'SC-TEST-OTHER' };
      for (const c of [closed, otherDept, otherCitizens]) {
        expect(c, 'the demo data has such a case').toBeDefined();
        expect(await reason(c.number)).toBe('CASE_MISMATCH');
      }
      expect(await reason('SC-DOES-NOT-EXIST')).toBe('CASE_MISMATCH');
    });

    it('checks ACTIVE_CASE for many citizens with one lookup of the declared case', async () => {
      const ids = (await t.dbs.registry.rows<{ id: string }>(sql`select id from registry.citizens order by id limit 50`)).map((r) => r.id);
      const warmUp = `{ citizen(id: "${DEMO}") { name } }`;
      const lookUp = `query($ids: [ID!]!) { citizens(ids: [$ids]) { household { __typename } } }`.replace('[$ids]', '$ids');
      // Registered mode: registered (and the policy reloaded) before counting, as a deployment registers ahead of traffic.
      await t.prepare([warmUp, lookUp], benefits.headers);
      await t.graphql(warmUp, {}, benefits.headers); // the audit writer reads the chain's head once, then knows it
      t.statementsSince();
      const res = await t.graphql(lookUp, { ids: [DEMO, ...ids] }, { ...benefits.headers, 'x-case-ref': demoCase.number });
      expect(res.body.data.citizens[0].household).not.toBeNull();
      expect(res.body.errors!.every((e: any) => e.extensions.reason === 'CASE_MISMATCH')).toBe(true);
      // cases: the declared case, once; registry: citizens, then their households; hub: one audit insert.
      const counted = t.statementsSince();
      expect(counted).toEqual({ hub: 1, registry: 2, licensing: 0, cases: 1, enterprise: 0 });
    });

    it('GRANT_EXPIRED once the only grant for the purpose has expired', async () => {
      const reader = await createReader(t, { fields: [] });
      await createHubStore(t.dbs.hub).insertGrant({ consumerId: reader.consumerId, field: 'Citizen.email', purposes: ['STATISTICS'], condition: 'NONE', mask: 'NONE', expiresAt: '2020-01-01T00:00:00Z', grantedBy: 'test' });
      await until(async () => errorAt(await t.graphql(`{ citizen(id: "${DEMO}") { email } }`, {}, reader.headers), 'citizen.email')?.extensions?.reason === 'GRANT_EXPIRED');
    });

    it('NOT_SELF: a citizen reads their own record, not another, not even through a license', async () => {
      const token = await jwt({ role: 'citizen', consumer: 'citizen-portal', sub: DEMO });
      const me = { authorization: `Bearer ${token}` };
      const own = await t.graphql(`{ citizen(id: "${DEMO}") { name phone household { id } licenses { number holder { name } } } }`, {}, me);
      expect(own.body.errors).toBeUndefined();
      expect(own.body.data.citizen.licenses.length).toBeGreaterThan(0);
      const other = await t.graphql(`{ citizen(id: "${otherCitizen}") { name } license(number: "${otherLicense}") { status holder { name } } }`, {}, me);
      expect(other.body.data.citizen.name).toBeNull();
      expect(errorAt(other, 'citizen.name')!.extensions!.reason).toBe('NOT_SELF');
      expect(other.body.data.license.status).toBeTruthy();
      expect(errorAt(other, 'license.holder')!.extensions!.reason).toBe('NOT_SELF');
    });
  });

  describe('masks', () => {
    it('YEAR_ONLY gives the year, PARTIAL all but the last 4 characters as *, PRESENCE only "present"', async () => {
      const year = await createReader(t, { fields: ['Citizen.birthDate'], mask: 'YEAR_ONLY' });
      const partial = await createReader(t, { fields: ['Citizen.phone'], mask: 'PARTIAL' });
      const presence = await createReader(t, { fields: ['Citizen.phone'], mask: 'PRESENCE' });
      const full = await createReader(t, { fields: ['Citizen.phone'] });
      const q = (f: string) => `{ citizen(id: "${DEMO}") { ${f} } }`;
      expect((await t.graphql(q('birthDate'), {}, year.headers)).body.data.citizen.birthDate).toBe('1988');
      const phone = (await t.graphql(q('phone'), {}, full.headers)).body.data.citizen.phone as string;
      expect(phone).toMatch(/^\d{11}$/);
      expect((await t.graphql(q('phone'), {}, partial.headers)).body.data.citizen.phone).toBe('*'.repeat(7) + phone.slice(-4));
      expect((await t.graphql(q('phone'), {}, presence.headers)).body.data.citizen.phone).toBe('present');
    });
  });

  describe('revocation and concurrency', () => {
    it('a revoked grant stops serving at once; a revoked key gets 401', async () => {
      const reader = await createReader(t, { fields: ['Citizen.name'] });
      const q = `{ citizen(id: "${DEMO}") { name } }`;
      expect((await t.graphql(q, {}, reader.headers)).body.data.citizen.name).toBeTruthy();
      const grants = await t.graphql(`query($c: ID) { grants(consumerId: $c) { id revokedAt } }`, { c: reader.consumerId }, STEWARD);
      const revoked = await t.graphql(`mutation($id: ID!) { revokeGrant(id: $id) { revokedAt } }`, { id: grants.body.data.grants[0].id }, STEWARD);
      expect(revoked.body.data.revokeGrant.revokedAt).toBeTruthy();
      expect(errorAt(await t.graphql(q, {}, reader.headers), 'citizen.name')!.extensions!.reason).toBe('NO_GRANT');

      const keys = await t.graphql(`{ consumers { id apiKeys { id revokedAt } } }`, {}, STEWARD);
      const keyId = keys.body.data.consumers.find((c: any) => c.id === reader.consumerId).apiKeys[0].id;
      expect((await t.graphql(`mutation($id: ID!) { revokeApiKey(id: $id) }`, { id: keyId }, STEWARD)).body.data.revokeApiKey).toBe(true);
      expect((await t.graphql(q, {}, reader.headers)).status).toBe(401);
    });

    it('two consumers with different grants, reading the same citizens at once, never see each other\'s fields', async () => {
      const names = await createReader(t, { fields: ['Citizen.name'] });
      const phones = await createReader(t, { fields: ['Citizen.phone'] });
      const ids = (await t.dbs.registry.rows<{ id: string }>(sql`select id from registry.citizens order by id limit 30`)).map((r) => r.id);
      const q = `query($ids: [ID!]!) { citizens(ids: $ids) { id name phone } }`;
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.graphql(q, { ids }, i % 2 ? names.headers : phones.headers).then((r) => ({ i, r }))));
      const held = await t.dbs.registry.rows<{ id: string; name: string; phone: string | null }>(sql`select id, name, phone from registry.citizens order by id limit 30`);
      const byId = new Map(held.map((c) => [c.id, c]));
      for (const { i, r } of results) {
        // Exactly the granted field, as the registry holds it; the other one null.
        const expected = ids.map((id) => (i % 2 ? { id, name: byId.get(id)!.name, phone: null } : { id, name: null, phone: byId.get(id)!.phone }));
        expect(r.body.data.citizens).toEqual(expected);
      }
      expect(held.some((c) => c.phone !== null)).toBe(true);
    });
  });

  describe('steward operations', () => {
    it('are FORBIDDEN to consumers and citizens', async () => {
      const reader = await createReader(t, { fields: [] });
      const res = await t.graphql(`{ consumers { id } }`, {}, reader.headers);
      expect(res.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
      const grant = await t.graphql(`mutation { grantAccess(input: { consumerId: "${reader.consumerId}", field: "Citizen.name", purposes: ["STATISTICS"] }) { id } }`, {}, reader.headers);
      expect(grant.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    });

    it.each([
      ['an unknown field', { field: 'Citizen.nope' }, 'input.field'],
      ['an unknown purpose', { purposes: ['CURIOSITY'] }, 'input.purposes[0]'],
      ['a PUBLIC field', { field: 'License.status' }, 'input.field'],
      ['a mask that does not fit', { field: 'Citizen.licenses', mask: 'YEAR_ONLY' }, 'input.mask'],
      ['a SENSITIVE field without a condition', { field: 'Citizen.household' }, 'input.condition'],
      ['an unknown consumer', { consumerId: 'nobody-here' }, 'input.consumerId'],
      ['an expiry in the past', { expiresAt: '2020-01-01T00:00:00Z' }, 'input.expiresAt'],
    ])('refuse a grant on %s as BAD_USER_INPUT naming it, writing nothing', async (_, change, argument) => {
      const before = (await t.graphql(`{ grants { id } }`, {}, STEWARD)).body.data.grants.length;
      const input = { consumerId: 'licensing-desk', field: 'Citizen.email', purposes: ['LICENSE_ISSUANCE'], ...change };
      const res = await t.graphql(`mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`, { input }, STEWARD);
      expect(res.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0].extensions!.problems.map((p: any) => p.argument)).toContain(argument);
      expect((await t.graphql(`{ grants { id } }`, {}, STEWARD)).body.data.grants.length).toBe(before);
    });

    it('access requests: approval creates the grants, rejection keeps the note; both record who and when', async () => {
      const reader = await createReader(t, { fields: [] });
      const ask = (fields: string[]) =>
        t.graphql(`mutation($input: AccessRequestInput!) { requestAccess(input: $input) { id status } }`, { input: { fields, purpose: 'STATISTICS', justification: 'Monthly statistics on vehicle ownership.' } }, reader.headers);
      const first = (await ask(['Citizen.sex'])).body.data.requestAccess;
      const second = (await ask(['Citizen.phone'])).body.data.requestAccess;
      expect(first.status).toBe('PENDING');
      const pending = await t.graphql(`{ accessRequests(status: PENDING) { id consumerId fields } }`, {}, STEWARD);
      expect(pending.body.data.accessRequests.map((r: any) => r.id)).toEqual(expect.arrayContaining([first.id, second.id]));

      // A steward JWT without a consumer claim: it has no consumer to register for, so it sends text in both modes.
      const officer = { authorization: `Bearer ${await jwt({ role: 'steward', sub: 'steward-wang' })}` };
      const decide = `mutation($id: ID!, $approve: Boolean!, $note: String) { decideAccessRequest(id: $id, approve: $approve, note: $note) { status decidedBy decidedAt note } }`;
      const approved = (await t.graphql(decide, { id: first.id, approve: true, note: 'ok for 2026' }, officer)).body.data.decideAccessRequest;
      expect(approved).toMatchObject({ status: 'APPROVED', decidedBy: 'steward-wang', note: 'ok for 2026' });
      expect(approved.decidedAt).toBeTruthy();
      const rejected = (await t.graphql(decide, { id: second.id, approve: false, note: 'phone is not needed for statistics' }, officer)).body.data.decideAccessRequest;
      expect(rejected).toMatchObject({ status: 'REJECTED', note: 'phone is not needed for statistics' });
      const again = await t.graphql(decide, { id: second.id, approve: true }, officer);
      expect(again.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');

      const read = await t.graphql(`{ citizen(id: "${DEMO}") { sex phone } }`, {}, reader.headers);
      expect(read.body.data.citizen.sex).toBe('MALE');
      expect(errorAt(read, 'citizen.phone')!.extensions!.reason).toBe('NO_GRANT');
    });
  });

  describe('two hub instances on one hub database', () => {
    it('a revocation on one is enforced by the other within a second', async () => {
      // A second instance with its own connections to the same databases, as a second process would have.
      const second = inMode(await startTestHub({}, await reopenDatabases(t.db)), mode);
      const reader = await createReader(t, { fields: ['Citizen.name'] });
      const q = `{ citizen(id: "${DEMO}") { name } }`;
      expect((await second.graphql(q, {}, reader.headers)).body.data.citizen.name).toBeTruthy();
      const grants = await t.graphql(`query($c: ID) { grants(consumerId: $c) { id } }`, { c: reader.consumerId }, STEWARD);
      await t.graphql(`mutation($id: ID!) { revokeGrant(id: $id) { id } }`, { id: grants.body.data.grants[0].id }, STEWARD);
      const start = performance.now();
      await until(async () => (await second.graphql(q, {}, reader.headers)).body.data.citizen.name === null, 1000);
      console.log(`grant revocation reached the second instance after ${(performance.now() - start).toFixed(1)} ms`);
      await second.close();
    });
  });
});

async function until(check: () => Promise<boolean>, withinMs = 2000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
