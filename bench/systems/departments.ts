/**
 * Connections of the baseline systems (raw-sql, plain-apollo): one postgres.js
 * pool per department database, like the hub's and of the same size, each
 * counting its statements at the driver exactly as the hub's are (count.ts).
 */
import postgres from 'postgres';
import { benchEnv } from './child.js';
import { countStatements, type StatementCounter } from './count.js';

export const DEPARTMENTS = ['registry', 'licensing', 'cases'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export interface DepartmentPools {
  readonly sql: Record<Department, postgres.Sql>;
  statements(): Record<Department, number>;
  transactionControl(): number;
  end(): Promise<void>;
}

/**
 * `dateAsText`: return date and timestamp columns as PostgreSQL's text, as
 * drizzle does for the hub (raw-sql mirrors the hub's conversions exactly);
 * otherwise postgres.js's default (JavaScript Dates), as most teams use it.
 */
export function openDepartmentPools(options: { dateAsText: boolean }): DepartmentPools {
  const url = benchEnv('BENCH_DATABASE');
  const max = Number(process.env.BENCH_POOL_SIZE ?? 4);
  const counters = {} as Record<Department, StatementCounter>;
  const open = (department: Department) => {
    const sql = postgres(url, { max, idle_timeout: 60, onnotice: () => {}, connection: { application_name: `bench-${department}` } });
    if (options.dateAsText) {
      const text = (value: string) => value;
      for (const type of [1082, 1114, 1184]) sql.options.parsers[type] = text;
    }
    counters[department] = countStatements(sql);
    return sql;
  };
  const sql = { registry: open('registry'), licensing: open('licensing'), cases: open('cases') };
  return {
    sql,
    statements: () => ({ registry: counters.registry.statements, licensing: counters.licensing.statements, cases: counters.cases.statements }),
    transactionControl: () => DEPARTMENTS.reduce((sum, d) => sum + counters[d].transactionControl, 0),
    async end() {
      await Promise.all(DEPARTMENTS.map((d) => sql[d].end({ timeout: 5 })));
    },
  };
}
