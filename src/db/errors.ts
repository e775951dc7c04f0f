/**
 * Database errors, the same on PGlite and PostgreSQL, carrying nothing of the data.
 *
 * A driver's error holds the statement's parameters (PGlite: `params`, the person's name, date of
 * birth, address, the BSN ciphertext and the pseudonym), PostgreSQL's `where` context and `detail`
 * ("Key (…)=(…) already exists", "Failing row contains (…)"), and a message that may quote a value
 * ("invalid input syntax for type uuid: "…""). Every error that leaves the database layer is
 * therefore replaced by a `DatabaseError` with the SQLSTATE and the constraint's name only
 * (`withSafeErrors` wraps the driver of either engine), so whatever logs or reports it cannot leak.
 * The original message is kept out of reach of serialisers; only the migration runner reads it, since
 * a failing migration concerns the schema and its operator needs to know why.
 */
import type { DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';

const originalMessages = new WeakMap<DatabaseError, string>();

export class DatabaseError extends Error {
  override name = 'DatabaseError';
  /** The SQLSTATE (23505, 40001, …), or the driver's own code (ECONNREFUSED) when it never reached the server. */
  readonly code: string | undefined;
  /** The name of the violated constraint, when there is one. */
  readonly constraint: string | undefined;
  /**
   * The database could not be reached or is switching over (see UNAVAILABLE): nothing was committed
   * by the failed statement, and the request may be tried again in a moment (the API answers 503).
   */
  get unavailable(): boolean {
    return this.code !== undefined && (UNAVAILABLE.has(this.code) || this.code.startsWith('08'));
  }
  constructor(code: string | undefined, constraint: string | undefined) {
    super(`database error ${code ?? 'without a code'}${constraint ? ` on constraint ${constraint}` : ''}`);
    this.code = code;
    this.constraint = constraint;
  }
}

/**
 * What a failover, a restart or an overloaded server looks like to SluiS: the connection refused,
 * broken or timed out (the driver's codes), no primary among the hosts (primary-finder.ts), the
 * server shutting down or starting (57P01-57P03), a standby refusing a write (25006), a statement or
 * lock timeout (57014, 55P03), too many connections (53300), a deadlock or serialisation failure
 * (40P01, 40001: the server rolled the transaction back, so trying again is safe); and class 08,
 * connection exceptions.
 */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'connection_lost',
  'connection_timeout',
  'sluis_no_primary',
  '57P01',
  '57P02',
  '57P03',
  '25006',
  '57014',
  '55P03',
  '53300',
  '40P01',
  '40001',
]);

/** node-postgres reports a lost or timed-out connection by message only: a code of our own for each. */
const DRIVER_MESSAGES: [RegExp, string][] = [
  [/^Connection terminated due to connection timeout|^timeout exceeded when trying to connect|^timeout expired|^Query read timeout/, 'connection_timeout'],
  [/^Connection terminated|is not queryable|^Client was closed/, 'connection_lost'],
];

function driverCode(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : undefined;
  return message === undefined ? undefined : DRIVER_MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
}

const stringField = (error: unknown, name: string): string | undefined => {
  const value = typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' && /^[A-Za-z0-9_.]{1,63}$/.test(value) ? value : undefined;
};

/** The data-free form of any error a driver threw. */
export function safeDatabaseError(error: unknown): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const safe = new DatabaseError(stringField(error, 'code') ?? driverCode(error), stringField(error, 'constraint'));
  originalMessages.set(safe, error instanceof Error ? error.message : String(error));
  return safe;
}

/** The driver's own message: for the migration runner only (schema statements, no person data). */
export const originalMessageOf = (error: unknown): string | undefined => (error instanceof DatabaseError ? originalMessages.get(error) : undefined);

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';
export const isForeignKeyViolation = (error: unknown) => sqlState(error) === '23503';

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw safeDatabaseError(error);
  }
}

/** A dialect whose every query, transaction step and stream throws only `DatabaseError`s. */
export function withSafeErrors(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new SafeErrorDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

class SafeErrorDriver implements Driver {
  readonly #inner: Driver;
  /** The driver's own connection behind each wrapper we handed out: the driver needs its own object back. */
  readonly #innerOf = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  #unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.#innerOf.get(connection) ?? connection;
  }

  init() {
    return guarded(() => this.#inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await guarded(() => this.#inner.acquireConnection());
    const wrapper: DatabaseConnection = {
      executeQuery: <R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> => guarded(() => inner.executeQuery<R>(query)),
      streamQuery: <R>(query: Parameters<DatabaseConnection['streamQuery']>[0], chunkSize: number) => safeStream(inner.streamQuery<R>(query, chunkSize)),
    };
    this.#innerOf.set(wrapper, inner);
    return wrapper;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    return guarded(() => this.#inner.beginTransaction(this.#unwrap(connection), settings));
  }
  commitTransaction(connection: DatabaseConnection) {
    return guarded(() => this.#inner.commitTransaction(this.#unwrap(connection)));
  }
  rollbackTransaction(connection: DatabaseConnection) {
    return guarded(() => this.#inner.rollbackTransaction(this.#unwrap(connection)));
  }
  savepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]) {
    if (!this.#inner.savepoint) throw new Error('This driver has no savepoints');
    return guarded(() => this.#inner.savepoint!(this.#unwrap(connection), name, compile));
  }
  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2]) {
    if (!this.#inner.rollbackToSavepoint) throw new Error('This driver has no savepoints');
    return guarded(() => this.#inner.rollbackToSavepoint!(this.#unwrap(connection), name, compile));
  }
  releaseSavepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['releaseSavepoint']>>[2]) {
    if (!this.#inner.releaseSavepoint) throw new Error('This driver has no savepoints');
    return guarded(() => this.#inner.releaseSavepoint!(this.#unwrap(connection), name, compile));
  }
  releaseConnection(connection: DatabaseConnection) {
    return guarded(() => this.#inner.releaseConnection(this.#unwrap(connection)));
  }
  destroy() {
    return guarded(() => this.#inner.destroy());
  }
}

async function* safeStream<R>(stream: AsyncIterableIterator<QueryResult<R>>): AsyncIterableIterator<QueryResult<R>> {
  try {
    yield* stream;
  } catch (error) {
    throw safeDatabaseError(error);
  }
}
