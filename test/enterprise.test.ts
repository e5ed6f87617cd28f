/**
 * The enterprise registry as a department source (issue 12 §2): credit codes
 * checked before any query, batches in the order asked, public registration
 * facts and personal representative data, links to the other departments
 * batched per level, and an outage that takes only the enterprise fields down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createReader, createTestDatabases, startTestHub, STEWARD, type TestDatabases, type TestHub } from './setup/hub.js';
import { TcpProxy } from './setup/proxy.js';
import { buildHubSchema } from '../src/graph/schema.js';
import { everyDatabaseAt, openDatabases } from '../src/db/databases.js';
import { SOURCE_NAMES, type SourceName } from '../src/db/sources.js';
import { DEMO, generateDemoData } from '../src/seed/generate.js';
import { SERVICES } from '../src/seed/reference.js';
import { creditCodeCheckChar, creditCodeFor, isValidCreditCode, organisationCodeCheckChar } from '../src/sources/enterprise/creditCode.js';

const COMPANY = DEMO.enterpriseId;
const SHOP = DEMO.closedEnterpriseId;
/** A well-formed credit code that no seeded enterprise has (seeded sequences stay far below this one). */
const UNKNOWN = creditCodeFor('ENTERPRISE', '610113', 500_000_000);

/** A code with its final check character recomputed after `first17` was changed. */
const withCheck = (first17: string) => first17 + creditCodeCheckChar(first17);

/** No statement to any database (the hub's included). */
const NONE = Object.fromEntries(SOURCE_NAMES.map((s) => [s, 0])) as Record<SourceName, number>;

const PUBLIC_FACTS = 'id name kind status establishedOn registeredCapital address businessScope';

let t: TestHub;
/** A market-regulation consumer granted every grantable field, for STATISTICS. */
let reader: Record<string, string>;
/** A consumer with no grant at all. */
let nobody: Record<string, string>;

beforeAll(async () => {
  t = await startTestHub();
  reader = (await createReader(t, { department: 'market-regulation' })).headers;
  nobody = (await createReader(t, { department: 'market-regulation', fields: [] })).headers;
});
afterAll(() => t?.close());

describe('unified social credit codes', () => {
  it('accepts published codes and rejects a code with either check character wrong', () => {
    for (const code of ['91350100M000100Y43', '9144030071526726XG', '914403001922038216', COMPANY, SHOP, UNKNOWN]) expect(isValidCreditCode(code), code).toBe(true);
    // The organisation code's own check character (position 17) wrong, the final one recomputed to match.
    const badOrganisation = withCheck(COMPANY.slice(0, 16) + (COMPANY[16] === '0' ? '1' : '0'));
    expect(organisationCodeCheckChar(COMPANY.slice(8, 16))).toBe(COMPANY[16]);
    expect(isValidCreditCode(badOrganisation)).toBe(false);
    expect(isValidCreditCode(COMPANY.slice(0, 17) + (COMPANY[17] === 'W' ? 'X' : 'W'))).toBe(false);
  });

  it('rejects a malformed code as BAD_USER_INPUT naming the argument, before any query', async () => {
    const malformed = [
      COMPANY.slice(0, 17) + (COMPANY[17] === 'W' ? 'X' : 'W'), // final check character
      withCheck(COMPANY.slice(0, 16) + (COMPANY[16] === '0' ? '1' : '0')), // organisation code check character
      withCheck(`B1${COMPANY.slice(2, 17)}`), // no such registration authority
      withCheck(`94${COMPANY.slice(2, 17)}`), // market regulation has no organisation type 4
      withCheck(`91${'61011X'}${COMPANY.slice(8, 17)}`), // region code not six digits
      COMPANY.toLowerCase(),
      COMPANY.slice(0, 17),
      `${COMPANY}0`,
      'I1610113MA06A5AG5W', // I is not in the code's alphabet
    ];
    t.statementsSince();
    for (const bad of malformed) {
      const one = await t.graphql(`query($id: ID!) { enterprise(id: $id) { id } }`, { id: bad }, reader);
      expect(one.body, bad).toEqual({
        data: { enterprise: null },
        errors: [expect.objectContaining({ path: ['enterprise'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'id' }) })],
      });
      const many = await t.graphql(`query($ids: [ID!]!) { enterprises(ids: $ids) { id } }`, { ids: [COMPANY, bad] }, reader);
      expect(many.body.data, bad).toBeNull();
      expect(many.body.errors!.map((e) => e.extensions!.argument), bad).toEqual(['ids[1]']);
      expect(many.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    }
    expect(t.statementsSince()).toEqual(NONE);
  });

  it('refuses more than 100 codes in one request, before any query', async () => {
    t.statementsSince();
    const res = await t.graphql(`query($ids: [ID!]!) { enterprises(ids: $ids) { id } }`, { ids: Array(101).fill(COMPANY) }, reader);
    expect(res.body.errors!.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'ids' })]);
    expect(t.statementsSince()).toEqual(NONE);
  });
});

describe('enterprise(id) and enterprises(ids)', () => {
  it("returns the demo company's registration facts, exactly as registered", async () => {
    const res = await t.graphql(`{ enterprise(id: "${COMPANY}") { ${PUBLIC_FACTS} } }`, {}, nobody);
    expect(res.body).toEqual({
      data: {
        enterprise: {
          id: COMPANY,
          name: '西安秦磊网络科技有限公司',
          kind: 'LIMITED_LIABILITY_COMPANY',
          status: 'ACTIVE',
          establishedOn: '2019-04-16',
          registeredCapital: 1_000_000,
          address: '西安市雁塔区科技路48号创业广场B座11层1106室',
          businessScope: '软件开发；信息技术咨询服务；网络技术服务；计算机系统服务',
        },
      },
    });
  });

  it('returns null for a well-formed code the registry does not hold', async () => {
    const res = await t.graphql(`query($id: ID!) { enterprise(id: $id) { id } }`, { id: UNKNOWN }, reader);
    expect(res.body).toEqual({ data: { enterprise: null } });
  });

  it('answers in the order asked, with null where unknown and repeats kept, in one statement', async () => {
    const [a, b] = (await t.dbs.enterprise.rows<{ id: string }>(sql`select id from enterprise.enterprises where id not in (${COMPANY}, ${SHOP}) order by id limit 2`)).map((r) => r.id);
    t.statementsSince();
    const res = await t.graphql(`query($ids: [ID!]!) { enterprises(ids: $ids) { id } }`, { ids: [b, UNKNOWN, a, b, COMPANY] }, reader);
    expect(res.body).toEqual({ data: { enterprises: [{ id: b }, null, { id: a }, { id: b }, { id: COMPANY }] } });
    expect(t.statementsSince()).toEqual({ ...NONE, enterprise: 1 });
    const empty = await t.graphql(`{ enterprises(ids: []) { id } }`, {}, reader);
    expect(empty.body).toEqual({ data: { enterprises: [] } });
  });
});

describe('classification', () => {
  it('declares registration facts PUBLIC, the representative and contact PERSONAL, the links as documented', () => {
    const { catalogue } = buildHubSchema();
    const levels = Object.fromEntries(
      [...catalogue.values()]
        .filter((f) => f.typeName === 'Enterprise' || ['Citizen.enterprises', 'License.enterprise', 'Case.enterprise', 'Query.enterprise', 'Query.enterprises'].includes(f.name))
        .map((f) => [f.name, f.level]),
    );
    expect(levels).toEqual({
      'Query.enterprise': 'PUBLIC',
      'Query.enterprises': 'PUBLIC',
      'Enterprise.id': 'PUBLIC',
      'Enterprise.name': 'PUBLIC',
      'Enterprise.kind': 'PUBLIC',
      'Enterprise.status': 'PUBLIC',
      'Enterprise.establishedOn': 'PUBLIC',
      'Enterprise.registeredCapital': 'PUBLIC',
      'Enterprise.address': 'PUBLIC',
      'Enterprise.businessScope': 'PUBLIC',
      'Enterprise.legalRepresentativeName': 'PERSONAL',
      'Enterprise.contactPhone': 'PERSONAL',
      'Enterprise.legalRepresentative': 'PERSONAL',
      'Enterprise.licenses': 'INTERNAL',
      'Enterprise.cases': 'PERSONAL',
      'Citizen.enterprises': 'PERSONAL',
      'License.enterprise': 'PUBLIC',
      'Case.enterprise': 'PERSONAL',
    });
  });

  it('serves the public facts and licenses to a consumer without grants, and withholds each personal field with FORBIDDEN at its path', async () => {
    const res = await t.graphql(
      `{ enterprise(id: "${COMPANY}") { ${PUBLIC_FACTS} licenses { kind status } legalRepresentativeName contactPhone legalRepresentative { __typename } cases { number } } }`,
      {},
      nobody,
    );
    const e = res.body.data.enterprise;
    expect(e).toMatchObject({ id: COMPANY, name: '西安秦磊网络科技有限公司', status: 'ACTIVE', licenses: [{ kind: 'BUSINESS', status: 'ACTIVE' }] });
    expect([e.legalRepresentativeName, e.contactPhone, e.legalRepresentative, e.cases]).toEqual([null, null, null, null]);
    const denied = res.body.errors!.map((err) => ({ path: err.path!.join('.'), ...err.extensions })).sort((x, y) => x.path.localeCompare(y.path));
    expect(denied).toEqual(
      ['cases', 'contactPhone', 'legalRepresentative', 'legalRepresentativeName'].map((field) => ({
        path: `enterprise.${field}`,
        code: 'FORBIDDEN',
        field: `Enterprise.${field}`,
        reason: 'NO_GRANT',
      })),
    );
  });

  it('serves the representative and contact to a consumer granted them', async () => {
    const res = await t.graphql(`{ enterprise(id: "${COMPANY}") { legalRepresentativeName contactPhone legalRepresentative { id name } } }`, {}, reader);
    expect(res.body).toEqual({
      data: { enterprise: { legalRepresentativeName: '王磊', contactPhone: '029-88231567', legalRepresentative: { id: DEMO.citizenId, name: '王磊' } } },
    });
  });

  it('keeps the personal fields from a steward, who reads the public facts', async () => {
    const res = await t.graphql(`{ enterprise(id: "${COMPANY}") { name legalRepresentativeName } }`, {}, STEWARD);
    expect(res.body.data.enterprise).toEqual({ name: '西安秦磊网络科技有限公司', legalRepresentativeName: null });
    expect(res.body.errors!.map((e) => e.extensions)).toEqual([{ code: 'FORBIDDEN', field: 'Enterprise.legalRepresentativeName', reason: 'NO_GRANT' }]);
  });
});

describe('links to the other departments', () => {
  it('lists the enterprises a citizen represents, oldest first', async () => {
    const res = await t.graphql(`{ citizen(id: "${DEMO.citizenId}") { enterprises { id status legalRepresentative { id } } } }`, {}, reader);
    expect(res.body).toEqual({
      data: {
        citizen: {
          enterprises: [
            { id: SHOP, status: 'DEREGISTERED', legalRepresentative: { id: DEMO.citizenId } },
            { id: COMPANY, status: 'ACTIVE', legalRepresentative: { id: DEMO.citizenId } },
          ],
        },
      },
    });
  });

  it("joins an enterprise's licenses both ways: held by the enterprise, with no citizen holder", async () => {
    const rows = await t.dbs.licensing.rows<{ number: string; kind: string; status: string }>(
      sql`select number, kind, status from licensing.licenses where enterprise_id = ${SHOP} order by issued_on desc, number`,
    );
    expect(rows.map((r) => [r.kind, r.status])).toEqual([['FOOD_BUSINESS', 'REVOKED'], ['BUSINESS', 'REVOKED']]);
    const res = await t.graphql(`{ enterprise(id: "${SHOP}") { licenses { number kind status holder { id } enterprise { id } } } }`, {}, reader);
    expect(res.body).toEqual({
      data: { enterprise: { licenses: rows.map((r) => ({ number: r.number, kind: r.kind, status: r.status, holder: null, enterprise: { id: SHOP } })) } },
    });
    const one = await t.graphql(`{ license(number: "${rows[1].number}") { kind enterprise { name status } } }`, {}, nobody);
    expect(one.body).toEqual({ data: { license: { kind: 'BUSINESS', enterprise: { name: '西安市雁塔区王记凉皮店', status: 'DEREGISTERED' } } } });
    const personal = await t.graphql(`{ license(number: "${DEMO.drivingLicense}") { enterprise { id } holder { id } } }`, {}, reader);
    expect(personal.body).toEqual({ data: { license: { enterprise: null, holder: { id: DEMO.citizenId } } } });
  });

  it("joins an enterprise's cases both ways, newest first; a personal case has no enterprise", async () => {
    const numbers = (await t.dbs.cases.rows<{ number: string }>(sql`select number from cases.cases where enterprise_id = ${COMPANY} order by submitted_at desc, number desc`)).map((r) => r.number);
    expect(numbers[0]).toBe(DEMO.openEnterpriseCase);
    const res = await t.graphql(`{ enterprise(id: "${COMPANY}") { cases { number enterprise { id } applicant { id } } } }`, {}, reader);
    expect(res.body).toEqual({ data: { enterprise: { cases: numbers.map((number) => ({ number, enterprise: { id: COMPANY }, applicant: { id: DEMO.citizenId } })) } } });
    const open = await t.graphql(`{ case(number: "${DEMO.openEnterpriseCase}") { department status service { code serviceObject } enterprise { id } } }`, {}, reader);
    expect(open.body).toEqual({
      data: { case: { department: 'market-regulation', status: 'IN_REVIEW', service: { code: 'ENTERPRISE_CHANGE_REGISTRATION', serviceObject: 'ENTERPRISE' }, enterprise: { id: COMPANY } } },
    });
    const personal = await t.graphql(`{ case(number: "${DEMO.openBenefitCase}") { enterprise { id } } }`, {}, reader);
    expect(personal.body).toEqual({ data: { case: { enterprise: null } } });
  });

  it('sends one statement per source and level, whatever the number of enterprises', async () => {
    const query = `query($ids: [ID!]!) { enterprises(ids: $ids) { name legalRepresentative { name enterprises { id } }
      licenses { number enterprise { name } } cases { number events { status } enterprise { id } } } }`;
    // Enterprises with cases (every enterprise has a business license, every case an event): each level has rows to load.
    const busy = (await t.dbs.cases.rows<{ id: string }>(sql`select distinct enterprise_id as id from cases.cases where enterprise_id is not null order by 1`)).map((r) => r.id);
    expect(busy.length).toBeGreaterThanOrEqual(30);
    await t.graphql(query, { ids: busy.slice(0, 1) }, reader); // the audit writer reads the chain's head once, then knows it
    const counts = [];
    for (const n of [1, 10, 100]) {
      // Fewer busy enterprises than 100 in the test district: the list repeats, as a caller's may.
      const ids = Array.from({ length: n }, (_, i) => busy[i % busy.length]);
      t.statementsSince();
      const res = await t.graphql(query, { ids }, reader);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.enterprises).toHaveLength(n);
      expect(res.body.data.enterprises.every((e: any) => e.cases.length > 0 && e.licenses.length > 0 && e.legalRepresentative.enterprises.length > 0)).toBe(true);
      counts.push(t.statementsSince());
    }
    // enterprise: the enterprises, then the representatives' enterprises (License.enterprise and Case.enterprise
    // come from the loader's cache); registry: representatives; licensing: licenses; cases: cases, then events;
    // hub: one audit insert however many subjects were read.
    expect(counts).toEqual([1, 10, 100].map(() => ({ ...NONE, hub: 1, enterprise: 2, registry: 1, licensing: 1, cases: 2 })));
  });
});

describe('services by service object', () => {
  it('filters the catalogue by service object, and maps enterprise forms to Enterprise and License fields', async () => {
    const res = await t.graphql(`{ enterprise: services(serviceObject: ENTERPRISE) { code serviceObject dataItems { field } }
      person: services(serviceObject: PERSON) { code serviceObject } all: services { code } }`, {}, nobody);
    const { enterprise, person, all } = res.body.data;
    const sortedCodes = (object: string) => SERVICES.filter((s) => s.serviceObject === object).map((s) => s.code).sort();
    expect(enterprise.map((s: any) => s.code).sort()).toEqual(sortedCodes('ENTERPRISE'));
    expect(person.map((s: any) => s.code).sort()).toEqual(sortedCodes('PERSON'));
    expect(enterprise.length).toBeGreaterThanOrEqual(6);
    expect(enterprise.every((s: any) => s.serviceObject === 'ENTERPRISE') && person.every((s: any) => s.serviceObject === 'PERSON')).toBe(true);
    expect(all.length).toBe(enterprise.length + person.length);
    const fields = new Set(enterprise.flatMap((s: any) => s.dataItems.map((i: any) => i.field)).filter(Boolean));
    expect([...fields].filter((f) => !/^(Enterprise|License)\./.test(f as string))).toEqual([]);
    expect([...fields]).toEqual(expect.arrayContaining(['Enterprise.name', 'Enterprise.address', 'Enterprise.legalRepresentativeName']));
    const food = await t.graphql(`{ services(theme: "food-safety", serviceObject: ENTERPRISE) { code } }`, {}, nobody);
    expect(food.body.data.services.map((s: any) => s.code).sort()).toEqual(SERVICES.filter((s) => s.theme === 'food-safety').map((s) => s.code).sort());
  });
});

describe('the demo district', () => {
  it('generates the same enterprises, licenses and cases from the same seed, and others from another seed', () => {
    const world = (seed: number) => [...generateDemoData({ citizens: 2000, seed })].map(({ enterprises, licenses, cases }) => ({ enterprises, licenses, cases }));
    const first = world(7);
    expect(world(7)).toEqual(first);
    expect(first.flatMap((c) => c.enterprises).length).toBeGreaterThan(0);
    expect(world(8).flatMap((c) => c.enterprises).map((e) => e.name)).not.toEqual(first.flatMap((c) => c.enterprises).map((e) => e.name));
  });

  it('gives every enterprise a valid code and a living adult representative from the registry; licenses of businesses belong to enterprises', async () => {
    const enterprises = await t.dbs.enterprise.rows<{ id: string; legal_representative_id: string; legal_representative_name: string; established_on: string }>(
      sql`select id, legal_representative_id, legal_representative_name, established_on::text from enterprise.enterprises order by id`,
    );
    expect(enterprises.filter((e) => !isValidCreditCode(e.id))).toEqual([]);
    const citizens = new Map(
      (await t.dbs.registry.rows<{ id: string; name: string; birth_date: string; status: string }>(sql`select id, name, birth_date::text, status from registry.citizens`)).map((c) => [c.id, c]),
    );
    const misfits = enterprises.filter((e) => {
      const representative = citizens.get(e.legal_representative_id);
      const ageAtEstablishment = representative ? Number(e.established_on.slice(0, 4)) - Number(representative.birth_date.slice(0, 4)) : 0;
      return !representative || representative.status !== 'ALIVE' || representative.name !== e.legal_representative_name || ageAtEstablishment < 19;
    });
    expect(misfits).toEqual([]);
    const held = await t.dbs.licensing.rows<{ kind: string; by: string; n: number }>(
      sql`select kind, case when enterprise_id is null then 'citizen' else 'enterprise' end as by, count(*)::int as n from licensing.licenses where kind in ('BUSINESS', 'FOOD_BUSINESS') group by 1, 2 order by 1, 2`,
    );
    expect(held.map((h) => [h.kind, h.by])).toEqual([['BUSINESS', 'enterprise'], ['FOOD_BUSINESS', 'enterprise']]);
    // Every enterprise has its business license.
    expect(held.find((h) => h.kind === 'BUSINESS')!.n).toBe(enterprises.length);
  });

  it("files each enterprise case under an ENTERPRISE service, applied for by the enterprise's representative", async () => {
    const representatives = new Map((await t.dbs.enterprise.rows<{ id: string; rep: string }>(sql`select id, legal_representative_id as rep from enterprise.enterprises`)).map((e) => [e.id, e.rep]));
    const objects = new Map((await t.dbs.cases.rows<{ code: string; object: string }>(sql`select code, service_object as object from cases.services`)).map((s) => [s.code, s.object]));
    const cases = await t.dbs.cases.rows<{ number: string; service_code: string; applicant_id: string; enterprise_id: string | null }>(
      sql`select number, service_code, applicant_id, enterprise_id from cases.cases`,
    );
    const enterpriseCases = cases.filter((c) => c.enterprise_id !== null);
    expect(enterpriseCases.length).toBeGreaterThan(0);
    expect(enterpriseCases.filter((c) => representatives.get(c.enterprise_id!) !== c.applicant_id || objects.get(c.service_code) !== 'ENTERPRISE')).toEqual([]);
    expect(cases.filter((c) => c.enterprise_id === null && objects.get(c.service_code) !== 'PERSON')).toEqual([]);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('an enterprise registry outage', () => {
  let db: TestDatabases;
  let proxy: TcpProxy;
  let down: TestHub;
  let headers: Record<string, string>;
  let companyLicense: string;

  beforeAll(async () => {
    db = await createTestDatabases();
    const direct = new URL(db.url!);
    proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(db.url!);
    proxied.port = String(proxy.port);
    const dbs = await openDatabases({ DATA_DIR: '/nonexistent', SOURCE_TIMEOUT_MS: 2000, SOURCE_POOL_SIZE: 4, ...everyDatabaseAt(db.url!), ENTERPRISE_DATABASE_URL: proxied.toString() });
    down = await startTestHub({ SOURCE_TIMEOUT_MS: '2000' }, { dbs, url: db.url, drop: () => dbs.closeAll() });
    headers = (await createReader(down, { department: 'market-regulation' })).headers;
    [{ number: companyLicense }] = await down.dbs.licensing.rows<{ number: string }>(sql`select number from licensing.licenses where enterprise_id = ${COMPANY}`);
  });
  afterAll(async () => {
    await down?.close();
    await proxy?.close();
    await db?.drop();
  });

  const QUERY = `{ citizen(id: "${DEMO.citizenId}") { name enterprises { id } licenses { number } } enterprise(id: "${COMPANY}") { name } }`;

  it('gives SOURCE_UNAVAILABLE only at the enterprise paths; the other departments answer; /readyz says enterprise is down', async () => {
    const before = await down.graphql(QUERY, {}, headers);
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data.citizen.enterprises).toEqual([{ id: SHOP }, { id: COMPANY }]);
    proxy.cut();
    const res = await down.graphql(QUERY, {}, headers);
    expect(res.body.data.citizen.name).toBe('王磊');
    expect(res.body.data.citizen.licenses).toEqual(before.body.data.citizen.licenses);
    expect(res.body.data.citizen.enterprises).toBeNull();
    expect(res.body.data.enterprise).toBeNull();
    const errors = res.body.errors!.map((e) => ({ path: e.path!.join('.'), ...e.extensions })).sort((x, y) => x.path.localeCompare(y.path));
    expect(errors).toEqual([
      { path: 'citizen.enterprises', code: 'SOURCE_UNAVAILABLE', source: 'enterprise' },
      { path: 'enterprise', code: 'SOURCE_UNAVAILABLE', source: 'enterprise' },
    ]);
    const license = await down.graphql(`{ license(number: "${companyLicense}") { status enterprise { name } } }`, {}, headers);
    expect(license.body.data).toEqual({ license: { status: 'ACTIVE', enterprise: null } });
    expect(license.body.errors!.map((e) => ({ path: e.path, ...e.extensions }))).toEqual([{ path: ['license', 'enterprise'], code: 'SOURCE_UNAVAILABLE', source: 'enterprise' }]);
    const ready = await down.hub.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().sources).toEqual({ ...Object.fromEntries(SOURCE_NAMES.map((s) => [s, 'up'])), enterprise: 'down' });
  });

  it('serves the enterprise fields again once the database is back, without a restart', async () => {
    proxy.mode = 'pass';
    const deadline = Date.now() + 15_000;
    let res = await down.graphql(QUERY, {}, headers);
    while (res.body.errors && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      res = await down.graphql(QUERY, {}, headers);
    }
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.enterprise).toEqual({ name: '西安秦磊网络科技有限公司' });
    expect((await down.hub.app.inject('/readyz')).json().sources.enterprise).toBe('up');
  });
});
