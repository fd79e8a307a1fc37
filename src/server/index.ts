// Starts the HTTP server on an index folder (or the Postgres store of DATABASE_URL) and hot-swaps the engine when a
// new build is written: the folder's manifest.json is replaced, or the database's active version changes.
import { watch, type FSWatcher } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { openCatalog, openEngine, type Catalog } from '../answer/engine.ts';
import { createBotRoutes } from '../bots/index.ts';
import { loadConfig, type Config, type ServerConfig } from '../config.ts';
import { readManifest } from '../store/index-store.ts';
import { describeTarget, openPostgresStore, type PostgresStore, type VersionWatch } from '../store/postgres/index.ts';
import type { Engine } from '../doc/types.ts';
import { AppError } from '../errors.ts';
import type { Logger } from './api.ts';
import { createApp } from './app.ts';
import { createGate } from './gate.ts';
import { fairListener } from './fair.ts';
import { createMetrics } from './metrics.ts';
import { checkCatalog, checkEngine, warmEngine } from './check.ts';
import { createAnswerPool, pooledEngine, type AnswerPool, type PoolStats } from './answer-pool.ts';

export { createApp, type AppDeps } from './app.ts';
export { loadServerConfig, type ServerConfig } from '../config.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { citationTag, withSources } from './openai.ts';
export { checkEngine } from './check.ts';

/** Quiet period after a manifest change before reloading: an ingest renames files in quick succession. */
export const RELOAD_DEBOUNCE_MS = 250;
/** How long close() lets open responses (SSE streams) finish before cutting connections. */
export const CLOSE_GRACE_MS = 2000;

export interface StartOptions {
  /** Folder holding manifest.json and the index builds. */
  indexDir: string;
  /** Overrides PORT (0 picks a free port). */
  port?: number;
  /** Overrides HOST. */
  host?: string;
  /** The parsed configuration (the CLI passes the one it read at start-up). */
  config?: Config;
  /** Environment-shaped settings parsed with loadConfig when `config` is not given (tests). */
  env?: Record<string, string | undefined>;
  /** Progress and error lines; stderr by default. The URL is always printed to stdout unless `quiet`. */
  log?: Logger;
  quiet?: boolean;
  /** Opens an engine on the index folder (the real `openEngine` by default). */
  open?: (indexDir: string) => Promise<Engine>;
  /** An open Postgres store to serve from (otherwise opened from the configuration's DATABASE_URL, when set). */
  postgres?: PostgresStore;
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  config: ServerConfig;
  /** The engine new requests are served by. */
  engine(): Engine;
  /** The answer worker processes (ANSWER_WORKERS), when asks and searches run there. */
  workers: { pids(): number[]; stats(): PoolStats } | null;
  /** Reloads the index now if its manifest changed (also triggered by the watcher); resolves to true when swapped. */
  reload(): Promise<boolean>;
  close(): Promise<void>;
}

const stderrLog: Logger = (message, err) => {
  const detail = err instanceof Error ? err.message : err === undefined ? '' : String(err);
  process.stderr.write(`plancite server: ${message}${detail ? `: ${detail}` : ''}\n`);
};

/**
 * Opens the engine on `indexDir`, serves the app with `@hono/node-server`, prints the URL and watches
 * `<indexDir>/manifest.json`: a new build is loaded in the background and swapped in atomically, so new
 * requests use it while requests in flight finish on the engine they started with. A build that fails
 * to load is logged and the old engine keeps serving.
 * @example const s = await startServer({ indexDir: 'index', port: 0 }); console.log(s.url); await s.close();
 */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const all = opts.config ?? loadConfig(opts.env ?? {});
  const log = opts.log ?? stderrLog;
  const base = all.server;
  const config: ServerConfig = { ...base, port: opts.port ?? base.port, host: opts.host ?? base.host };
  // With DATABASE_URL the index and the state shared with other servers are in Postgres (one line when unreachable).
  const ownsStore = !opts.postgres && !!all.databaseUrl;
  const pg = opts.postgres ?? (all.databaseUrl ? await openPostgresStore(all.databaseUrl) : null);
  const open = opts.open ?? ((dir: string) => openEngine(dir, all, pg ? { postgres: pg } : {}));
  /** Id of the build to serve: the folder's current build, or the database's active version. */
  const currentBuild = async () => (pg ? await pg.activeVersion() : ((await readManifest(opts.indexDir))?.dataDir ?? null));

  /** Opens and checks a build; anything but a clear AppError becomes one line saying to run ingest. */
  const loadChecked = async <T>(openIt: (dir: string) => Promise<T>, checkIt: (x: T, dir: string) => Promise<void>): Promise<T> => {
    let x: T;
    try {
      x = await openIt(opts.indexDir);
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('index_corrupt', `the index in ${opts.indexDir} cannot be loaded (${e instanceof Error ? e.message.slice(0, 200) : String(e)}); run \`plancite ingest\` to rebuild it`, { cause: e });
    }
    await checkIt(x, opts.indexDir);
    return x;
  };
  const openChecked = (): Promise<Engine> => loadChecked(open, checkEngine);
  // With answer workers this process answers only from the catalog (documents, sections, the register): it opens
  // no embedder, keyword or vector index, so serving does not hold the index twice. The workers check their own engines.
  const openCatalogChecked = (): Promise<Catalog> => loadChecked((dir) => openCatalog(dir, all, pg ? { postgres: pg } : {}), checkCatalog);

  let loadedBuild = await currentBuild();
  // Answers run in worker threads, each on its own engine, unless ANSWER_WORKERS=0 or the caller supplies the
  // engine or store (a thread cannot be handed either). The workers load while this thread opens its own engine.
  const pool: AnswerPool | null =
    config.answerWorkers > 0 && !opts.open && !opts.postgres ? createAnswerPool({ size: config.answerWorkers, indexDir: opts.indexDir, config: all, log }) : null;
  let current: Engine;
  try {
    if (pool) {
      const catalog = await openCatalogChecked();
      await pool.ready;
      current = pooledEngine(catalog, pool);
    } else {
      const local = await openChecked();
      await warmEngine(local);
      current = local;
    }
  } catch (e) {
    await pool?.close();
    throw e;
  }
  const getEngine = () => current;
  const metrics = createMetrics();
  const shared = pg ? await pg.sharedState() : undefined;
  let versionWatch: VersionWatch | null = null;
  const database = pg ? () => ({ reachable: versionWatch?.healthy() ?? true, target: describeTarget(pg.url) }) : undefined;
  const gate = createGate(config.maxInFlight, config.maxQueued);
  const bots = createBotRoutes({ engine: getEngine, config: all.bots, shared, gate });
  const app = createApp({ engine: getEngine, config, bots, metrics, log, shared, database, gate, workers: pool ? () => pool.stats() : undefined });

  const server = await new Promise<Server>((resolve, reject) => {
    // With the workers answering, requests start one per event-loop turn and probes at once (see fairListener).
    // Without them a turn holds a whole answer: starting requests one per turn would only queue them out of the
    // gate's sight (nothing shed, ever longer waits), so they start as they are read.
    const createServer = ((options: ServerOptions, listener: RequestListener) => createHttpServer(options, pool ? fairListener(listener) : listener)) as typeof createHttpServer;
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host, createServer }, () => resolve(s as Server)) as Server;
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${shownHost}:${port}`;
  if (!opts.quiet) process.stdout.write(`plancite: serving ${current.info().documents} documents at ${url}\n`);

  let reloading: Promise<boolean> | null = null;
  async function reloadNow(): Promise<boolean> {
    const build = await currentBuild().catch(() => null);
    if (!build || build === loadedBuild) return false;
    try {
      let next: Engine;
      if (pool) {
        const catalog = await openCatalogChecked();
        // The workers open the same build beside the one they serve; all swap only when every one has it.
        await pool.prepare();
        pool.commit();
        next = pooledEngine(catalog, pool);
      } else {
        next = await openChecked();
      }
      current = next;
      loadedBuild = build;
      metrics.reloaded(true);
      log(`index reloaded (${next.info().documents} documents, built ${next.info().builtAt})`);
      return true;
    } catch (e) {
      metrics.reloaded(false);
      log('new index could not be loaded; still serving the previous one', e);
      return false;
    }
  }
  function reload(): Promise<boolean> {
    // One reload at a time; a change during a reload is picked up by the next watcher event or call.
    reloading ??= reloadNow().finally(() => (reloading = null));
    return reloading;
  }

  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | null = null;
  if (pg) {
    // Every server polls the active-version row; a lost database is reported and recovered from without a restart.
    versionWatch = pg.watch(loadedBuild, {
      onVersion: async (version) => {
        // Not swapped (the load failed, or another reload was running): the watch asks again at its next poll.
        if (!(await reload()) && loadedBuild !== version) throw new Error(`version ${version} not loaded yet`);
      },
      onHealth: (healthy, err) => log(healthy ? `database at ${describeTarget(pg.url)} answers again` : `database at ${describeTarget(pg.url)} is unreachable; /api answers 503 until it returns`, err ?? undefined),
    });
  } else try {
    // Watch the folder, not the file: ingest replaces manifest.json by rename, which a file watch would lose.
    watcher = watch(opts.indexDir, (_event, filename) => {
      if (filename && filename !== 'manifest.json') return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), RELOAD_DEBOUNCE_MS);
    });
    watcher.on('error', (e) => log('index watcher failed; hot reload is off', e));
  } catch (e) {
    log('cannot watch the index folder; hot reload is off', e);
  }

  return {
    url,
    port,
    config,
    engine: getEngine,
    workers: pool ? { pids: () => pool.pids(), stats: () => pool.stats() } : null,
    reload,
    async close() {
      clearTimeout(timer);
      watcher?.close();
      versionWatch?.stop();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      await pool?.close();
      if (ownsStore) await pg?.close();
    },
  };
}
