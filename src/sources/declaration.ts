import type { Database } from '../db/database.js';

/**
 * One department source, declared once (issue 12): everything else —
 * configuration, connections, migrations, the context, the schema, readiness,
 * seeding and the test setup — is derived from the list in `./index.ts`.
 * Adding a source is its folder, its SDL file and one line there.
 */
export interface SourceDeclaration<Name extends string = string, Store = unknown, Loaders = unknown> {
  /** Its id: also its PostgreSQL schema when embedded, and its migrations folder (migrations/<name>). */
  readonly name: Name;
  /** The department that owns the data (SPEC §4 department ids). */
  readonly department: string;
  /** The environment variable with its postgres:// URL. */
  readonly urlVariable: `${Uppercase<Name>}_DATABASE_URL`;
  /** Its SDL file under schema/. */
  readonly schemaFile: string;
  /** The table file drizzle-kit reads, relative to the project root. */
  readonly tablesFile: string;
  /** The tables themselves (the migration drift test compares them with the migrations). */
  readonly tables: Record<string, unknown>;
  /** The store: SQL only (STYLE), one per hub over the source's database. */
  createStore(db: Database): Store;
  /** Per-request DataLoaders over the store (STYLE §4). */
  createLoaders(store: Store): Loaders;
  /** Its resolvers: routing only. */
  readonly resolvers: Record<string, unknown>;
}

/** Declares a source with its types inferred (a helper so that each index.ts stays one object). */
export function defineSource<const Name extends string, Store, Loaders>(declaration: SourceDeclaration<Name, Store, Loaders>): SourceDeclaration<Name, Store, Loaders> {
  return declaration;
}
