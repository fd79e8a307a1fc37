// The Postgres + pgvector store (selected by DATABASE_URL): schema, writer, reader, shared state, version watch.
import type pg from 'pg';
import type { StoredDoc } from '../../doc/types.ts';
import type { IndexSnapshot } from '../ports.ts';
import type { SharedState } from '../shared-state.ts';
import { openPool } from './connect.ts';
import { activeVersion, openPostgresSnapshot, readDocuments, readVersion } from './reader.ts';
import { createPostgresSharedState } from './shared-state.ts';
import { writeVersion, type VersionBuild } from './writer.ts';

export { describeTarget, inTransaction, isUnavailable, openPool, unavailableError, POOL_SIZE } from './connect.ts';
export { SCHEMA, SCHEMA_VERSION, storedSchemaVersion } from './schema.ts';
export { collectGarbage, writeVersion, RETIRED_GRACE_S, type VersionBuild } from './writer.ts';
export { activeVersion, openPostgresSnapshot, readDocuments, readVersion, type PostgresSnapshotOptions, type VersionRow } from './reader.ts';
export { createPostgresSharedState } from './shared-state.ts';

/** How often servers ask which version is active (ms); a new build is served within this plus its load time. */
export const VERSION_POLL_MS = 2000;

export interface VersionWatch {
  /** False while the database does not answer. */
  healthy(): boolean;
  /** The last error while the database is unhealthy. */
  lastError(): Error | null;
  /** Asks now (also done every poll interval). */
  check(): Promise<void>;
  stop(): void;
}

/**
 * Polls the active-version row. Calls `onVersion` when it differs from `current` (the caller loads and swaps
 * the snapshot; a rejected promise is retried at the next poll), and tracks whether the database answers.
 * Polling rather than LISTEN/NOTIFY: it survives connection poolers and reconnects with no extra state.
 * @example const w = watchVersion(pool, url, '3', { onVersion: async (v) => swap(v) }); w.stop();
 */
export function watchVersion(
  pool: pg.Pool,
  url: string,
  current: string | null,
  opts: { onVersion: (version: string) => Promise<void>; onHealth?: (healthy: boolean, err: Error | null) => void; intervalMs?: number },
): VersionWatch {
  let known = current;
  let ok = true;
  let err: Error | null = null;
  let busy: Promise<void> | null = null;
  const setHealth = (healthy: boolean, e: Error | null) => {
    err = e;
    if (healthy !== ok) {
      ok = healthy;
      opts.onHealth?.(healthy, e);
    }
  };
  const once = async () => {
    let v: string | null;
    try {
      v = await activeVersion(pool, url);
      setHealth(true, null);
    } catch (e) {
      setHealth(false, e as Error);
      return;
    }
    if (v && v !== known) {
      try {
        await opts.onVersion(v);
        known = v;
      } catch {
        // Loading failed (dropped meanwhile, or the database went away): the next poll tries again.
      }
    }
  };
  const check = () => (busy ??= once().finally(() => (busy = null)));
  const timer = setInterval(() => void check(), opts.intervalMs ?? VERSION_POLL_MS);
  timer.unref();
  return {
    healthy: () => ok,
    lastError: () => err,
    check,
    stop: () => clearInterval(timer),
  };
}

/** One database as a store: a pool plus what ingest, the engine and the servers do with it. */
export interface PostgresStore {
  readonly url: string;
  readonly pool: pg.Pool;
  /** The active version id; null when nothing was ingested yet. */
  activeVersion(): Promise<string | null>;
  /** Opens a version (the active one by default) as a snapshot. */
  snapshot(opts?: { version?: string; embedderId?: string }): Promise<IndexSnapshot>;
  /** Writes a build as the new active version (one transaction); returns its id. */
  write(build: VersionBuild, log?: (msg: string) => void): Promise<string>;
  /** The active version's parsed documents, when that version was parsed by `parser` (for incremental ingest). */
  reusableDocuments(parser: string): Promise<StoredDoc[]>;
  /** Rate limits, bot histories and replay nonces in this database. */
  sharedState(): Promise<SharedState>;
  /** Polls the active version (see {@link watchVersion}). */
  watch(current: string | null, opts: Parameters<typeof watchVersion>[3]): VersionWatch;
  close(): Promise<void>;
}

/**
 * Connects to `url` (one line naming the host when it does not answer) and returns the store.
 * @example const store = await openPostgresStore(cfg.databaseUrl!); const snap = await store.snapshot();
 */
export async function openPostgresStore(url: string, opts: { poolSize?: number } = {}): Promise<PostgresStore> {
  const pool = await openPool(url, { max: opts.poolSize });
  let shared: Promise<SharedState> | null = null;
  const watches: VersionWatch[] = [];
  return {
    url,
    pool,
    activeVersion: () => activeVersion(pool, url),
    snapshot: (o = {}) => openPostgresSnapshot(pool, { url, ...o }),
    write: (build, log) => writeVersion(pool, build, { url, log }),
    async reusableDocuments(parser) {
      const v = await activeVersion(pool, url);
      if (!v) return [];
      const row = await readVersion(pool, v);
      return row && row.parser === parser ? readDocuments(pool, v) : [];
    },
    sharedState: () => (shared ??= createPostgresSharedState(pool, url)),
    watch(current, o) {
      const w = watchVersion(pool, url, current, o);
      watches.push(w);
      return w;
    },
    async close() {
      for (const w of watches) w.stop();
      await pool.end().catch(() => {});
    },
  };
}

const stores = new Map<string, Promise<PostgresStore>>();

/**
 * The process's store for `url`, opened on first use (the CLI's commands share one pool; a server opens its own
 * with {@link openPostgresStore}). Idle connections do not keep the process alive.
 */
export function postgresStoreFor(url: string): Promise<PostgresStore> {
  let s = stores.get(url);
  if (!s) {
    s = openPostgresStore(url);
    stores.set(url, s);
    s.catch(() => stores.delete(url));
  }
  return s;
}
