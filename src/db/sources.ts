/**
 * The four databases the hub talks to: its own and one per department source.
 * Each keeps its tables in a PostgreSQL schema of the same name, so one embedded
 * PGlite instance can hold all four while real deployments use four servers.
 */
export const SOURCE_NAMES = ['hub', 'registry', 'licensing', 'cases'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export interface SourceInfo {
  name: SourceName;
  /** The table file drizzle-kit reads, relative to the project root. */
  tablesFile: string;
  /** Environment variable with the postgres:// URL. */
  urlVariable: 'HUB_DATABASE_URL' | 'REGISTRY_DATABASE_URL' | 'LICENSING_DATABASE_URL' | 'CASES_DATABASE_URL';
}

export const SOURCES: readonly SourceInfo[] = [
  { name: 'hub', tablesFile: 'src/hub/tables.ts', urlVariable: 'HUB_DATABASE_URL' },
  { name: 'registry', tablesFile: 'src/sources/registry/tables.ts', urlVariable: 'REGISTRY_DATABASE_URL' },
  { name: 'licensing', tablesFile: 'src/sources/licensing/tables.ts', urlVariable: 'LICENSING_DATABASE_URL' },
  { name: 'cases', tablesFile: 'src/sources/cases/tables.ts', urlVariable: 'CASES_DATABASE_URL' },
];
