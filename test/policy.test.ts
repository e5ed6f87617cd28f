/**
 * Policy as code (issue 15 §4): `npm run policy -- export → edit → diff →
 * apply --dry-run → apply`, run as the CLI a steward runs, against a live
 * hub over HTTP; a bad file is refused with its line, before and by the hub.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { startTestHub, STEWARD, type TestHub } from './setup/hub.js';

const run = promisify(execFile);
const DEMO = '610113198807150016';
let t: TestHub;
let base: string;
let dir: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run policy -- …` as a steward would (the same entry point, through tsx). */
async function policy(...args: string[]): Promise<Result> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ONCEGRAPH_URL: base, ONCEGRAPH_KEY: inject('demoKeys')['data-steward'], NODE_ENV: 'test' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/policy.ts', ...args], { env, cwd: process.cwd(), timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface FileGrant {
  field: string;
  purposes: string[];
  condition: string;
  mask: string;
  expiresAt?: string;
}
interface FileConsumer {
  id: string;
  name: string;
  department: string;
  role: string;
  portal: boolean;
  registeredOperationsOnly: boolean;
  grants: FileGrant[];
}

async function grantsOf(consumerId: string) {
  const res = await t.graphql(`query($id: ID) { grants(consumerId: $id) { field purposes condition mask grantedBy revokedAt revokedBy } }`, { id: consumerId }, STEWARD);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.grants as { field: string; purposes: string[]; grantedBy: string; revokedAt: string | null; revokedBy: string | null }[];
}

beforeAll(async () => {
  t = await startTestHub({ RATE_LIMIT_PER_MINUTE: '1000000' });
  await t.hub.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.hub.app.server.address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  base = `http://127.0.0.1:${address.port}`;
  dir = mkdtempSync(path.join(tmpdir(), 'oncegraph-policy-'));
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run policy', () => {
  const file = () => path.join(dir, 'policy.yaml');

  it('exports the policy in force as YAML, without any key, and an unchanged export diffs to nothing', async () => {
    const exported = await policy('export', file());
    expect(exported.code, exported.stderr).toBe(0);
    const text = readFileSync(file(), 'utf8');
    expect(text).not.toMatch(/ogk_/);
    expect(text.startsWith('# OnceGraph access policy')).toBe(true);
    const document = parse(text) as { version: number; consumers: FileConsumer[] };
    expect(document.version).toBe(1);
    const desk = document.consumers.find((c) => c.id === 'licensing-desk')!;
    expect(desk).toMatchObject({ department: 'licensing', role: 'CONSUMER', registeredOperationsOnly: false });
    expect(desk.grants).toContainEqual({ field: 'Citizen.name', purposes: expect.arrayContaining(['LICENSE_ISSUANCE']), condition: 'NONE', mask: 'NONE' });
    expect(document.consumers.find((c) => c.id === 'data-steward')).toMatchObject({ role: 'STEWARD' });

    const diff = await policy('diff', file());
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('No changes');
  });

  it('edit → diff → apply --dry-run (nothing changes) → apply (one transaction, recorded as the steward, in force at once)', async () => {
    const document = parse(readFileSync(file(), 'utf8')) as { version: number; consumers: FileConsumer[] };
    const desk = document.consumers.find((c) => c.id === 'licensing-desk')!;
    const market = document.consumers.find((c) => c.id === 'market-desk')!;
    const dropped = market.grants.shift()!;
    desk.grants.push({ field: 'Citizen.email', purposes: ['LICENSE_ISSUANCE'], condition: 'NONE', mask: 'PARTIAL' });
    desk.registeredOperationsOnly = true;
    document.consumers.push({
      id: 'pension-office',
      name: 'Pension office',
      department: 'civil-affairs',
      role: 'CONSUMER',
      portal: false,
      registeredOperationsOnly: false,
      grants: [{ field: 'Citizen.household', purposes: ['BENEFIT_ELIGIBILITY'], condition: 'ACTIVE_CASE', mask: 'NONE', expiresAt: '2099-01-01T00:00:00Z' }],
    });
    const edited = path.join(dir, 'edited.yaml');
    writeFileSync(edited, stringify(document));

    const diff = await policy('diff', edited);
    expect(diff.code, diff.stderr).toBe(0);
    const lines = diff.stdout.split('\n');
    expect(lines).toContain('+ consumer pension-office (Pension office, civil-affairs)');
    expect(lines).toContain('+ grant pension-office: Citizen.household for BENEFIT_ELIGIBILITY, ACTIVE_CASE, until 2099-01-01T00:00:00.000Z');
    expect(lines).toContain('+ grant licensing-desk: Citizen.email for LICENSE_ISSUANCE, mask PARTIAL');
    expect(lines).toContain('~ consumer licensing-desk: registered operations only false -> true');
    expect(lines.filter((l) => l.startsWith(`- grant market-desk: ${dropped.field} for`))).toHaveLength(1);
    expect(diff.stdout).toContain('1 consumer(s) added, 1 switch(es) set, 2 grant(s) given, 1 revoked.');

    const before = await grantsOf('market-desk');
    const dry = await policy('apply', edited, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run, nothing applied');
    expect(await grantsOf('market-desk')).toEqual(before);
    expect((await t.graphql(`{ consumers { id } }`, {}, STEWARD)).body.data.consumers.map((c: { id: string }) => c.id)).not.toContain('pension-office');

    const applied = await policy('apply', edited);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Applied: 1 consumer(s) added, 1 switch(es) set, 2 grant(s) given, 1 revoked.');

    const deskGrants = await grantsOf('licensing-desk');
    expect(deskGrants).toContainEqual(expect.objectContaining({ field: 'Citizen.email', purposes: ['LICENSE_ISSUANCE'], grantedBy: 'data-steward', revokedAt: null }));
    const marketGrants = await grantsOf('market-desk');
    expect(marketGrants.filter((g) => g.revokedAt !== null)).toEqual([expect.objectContaining({ field: dropped.field, revokedBy: 'data-steward' })]);
    const consumers = await t.graphql(`{ consumers { id department registeredOperationsOnly } }`, {}, STEWARD);
    expect(consumers.body.data.consumers).toContainEqual({ id: 'pension-office', department: 'civil-affairs', registeredOperationsOnly: false });
    expect(consumers.body.data.consumers).toContainEqual({ id: 'licensing-desk', department: 'licensing', registeredOperationsOnly: true });

    // In force at once: the desk reads the e-mail it was just granted, masked (its registered-operations switch
    // is on now, so it goes by a registered hash... which it has none of: turn the switch off again by file).
    desk.registeredOperationsOnly = false;
    writeFileSync(edited, stringify(document));
    expect((await policy('apply', edited)).stdout).toContain('Applied: 0 consumer(s) added, 1 switch(es) set, 0 grant(s) given, 0 revoked.');
    const read = await t.graphql(`{ citizen(id: "${DEMO}") { email } }`, {}, { authorization: `Bearer ${inject('demoKeys')['licensing-desk']}`, 'x-purpose': 'LICENSE_ISSUANCE' });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.citizen.email).toMatch(/\*/);

    // What is in force now exports to what was applied.
    const again = await policy('diff', edited);
    expect(again.stdout).toContain('No changes');
  });

  it('refuses a bad file, naming the line, before sending it and again in the hub, and changes nothing', async () => {
    const text = readFileSync(path.join(dir, 'edited.yaml'), 'utf8').split('\n');
    const at = text.findIndex((l) => l.includes('field: Citizen.email'));
    expect(at).toBeGreaterThan(0);
    text[at] = text[at].replace('Citizen.email', 'Citizen.shoeSize');
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, text.join('\n'));
    const before = await grantsOf('licensing-desk');

    const refused = await policy('apply', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`line ${at + 1}, consumers\\[\\d+\\]\\.grants\\[\\d+\\]\\.field: unknown field "Citizen.shoeSize"`));
    expect(await grantsOf('licensing-desk')).toEqual(before);

    // The hub checks too: a client that skips the CLI gets the same line.
    const direct = await t.graphql(`mutation($d: String!) { applyPolicy(document: $d) { action } }`, { d: text.join('\n') }, STEWARD);
    expect(direct.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(direct.body.errors?.[0]?.message).toContain(`line ${at + 1}, consumers[`);

    // Shape problems (the JSON Schema) and YAML errors name their lines too.
    writeFileSync(bad, 'version: 1\nconsumers:\n  - id: licensing-desk\n    name: Licensing desk\n    department: licensing\n    colour: blue\n');
    const shape = await policy('diff', bad);
    expect(shape.code).toBe(1);
    expect(shape.stderr).toContain('line 3, consumers[0]: must NOT have additional properties "colour".');
    writeFileSync(bad, 'version: 1\nconsumers: [\n');
    const yaml = await policy('diff', bad);
    expect(yaml.code).toBe(1);
    expect(yaml.stderr).toMatch(/line \d+, the file: not valid YAML/);

    // The file is the whole policy: a registered consumer left out is a problem, not a deletion.
    writeFileSync(bad, 'version: 1\nconsumers: []\n');
    const missing = await policy('diff', bad);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('consumer "licensing-desk" is registered but not in the file');
  });

  it('is for stewards only, and says how to reach the hub when it cannot', async () => {
    const desk = { authorization: `Bearer ${inject('demoKeys')['licensing-desk']}` };
    const asConsumer = await t.graphql(`{ exportPolicy }`, {}, desk);
    expect(asConsumer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const document = 'version: 1\nconsumers: []\n';
    const diff = await t.graphql(`query($d: String!) { policyDiff(document: $d) { action } }`, { d: document }, desk);
    expect(diff.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const apply = await t.graphql(`mutation($d: String!) { applyPolicy(document: $d) { action } }`, { d: document }, desk);
    expect(apply.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const saved = base;
    base = 'http://127.0.0.1:9';
    try {
      const unreachable = await policy('export');
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toContain('cannot reach the hub at http://127.0.0.1:9');
    } finally {
      base = saved;
    }
    const usage = await policy('frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run policy -- export [file] | diff <file> | apply <file> [--dry-run]');
  });
});
