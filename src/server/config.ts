// HTTP server configuration, parsed once from the environment with zod; a bad value fails fast naming the variable.
import { z } from 'zod';
import { AppError } from '../errors.ts';

/** Default listening port. */
export const DEFAULT_PORT = 8787;
/** Default requests per minute per client on /api and /v1 (0 disables the limit). */
export const DEFAULT_RATE_LIMIT_PER_MIN = 60;
/** Default largest request body in bytes: a question plus a long conversation history fits comfortably. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** Default longest question in characters (the bots use the same bound). */
export const DEFAULT_MAX_QUESTION_CHARS = 2000;
/** Default number of cached extractive answers and search results per loaded index (0 disables the cache). */
export const DEFAULT_ANSWER_CACHE_SIZE = 1000;

/** An unset or blank variable counts as "not set", so `.env` files with `X=` behave like missing lines. */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const intVar = (min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`)
      .optional(),
  );
const list = z.preprocess(blankToUndefined, z.string().optional()).transform((v) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const origin = z.string().refine((o) => o === '*' || /^https?:\/\/[^/\s]+$/i.test(o), 'each origin must look like http(s)://host[:port] (no path) or be *');
const boolish = z.preprocess(blankToUndefined, z.enum(['0', '1', 'true', 'false', 'yes', 'no']).optional()).transform((v) => v === '1' || v === 'true' || v === 'yes');

const schema = z.object({
  PORT: intVar(0, 65535),
  HOST: z.preprocess(blankToUndefined, z.string().trim().optional()),
  API_KEYS: list.refine((keys) => keys.every((k) => k.length >= 8), 'each key must be at least 8 characters'),
  WIDGET_ORIGINS: list.pipe(z.array(origin)),
  RATE_LIMIT_PER_MIN: intVar(0, 1_000_000),
  MAX_BODY_BYTES: intVar(1024, 16 * 1024 * 1024),
  MAX_QUESTION_CHARS: intVar(10, 100_000),
  PUBLIC_URL: z.preprocess(blankToUndefined, z.string().trim().regex(/^https?:\/\/\S+$/i, 'must be an http(s) URL').optional()),
  TRUST_PROXY: boolish,
  ANSWER_CACHE_SIZE: intVar(0, 1_000_000),
  // Read here only to know whether answers without an explicit mode are extractive (cacheable); the engine owns it.
  ANSWER_MODE: z.preprocess(blankToUndefined, z.enum(['extractive', 'llm']).optional()),
});

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
  maxBodyBytes: number;
  maxQuestionChars: number;
  /** Public base URL (no trailing slash) used in links the server hands out; falls back to the request's origin. */
  publicUrl?: string;
  /** Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy). */
  trustProxy: boolean;
  /** Cached extractive answers / search results per loaded index; 0 disables. */
  answerCacheSize: number;
  /** The engine's answer mode when a request names none (ANSWER_MODE). */
  defaultAnswerMode: 'extractive' | 'llm';
}

/**
 * Reads the server configuration from an environment object; throws AppError('config') naming the variable.
 * @example loadServerConfig({ PORT: '9000', API_KEYS: 'key-one-123,key-two-456' }).apiKeys.length === 2
 */
export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const picked = Object.fromEntries(Object.entries(env).filter(([k]) => k in schema.shape));
  const r = schema.safeParse(picked);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new AppError('config', `invalid environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = r.data;
  return {
    port: e.PORT ?? DEFAULT_PORT,
    host: e.HOST ?? '127.0.0.1',
    apiKeys: e.API_KEYS,
    widgetOrigins: e.WIDGET_ORIGINS,
    rateLimitPerMin: e.RATE_LIMIT_PER_MIN ?? DEFAULT_RATE_LIMIT_PER_MIN,
    maxBodyBytes: e.MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES,
    maxQuestionChars: e.MAX_QUESTION_CHARS ?? DEFAULT_MAX_QUESTION_CHARS,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    answerCacheSize: e.ANSWER_CACHE_SIZE ?? DEFAULT_ANSWER_CACHE_SIZE,
    defaultAnswerMode: e.ANSWER_MODE ?? 'extractive',
  };
}
