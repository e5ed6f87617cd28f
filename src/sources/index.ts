import { registrySource } from './registry/index.js';
import { licensingSource } from './licensing/index.js';
import { casesSource } from './cases/index.js';
import { enterpriseSource } from './enterprise/index.js';
import type { SourceDeclaration } from './declaration.js';

/**
 * Every department source, declared once (issue 12). Configuration, database
 * connections, migrations, the request context, the schema build, readiness,
 * seeding and the test setup all derive from this list: adding a source is
 * its folder, its SDL file and one line here.
 */
export const DEPARTMENT_SOURCES = [registrySource, licensingSource, casesSource, enterpriseSource] as const;

export type DepartmentSourceDeclaration = (typeof DEPARTMENT_SOURCES)[number];

const DEPARTMENT_OF_SOURCE: ReadonlyMap<string, string> = new Map(DEPARTMENT_SOURCES.map((s) => [s.name as string, s.department]));

/** The department that owns a source (a pre-filled item's `source` names one: registry, licensing, enterprise…), or undefined. */
export const departmentOfSource = (source: string): string | undefined => DEPARTMENT_OF_SOURCE.get(source);
export type DepartmentSourceName = DepartmentSourceDeclaration['name'];
export type AnySource = SourceDeclaration<DepartmentSourceName, any, any>;

type ByName<S, K extends 'store' | 'loaders'> = S extends SourceDeclaration<infer N, infer Store, infer Loaders> ? { readonly [P in N]: K extends 'store' ? Store : Loaders } : never;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Each source's store, by source name. */
export type DepartmentStores = UnionToIntersection<ByName<DepartmentSourceDeclaration, 'store'>>;
/** Each source's per-request loaders, by source name. */
export type DepartmentLoaders = UnionToIntersection<ByName<DepartmentSourceDeclaration, 'loaders'>>;
