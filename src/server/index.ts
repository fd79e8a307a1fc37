// Starts the HTTP server on an index folder and hot-swaps the engine when the index's manifest.json is replaced.
import { watch, type FSWatcher } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { openEngine } from '../answer/engine.ts';
import { createBotRoutes } from '../bots/index.ts';
import { loadConfig, type Config, type ServerConfig } from '../config.ts';
import { readManifest } from '../store/index-store.ts';
import type { Engine } from '../doc/types.ts';
import type { Logger } from './api.ts';
import { createApp } from './app.ts';
import { createMetrics } from './metrics.ts';

export { createApp, type AppDeps } from './app.ts';
export { loadServerConfig, type ServerConfig } from '../config.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { citationTag, withSources } from './openai.ts';

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
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  config: ServerConfig;
  /** The engine new requests are served by. */
  engine(): Engine;
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
  const open = opts.open ?? ((dir: string) => openEngine(dir, all));

  let current = await open(opts.indexDir);
  let loadedBuild = (await readManifest(opts.indexDir))?.dataDir ?? null;
  const getEngine = () => current;
  const metrics = createMetrics();
  const bots = createBotRoutes({ engine: getEngine, config: all.bots });
  const app = createApp({ engine: getEngine, config, bots, metrics, log });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server)) as Server;
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${shownHost}:${port}`;
  if (!opts.quiet) process.stdout.write(`plancite: serving ${current.info().documents} documents at ${url}\n`);

  let reloading: Promise<boolean> | null = null;
  async function reloadNow(): Promise<boolean> {
    const manifest = await readManifest(opts.indexDir).catch(() => null);
    if (!manifest || manifest.dataDir === loadedBuild) return false;
    try {
      const next = await open(opts.indexDir);
      current = next;
      loadedBuild = manifest.dataDir;
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
  try {
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
    reload,
    async close() {
      clearTimeout(timer);
      watcher?.close();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
