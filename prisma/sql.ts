/** A raw SQL executor: parameterised queries, multi-statement scripts and transactions. Both
 * databases (embedded PGlite and PostgreSQL) provide one; migrations and bulk seeding use it. */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

const ROLLBACK = Symbol('rollback');

/**
 * Runs `fn` in a transaction and commits only if it answers true; otherwise everything it did is
 * rolled back (a dry run: it counts what it would change, then leaves nothing behind). Answers
 * whether it committed.
 */
export async function transactionCommittingIf(sql: Sql, fn: (tx: Sql) => Promise<boolean>): Promise<boolean> {
  try {
    await sql.transaction(async (tx) => {
      if (!(await fn(tx))) throw ROLLBACK;
    });
    return true;
  } catch (error) {
    if (error === ROLLBACK) return false;
    throw error;
  }
}
