import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { SOURCES } from '../src/db/sources.js';

// drizzle-kit's API is CommonJS; `generate` itself exits 0 even on drift, so we diff ourselves.
const require = createRequire(import.meta.url);
const { generateDrizzleJson, generateMigration } = require('drizzle-kit/api') as typeof import('drizzle-kit/api');

describe('committed migrations', () => {
  for (const source of SOURCES) {
    it(`match the table file of ${source.name} (no drift: run npm run db:generate after changing tables)`, async () => {
      const journal = JSON.parse(readFileSync(`migrations/${source.name}/meta/_journal.json`, 'utf8')) as { entries: { idx: number }[] };
      const last = journal.entries.at(-1)!;
      const snapshot = JSON.parse(readFileSync(`migrations/${source.name}/meta/${String(last.idx).padStart(4, '0')}_snapshot.json`, 'utf8'));
      const tables = await import(/* @vite-ignore */ `../${source.tablesFile}`);
      const current = generateDrizzleJson(tables, snapshot.id);
      expect(await generateMigration(snapshot, current)).toEqual([]);
    });
  }
});
