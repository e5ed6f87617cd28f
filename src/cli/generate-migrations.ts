/**
 * `npm run db:generate`: regenerates migrations for every database from its
 * table file with drizzle-kit. Run it after changing any tables.ts, then commit.
 */
import { execFileSync } from 'node:child_process';
import { SOURCES } from '../db/sources.js';

for (const source of SOURCES) {
  execFileSync(
    'npx',
    ['drizzle-kit', 'generate', '--dialect', 'postgresql', '--schema', source.tablesFile, '--out', `migrations/${source.name}`, '--name', process.argv[2] ?? 'change'],
    { stdio: 'inherit' },
  );
}
