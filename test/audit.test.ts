import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { createReader, reopenDatabases, startTestHub, STEWARD, TEST_JWT_SECRET } from './setup/hub.js';
import { inMode, MODES, sha256, type ModeHub } from './setup/modes.js';

const DEMO = '610113198807150016';
/** The hub of the mode being run (ad hoc, or registered operations sent by hash). */
let t: ModeHub;
let ids: string[];

const RECORD = `id at requestId consumerId consumerName department departmentName officer purpose purposeName caseRef operationName operationHash citizenId fieldsReturned fieldsDenied outcome`;

async function recordsOf(requestId: string) {
  const res = await t.graphql(`query($r: String) { auditLog(filter: { requestId: $r }, first: 100) { edges { node { ${RECORD} } } } }`, { r: requestId }, STEWARD);
  return res.body.data.auditLog.edges.map((e: any) => e.node);
}

async function verify() {
  return (await t.graphql(`{ verifyAudit { ok checked firstBrokenId problem } }`, {}, STEWARD)).body.data.verifyAudit;
}

describe.each(MODES)('%s', (mode) => {
  beforeAll(async () => {
    t = inMode(await startTestHub(), mode);
    ids = (await t.dbs.registry.rows<{ id: string }>(sql`select id from registry.citizens where id <> ${DEMO} order by id limit 40`)).map((r) => r.id);
  });
  afterAll(() => t?.close());

  describe('what is recorded', () => {
    it('one record per citizen read, with who, why, what was returned and denied, and no values', async () => {
      const reader = await createReader(t, { fields: ['Citizen.name', 'Citizen.phone'] });
      const query = `query LookUp($ids: [ID!]!) { citizens(ids: $ids) { id name phone email } }`;
      const res = await t.graphql(query, { ids: [ids[0], ids[1]] }, { ...reader.headers, 'x-on-behalf-of': 'officer-li', 'x-case-ref': 'SC-REF-1' });
      // Registered mode sends the hash alone; the record names the same operation either way.
      expect(res.sentAs).toBe(mode === 'ad hoc' ? 'text' : 'hash');
      if (mode === 'registered') expect(t.lastBody).toEqual({ operationName: 'LookUp', variables: { ids: [ids[0], ids[1]] }, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
      const requestId = res.headers['x-request-id'] as string;
      const records = await recordsOf(requestId);
      expect(records).toHaveLength(2);
      for (const [i, r] of records.entries()) {
        expect(r).toMatchObject({
          requestId,
          consumerId: reader.consumerId,
          consumerName: 'Test reader',
          department: 'service-center',
          officer: 'officer-li',
          purpose: 'STATISTICS',
          caseRef: 'SC-REF-1',
          operationName: 'LookUp',
          // The national ID the caller asked by is echoed, and recorded like any personal field returned.
          fieldsReturned: ['Citizen.id', 'Citizen.name', 'Citizen.phone'],
          fieldsDenied: ['Citizen.email'],
          outcome: 'PARTIAL',
        });
        // The SHA-256 of the operation's text, whether the text or only its hash was sent.
        expect(r.operationHash).toBe(sha256(query));
        const citizen = res.body.data.citizens.find((c: any) => c.id === r.citizenId);
        expect(citizen).toBeDefined();
        // Field values never reach the log.
        expect(JSON.stringify(r)).not.toContain(citizen.name);
        if (citizen.phone) expect(JSON.stringify(r)).not.toContain(citizen.phone);
        void i;
      }
    });

    it('records denied attempts, and nothing for public data', async () => {
      const nobody = await createReader(t, { fields: [] });
      const denied = await t.graphql(`{ citizen(id: "${ids[2]}") { name } }`, {}, nobody.headers);
      const [record] = await recordsOf(denied.headers['x-request-id'] as string);
      expect(record).toMatchObject({ citizenId: ids[2], fieldsReturned: [], fieldsDenied: ['Citizen.name'], outcome: 'DENIED' });
      const publicOnly = await t.graphql(`{ services { code } }`, {}, nobody.headers);
      expect(await recordsOf(publicOnly.headers['x-request-id'] as string)).toEqual([]);
    });

    it('sanitizes header values written into records', async () => {
      const reader = await createReader(t, { fields: ['Citizen.name'] });
      const res = await t.graphql(`{ citizen(id: "${ids[3]}") { name } }`, {}, { ...reader.headers, 'x-on-behalf-of': `evil\tofficer${'x'.repeat(500)}` });
      const [record] = await recordsOf(res.headers['x-request-id'] as string);
      expect(record.officer).toMatch(/^evilofficerx+$/);
      expect(record.officer.length).toBeLessThanOrEqual(128);
    });
  });

  describe('tamper evidence', () => {
    it('the audit table rejects UPDATE, DELETE and TRUNCATE', async () => {
      for (const statement of [sql`update hub.audit_log set officer = 'x'`, sql`delete from hub.audit_log`, sql`truncate hub.audit_log`]) {
        await expect(t.dbs.hub.rows(statement)).rejects.toThrow();
      }
    });

    it('names the first record that was changed, removed or inserted', async () => {
      const reader = await createReader(t, { fields: ['Citizen.name'] });
      for (const id of ids.slice(0, 6)) await t.graphql(`{ citizen(id: "${id}") { name } }`, {}, reader.headers);
      expect(await verify()).toMatchObject({ ok: true, firstBrokenId: null });
      const [{ max }] = await t.dbs.hub.rows<{ max: string }>(sql`select max(id)::text as max from hub.audit_log`);
      const victim = Number(max) - 3;
      // An attacker with the database owner's rights switches the trigger off first.
      await t.dbs.hub.rows(sql`alter table hub.audit_log disable trigger user`);
      try {
        await t.dbs.hub.rows(sql`update hub.audit_log set fields_returned = '{}' where id = ${victim}`);
        expect(await verify()).toMatchObject({ ok: false, firstBrokenId: String(victim) });
        expect((await verify()).problem).toMatch(/changed/);
        await t.dbs.hub.rows(sql`update hub.audit_log set fields_returned = '{Citizen.name}' where id = ${victim}`);
        expect((await verify()).ok).toBe(true);

        await t.dbs.hub.rows(sql`create temporary table saved as select * from hub.audit_log where id = ${victim}`);
        await t.dbs.hub.rows(sql`delete from hub.audit_log where id = ${victim}`);
        expect(await verify()).toMatchObject({ ok: false, firstBrokenId: String(victim + 1) });
        expect((await verify()).problem).toMatch(/missing|removed/);
        await t.dbs.hub.rows(sql`insert into hub.audit_log select * from saved`);
        expect((await verify()).ok).toBe(true);

        await t.dbs.hub.rows(sql`insert into hub.audit_log select id + 1, at, request_id, consumer_id, department, officer, purpose, case_ref, operation_name,
          operation_hash, ${DEMO}, fields_returned, fields_denied, outcome, hash, hash, service_code, actor, role, chain_version, 'CITIZEN', ${DEMO} from hub.audit_log where id = ${Number(max)}`);
        expect(await verify()).toMatchObject({ ok: false, firstBrokenId: String(Number(max) + 1) });
      } finally {
        await t.dbs.hub.rows(sql`delete from hub.audit_log where id > ${Number(max)}`);
        await t.dbs.hub.rows(sql`alter table hub.audit_log enable trigger user`);
      }
      expect((await verify()).ok).toBe(true);
    });
  });

  describe('group commit', () => {
    it('concurrent requests, from two instances, share batches and leave one unbroken chain', async () => {
      const second = inMode(await startTestHub({}, await reopenDatabases(t.db)), mode);
      try {
        const reader = await createReader(t, { fields: ['Citizen.name'] });
        const queries = ids.map((id) => `{ citizen(id: "${id}") { name } }`);
        // Registered mode: registered on both instances before counting (the second's registration reloads this one's policy too).
        await second.prepare(queries, reader.headers);
        await t.prepare(queries, reader.headers);
        t.statementsSince();
        const responses = await Promise.all(queries.map((query, i) => (i % 2 ? second : t).graphql(query, {}, reader.headers)));
        const hubStatements = t.statementsSince().hub;
        for (const r of responses) expect(typeof r.body.data.citizen.name).toBe('string');
        // Three statements per batch: fewer batches than requests on this instance.
        expect(hubStatements).toBeLessThan(3 * (ids.length / 2));
        for (const r of responses) expect(await recordsOf(r.headers['x-request-id'] as string)).toHaveLength(1);
        expect((await verify()).ok).toBe(true);
      } finally {
        await second.close();
      }
    });
  });

  describe('when the audit log cannot be written', () => {
    it('withholds personal fields with AUDIT_UNAVAILABLE and still serves public ones', async () => {
      const reader = await createReader(t, { fields: ['Citizen.name', 'Citizen.licenses'] });
      const [{ number }] = await t.dbs.licensing.rows<{ number: string }>(sql`select number from licensing.licenses limit 1`);
      await t.dbs.hub.rows(sql`alter table hub.audit_log add constraint test_refuse_writes check (false) not valid`);
      try {
        const res = await t.graphql(`{ citizen(id: "${DEMO}") { id name licenses { number } } license(number: "${number}") { status } }`, {}, reader.headers);
        // Even the echoed national ID is withheld: it confirms that the registry holds this person.
        expect(res.body.data.citizen).toEqual({ id: null, name: null, licenses: null });
        expect(res.body.data.license.status).toBeTruthy();
        const codes = res.body.errors!.map((e: any) => [e.path.join('.'), e.extensions.code]);
        expect(codes).toEqual(expect.arrayContaining([['citizen.id', 'AUDIT_UNAVAILABLE'], ['citizen.name', 'AUDIT_UNAVAILABLE'], ['citizen.licenses', 'AUDIT_UNAVAILABLE']]));
      } finally {
        await t.dbs.hub.rows(sql`alter table hub.audit_log drop constraint test_refuse_writes`);
      }
      const after = await t.graphql(`{ citizen(id: "${DEMO}") { name } }`, {}, reader.headers);
      expect(typeof after.body.data.citizen.name).toBe('string');
    });
  });

  describe('reading the log', () => {
    it('a citizen sees every access to their data, with names, newest first, and nobody else\'s', async () => {
      const desk = { authorization: `Bearer ${(await createReader(t, { id: 'audit-desk', department: 'licensing', fields: ['Citizen.name', 'Citizen.birthDate'] })).key}`, 'x-purpose': 'STATISTICS' };
      await t.graphql(`{ citizen(id: "${DEMO}") { name } }`, {}, desk);
      await t.graphql(`{ citizen(id: "${DEMO}") { birthDate } }`, {}, desk);
      await t.graphql(`{ citizen(id: "${ids[5]}") { name } }`, {}, desk);
      const token = await new SignJWT({ role: 'citizen', consumer: 'citizen-portal', sub: DEMO }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(TEST_JWT_SECRET));
      const res = await t.graphql(`{ myDataAccess(first: 2) { edges { node { citizenId consumerName departmentName purposeName fieldsReturned } } pageInfo { hasNextPage } } }`, {}, { authorization: `Bearer ${token}` });
      const nodes = res.body.data.myDataAccess.edges.map((e: any) => e.node);
      expect(nodes).toEqual([
        { citizenId: DEMO, consumerName: 'Test reader', departmentName: expect.stringContaining('Licensing'), purposeName: expect.any(String), fieldsReturned: ['Citizen.birthDate'] },
        { citizenId: DEMO, consumerName: 'Test reader', departmentName: expect.stringContaining('Licensing'), purposeName: expect.any(String), fieldsReturned: ['Citizen.name'] },
      ]);
      expect(res.body.data.myDataAccess.pageInfo.hasNextPage).toBe(true);
      const consumer = await t.graphql(`{ myDataAccess { edges { cursor } } }`, {}, desk);
      expect(consumer.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    });

    it('a steward filters and pages the log', async () => {
      const q = `query($after: String) { auditLog(filter: { consumerId: "audit-desk" }, first: 2, after: $after) { edges { node { id consumerId } } pageInfo { hasNextPage endCursor } } }`;
      const first = (await t.graphql(q, { after: null }, STEWARD)).body.data.auditLog;
      const second = (await t.graphql(q, { after: first.pageInfo.endCursor }, STEWARD)).body.data.auditLog;
      const seen = [...first.edges, ...second.edges].map((e: any) => e.node);
      expect(seen).toHaveLength(3);
      expect(new Set(seen.map((n: any) => n.id)).size).toBe(3);
      expect(seen.every((n: any) => n.consumerId === 'audit-desk')).toBe(true);
      expect(second.pageInfo.hasNextPage).toBe(false);
      const bad = await t.graphql(`{ auditLog(filter: { citizenId: "123" }) { edges { cursor } } }`, {}, STEWARD);
      expect(bad.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.citizenId' });
      const long = await t.graphql(`query($s: ID) { auditLog(filter: { subjectId: $s }) { edges { cursor } } }`, { s: 'x'.repeat(5000) }, STEWARD);
      expect(long.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.subjectId' });
      // By subject: a citizen's records, and an enterprise's, each only its own.
      for (const subject of [DEMO, '91610113MA06A5AG5W']) {
        const res = await t.graphql(`query($s: ID) { auditLog(filter: { subjectId: $s }, first: 100) { edges { node { subjectType subjectId } } } }`, { s: subject }, STEWARD);
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.auditLog.edges.every((e: any) => e.node.subjectId === subject)).toBe(true);
        if (subject === DEMO) expect(res.body.data.auditLog.edges.length).toBeGreaterThan(0);
      }
    });
  });
});
