// Connections to the Postgres store: a pool per DATABASE_URL, and errors that say which server and what to check.
import pg from 'pg';
import { AppError } from '../../errors.ts';

/** An error text saying the database connection is gone or cannot be made, e.g. `Connection terminated unexpectedly`. */
const CONNECTION_LOST_RE = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|not queryable/i;

/** Connections per process: retrieval runs one keyword and one vector query per question. */
export const POOL_SIZE = 8;
/** Giving up on connecting after this long (ms) counts as "unreachable". */
export const CONNECT_TIMEOUT_MS = 5000;
/** A statement running longer than this (ms) is cancelled by the server; searches take milliseconds. */
export const STATEMENT_TIMEOUT_MS = 30_000;
/** HNSW query-time candidate list (pgvector `hnsw.ef_search`); ≥ k, same as the local store's. */
export const PG_HNSW_EF_SEARCH = 100;

/** Where a URL points, without credentials: `host:port/database`. */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    return `${host}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : '/postgres'}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** Postgres error codes and socket errors that mean "the database is not there right now" (retry later). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', '08003', '08006', '08001', '08004', // connection exceptions
  '53300', // too_many_connections
]);

/** True when an error means the database is unreachable (as opposed to a bad query). */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'db_unavailable';
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
  const m = e.message ?? '';
  return CONNECTION_LOST_RE.test(m);
}

/** Wraps a connection failure as AppError('db_unavailable') naming the server and what to check. */
export function unavailableError(url: string, err: unknown): AppError {
  const why = (err as { code?: string; message?: string } | null)?.code ?? (err as Error | null)?.message ?? 'no answer';
  return new AppError(
    'db_unavailable',
    `database at ${describeTarget(url)} is unreachable (${why}) — check that Postgres is running there, the host/port in DATABASE_URL, the network and the credentials`,
    { cause: err },
  );
}

/**
 * Opens a connection pool and checks that the server answers. Rejects with AppError('db_unavailable') whose
 * one-line message names the host when it does not.
 * @example const pool = await openPool(cfg.databaseUrl!); await pool.end();
 */
export async function openPool(url: string, opts: { max?: number } = {}): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'plancite',
    // A CLI command ends when its work is done, not when idle connections time out.
    allowExitOnIdle: true,
    // Awaited by the pool before the connection is used (a startup option would be ignored by some servers).
    onConnect: async (client: pg.ClientBase) => {
      await client.query(`SET hnsw.ef_search = ${PG_HNSW_EF_SEARCH}`).catch(() => {});
    },
  } as pg.PoolConfig);
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => {});
    if (isUnavailable(e) || (e as { code?: string }).code === undefined) throw unavailableError(url, e);
    throw new AppError('db_unavailable', `database at ${describeTarget(url)} refused the connection (${(e as Error).message}) — check the user, password and database name in DATABASE_URL`, { cause: e });
  }
  return pool;
}

/** Runs `fn` inside one transaction on one client; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
