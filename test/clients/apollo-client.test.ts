/**
 * Issue 14, part 2: Apollo Client 4 (core, no React) runs the README's
 * operations against a live hub, set up as the README tells a department
 * app to: the API key in the link, the purpose per operation, entities
 * normalised by their natural keys, `errorPolicy: 'all'`.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ts from 'typescript';
import { ApolloClient, CombinedGraphQLErrors, gql, HttpLink, InMemoryCache, type TypedDocumentNode, type TypePolicies, type TypePolicy } from '@apollo/client';
import { DEMO } from '../../src/seed/generate.js';
import { citizenHeaders } from '../setup/hub.js';
import { readmeOperation, readmeTypeScript } from './readme.js';
import { startLiveHub, type LiveHub } from './live.js';

/** The README's typePolicies ("Using the hub from a client"), as a department app copies them (a test below holds the two together). */
const naturalKey = (field: string): TypePolicy['keyFields'] => (entity) => (entity[field] == null ? false : [field]);
const README_TYPE_POLICIES: TypePolicies = {
  Citizen: { keyFields: naturalKey('id') },
  License: { keyFields: naturalKey('number') },
  Case: { keyFields: naturalKey('number') },
  Enterprise: { keyFields: naturalKey('id') },
  Query: {
    fields: {
      citizen: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'Citizen', id: args?.id }) },
      license: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'License', number: args?.number }) },
      case: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'Case', number: args?.number }) },
      enterprise: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'Enterprise', id: args?.id }) },
    },
  },
};

let hub: LiveHub;
const keys = () => inject('demoKeys');

beforeAll(async () => {
  hub = await startLiveHub();
});
afterAll(async () => {
  await hub?.close();
});

/** A README operation, its answer untyped (the codegen test checks the types). */
const op = (name: string) => readmeOperation(name) as TypedDocumentNode<any, Record<string, unknown>>;

/** A client as the README sets one up, with every request it sends to the hub recorded (operation name, purpose). */
function departmentApp(headers: Record<string, string>, typePolicies: TypePolicies = README_TYPE_POLICIES) {
  const sent: { operationName: string; purpose: string | null }[] = [];
  const recording: typeof fetch = async (input, init) => {
    sent.push({ operationName: JSON.parse(String(init?.body)).operationName, purpose: new Headers(init?.headers).get('x-purpose') });
    return fetch(input, init);
  };
  const cache = new InMemoryCache({ typePolicies });
  const client = new ApolloClient({ link: new HttpLink({ uri: `${hub.url}/graphql`, fetch: recording, headers }), cache });
  return { client, cache, sent };
}

const bearer = (consumer: keyof ReturnType<typeof keys>) => ({ authorization: `Bearer ${keys()[consumer]}` });
const purpose = (code: string) => ({ headers: { 'x-purpose': code } });

/** The FORBIDDEN errors of an Apollo Client 4 result, as path, field and reason. */
function forbidden(error: unknown) {
  expect(CombinedGraphQLErrors.is(error), String(error)).toBe(true);
  return (error as CombinedGraphQLErrors).errors
    .filter((e) => e.extensions?.code === 'FORBIDDEN')
    .map((e) => ({ path: e.path, field: e.extensions?.field, reason: e.extensions?.reason }));
}

describe("the licensing desk's operations", () => {
  it('partial data with errorPolicy all: the FORBIDDEN error at its path, the masked phone masked, the rest served', async () => {
    const [{ phone, name }] = await hub.dbs.registry.rows<{ phone: string; name: string }>(sql`select phone, name from registry.citizens where id = ${DEMO.citizenId}`);
    const { client, cache } = departmentApp(bearer('licensing-desk'));
    const result = await client.query({ errorPolicy: 'all', query: op('CitizenForLicensing'), variables: { id: DEMO.citizenId }, context: purpose('LICENSE_ISSUANCE') });

    expect(result.data?.citizen).toEqual({
      __typename: 'Citizen',
      id: DEMO.citizenId,
      name,
      birthDate: '1988-07-15',
      phone: '*'.repeat(phone.length - 4) + phone.slice(-4),
      household: null,
      licenses: expect.arrayContaining([{ __typename: 'License', number: DEMO.drivingLicense, kind: 'DRIVING', status: 'ACTIVE', expiresOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]),
    });
    expect(phone.slice(0, -4)).not.toMatch(/^\**$/);
    expect(forbidden(result.error)).toEqual([{ path: ['citizen', 'household'], field: 'Citizen.household', reason: 'NO_GRANT' }]);
    expect((result.error as CombinedGraphQLErrors).errors).toHaveLength(1);
  });

  it('cache hits: the same query again is answered without a request, and a license loaded in a citizen answers license(number:)', async () => {
    const { client, cache, sent } = departmentApp(bearer('licensing-desk'));
    const CitizenForLicensing = op('CitizenForLicensing');
    const first = await client.query({ errorPolicy: 'all', query: CitizenForLicensing, variables: { id: DEMO.citizenId }, context: purpose('LICENSE_ISSUANCE') });
    expect(sent).toEqual([{ operationName: 'CitizenForLicensing', purpose: 'LICENSE_ISSUANCE' }]);

    // Normalised by natural keys: one entry per citizen and per license.
    const entries = Object.keys(cache.extract());
    expect(entries).toContain(`Citizen:{"id":"${DEMO.citizenId}"}`);
    expect(entries).toContain(`License:{"number":"${DEMO.drivingLicense}"}`);

    const again = await client.query({ errorPolicy: 'all', query: CitizenForLicensing, variables: { id: DEMO.citizenId }, fetchPolicy: 'cache-first', context: purpose('LICENSE_ISSUANCE') });
    expect(sent).toHaveLength(1);
    expect(again.data).toEqual(first.data);
    // The denial's reason came with the network answer only: from the cache, household is null without an error.
    expect(again.error).toBeUndefined();

    // LicenseStatus reads License:{"number":…} through the Query.license read function: no request either.
    const status = await client.query({ errorPolicy: 'all', query: op('LicenseStatus'), variables: { number: DEMO.drivingLicense } });
    expect(sent).toHaveLength(1);
    const loaded = (first.data as any).citizen.licenses.find((l: { number: string }) => l.number === DEMO.drivingLicense);
    expect(status.data).toEqual({ license: loaded });

    // A license unknown to the cache goes to the hub.
    const [{ number: other }] = await hub.dbs.licensing.rows<{ number: string }>(sql`select number from licensing.licenses where number <> ${DEMO.drivingLicense} order by number limit 1`);
    const fetched = await client.query({ errorPolicy: 'all', query: op('LicenseStatus'), variables: { number: other } });
    expect(sent.map((s) => s.operationName)).toEqual(['CitizenForLicensing', 'LicenseStatus']);
    expect((fetched.data as any).license.number).toBe(other);
  });

  it('one normalised citizen shared by two queries: the license holder is the citizen asked for before', async () => {
    const { client, cache, sent } = departmentApp(bearer('licensing-desk'));
    await client.query({ errorPolicy: 'all', query: op('CitizenForLicensing'), variables: { id: DEMO.citizenId }, context: purpose('LICENSE_ISSUANCE') });
    const withHolder = await client.query({ errorPolicy: 'all', query: op('LicenseWithHolder'), variables: { number: DEMO.drivingLicense }, context: purpose('LICENSE_ISSUANCE') });
    // holder was not in the cache: one more request, which the desk's Citizen.id grant answers in full.
    expect(sent.map((s) => s.operationName)).toEqual(['CitizenForLicensing', 'LicenseWithHolder']);
    expect(withHolder.error).toBeUndefined();
    const holder = (withHolder.data as any).license.holder;
    expect(client.cache.identify(holder)).toBe(`Citizen:{"id":"${DEMO.citizenId}"}`);
    expect(Object.keys(cache.extract()).filter((k) => k.startsWith('Citizen:'))).toEqual([`Citizen:{"id":"${DEMO.citizenId}"}`]);
    // The entry holds what both queries read.
    const citizen = cache.extract()[`Citizen:{"id":"${DEMO.citizenId}"}`] as Record<string, unknown>;
    expect(citizen).toMatchObject({ name: holder.name, birthDate: '1988-07-15', household: null });
  });
});

describe('masks, other consumers and citizens', () => {
  it("the benefits office's birth date arrives masked to its year", async () => {
    const { client, cache } = departmentApp(bearer('benefits-office'));
    const result = await client.query({ errorPolicy: 'all', query: op('CitizenForBenefits'), variables: { id: DEMO.citizenId }, context: purpose('BENEFIT_ELIGIBILITY') });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ citizen: { __typename: 'Citizen', id: DEMO.citizenId, name: expect.any(String), birthDate: '1988' } });
    expect((cache.extract()[`Citizen:{"id":"${DEMO.citizenId}"}`] as Record<string, unknown>).birthDate).toBe('1988');
  });

  it("the market desk's enterprise: registration facts, the representative, and cases FORBIDDEN for this purpose", async () => {
    const { client, cache } = departmentApp(bearer('market-desk'));
    const result = await client.query({ errorPolicy: 'all', query: op('EnterpriseForSupervision'), variables: { id: DEMO.enterpriseId }, context: purpose('MARKET_SUPERVISION') });
    const [row] = await hub.dbs.enterprise.rows<{ name: string; contact_phone: string; legal_representative_name: string }>(
      sql`select name, contact_phone, legal_representative_name from enterprise.enterprises where id = ${DEMO.enterpriseId}`,
    );
    expect(result.data?.enterprise).toMatchObject({
      __typename: 'Enterprise',
      id: DEMO.enterpriseId,
      name: row.name,
      status: 'ACTIVE',
      legalRepresentativeName: row.legal_representative_name,
      contactPhone: row.contact_phone,
      legalRepresentative: { __typename: 'Citizen', name: row.legal_representative_name },
      cases: null,
    });
    expect((result.data as any).enterprise.licenses.length).toBeGreaterThan(0);
    expect(forbidden(result.error)).toEqual([{ path: ['enterprise', 'cases'], field: 'Enterprise.cases', reason: 'PURPOSE_NOT_GRANTED' }]);
    expect(Object.keys(cache.extract())).toContain(`Enterprise:{"id":"${DEMO.enterpriseId}"}`);
  });

  it('a citizen signed in through the portal reads who read their data', async () => {
    // A read to find: the licensing desk reads the demo citizen.
    await departmentApp(bearer('licensing-desk')).client.query({ errorPolicy: 'all', query: op('CitizenForLicensing'), variables: { id: DEMO.citizenId }, context: purpose('LICENSE_ISSUANCE') });
    const { client } = departmentApp(await citizenHeaders(DEMO.citizenId));
    const result = await client.query({ errorPolicy: 'all', query: op('MyDataAccess') });
    expect(result.error).toBeUndefined();
    const nodes = (result.data as any).myDataAccess.edges.map((e: { node: unknown }) => e.node);
    expect(nodes[0]).toMatchObject({ consumerName: 'Licensing desk', fieldsReturned: expect.arrayContaining(['Citizen.name', 'Citizen.phone']) });
  });
});

describe("keys that may be FORBIDDEN (SPEC §4: a citizen's id reached from another entity is PERSONAL)", () => {
  const REPRESENTATIVES = gql`
    query Representatives($ids: [ID!]!) {
      enterprises(ids: $ids) { id legalRepresentative { id name } }
    }
  `;

  /** Two enterprises with different legal representatives, and the representatives' names. */
  async function twoEnterprises() {
    const rows = await hub.dbs.enterprise.rows<{ id: string; legal_representative_id: string; legal_representative_name: string }>(
      sql`select distinct on (legal_representative_id) id, legal_representative_id, legal_representative_name from enterprise.enterprises where status = 'ACTIVE' order by legal_representative_id, id limit 2`,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].legal_representative_name).not.toBe(rows[1].legal_representative_name);
    return rows;
  }

  it("the README's key policy keeps citizens whose id is withheld apart: each inside its enterprise, with its own name", async () => {
    const rows = await twoEnterprises();
    const { client, cache } = departmentApp(bearer('market-desk'));
    const result = await client.query({ errorPolicy: 'all', query: REPRESENTATIVES, variables: { ids: rows.map((r) => r.id) }, context: purpose('MARKET_SUPERVISION') });
    // The market desk reads representatives' names for supervision, their national IDs only for an open case.
    expect(forbidden(result.error)).toEqual([0, 1].map((i) => ({ path: ['enterprises', i, 'legalRepresentative', 'id'], field: 'Citizen.id', reason: 'PURPOSE_NOT_GRANTED' })));
    const names = (data: any) => data.enterprises.map((e: { legalRepresentative: { id: unknown; name: string } }) => [e.legalRepresentative.id, e.legalRepresentative.name]);
    const expected = rows.map((r) => [null, r.legal_representative_name]);
    expect(names(result.data)).toEqual(expected);
    // And so does the cache: no Citizen entry, each representative kept inside its enterprise.
    expect(Object.keys(cache.extract()).filter((k) => k.startsWith('Citizen'))).toEqual([]);
    expect(names(client.readQuery({ query: REPRESENTATIVES, variables: { ids: rows.map((r) => r.id) } }))).toEqual(expected);
  });

  it("keyFields: ['id'] alone would file both under Citizen:{\"id\":null}: one person's name shown for the other (why the README does not use it)", async () => {
    const rows = await twoEnterprises();
    const { client, cache } = departmentApp(bearer('market-desk'), { ...README_TYPE_POLICIES, Citizen: { keyFields: ['id'] } });
    await client.query({ errorPolicy: 'all', query: REPRESENTATIVES, variables: { ids: rows.map((r) => r.id) }, context: purpose('MARKET_SUPERVISION') });
    expect(Object.keys(cache.extract()).filter((k) => k.startsWith('Citizen'))).toEqual(['Citizen:{"id":null}']);
    const cached = client.readQuery<any>({ query: REPRESENTATIVES, variables: { ids: rows.map((r) => r.id) } });
    const shown = cached.enterprises.map((e: { legalRepresentative: { name: string } }) => e.legalRepresentative.name);
    // One name for both: one of the two enterprises shows the other's representative.
    expect(new Set(shown).size).toBe(1);
    expect(rows.map((r) => r.legal_representative_name)).toContain(shown[0]);
  });
});

describe("the README's client setup", () => {
  it('is the setup these tests run: the same key policy and cache redirects', () => {
    const [setup] = readmeTypeScript('@apollo/client');
    expect(setup).toBeDefined();
    const lines = [
      "const naturalKey = (field: string): TypePolicy['keyFields'] => (entity) => (entity[field] == null ? false : [field]);",
      "Citizen: { keyFields: naturalKey('id') },",
      "License: { keyFields: naturalKey('number') },",
      "Case: { keyFields: naturalKey('number') },",
      "Enterprise: { keyFields: naturalKey('id') },",
      "citizen: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'Citizen', id: args?.id }) },",
      "license: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'License', number: args?.number }) },",
      "case: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'Case', number: args?.number }) },",
      "enterprise: { read: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'Enterprise', id: args?.id }) },",
    ];
    for (const line of lines) expect(setup).toContain(line);
    // And this file runs exactly those lines.
    const here = ts.sys.readFile(fileURLToPath(import.meta.url))!;
    for (const line of lines) expect(here).toContain(line);
  });

  it("type-checks, strictly, against Apollo Client 4's own types", () => {
    const [setup] = readmeTypeScript('@apollo/client');
    // What the README leaves to the app: its credentials, and the operation (as codegen would type it).
    const text = [
      `import type { TypedDocumentNode } from '@apollo/client';`,
      `declare const apiKey: string;`,
      `declare const officerId: string;`,
      `declare const CitizenForLicensing: TypedDocumentNode<{ citizen: { household: { id: string | null } | null } | null }, { id: string }>;`,
      setup,
      `export const household: { id: string | null } | null | undefined = data?.citizen?.household;`,
      `export const reasons: unknown[] = denied.map((e) => e.extensions?.reason);`,
    ].join('\n');
    // A file that is not on disk, beside this one, so that '@apollo/client' resolves from the project.
    const file = fileURLToPath(new URL('./readme-client-setup.ts', import.meta.url));
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, text, language) : getSourceFile(name, language, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics, text).toEqual([]);
  });

  it("errorPolicy: without 'all', Apollo Client 4 drops the data of a partial answer", async () => {
    const { client } = departmentApp(bearer('licensing-desk'));
    const result = await client.query({ query: op('CitizenForLicensing'), variables: { id: DEMO.citizenId }, context: purpose('LICENSE_ISSUANCE') }).catch((error: unknown) => ({ thrown: error }));
    expect(result).toEqual({ thrown: expect.any(CombinedGraphQLErrors) });
  });
});
