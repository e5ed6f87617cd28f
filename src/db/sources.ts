import { DEPARTMENT_SOURCES } from '../sources/index.js';

/**
 * The databases the hub talks to: its own and one per department source
 * (derived from the source declarations). Each keeps its tables in a
 * PostgreSQL schema of the same name, so one embedded PGlite instance can hold
 * them all while real deployments use one server each.
 */
export const SOURCES = [
  { name: 'hub', tablesFile: 'src/hub/tables.ts', urlVariable: 'HUB_DATABASE_URL' },
  ...DEPARTMENT_SOURCES.map(({ name, tablesFile, urlVariable }) => ({ name, tablesFile, urlVariable })),
] as const satisfies readonly SourceInfo[];

export type SourceName = 'hub' | (typeof DEPARTMENT_SOURCES)[number]['name'];
export const SOURCE_NAMES: readonly SourceName[] = SOURCES.map((s) => s.name);
/** Every database URL variable, for the configuration. */
export type DatabaseUrlVariable = 'HUB_DATABASE_URL' | (typeof DEPARTMENT_SOURCES)[number]['urlVariable'];
export const DATABASE_URL_VARIABLES: readonly DatabaseUrlVariable[] = SOURCES.map((s) => s.urlVariable);

export interface SourceInfo {
  readonly name: string;
  /** The table file drizzle-kit reads, relative to the project root. */
  readonly tablesFile: string;
  /** Environment variable with the postgres:// URL. */
  readonly urlVariable: string;
}
