/**
 * Statements counted at the driver, the same way in every system: postgres.js
 * calls `options.debug` once for each statement it sends on a connection
 * (drizzle's, hand-written, prepared or not, inside a transaction or not).
 * Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE) is counted
 * apart, as it is not a statement that reads or writes data.
 *
 * Installing it after the pool is created keeps postgres.js's per-query stack
 * capture off (that is decided when a pool is created); only transactions
 * begun afterwards capture a stack per query, a few microseconds each.
 */
import type postgres from 'postgres';

export interface StatementCounter {
  statements: number;
  transactionControl: number;
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|savepoint|release|start transaction|end)\b/i;

export function countStatements(sql: postgres.Sql): StatementCounter {
  const counter: StatementCounter = { statements: 0, transactionControl: 0 };
  (sql.options as { debug: unknown }).debug = (_connection: number, query: string) => {
    if (TRANSACTION_CONTROL.test(query)) counter.transactionControl++;
    else counter.statements++;
  };
  return counter;
}
