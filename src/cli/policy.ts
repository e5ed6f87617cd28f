/**
 * `npm run policy -- export [file]` / `diff <file>` / `apply <file> [--dry-run]`:
 * the access policy as YAML, reviewed like code (issue 15 §4, SPEC §1).
 * It talks to a running hub over its GraphQL API with a steward key
 * (ONCEGRAPH_URL, ONCEGRAPH_KEY; in development the demo steward's key from
 * DATA_DIR when unset), so it works the same against embedded and real
 * databases and never opens a database a hub holds. The file is checked here
 * first (every problem with its line, nothing sent), and again by the hub.
 *
 * Exit codes: 0 done (diff: also when there are changes), 1 the file or the
 * hub refused, 2 bad usage or configuration.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { problemText, readPolicyFile } from '../governance/policyFile.js';

const USAGE = 'usage: npm run policy -- export [file] | diff <file> | apply <file> [--dry-run]';

interface Change {
  action: string;
  description: string;
}

class Refused extends Error {}

function stewardKey(config: ReturnType<typeof loadConfig>): string {
  if (config.ONCEGRAPH_KEY) return config.ONCEGRAPH_KEY;
  if (config.NODE_ENV !== 'production') {
    try {
      const demo = JSON.parse(readFileSync(path.resolve(config.DATA_DIR, 'demo-credentials.json'), 'utf8')) as Record<string, string>;
      if (demo['data-steward']) return demo['data-steward'];
    } catch {
      // no demo setup here: say what to set
    }
  }
  throw new ConfigError('Set ONCEGRAPH_KEY to a steward API key (in development the demo steward key is read from DATA_DIR/demo-credentials.json).');
}

async function call<T>(config: ReturnType<typeof loadConfig>, query: string, variables: Record<string, unknown>): Promise<T> {
  const url = new URL('/graphql', config.ONCEGRAPH_URL);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${stewardKey(config)}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new Refused(`cannot reach the hub at ${config.ONCEGRAPH_URL} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}); is it running? Set ONCEGRAPH_URL.`);
  }
  const body = (await response.json().catch(() => null)) as { data?: T; errors?: { message: string; extensions?: { code?: string; problems?: { message: string }[] } }[] } | null;
  if (!body) throw new Refused(`the hub answered HTTP ${response.status} without a GraphQL response.`);
  if (body.errors?.length) {
    const lines = body.errors.flatMap((e) => e.extensions?.problems?.map((p) => p.message) ?? [`${e.extensions?.code ?? 'ERROR'}: ${e.message}`]);
    throw new Refused(lines.join('\n'));
  }
  return body.data as T;
}

function readFile(file: string | undefined): string {
  if (!file) throw new ConfigError(USAGE);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The file's own problems, found before anything is sent. */
function checkLocally(file: string, text: string): void {
  const { problems } = readPolicyFile(text);
  if (problems.length > 0) throw new Refused(problems.map((p) => `${file}: ${problemText(p)}`).join('\n'));
}

function printChanges(changes: Change[], verb: string): void {
  if (changes.length === 0) {
    console.log('No changes: the hub already has this policy.');
    return;
  }
  for (const change of changes) console.log(change.description);
  const count = (action: string) => changes.filter((c) => c.action === action).length;
  console.log(
    `\n${verb}: ${count('ADD_CONSUMER')} consumer(s) added, ${count('SET_REGISTERED_OPERATIONS_ONLY')} switch(es) set, ${count('ADD_GRANT')} grant(s) given, ${count('REVOKE_GRANT')} revoked.`,
  );
}

const CHANGES = `action description`;

try {
  const config = loadConfig();
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean', default: false } } });
  const [command, file] = positionals;
  if (command === 'export') {
    const { exportPolicy } = await call<{ exportPolicy: string }>(config, `{ exportPolicy }`, {});
    if (file) {
      writeFileSync(file, exportPolicy);
      console.error(`Wrote the policy of ${config.ONCEGRAPH_URL} to ${file}.`);
    } else process.stdout.write(exportPolicy);
  } else if (command === 'diff' || (command === 'apply' && values['dry-run'])) {
    const text = readFile(file);
    checkLocally(file!, text);
    const { policyDiff } = await call<{ policyDiff: Change[] }>(config, `query($document: String!) { policyDiff(document: $document) { ${CHANGES} } }`, { document: text });
    printChanges(policyDiff, command === 'apply' ? 'Dry run, nothing applied' : 'Applying it would make');
  } else if (command === 'apply') {
    const text = readFile(file);
    checkLocally(file!, text);
    const { applyPolicy } = await call<{ applyPolicy: Change[] }>(config, `mutation($document: String!) { applyPolicy(document: $document) { ${CHANGES} } }`, { document: text });
    printChanges(applyPolicy, 'Applied');
  } else {
    throw new ConfigError(USAGE);
  }
} catch (error) {
  if (error instanceof Refused) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(error instanceof ConfigError ? error.message : `policy: ${error instanceof Error ? error.message : error}`);
  process.exit(2);
}
