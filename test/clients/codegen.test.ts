/**
 * Issue 14, part 1: a department generates its types from GET /schema.graphql
 * (introspection is off in production). GraphQL Code Generator's
 * typescript-operations plugin runs on the SDL served by a live production
 * hub, for the README's operations; the TypeScript compiler then checks the
 * generated types, strictly, together with the hub's real answers typed by
 * them. (typescript-operations 6 writes the enums and inputs an operation
 * uses itself; adding the `typescript` plugin declares them twice.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildSchema, Kind, parse, print, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import ts from 'typescript';
import { codegen } from '@graphql-codegen/core';
import * as operationsPlugin from '@graphql-codegen/typescript-operations';
import { DEMO } from '../../src/seed/generate.js';
import { citizenHeaders } from '../setup/hub.js';
import { readmeOperations, readmeShellQueries } from './readme.js';
import { startLiveHub, type LiveHub } from './live.js';

const keys = () => inject('demoKeys');
let hub: LiveHub;
let sdl: string;
let schema: GraphQLSchema;
let work: string;

beforeAll(async () => {
  hub = await startLiveHub({ NODE_ENV: 'production' });
  work = mkdtempSync(path.join(tmpdir(), 'oncegraph-codegen-'));
  const res = await fetch(`${hub.url}/schema.graphql`, { headers: { authorization: `Bearer ${keys()['licensing-desk']}` } });
  expect(res.status).toBe(200);
  sdl = await res.text();
  schema = buildSchema(sdl);
});
afterAll(async () => {
  await hub?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Posts an operation of the README to the live hub as a department app would, and returns the JSON answer. */
async function run(document: DocumentNode, operationName: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const res = await fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: print(document), operationName, variables }),
  });
  return (await res.json()) as { data: unknown; errors?: unknown[] };
}

/** typescript-operations with the README's codegen.ts config: every scalar mapped (strictScalars fails on one that is not). */
function generate(): Promise<string> {
  return codegen({
    filename: 'hub-types.ts',
    schema: parse(sdl),
    schemaAst: schema,
    documents: [{ location: 'README.md', document: readmeOperations() }],
    plugins: [{ 'typescript-operations': {} }],
    pluginMap: { 'typescript-operations': operationsPlugin },
    config: { strictScalars: true, scalars: { Date: 'string', DateTime: 'string' } },
  });
}

/** Type-checks files in a temporary directory with the strictest everyday settings; returns the diagnostics, formatted. */
function typeCheck(files: Record<string, string>): string[] {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(work, name), text);
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    noUnusedLocals: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  };
  const program = ts.createProgram(Object.keys(files).map((name) => path.join(work, name)), options);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => work, getNewLine: () => '\n' }));
}

describe('GET /schema.graphql for code generators', () => {
  it('is a whole SDL with the definitions of its own directives, so any tool parses and builds it', () => {
    const document = parse(sdl);
    const directives = document.definitions.flatMap((d) => (d.kind === Kind.DIRECTIVE_DEFINITION ? [d.name.value] : []));
    expect(directives).toEqual(expect.arrayContaining(['classified', 'allow', 'entity', 'part', 'lookup', 'reads', 'represents', 'cost']));
    expect(schema.getDirective('classified')?.args.map((a) => a.name)).toEqual(['level']);
    expect(sdl).toMatch(/birthDate: Date @classified\(level: PERSONAL\)/);
  });

  it("the README's operations, its ```graphql blocks and the queries in its shell examples, are valid against it", () => {
    const operations = readmeOperations().definitions as OperationDefinitionNode[];
    expect(operations.map((o) => o.name?.value)).toEqual(['CitizenForLicensing', 'LicenseWithHolder', 'LicenseStatus', 'CitizenForBenefits', 'EnterpriseForSupervision', 'MyDataAccess', 'RateMyCase']);
    expect(validate(schema, readmeOperations()).map((e) => e.message)).toEqual([]);
    const shell = readmeShellQueries();
    expect(shell.length).toBeGreaterThanOrEqual(4);
    for (const query of shell) expect(validate(schema, parse(query)).map((e) => e.message), query).toEqual([]);
  });
});

describe('graphql-codegen on the served SDL', () => {
  it("generates types for the README's operations that type-check strictly, and type the hub's real answers", async () => {
    const generated = await generate();
    for (const name of ['CitizenForLicensing', 'LicenseWithHolder', 'LicenseStatus', 'CitizenForBenefits', 'EnterpriseForSupervision', 'MyDataAccess']) {
      expect(generated).toContain(`export type ${name}Query = `);
      expect(generated).toContain(`export type ${name}QueryVariables = `);
    }

    // Real answers of a production hub, as a department app receives them, assigned to the generated types.
    const desk = { authorization: `Bearer ${keys()['licensing-desk']}`, 'x-purpose': 'LICENSE_ISSUANCE' };
    const operations = readmeOperations();
    const answers = {
      CitizenForLicensing: await run(operations, 'CitizenForLicensing', { id: DEMO.citizenId }, desk),
      LicenseWithHolder: await run(operations, 'LicenseWithHolder', { number: DEMO.drivingLicense }, desk),
      CitizenForBenefits: await run(operations, 'CitizenForBenefits', { id: DEMO.citizenId }, { authorization: `Bearer ${keys()['benefits-office']}`, 'x-purpose': 'BENEFIT_ELIGIBILITY' }),
      EnterpriseForSupervision: await run(operations, 'EnterpriseForSupervision', { id: DEMO.enterpriseId }, { authorization: `Bearer ${keys()['market-desk']}`, 'x-purpose': 'MARKET_SUPERVISION' }),
      MyDataAccess: await run(operations, 'MyDataAccess', {}, await citizenHeaders(DEMO.citizenId)),
    };
    // The partial answers are what makes this worth checking: null where FORBIDDEN, masked strings where masked.
    expect((answers.CitizenForLicensing.data as { citizen: { household: unknown } }).citizen.household).toBeNull();
    expect(answers.CitizenForLicensing.errors).toHaveLength(1);
    expect((answers.CitizenForBenefits.data as { citizen: { birthDate: string } }).citizen.birthDate).toBe('1988');
    expect((answers.MyDataAccess.data as { myDataAccess: { edges: unknown[] } }).myDataAccess.edges.length).toBeGreaterThan(0);

    const usage = [
      `import type * as Hub from './hub-types';`,
      ...Object.entries(answers).map(([name, answer]) => `export const ${name}Answer: Hub.${name}Query = ${JSON.stringify(answer.data, null, 2)};`),
      `export const variables: Hub.CitizenForLicensingQueryVariables = { id: '${DEMO.citizenId}' };`,
      `export const nextPage: Hub.MyDataAccessQueryVariables = { after: MyDataAccessAnswer.myDataAccess.pageInfo.endCursor };`,
      // Every field the hub may deny is nullable: code that forgets it does not compile.
      `// @ts-expect-error household may be null (FORBIDDEN without a grant)`,
      `export const householdId: string = CitizenForLicensingAnswer.citizen.household.id;`,
      `export const householdOrNone: string | null = CitizenForLicensingAnswer.citizen?.household?.id ?? null;`,
      // Enums arrive as their SDL values.
      `export const status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED' | null | undefined = LicenseWithHolderAnswer.license?.status;`,
      `// @ts-expect-error not a LicenseStatus`,
      `export const wrong: Hub.LicenseStatus = 'VALID';`,
      `// @ts-expect-error a required variable`,
      `export const missing: Hub.LicenseStatusQueryVariables = {};`,
    ].join('\n');
    const diagnostics = typeCheck({ 'hub-types.ts': generated, 'usage.ts': usage });
    expect(diagnostics, `${diagnostics.join('\n')}\n--- usage.ts ---\n${usage}`).toEqual([]);
  });

  it('the type check can fail: an answer of the wrong shape is a diagnostic', async () => {
    const generated = await generate();
    const diagnostics = typeCheck({
      'hub-types.ts': generated,
      'wrong.ts': `import type * as Hub from './hub-types';\nexport const a: Hub.LicenseStatusQuery = { license: { number: 1, kind: null, status: null, expiresOn: null } };`,
    });
    expect(diagnostics.join('\n')).toMatch(/wrong\.ts.*Type 'number' is not assignable to type 'string'/);
  });
});
