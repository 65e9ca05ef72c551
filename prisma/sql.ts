/** A raw SQL executor: parameterised queries, multi-statement scripts and transactions. Both
 * databases (embedded PGlite and PostgreSQL) provide one; migrations and bulk seeding use it. */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}
