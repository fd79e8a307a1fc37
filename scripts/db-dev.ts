// A Postgres-compatible database for development and tests with nothing to install: PGlite (PostgreSQL in
// WASM) with pgvector, served over the Postgres wire protocol by @electric-sql/pglite-socket.
// Usage: npm run db:dev -- [--port P] [--data DIR] [--host H] [--max-connections N]
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Default port: next to Postgres's 5432 so a real server on the machine is not shadowed. */
export const DEV_DB_PORT = 54329;
/**
 * Connections the multiplexer accepts at once. PGlite runs one session and queues the connections'
 * messages (a connection inside a transaction holds the session until it ends), so this bounds clients,
 * not parallelism: a few servers with small pools plus an ingest.
 */
export const DEV_DB_MAX_CONNECTIONS = 32;

export interface DevDatabaseOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Folder holding the database files; in memory when omitted. */
  dataDir?: string;
  maxConnections?: number;
}

export interface DevDatabase {
  /** `postgresql://postgres:postgres@HOST:PORT/postgres` */
  url: string;
  port: number;
  db: PGlite;
  close(): Promise<void>;
}

/**
 * Starts PGlite with pgvector and serves it on a TCP port.
 * @example const dev = await startDevDatabase({ port: 0 }); process.env.DATABASE_URL = dev.url; await dev.close();
 */
export async function startDevDatabase(opts: DevDatabaseOptions = {}): Promise<DevDatabase> {
  const host = opts.host ?? '127.0.0.1';
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: opts.dataDir ? path.resolve(opts.dataDir) : undefined, extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const server = new PGLiteSocketServer({ db, host, port: opts.port ?? DEV_DB_PORT, maxConnections: opts.maxConnections ?? DEV_DB_MAX_CONNECTIONS });
  let port = opts.port ?? DEV_DB_PORT;
  server.addEventListener('listening', (e) => {
    const detail = (e as CustomEvent<{ port?: number }>).detail;
    if (detail?.port) port = detail.port;
  });
  try {
    await server.start();
  } catch (e) {
    await db.close();
    throw e;
  }
  let closed = false;
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres`,
    port,
    db,
    async close() {
      if (closed) return;
      closed = true;
      await server.stop();
      await db.close();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      data: { type: 'string', short: 'd' },
      host: { type: 'string', short: 'h' },
      'max-connections': { type: 'string', short: 'm' },
    },
  });
  const port = values.port === undefined ? DEV_DB_PORT : Number(values.port);
  const maxConnections = values['max-connections'] === undefined ? DEV_DB_MAX_CONNECTIONS : Number(values['max-connections']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got "${values.port}"`);
  if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new Error(`--max-connections must be a positive integer, got "${values['max-connections']}"`);
  const dev = await startDevDatabase({ port, host: values.host, dataDir: values.data, maxConnections });
  process.stdout.write(`DATABASE_URL=${dev.url}\n`);
  process.stderr.write(`db:dev: PGlite + pgvector on ${values.data ? path.resolve(values.data) : 'memory (lost on exit)'}, up to ${maxConnections} connections; Ctrl-C stops it\n`);
  const stop = () => {
    dev.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((e: Error) => {
    process.stderr.write(`db:dev: ${e.message}\n`);
    process.exit(1);
  });
}
