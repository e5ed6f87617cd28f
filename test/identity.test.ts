/**
 * Who did it is the credential (issue 11, findings 5 and 6 and the weak spots;
 * SPEC §3, §5, §6): the actor of every change and read is the credential's
 * owner, X-On-Behalf-Of only an officer beside it; citizens sign in through a
 * portal and act as themselves; stewards hold no grants on personal fields;
 * the bootstrap key retires once a steward holds a key; JWT issuer, audience
 * and lifetime are checked; audit records carry actor and role in the hash
 * chain while records written before still verify.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { createReader, reopenDatabases, startTestHub, STEWARD, TEST_BOOTSTRAP_KEY, TEST_JWT_SECRET, type TestHub } from './setup/hub.js';
import { withDatabase } from './setup/global.js';
import { loadConfig } from '../src/config.js';
import { connect, migrateSource, type Database } from '../src/db/database.js';
import { isoInstant } from '../src/db/batch.js';
import { createHubStore } from '../src/hub/store.js';
import { createAuditStore } from '../src/audit/store.js';
import { verifyAuditChain } from '../src/audit/verify.js';
import { chain, GENESIS_HASH, recordHash, type AuditContent } from '../src/audit/chain.js';

const DEMO = '610113198807150016';
const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const BOOTSTRAP = bearer(TEST_BOOTSTRAP_KEY);

/** A JWT signed with the test secret: issued now, valid 5 minutes, unless `claims` say otherwise (undefined drops a claim). */
function jwt(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT({ iat: nowSeconds(), exp: nowSeconds() + 300, ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
}

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t?.close());

async function auditRecordsOf(requestId: string) {
  const res = await t.graphql(`query($r: String) { auditLog(filter: { requestId: $r }) { edges { node { id actor role officer consumerId citizenId } } } }`, { r: requestId }, STEWARD);
  return res.body.data.auditLog.edges.map((e: any) => e.node);
}

describe('who did it is the credential, the declared officer only beside it (finding 5)', () => {
  it("a steward's grant and revocation with X-On-Behalf-Of are recorded as the steward's consumer, the officer beside it", async () => {
    const reader = await createReader(t, { fields: [] });
    const granted = await t.graphql(
      `mutation($input: GrantInput!) { grantAccess(input: $input) { id grantedBy officer } }`,
      { input: { consumerId: reader.consumerId, field: 'Citizen.name', purposes: ['STATISTICS'] } },
      { ...STEWARD, 'x-on-behalf-of': 'chief-bob' },
    );
    expect(granted.body.errors).toBeUndefined();
    expect(granted.body.data.grantAccess).toMatchObject({ grantedBy: 'data-steward', officer: 'chief-bob' });
    const { id } = granted.body.data.grantAccess;
    await t.graphql(`mutation($id: ID!) { revokeGrant(id: $id) { id } }`, { id }, { ...STEWARD, 'x-on-behalf-of': 'chief-carol' });
    // As stored, not only as answered.
    const stored = await t.graphql(`query($c: ID) { grants(consumerId: $c) { id grantedBy officer revokedBy revokedByOfficer } }`, { c: reader.consumerId }, STEWARD);
    expect(stored.body.data.grants.find((g: any) => g.id === id)).toEqual({ id, grantedBy: 'data-steward', officer: 'chief-bob', revokedBy: 'data-steward', revokedByOfficer: 'chief-carol' });
  });

  it('consumers and keys are recorded as created by the credential, the officer beside it', async () => {
    const headers = { ...STEWARD, 'x-on-behalf-of': 'chief-bob' };
    const id = `desk-${randomBytes(3).toString('hex')}`;
    await t.graphql(`mutation { createConsumer(input: { id: "${id}", name: "Desk", department: "licensing" }) { id } }`, {}, headers);
    await t.graphql(`mutation { issueApiKey(consumerId: "${id}") { id } }`, {}, headers);
    const keys = await t.graphql(`{ consumers { id apiKeys { createdBy } } }`, {}, STEWARD);
    expect(keys.body.data.consumers.find((c: any) => c.id === id).apiKeys).toEqual([{ createdBy: 'data-steward' }]);
    const [consumer] = await t.dbs.hub.rows<{ created_by: string; created_by_officer: string }>(sql`select created_by, created_by_officer from hub.consumers where id = ${id}`);
    expect(consumer).toEqual({ created_by: 'data-steward', created_by_officer: 'chief-bob' });
    const [key] = await t.dbs.hub.rows<{ created_by_officer: string }>(sql`select created_by_officer from hub.api_keys where consumer_id = ${id}`);
    expect(key.created_by_officer).toBe('chief-bob');
  });

  it('an access request names the asking consumer and the deciding steward; the grants it creates too', async () => {
    const reader = await createReader(t, { fields: [] });
    const asked = await t.graphql(
      `mutation($input: AccessRequestInput!) { requestAccess(input: $input) { id requestedBy requestedByOfficer } }`,
      { input: { fields: ['Citizen.sex'], purpose: 'STATISTICS', justification: 'Monthly statistics on vehicle ownership.' } },
      { ...reader.headers, 'x-on-behalf-of': 'clerk-zhao' },
    );
    expect(asked.body.data.requestAccess).toMatchObject({ requestedBy: reader.consumerId, requestedByOfficer: 'clerk-zhao' });
    const decided = await t.graphql(
      `mutation($id: ID!) { decideAccessRequest(id: $id, approve: true) { status decidedBy decidedByOfficer } }`,
      { id: asked.body.data.requestAccess.id },
      { ...STEWARD, 'x-on-behalf-of': 'chief-bob' },
    );
    expect(decided.body.data.decideAccessRequest).toEqual({ status: 'APPROVED', decidedBy: 'data-steward', decidedByOfficer: 'chief-bob' });
    const grants = await t.graphql(`query($c: ID) { grants(consumerId: $c) { field grantedBy officer } }`, { c: reader.consumerId }, STEWARD);
    expect(grants.body.data.grants).toEqual([{ field: 'Citizen.sex', grantedBy: 'data-steward', officer: 'chief-bob' }]);
  });
});

describe('citizen tokens name a portal and act as the citizen (finding 6)', () => {
  it("a citizen token naming a department application, a steward's, an unregistered one or none is 401 UNAUTHENTICATED", async () => {
    for (const [consumer, message] of [
      ['licensing-desk', /"licensing-desk" is not registered as one \(portal: true\)/],
      ['data-steward', /"data-steward" is not registered as one \(portal: true\)/],
      ['no-such-portal', /not registered/],
      [undefined, /must name the portal/],
    ] as const) {
      const res = await t.graphql(`{ me { role } }`, {}, bearer(await jwt({ role: 'citizen', sub: DEMO, consumer })));
      expect(res.status).toBe(401);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      expect(res.body.errors![0].message).toMatch(message);
    }
  });

  it('a consumer registered with portal: true signs citizens in; a steward application cannot be one', async () => {
    const created = await t.graphql(`mutation { createConsumer(input: { id: "town-portal", name: "Town portal", department: "service-center", portal: true }) { id portal } }`, {}, STEWARD);
    expect(created.body.data.createConsumer).toEqual({ id: 'town-portal', portal: true });
    const consumers = (await t.graphql(`{ consumers { id portal } }`, {}, STEWARD)).body.data.consumers;
    expect(consumers).toEqual(expect.arrayContaining([{ id: 'citizen-portal', portal: true }, { id: 'licensing-desk', portal: false }]));
    const signedIn = await t.graphql(`{ me { role } }`, {}, bearer(await jwt({ role: 'citizen', sub: DEMO, consumer: 'town-portal' })));
    expect(signedIn.body.data.me.role).toBe('citizen');
    const steward = await t.graphql(`mutation { createConsumer(input: { id: "steward-portal", name: "No", department: "registry", role: STEWARD, portal: true }) { id } }`, {}, STEWARD);
    expect(steward.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.portal' });
  });

  it("a citizen through the portal gets none of the portal's grants and cannot see its API keys", async () => {
    // The portal holds a grant and keys of its own; the citizen it signs in must see neither.
    await t.graphql(`mutation { grantAccess(input: { consumerId: "citizen-portal", field: "Citizen.phone", purposes: ["STATISTICS"] }) { id } }`, {}, STEWARD);
    const asSteward = await t.graphql(`{ consumers { id apiKeys { id prefix } } }`, {}, STEWARD);
    const portalKeys = asSteward.body.data.consumers.find((c: any) => c.id === 'citizen-portal').apiKeys;
    expect(portalKeys.length).toBeGreaterThan(0);

    const citizen = bearer(await jwt({ role: 'citizen', sub: DEMO, consumer: 'citizen-portal' }));
    const me = await t.graphql(`{ me { role grants { field } } }`, {}, citizen);
    expect(me.body.data.me).toEqual({ role: 'citizen', grants: [] });
    const keys = await t.graphql(`{ me { consumer { apiKeys { id prefix } } } }`, {}, citizen);
    expect(keys.body.data?.me?.consumer?.apiKeys ?? null).toBeNull();
    expect(keys.body.errors!.some((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.slice(0, 2).join('.') === 'me.consumer')).toBe(true);
    for (const key of portalKeys) {
      expect(JSON.stringify(keys.body)).not.toContain(key.id);
      expect(JSON.stringify(keys.body)).not.toContain(key.prefix);
    }
  });

  it("a consumer token cannot name a steward's application (stewards sign in as stewards)", async () => {
    const res = await t.graphql(`{ me { role } }`, {}, bearer(await jwt({ role: 'consumer', sub: 'officer-7', consumer: 'data-steward' })));
    expect(res.status).toBe(401);
    expect(res.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });
});

describe('audit records carry actor and role, in the hash chain (SPEC §6)', () => {
  it('an API key read with X-On-Behalf-Of is recorded as the consumer, the officer beside it', async () => {
    const reader = await createReader(t, { fields: ['Citizen.name'] });
    const res = await t.graphql(`{ citizen(id: "${DEMO}") { name } }`, {}, { ...reader.headers, 'x-on-behalf-of': 'chief-bob' });
    expect(typeof res.body.data.citizen.name).toBe('string');
    expect(await auditRecordsOf(res.headers['x-request-id'] as string)).toEqual([
      expect.objectContaining({ actor: reader.consumerId, role: 'consumer', officer: 'chief-bob', consumerId: reader.consumerId, citizenId: DEMO }),
    ]);
  });

  it('a citizen reading their own data is recorded as the citizen, through the portal', async () => {
    const res = await t.graphql(`{ citizen(id: "${DEMO}") { name } }`, {}, bearer(await jwt({ role: 'citizen', sub: DEMO, consumer: 'citizen-portal' })));
    expect(typeof res.body.data.citizen.name).toBe('string');
    expect(await auditRecordsOf(res.headers['x-request-id'] as string)).toEqual([
      expect.objectContaining({ actor: DEMO, role: 'citizen', officer: DEMO, consumerId: 'citizen-portal', citizenId: DEMO }),
    ]);
  });

  it('the chain verifies after new records, and covers their actor, role and chain version', async () => {
    const reader = await createReader(t, { fields: ['Citizen.name'] });
    const res = await t.graphql(`{ citizen(id: "${DEMO}") { name } }`, {}, reader.headers);
    const [record] = await auditRecordsOf(res.headers['x-request-id'] as string);
    const verify = async () => (await t.graphql(`{ verifyAudit { ok firstBrokenId problem } }`, {}, STEWARD)).body.data.verifyAudit;
    expect(await verify()).toMatchObject({ ok: true });
    await t.dbs.hub.rows(sql`alter table hub.audit_log disable trigger user`);
    try {
      for (const [column, value, restore] of [
        ['actor', 'someone-else', reader.consumerId],
        ['role', 'steward', 'consumer'],
        // Passing a record off as an older version, whose hash covers less.
        ['chain_version', 1, 3],
        ['chain_version', 2, 3],
        // The data subject is covered too (chain version 3).
        ['subject_id', '11010519491231002X', DEMO],
      ] as const) {
        await t.dbs.hub.rows(sql`update hub.audit_log set ${sql.identifier(column)} = ${value} where id = ${record.id}`);
        expect(await verify()).toMatchObject({ ok: false, firstBrokenId: record.id });
        await t.dbs.hub.rows(sql`update hub.audit_log set ${sql.identifier(column)} = ${restore} where id = ${record.id}`);
      }
    } finally {
      await t.dbs.hub.rows(sql`alter table hub.audit_log enable trigger user`);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });
});

describe('stewards hold no grants on personal fields', () => {
  const grant = `mutation($input: GrantInput!) { grantAccess(input: $input) { id } }`;
  const stewardGrants = async () => (await t.dbs.hub.rows<{ n: number }>(sql`select count(*)::int as n from hub.grants where consumer_id = 'data-steward'`))[0].n;

  it("grantAccess of a PERSONAL or SENSITIVE field to a steward's application is BAD_USER_INPUT, with every problem at once, writing nothing", async () => {
    const before = await stewardGrants();
    const personal = await t.graphql(grant, { input: { consumerId: 'data-steward', field: 'Citizen.phone', purposes: ['STATISTICS'] } }, STEWARD);
    expect(personal.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.field' });
    expect(personal.body.errors![0].message).toMatch(/stewards read no personal data/);
    const sensitive = await t.graphql(grant, { input: { consumerId: 'data-steward', field: 'Citizen.household', purposes: ['CURIOSITY'], condition: 'ACTIVE_CASE' } }, STEWARD);
    expect(sensitive.body.errors![0].extensions!.problems.map((p: any) => p.argument).sort()).toEqual(['input.field', 'input.purposes[0]']);
    expect(await stewardGrants()).toBe(before);
  });

  it("approving a steward application's request for personal fields is BAD_USER_INPUT naming each field; rejecting it works", async () => {
    // A request on record from before the rule (requestAccess is for consumers; a steward's application cannot sign in as one).
    const request = await createHubStore(t.dbs.hub).insertAccessRequest({
      consumerId: 'data-steward',
      fields: ['Citizen.phone', 'Citizen.name'],
      purpose: 'STATISTICS',
      justification: 'Checking data quality of the register.',
      requestedBy: 'data-steward',
    });
    const before = await stewardGrants();
    const decide = `mutation($id: ID!, $approve: Boolean!) { decideAccessRequest(id: $id, approve: $approve) { status } }`;
    const approved = await t.graphql(decide, { id: request.id, approve: true }, STEWARD);
    expect(approved.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const problems = approved.body.errors![0].extensions!.problems;
    expect(problems).toHaveLength(2);
    expect(problems.map((p: any) => p.message).join(' ')).toMatch(/Citizen\.phone.*Citizen\.name/);
    expect(await stewardGrants()).toBe(before);
    expect((await t.graphql(decide, { id: request.id, approve: false }, STEWARD)).body.data.decideAccessRequest.status).toBe('REJECTED');
  });
});

describe('the bootstrap key', () => {
  let b: TestHub;
  beforeAll(async () => {
    // A database of its own: this test revokes the demo steward's key.
    b = await startTestHub();
  });
  afterAll(() => b?.close());

  it('is refused once a steward consumer holds an API key, works while none does, and acts as bootstrap', async () => {
    const refused = await b.graphql(`{ me { role } }`, {}, BOOTSTRAP);
    expect(refused.status).toBe(401);
    expect(refused.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(refused.body.errors![0].message).toMatch(/steward API key/);

    // The demo steward revokes every steward key, its own last.
    const consumers = (await b.graphql(`{ consumers { id role apiKeys { id revokedAt } } }`, {}, STEWARD)).body.data.consumers;
    const stewardKeys = consumers.filter((c: any) => c.role === 'steward').flatMap((c: any) => c.apiKeys.filter((k: any) => k.revokedAt === null).map((k: any) => k.id));
    expect(stewardKeys.length).toBeGreaterThan(0);
    for (const id of stewardKeys) expect((await b.graphql(`mutation($id: ID!) { revokeApiKey(id: $id) }`, { id }, STEWARD)).body.data.revokeApiKey).toBe(true);

    const reader = await createReaderWith(b, BOOTSTRAP);
    const granted = await b.graphql(
      `mutation($input: GrantInput!) { grantAccess(input: $input) { grantedBy officer } }`,
      { input: { consumerId: reader, field: 'Citizen.name', purposes: ['STATISTICS'] } },
      { ...BOOTSTRAP, 'x-on-behalf-of': 'chief-bob' },
    );
    expect(granted.body.data.grantAccess).toEqual({ grantedBy: 'bootstrap', officer: 'chief-bob' });

    const issued = await b.graphql(`mutation { issueApiKey(consumerId: "data-steward") { key } }`, {}, BOOTSTRAP);
    const stewardKey = bearer(issued.body.data.issueApiKey.key);
    const after = await b.graphql(`{ me { role } }`, {}, BOOTSTRAP);
    expect(after.status).toBe(401);
    expect(after.body.errors![0].message).toMatch(/steward API key/);
    expect((await b.graphql(`{ me { role } }`, {}, stewardKey)).body.data.me.role).toBe('steward');
  });
});

/** Registers a consumer with the given steward headers; returns its id. */
async function createReaderWith(hub: TestHub, headers: Record<string, string>): Promise<string> {
  const id = `reader-${randomBytes(4).toString('hex')}`;
  const res = await hub.graphql(`mutation { createConsumer(input: { id: "${id}", name: "Reader", department: "licensing" }) { id } }`, {}, headers);
  expect(res.body.errors).toBeUndefined();
  return id;
}

describe('JWT issuer, audience and lifetime', () => {
  const status = async (hub: TestHub, claims: Record<string, unknown>) => {
    const res = await hub.graphql(`{ me { role } }`, {}, bearer(await jwt({ role: 'steward', sub: 'officer-1', ...claims })));
    return { status: res.status, message: res.body.errors?.[0]?.message ?? null, code: res.body.errors?.[0]?.extensions?.code ?? null };
  };

  it('by default: iat is required, at most 12 hours between iat and exp, no iat in the future', async () => {
    const now = nowSeconds();
    expect((await status(t, {})).status).toBe(200);
    expect(await status(t, { iat: undefined })).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: expect.stringContaining('"iat"') });
    expect((await status(t, { iat: now, exp: now + 43_200 })).status).toBe(200);
    expect(await status(t, { iat: now, exp: now + 43_201 })).toMatchObject({ status: 401, message: expect.stringContaining('AUTH_JWT_MAX_TTL') });
    expect(await status(t, { iat: now - 40_000, exp: now + 40_000 })).toMatchObject({ status: 401, message: expect.stringContaining('AUTH_JWT_MAX_TTL') });
    expect(await status(t, { iat: now + 600, exp: now + 900 })).toMatchObject({ status: 401, message: expect.stringContaining('future') });
    // A few seconds of clock skew are tolerated.
    expect((await status(t, { iat: now + 5 })).status).toBe(200);
  });

  it('with AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE and AUTH_JWT_MAX_TTL set, a token must match them', async () => {
    const strict = await startTestHub({ AUTH_JWT_ISSUER: 'https://idp.example.gov', AUTH_JWT_AUDIENCE: 'oncegraph', AUTH_JWT_MAX_TTL: '600' }, await reopenDatabases(t.db));
    try {
      const ok = { iss: 'https://idp.example.gov', aud: 'oncegraph' };
      expect((await status(strict, ok)).status).toBe(200);
      expect((await status(strict, { ...ok, aud: ['other-service', 'oncegraph'] })).status).toBe(200);
      expect(await status(strict, { ...ok, iss: 'https://evil.example' })).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: expect.stringContaining('"iss"') });
      expect(await status(strict, { ...ok, iss: undefined })).toMatchObject({ status: 401, message: expect.stringContaining('"iss"') });
      expect(await status(strict, { ...ok, aud: 'other-service' })).toMatchObject({ status: 401, message: expect.stringContaining('"aud"') });
      expect(await status(strict, { ...ok, aud: undefined })).toMatchObject({ status: 401, message: expect.stringContaining('"aud"') });
      expect(await status(strict, { ...ok, exp: nowSeconds() + 601 })).toMatchObject({ status: 401, message: expect.stringContaining('AUTH_JWT_MAX_TTL') });
      // The default hub does not check iss and aud.
      expect((await status(t, { iss: 'https://evil.example', aud: 'other-service' })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('configuration: AUTH_JWT_MAX_TTL defaults to 43200 seconds and must be a positive whole number', () => {
    expect(loadConfig({}).AUTH_JWT_MAX_TTL).toBe(43_200);
    expect(loadConfig({ AUTH_JWT_ISSUER: 'https://idp.example.gov', AUTH_JWT_AUDIENCE: 'oncegraph' })).toMatchObject({ AUTH_JWT_ISSUER: 'https://idp.example.gov', AUTH_JWT_AUDIENCE: 'oncegraph' });
    expect(() => loadConfig({ AUTH_JWT_MAX_TTL: 'a day' })).toThrow(/AUTH_JWT_MAX_TTL/);
    expect(() => loadConfig({ AUTH_JWT_MAX_TTL: '0' })).toThrow(/AUTH_JWT_MAX_TTL/);
  });
});

describe('audit records written before migration 0004_identity', () => {
  /** An empty hub database: a new database on the test server, or a new PGlite. */
  async function emptyHubDatabase(): Promise<{ hub: Database; migrateTo(folder: string): Promise<void>; drop(): Promise<void> }> {
    const config = (folder: string) => ({ migrationsFolder: folder, migrationsSchema: 'drizzle', migrationsTable: '__migrations_hub' });
    const templateUrl = inject('templateDatabaseUrl');
    if (templateUrl) {
      const name = `og_test_old_${randomBytes(6).toString('hex')}`;
      const admin = postgres(withDatabase(templateUrl, 'postgres'), { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      const url = withDatabase(templateUrl, name);
      const hub = connect('hub', { url, timeoutMs: 10_000, poolSize: 2 });
      const migrator = postgres(url, { max: 1, onnotice: () => {} });
      return {
        hub,
        migrateTo: (folder) => migratePostgres(drizzlePostgres(migrator), config(folder)),
        async drop() {
          await hub.close();
          await migrator.end();
          await admin.unsafe(`drop database if exists ${name} with (force)`);
          await admin.end();
        },
      };
    }
    const pg = await PGlite.create();
    return { hub: connect('hub', { embedded: pg }), migrateTo: (folder) => migratePglite(drizzlePglite(pg), config(folder)), drop: () => pg.close() };
  }

  /** migrations/hub as it was before 0004_identity: the same files, the journal cut after 0003. */
  function migrationsBefore0004(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'oncegraph-hub-0003-'));
    cpSync('migrations/hub', dir, { recursive: true });
    const journal = JSON.parse(readFileSync(path.join(dir, 'meta/_journal.json'), 'utf8'));
    journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= 3);
    expect(journal.entries.at(-1).tag).toBe('0003_audit_service');
    writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal));
    return dir;
  }

  it('still verify after the migration, with actor and role filled in, and new records chain after them in version 2', async () => {
    const db = await emptyHubDatabase();
    const folder = migrationsBefore0004();
    try {
      await db.migrateTo(folder);
      await db.hub.rows(sql`insert into hub.consumers (id, name, department, role, created_by) values
        ('licensing-desk', 'Licensing desk', 'licensing', 'consumer', 'test'), ('data-steward', 'Steward', 'registry', 'steward', 'test')`);
      // Records as the code before 0004 wrote them: no actor or role, hashed in the version 1 form.
      const old = [
        { consumerId: 'licensing-desk', department: 'licensing', officer: null, citizenId: '110101199003070011' },
        { consumerId: 'licensing-desk', department: 'licensing', officer: 'officer-li', citizenId: '110101199003070011' },
        { consumerId: 'citizen-portal', department: 'service-center', officer: DEMO, citizenId: DEMO },
        { consumerId: 'data-steward', department: 'registry', officer: null, citizenId: DEMO },
        { consumerId: null, department: null, officer: null, citizenId: DEMO },
      ];
      let prevHash = GENESIS_HASH;
      for (const [i, r] of old.entries()) {
        const id = i + 1;
        const content = {
          at: new Date(Date.UTC(2026, 0, 5, 9, 0, i)).toISOString(),
          requestId: `old-${id}`,
          ...r,
          purpose: 'STATISTICS',
          caseRef: null,
          operationName: null,
          operationHash: 'a'.repeat(64),
          fieldsReturned: ['Citizen.name'],
          fieldsDenied: [],
          outcome: 'GRANTED',
          serviceCode: null,
        } as const;
        const hash = recordHash(id, content as unknown as AuditContent, prevHash, 1);
        await db.hub.rows(sql`insert into hub.audit_log (id, at, request_id, consumer_id, department, officer, purpose, case_ref, operation_name, operation_hash,
          citizen_id, fields_returned, fields_denied, outcome, service_code, prev_hash, hash) values (${id}, ${content.at}, ${content.requestId}, ${content.consumerId},
          ${content.department}, ${content.officer}, ${content.purpose}, null, null, ${content.operationHash}, ${content.citizenId}, '{Citizen.name}', '{}', 'GRANTED', null, ${prevHash}, ${hash})`);
        prevHash = hash;
      }
      // Before: the chain as the old verifier saw it, read back from the database.
      const stored = await db.hub.rows<Record<string, any>>(sql`select * from hub.audit_log order by id`);
      let expected = GENESIS_HASH;
      for (const row of stored) {
        const content = {
          at: isoInstant(row.at), requestId: row.request_id, consumerId: row.consumer_id, department: row.department, officer: row.officer, purpose: row.purpose,
          caseRef: row.case_ref, operationName: row.operation_name, operationHash: row.operation_hash, citizenId: row.citizen_id,
          fieldsReturned: row.fields_returned, fieldsDenied: row.fields_denied, outcome: row.outcome, serviceCode: row.service_code,
        } as unknown as AuditContent;
        expect(row.prev_hash).toBe(expected);
        expect(recordHash(Number(row.id), content, row.prev_hash, 1)).toBe(row.hash);
        expected = row.hash;
      }

      await migrateSource(db.hub);
      const audit = createAuditStore(db.hub);
      expect(await verifyAuditChain(audit)).toEqual({ ok: true, checked: old.length, firstBrokenId: null, problem: null });
      const filled = await db.hub.rows<{ actor: string; role: string; chain_version: number }>(sql`select actor, role, chain_version from hub.audit_log order by id`);
      expect(filled).toEqual([
        { actor: 'licensing-desk', role: 'consumer', chain_version: 1 },
        { actor: 'officer-li', role: 'consumer', chain_version: 1 },
        { actor: DEMO, role: 'citizen', chain_version: 1 },
        { actor: 'data-steward', role: 'steward', chain_version: 1 },
        { actor: 'unknown', role: 'steward', chain_version: 1 },
      ]);

      const fresh: AuditContent = {
        at: new Date().toISOString(), requestId: 'new-1', consumerId: 'licensing-desk', department: 'licensing', actor: 'licensing-desk', role: 'consumer',
        officer: 'chief-bob', purpose: 'STATISTICS', caseRef: null, operationName: null, operationHash: 'b'.repeat(64),
        subjectType: 'CITIZEN', subjectId: DEMO, citizenId: DEMO,
        fieldsReturned: ['Citizen.name'], fieldsDenied: [], outcome: 'GRANTED', serviceCode: null,
      };
      await audit.append((lastId, lastHash) => chain([fresh, { ...fresh, requestId: 'new-2' }], lastId, lastHash));
      expect(await verifyAuditChain(audit)).toMatchObject({ ok: true, checked: old.length + 2 });
      const versions = await db.hub.rows<{ chain_version: number }>(sql`select chain_version from hub.audit_log order by id`);
      expect(versions.map((v) => v.chain_version)).toEqual([1, 1, 1, 1, 1, 3, 3]);
      // Migration 0005 named every old record's subject: the citizen its hash covers.
      const subjects = await db.hub.rows<{ subject_type: string; subject_id: string; citizen_id: string }>(sql`select subject_type, subject_id, citizen_id from hub.audit_log where chain_version = 1 order by id`);
      expect(subjects.every((r) => r.subject_type === 'CITIZEN' && r.subject_id === r.citizen_id)).toBe(true);
      // An old record's subject is outside its hash: changing it afterwards is still caught.
      await db.hub.rows(sql`alter table hub.audit_log disable trigger audit_log_no_update_delete`);
      await db.hub.rows(sql`update hub.audit_log set subject_id = '11010519491231002X' where id = 2`);
      await db.hub.rows(sql`alter table hub.audit_log enable trigger audit_log_no_update_delete`);
      expect(await verifyAuditChain(audit)).toMatchObject({ ok: false, firstBrokenId: 2 });
    } finally {
      rmSync(folder, { recursive: true, force: true });
      await db.drop();
    }
  });
});
