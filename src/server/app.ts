// The Hono application: middleware (metrics, CORS, API keys, rate limit, body limit), routes and the one error handler.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Engine } from '../doc/types.ts';
import { createApiRoutes, type Logger } from './api.ts';
import { createAnswerCache } from './cache.ts';
import type { ServerConfig } from '../config.ts';
import { DB_RETRY_AFTER_S, HttpError, tooLarge, toHttpError } from './errors.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createOpenAiRoutes } from './openai.ts';
import { createPageRoutes } from './pages.ts';
import { createGate, type Gate } from './gate.ts';
import type { PoolStats } from './answer-pool.ts';
import { createRateLimiter } from './rate-limit.ts';
import { sharedRateLimiter, type SharedState } from '../store/shared-state.ts';

/** A bearer token header, e.g. `Bearer s3cret` (the token is captured). */
const BEARER_RE = /^Bearer\s+(.+)$/i;

/** Answers failing inside the engine in a row (no success between) after which /healthz says failing (503). */
export const HEALTH_FAILURES_IN_A_ROW = 3;

/** How long browsers may cache a CORS preflight answer (seconds). */
export const CORS_MAX_AGE_S = 600;

export interface AppDeps {
  /** The engine, or a getter returning the current one (so the index can be hot-swapped). */
  engine: Engine | (() => Engine);
  config: ServerConfig;
  /** The bot webhooks sub-app (src/bots `createBotRoutes`), mounted at `/bots` when given. */
  bots?: Hono;
  /** Shared registry, so a hot-swapping server keeps counting across apps; a fresh one by default. */
  metrics?: Metrics;
  /** Where internal errors go (never to the client); stderr by default. */
  log?: Logger;
  /** State shared with the other servers of the deployment (Postgres); rate limits are kept there when given. */
  shared?: SharedState;
  /** Whether the shared database answers (DATABASE_URL); while it does not, `/api` and `/v1` answer 503. */
  database?: () => DatabaseHealth;
  /** The answer gate, shared with the bots; one from the config's limits by default. */
  gate?: Gate;
  /** The answer worker pool's state, when answers run in worker threads (reported by /healthz and /metrics). */
  workers?: () => PoolStats;
}

/** What `/healthz` says about the shared database. */
export interface DatabaseHealth {
  reachable: boolean;
  /** `host:port/database`, never credentials. */
  target: string;
}

const defaultLog: Logger = (message, err) => {
  const detail = err instanceof Error ? (err.stack ?? err.message) : err === undefined ? '' : String(err);
  process.stderr.write(`plancite server: ${message}${detail ? `: ${detail}` : ''}\n`);
};

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** The key a request presents: `Authorization: Bearer …` (OpenAI clients) or `X-API-Key` (the widget). */
function presentedKey(c: Context): string | null {
  const auth = c.req.header('authorization');
  const m = auth ? BEARER_RE.exec(auth.trim()) : null;
  return m?.[1]?.trim() || c.req.header('x-api-key')?.trim() || null;
}

/**
 * The client's address for rate limiting and the failed-auth throttle. Behind `trustProxy` = N reverse proxies the
 * client is the address N entries from the right of `X-Forwarded-For`: each proxy appends the address it saw, so
 * the rightmost N entries were written by proxies we trust and everything left of them by the client.
 * With fewer entries than N the leftmost is used; with N = 0 the header is ignored.
 * @example clientAddress(c, 1) // X-Forwarded-For: "6.6.6.6, 203.0.113.7" → "203.0.113.7"
 */
export function clientAddress(c: Context, trustProxy: number): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const socket = incoming?.socket?.remoteAddress ?? 'unknown';
  if (trustProxy <= 0) return socket;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (hops.length === 0) return socket;
  return hops[Math.max(0, hops.length - trustProxy)]!;
}

/** The route pattern for metrics labels: bounded cardinality, never the raw path. */
function routeLabel(c: Context): string {
  const p = c.req.routePath;
  return !p || p === '*' || p === '/*' || c.res.status === 404 && p.endsWith('*') && !p.includes(':') ? 'unmatched' : p;
}

/**
 * Builds the whole HTTP application (no port is opened; serve it with `@hono/node-server` or call `app.request()`).
 * Routes: `/api/*` (ask, search, documents, sections, obligations), `/v1/*` (OpenAI-compatible), `/bots/*` (when
 * given), `/healthz`, `/metrics`, `/widget.js`, `/`, `/documents/:id`, `/plans/:id`, `/assets/*`.
 * @example const app = createApp({ engine: () => current, config: loadServerConfig() }); await app.request('/healthz')
 */
export function createApp(deps: AppDeps): Hono {
  const { config } = deps;
  const getEngine: () => Engine = typeof deps.engine === 'function' ? deps.engine : () => deps.engine as Engine;
  const metrics = deps.metrics ?? createMetrics();
  const log = deps.log ?? defaultLog;
  const limiter = deps.shared ? sharedRateLimiter(deps.shared, config.rateLimitPerMin) : createRateLimiter(config.rateLimitPerMin);
  const authFailures = deps.shared ? sharedRateLimiter(deps.shared, config.authFailuresPerMin, 'authfail') : createRateLimiter(config.authFailuresPerMin);
  const gate = deps.gate ?? createGate(config.maxInFlight, config.maxQueued);
  /** Engine failures (500s from answer work) since the last success; /healthz reports failing past the threshold. */
  let failuresInARow = 0;
  const keyHashes = config.apiKeys.map(sha256);
  const app = new Hono();

  // Outermost: time every request and count it under its route pattern.
  app.use('*', async (c, next) => {
    const t0 = performance.now();
    // Set before the handler runs: touching c.res.headers afterwards would turn @hono/node-server's
    // lightweight response into a full Response object on every request.
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    await next();
    metrics.observe(routeLabel(c), c.req.method, c.res.status, (performance.now() - t0) / 1000);
  });

  const allowAny = config.widgetOrigins.includes('*');
  const corsMw = cors({
    origin: (origin) => (allowAny || config.widgetOrigins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'X-API-Key', 'Accept'],
    exposeHeaders: ['Retry-After', 'Content-Disposition'],
    maxAge: CORS_MAX_AGE_S,
  });

  const guard: MiddlewareHandler = async (c, next) => {
    const address = clientAddress(c, config.trustProxy);
    let client = `ip:${address}`;
    if (keyHashes.length) {
      const key = presentedKey(c);
      if (!key) throw new HttpError(401, 'unauthorized', 'an API key is required (Authorization: Bearer <key> or X-API-Key)');
      // A client that keeps presenting wrong keys is throttled: every attempt (even a right key) waits it out.
      const throttled = await authFailures.peek(address);
      if (throttled > 0) throw new HttpError(429, 'rate_limited', `too many failed API key attempts; try again in ${throttled} s`, { 'retry-after': String(throttled) });
      const h = sha256(key);
      if (!keyHashes.some((k) => timingSafeEqual(k, h))) {
        const wait = await authFailures.take(address);
        if (wait > 0) throw new HttpError(429, 'rate_limited', `too many failed API key attempts; try again in ${wait} s`, { 'retry-after': String(wait) });
        throw new HttpError(401, 'unauthorized', 'the API key is not valid');
      }
      client = `key:${h.toString('hex', 0, 8)}`;
    }
    const wait = await limiter.take(client);
    if (wait > 0) throw new HttpError(429, 'rate_limited', `too many requests; try again in ${wait} s`, { 'retry-after': String(wait) });
    await next();
  };

  // The declared length is checked here; bodies without one are counted as they are read (readJsonBody).
  // (Hono's bodyLimit reads c.req.raw, which makes @hono/node-server build a full Request per call.)
  const limitBody: MiddlewareHandler = async (c, next) => {
    const len = c.req.header('content-length');
    if (len !== undefined && Number(len) > config.maxBodyBytes) throw tooLarge(config.maxBodyBytes);
    await next();
  };

  // The index and shared state live in the database: without it, say "try again" rather than fail slowly.
  const needDatabase: MiddlewareHandler = async (c, next) => {
    if (deps.database && !deps.database().reachable) throw new HttpError(503, 'database_unavailable', 'the database is unreachable; try again shortly', { 'retry-after': String(DB_RETRY_AFTER_S) });
    await next();
  };

  // CORS headers only matter to browsers, which always send Origin on the requests CORS governs. Hono's cors writes
  // through c.res, which makes every later response be copied into a full Response object: costly under a burst.
  const corsIfOrigin: MiddlewareHandler = async (c, next) => {
    if (c.req.header('origin') !== undefined) return corsMw(c, next);
    c.header('vary', 'Origin');
    await next();
  };

  for (const prefix of ['/api/*', '/v1/*']) {
    app.use(prefix, corsIfOrigin);
    app.use(prefix, needDatabase);
    app.use(prefix, guard);
    app.use(prefix, limitBody);
  }

  // Answer work that failed inside the engine (not bad input) counts towards /healthz failing; any success resets it.
  // A full gate sheds here, before the body is read: under a burst, refusing must cost as little as possible.
  for (const route of ['/api/ask', '/api/search', '/v1/chat/completions']) {
    app.use(route, async (c, next) => {
      const refused = c.req.method === 'POST' ? gate.refusal() : null;
      if (refused) return c.json({ error: { code: refused.code, message: refused.message } }, refused.status, refused.headers);
      await next();
      if (c.res.status >= 500 && c.res.status !== 503) failuresInARow++;
      else if (c.res.status < 400) failuresInARow = 0;
    });
  }

  const routeDeps = { engine: getEngine, config, log, cache: createAnswerCache(config.answerCacheSize), gate };
  app.route('/api', createApiRoutes(routeDeps));
  app.route('/v1', createOpenAiRoutes(routeDeps));
  if (deps.bots) app.route('/bots', deps.bots);

  // Never gated and never touches answer work: a liveness probe must get its answer while the server is busy.
  app.get('/healthz', (c) => {
    let info: ReturnType<Engine['info']>;
    try {
      info = getEngine().info();
    } catch (e) {
      log('healthz: the engine cannot report on its index', e);
      return c.json({ status: 'failing', reason: 'the index is not available' }, 503);
    }
    const index = { loaded: true, documents: info.documents, chunks: info.chunks, builtAt: info.builtAt, embedder: info.embedder };
    const load = gate.load();
    const workers = deps.workers?.();
    const db = deps.database?.();
    if (db && !db.reachable) return c.json({ status: 'unavailable', index, database: db, load }, 503, { 'retry-after': String(DB_RETRY_AFTER_S) });
    if (failuresInARow >= HEALTH_FAILURES_IN_A_ROW) {
      return c.json({ status: 'failing', reason: `the last ${failuresInARow} answers failed inside the engine`, index, load, ...(workers ? { workers } : {}) }, 503);
    }
    if (workers && workers.ready === 0) return c.json({ status: 'failing', reason: 'no answer worker is running', index, load, workers }, 503);
    return c.json({ status: 'ok', index, load, ...(workers ? { workers } : {}), ...(db ? { database: db } : {}) });
  });

  app.get('/metrics', (c) => {
    let info = null;
    try {
      info = getEngine().info();
    } catch {
      // No index yet: still expose the request metrics.
    }
    return c.body(metrics.render(info, gate.load(), deps.workers?.()), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  app.route('/', createPageRoutes(routeDeps));

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)}` } }, 404));

  app.onError((err, c) => {
    const e = toHttpError(err);
    // Shedding under load is expected behaviour, not a failure worth a log line per request.
    if (e.status >= 500 && e.code !== 'overloaded') log(`${c.req.method} ${new URL(c.req.url).pathname} failed`, err);
    return c.json({ error: { code: e.code, message: e.message } }, e.status, e.headers);
  });

  return app;
}
