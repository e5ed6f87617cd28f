/**
 * Issue 14, part 3: graphql-schema-linter runs in `npm test`, with the rules in
 * .graphql-schema-linterrc.yml, on the composed SDL a live hub serves at
 * GET /schema.graphql (what client tools see) and on schema/*.graphql (what
 * `npx graphql-schema-linter` lints by hand). Its messages are printed on
 * failure.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLiveHub, type LiveHub } from './live.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = createRequire(import.meta.url).resolve('graphql-schema-linter/lib/cli.js');

interface LintError {
  message: string;
  location: { line: number; column: number; file: string };
  rule: string;
}

/** Runs the linter's CLI from the repository root (so it reads the committed configuration); its JSON report. */
function lint(...files: string[]): Promise<{ exitCode: number; errors: LintError[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, '--format', 'json', ...files], { cwd: ROOT }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      try {
        resolve({ exitCode, errors: (JSON.parse(stdout) as { errors: LintError[] }).errors, stderr });
      } catch {
        reject(new Error(`graphql-schema-linter wrote no JSON report (exit ${exitCode}): ${stderr}${stdout}`));
      }
    });
  });
}

const report = (errors: LintError[]) => errors.map((e) => `${path.basename(e.location.file)}:${e.location.line}:${e.location.column} ${e.message} (${e.rule})`).join('\n');

let hub: LiveHub;
let work: string;
let composed: string;

beforeAll(async () => {
  hub = await startLiveHub({ NODE_ENV: 'production' });
  work = mkdtempSync(path.join(tmpdir(), 'oncegraph-lint-'));
  const res = await fetch(`${hub.url}/schema.graphql`, { headers: { authorization: `Bearer ${inject('demoKeys')['licensing-desk']}` } });
  expect(res.status).toBe(200);
  composed = path.join(work, 'composed.graphql');
  writeFileSync(composed, await res.text());
});
afterAll(async () => {
  await hub?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('graphql-schema-linter', () => {
  it('the configuration enables the rules this API keeps', () => {
    const config = readFileSync(path.join(ROOT, '.graphql-schema-linterrc.yml'), 'utf8');
    const enabled = [...config.matchAll(/^ {2}- ([a-z-]+)$/gm)].map((m) => m[1]);
    expect(enabled).toEqual(
      expect.arrayContaining([
        'types-have-descriptions',
        'fields-have-descriptions',
        'arguments-have-descriptions',
        'enum-values-have-descriptions',
        'input-object-values-have-descriptions',
        'deprecations-have-a-reason',
        'relay-connection-types-spec',
        'relay-connection-arguments-spec',
        'relay-page-info-spec',
        'defined-types-are-used',
        'types-are-capitalized',
        'fields-are-camel-cased',
        'input-object-values-are-camel-cased',
        'enum-values-all-caps',
      ]),
    );
  });

  it('finds nothing in the composed SDL that GET /schema.graphql serves', async () => {
    const result = await lint(composed);
    expect(report(result.errors), result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('finds nothing in schema/*.graphql, as `npx graphql-schema-linter` lints it by hand', async () => {
    const result = await lint();
    expect(report(result.errors), result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('can fail: an undescribed field, a connection without pageInfo and an unused type are each reported', async () => {
    const sdl = readFileSync(composed, 'utf8');
    const broken = path.join(work, 'broken.graphql');
    const withoutDescription = sdl.replace(/"""The license number printed on the document\."""\n\s*number: String!/, 'number: String!');
    expect(withoutDescription).not.toBe(sdl);
    writeFileSync(
      broken,
      `${withoutDescription}\n"""Left over."""\ntype LeftOver @classified(level: PUBLIC) {\n  """A value."""\n  value: Int\n}\n"""Pages of nothing."""\ntype NothingConnection @classified(level: PUBLIC) {\n  """The items."""\n  edges: [LeftOver]\n}\n`,
    );
    const result = await lint(broken);
    expect(result.exitCode).toBe(1);
    expect(result.errors.map((e) => [e.rule, e.message])).toEqual(
      expect.arrayContaining([
        ['fields-have-descriptions', 'The field `License.number` is missing a description.'],
        ['relay-connection-types-spec', 'Connection `NothingConnection` is missing the following field: pageInfo.'],
        ['defined-types-are-used', 'The type `NothingConnection` is defined in the schema but not used anywhere.'],
      ]),
    );
  });
});
