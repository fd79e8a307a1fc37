// The HTTP server's slice of the configuration: variables, defaults and the parsed shape.
import { z } from 'zod';
import { intVar, listVar, optionalString, row, sliceOf, withDefault } from './env.ts';

/** Default listening port. */
export const DEFAULT_PORT = 8787;
/** Default interface: loopback, so a fresh install is not reachable from the network. */
export const DEFAULT_HOST = '127.0.0.1';
/** Default requests per minute per client on /api and /v1 (0 disables the limit). */
export const DEFAULT_RATE_LIMIT_PER_MIN = 60;
/** Default largest request body in bytes: a question plus a long conversation history fits comfortably. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** Default longest question in characters (the bots use the same bound). */
export const DEFAULT_MAX_QUESTION_CHARS = 2000;
/** Default number of cached extractive answers and search results per loaded index (0 disables the cache). */
export const DEFAULT_ANSWER_CACHE_SIZE = 1000;
/** Shortest accepted API key: 16 characters leave guessing hopeless even without the failed-auth throttle. */
export const MIN_API_KEY_CHARS = 16;
/** Default answer/search requests running at once; more are refused with 503 + Retry-After (0 = no cap). */
export const DEFAULT_MAX_IN_FLIGHT = 4;
/** Default answer/search requests waiting for a slot; beyond running + waiting, requests are shed with 503. */
export const DEFAULT_MAX_QUEUED = 32;
/**
 * Default answer worker threads. Each holds its own copy of the index (about as much memory as the server's own
 * engine: 566 MiB RSS measured for 213 documents), so one keeps memory at twice the index while the event loop does HTTP only.
 */
export const DEFAULT_ANSWER_WORKERS = 1;
/**
 * Default scheduling niceness of the answer workers (0-19, higher yields more): the HTTP event loop, at the server's
 * own priority, then gets a core first when both want one, so probes and 503s stay prompt on a busy machine; answers
 * use whatever CPU is left (on an idle machine, all of it).
 */
export const DEFAULT_ANSWER_WORKER_NICE = 10;
/** Default failed authentications per client per minute before 429 (0 disables the throttle). */
export const DEFAULT_AUTH_FAILURES_PER_MIN = 10;

/** An origin without a path, e.g. `https://portal.example.gov.vn:8443`. */
const ORIGIN_RE = /^https?:\/\/[^/\s]+$/i;

const origin = z.string().refine((o) => o === '*' || ORIGIN_RE.test(o), 'each origin must look like http(s)://host[:port] (no path) or be *');

/** A no, e.g. `false` or `No`. */
const NO_RE = /^(false|no)$/i;
/** A yes, e.g. `true` or `YES`. */
const YES_RE = /^(true|yes)$/i;
/** A proxy hop count, e.g. `2`. */
const HOP_COUNT_RE = /^\d{1,2}$/;

/** `TRUST_PROXY`: a hop count; `true`/`yes` mean one proxy, `false`/`no` none (older settings keep working). */
const trustProxy = z
  .preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().optional())
  .transform((v, ctx) => {
    if (v === undefined || NO_RE.test(v)) return 0;
    if (YES_RE.test(v)) return 1;
    if (HOP_COUNT_RE.test(v)) return Number(v);
    ctx.addIssue({ code: 'custom', message: 'must be the number of trusted proxy hops (0-99)' });
    return z.NEVER;
  });

/** Variables of the HTTP server: config field, schema with its default, README default and meaning. */
export const serverVars = {
  PORT: row('port', withDefault(intVar(0, 65535), DEFAULT_PORT), '`8787`', 'HTTP port'),
  HOST: row('host', withDefault(optionalString(), DEFAULT_HOST), '`127.0.0.1`', 'interface to bind (`0.0.0.0` for all)'),
  API_KEYS: row('apiKeys', listVar.refine((keys) => keys.every((k) => k.length >= MIN_API_KEY_CHARS), `each key must be at least ${MIN_API_KEY_CHARS} characters`), '—', 'comma-separated keys (≥ 16 characters each) required on `/api` and `/v1`; unset = open'),
  WIDGET_ORIGINS: row('widgetOrigins', listVar.pipe(z.array(origin)), '—', 'origins allowed to call the API from a browser (CORS), or `*`'),
  RATE_LIMIT_PER_MIN: row('rateLimitPerMin', withDefault(intVar(0, 1_000_000), DEFAULT_RATE_LIMIT_PER_MIN), '`60`', 'requests per minute per client on `/api` and `/v1` (0 = off)'),
  AUTH_FAILURES_PER_MIN: row('authFailuresPerMin', withDefault(intVar(0, 1_000_000), DEFAULT_AUTH_FAILURES_PER_MIN), '`10`', 'failed API-key attempts per client per minute before `429` (0 = off)'),
  MAX_IN_FLIGHT: row('maxInFlight', withDefault(intVar(0, 10_000), DEFAULT_MAX_IN_FLIGHT), '`4`', 'answer/search requests running at once (0 = no cap)'),
  MAX_QUEUED: row('maxQueued', withDefault(intVar(0, 100_000), DEFAULT_MAX_QUEUED), '`32`', 'answer/search requests waiting for a slot; beyond that `503` + `Retry-After`'),
  ANSWER_WORKERS: row('answerWorkers', withDefault(intVar(0, 64), DEFAULT_ANSWER_WORKERS), '`1`', 'answer worker processes (0–64) that run asks and searches off the HTTP event loop; each loads its own copy of the index (≈ the server\'s own memory again: 566 MiB RSS measured for 213 documents), `0` = answer on the event loop'),
  ANSWER_WORKER_NICE: row('answerWorkerNice', withDefault(intVar(0, 19), DEFAULT_ANSWER_WORKER_NICE), '`10`', 'CPU niceness the answer workers give themselves (0–19): the HTTP event loop gets a core first, answers use the rest'),
  MAX_BODY_BYTES: row('maxBodyBytes', withDefault(intVar(1024, 16 * 1024 * 1024), DEFAULT_MAX_BODY_BYTES), '`65536`', 'largest request body (1024–16 MiB)'),
  MAX_QUESTION_CHARS: row('maxQuestionChars', withDefault(intVar(10, 100_000), DEFAULT_MAX_QUESTION_CHARS), '`2000`', 'longest question'),
  TRUST_PROXY: row('trustProxy', trustProxy, '`0`', 'number of reverse proxies in front; the client is the address that many entries from the right of `X-Forwarded-For`'),
  ANSWER_CACHE_SIZE: row('answerCacheSize', withDefault(intVar(0, 1_000_000), DEFAULT_ANSWER_CACHE_SIZE), '`1000`', 'cached extractive answers and searches per loaded index (0 = off)'),
};

/** What the HTTP layer needs to know; everything else (index, models, LLM) belongs to the engine. */
export interface ServerConfig {
  port: number;
  /** Interface to bind; loopback unless HOST says otherwise. */
  host: string;
  /** Accepted API keys for /api and /v1; empty means no key is required. */
  apiKeys: string[];
  /** Origins allowed to call the API from a browser (the widget's host pages); `*` allows any. Same-origin always works. */
  widgetOrigins: string[];
  /** Requests per minute per client on /api and /v1; 0 disables the limit. */
  rateLimitPerMin: number;
  /** Failed authentications per client per minute before 429; 0 disables the throttle. */
  authFailuresPerMin: number;
  /** Answer/search requests running at once; beyond it 503 + Retry-After; 0 = no cap. */
  maxInFlight: number;
  /** Requests waiting for a slot when all are taken; more are refused with 503. */
  maxQueued: number;
  /** Worker threads that run asks and searches off the event loop, each on its own engine; 0 = on the event loop. */
  answerWorkers: number;
  /** Niceness the answer workers give themselves (0 = the server's own priority). */
  answerWorkerNice: number;
  maxBodyBytes: number;
  maxQuestionChars: number;
  /** Public base URL (no trailing slash) used in links the server hands out; pages use relative URLs without it. */
  publicUrl?: string;
  /** Reverse proxies in front of the server: the client is the address this many entries from the right of `X-Forwarded-For`; 0 = the socket address. */
  trustProxy: number;
  /** Cached extractive answers / search results per loaded index; 0 disables. */
  answerCacheSize: number;
  /** The engine's answer mode when a request names none (ANSWER_MODE). */
  defaultAnswerMode: 'extractive' | 'llm';
}

/** The server slice of the parsed environment. */
export function serverSlice(e: Record<string, unknown>, shared: { publicUrl?: string; answerMode: 'extractive' | 'llm' }): ServerConfig {
  return { ...sliceOf(serverVars, e), publicUrl: shared.publicUrl, defaultAnswerMode: shared.answerMode };
}
