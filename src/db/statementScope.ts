import type postgres from 'postgres';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { sqlComment } from './sqlcommenter.js';

/**
 * Who the statements being sent are for: a sqlcommenter comment (sqlcommenter.ts)
 * that every statement drizzle sends carries, so a department's DBA sees in
 * `pg_stat_activity` and the server log which consumer asked and why.
 *
 * The scope is synchronous, not an AsyncLocalStorage: a request's store calls
 * run inside `runInScope` (the per-request store views of graph/context.ts),
 * and a module variable set around the call is what the driver wrapper reads.
 * It reaches every statement a store method sends before its first await:
 * prepared statements (`.execute()`: every DataLoader batch), `Database.rows`,
 * and transactions, which keep the scope they were begun in for all their
 * statements. A query builder awaited as it is (`await db.select()…`) is sent
 * from a microtask, after the call returned: it carries the outside-request
 * comment unless the store calls `.execute()` on it. On Node 20 an
 * AsyncLocalStorage would hook every promise of the process (about 240 per
 * request here), measured at 5–10 % CPU per request: too dear for a comment.
 */
export interface StatementScope {
  /** Appended to each statement's text. */
  readonly comment: string;
  /**
   * True when the comment names one request (its id, its trace). Such a text is
   * never sent again, so it is sent unprepared: preparing it would add a server
   * prepared statement and an entry in postgres.js's per-connection cache (which
   * is never evicted) for every request.
   */
  readonly perRequest: boolean;
}

/** Statements outside any request (start-up, policy reloads, readiness pings, audit batches). */
export const OUTSIDE_REQUEST: StatementScope = { comment: sqlComment({ application: 'oncegraph' }), perRequest: false };

let current: StatementScope | null = null;

/** Calls `fn` with `scope` as the scope of every statement it sends before it first awaits. */
export function runInScope<R>(scope: StatementScope, fn: (...args: any[]) => R, args: readonly unknown[]): R {
  const outer = current;
  current = scope;
  try {
    return fn(...args);
  } finally {
    current = outer;
  }
}

/** The scope statements sent now belong to. */
export function currentScope(): StatementScope {
  return current ?? OUTSIDE_REQUEST;
}

/**
 * The comment goes at the end (sqlcommenter), before a final `;` if there is one.
 * Our statements never end in a `--` line comment, which would swallow it.
 */
export function withComment(text: string, comment: string): string {
  return text.charCodeAt(text.length - 1) === 59 /* ; */ ? `${text.slice(0, -1)} ${comment};` : `${text} ${comment}`;
}

type Unsafe = postgres.Sql['unsafe'];

/**
 * The postgres.js pool as drizzle should see it: `unsafe` (every statement
 * drizzle sends) appends the current scope's comment, and transactions and
 * savepoints hand drizzle a client that does the same with the scope they were
 * begun in. Everything else (options, listen, end) is the pool's own.
 */
export function commentingPostgres(sql: postgres.Sql): postgres.Sql {
  return commentingClient(sql, null);
}

function commentingClient<C extends postgres.Sql | postgres.TransactionSql>(client: C, fixed: StatementScope | null): C {
  const wrapped = Object.create(client) as C & Record<string, unknown>;
  wrapped.unsafe = ((text: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => {
    const scope = fixed ?? currentScope();
    return client.unsafe(withComment(text, scope.comment), params, scope.perRequest ? { ...options, prepare: false } : options);
  }) as Unsafe;
  // Transactions and savepoints hand their body a client that keeps the scope they were begun in.
  for (const method of ['begin', 'savepoint'] as const) {
    if (!(method in client)) continue;
    const original = (client as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
    wrapped[method] = (...args: unknown[]) => {
      const body = args.pop() as (tx: postgres.TransactionSql) => unknown;
      const scope = fixed ?? currentScope();
      return original.call(client, ...args, (tx: postgres.TransactionSql) => body(commentingClient(tx, scope)));
    };
  }
  return wrapped;
}

/** The embedded PGlite instance as drizzle should see it: `query` and transactions comment like commentingPostgres. */
export function commentingPglite(pg: PGlite): PGlite {
  const wrapped = Object.create(pg) as PGlite;
  wrapped.query = ((text: string, params?: unknown[], options?: object) => pg.query(withComment(text, currentScope().comment), params, options)) as PGlite['query'];
  wrapped.transaction = (<T>(body: (tx: Transaction) => Promise<T>) => {
    const scope = currentScope();
    return pg.transaction((tx) => body(commentingPgliteTransaction(tx, scope)));
  }) as PGlite['transaction'];
  return wrapped;
}

function commentingPgliteTransaction(tx: Transaction, scope: StatementScope): Transaction {
  const wrapped = Object.create(tx) as Transaction;
  wrapped.query = ((text: string, params?: unknown[], options?: object) => tx.query(withComment(text, scope.comment), params, options)) as Transaction['query'];
  return wrapped;
}
