// Runtime configuration: every environment variable is parsed here, once, with one zod schema; a bad value
// fails fast naming the variable. The server, bots and LLM mode receive their slice of the one parsed object;
// no other module reads the environment.
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';
import { answerEnv, answerSlice, type AnswerConfig } from './config/answer.ts';
import { botsEnv, botsSlice, type BotConfig } from './config/bots.ts';
import { flagVar, httpUrl, intVar, optionalString } from './config/env.ts';
import { llmEnv, llmSlice, type LlmConfig } from './config/llm.ts';
import { serverEnv, serverSlice, type ServerConfig } from './config/server.ts';

export type { AnswerConfig } from './config/answer.ts';
export type { BotConfig } from './config/bots.ts';
export type { LlmConfig } from './config/llm.ts';
export { DEFAULT_TEMPERATURE, DEFAULT_TIMEOUT_MS } from './config/llm.ts';
export type { ServerConfig } from './config/server.ts';

/** Id of the static embedding model trained from the corpus at ingest (stored inside the index). */
export const STATIC_MODEL_ID = 'plancite-static';
/** Default dimension of the static embedding model. */
export const DEFAULT_EMBED_DIM = 256;

/** Variables read by more than one part: parsed once here with one rule. */
const sharedEnv = {
  ANSWER_MODE: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.enum(['extractive', 'llm']).optional()),
  PUBLIC_URL: optionalString(httpUrl),
};

/** Where the corpus, index and models live, and which embedder the index uses. */
const indexEnv = {
  CORPUS_DIR: optionalString(),
  INDEX_DIR: optionalString(),
  MODELS_DIR: optionalString(),
  EMBED_MODEL: optionalString(),
  EMBED_DIM: intVar(16, 1024),
  // Prefixes are taken as written (a trailing space is meaningful: "query: ").
  EMBED_QUERY_PREFIX: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  EMBED_PASSAGE_PREFIX: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  ALLOW_REMOTE_MODELS: flagVar,
  // Postgres + pgvector store shared by several servers; unset = the local index folder.
  DATABASE_URL: optionalString(z.string().trim().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')),
};

/** The one schema: every variable plancite reads. The README's configuration table lists the same names. */
export const envSchema = z.object({ ...indexEnv, ...sharedEnv, ...answerEnv, ...serverEnv, ...botsEnv, ...llmEnv });

/** Names of every environment variable plancite reads. */
export const ENV_VARIABLES = Object.keys(envSchema.shape) as Array<keyof typeof envSchema.shape>;

export interface Config {
  corpusDir: string;
  indexDir: string;
  modelsDir: string;
  embedModel: string;
  embedDim: number;
  queryPrefix?: string;
  passagePrefix?: string;
  allowRemoteModels: boolean;
  /** Postgres store (DATABASE_URL); undefined = the local index folder. */
  databaseUrl?: string;
  answerMode: 'extractive' | 'llm';
  /** The answerer's slice: answer length and refusal thresholds. */
  answer: AnswerConfig;
  /** The HTTP server's slice. */
  server: ServerConfig;
  /** The chat bots' slice. */
  bots: BotConfig;
  /** The LLM mode's slice; null when LLM_BASE_URL is unset. */
  llm: LlmConfig | null;
}

/** Environment-shaped input: `process.env` at start-up, a plain object in tests. */
export type Env = Record<string, string | undefined>;

function fail(variable: string, message: string): never {
  // Never echo the value: keys and URLs with credentials would end up in logs.
  throw new AppError('config', `invalid environment variable ${variable}: ${message}`);
}

/**
 * Parses the whole configuration from an environment object (process.env when omitted — only the CLI's
 * start-up and tests call this); throws AppError('config') naming the first bad variable.
 * @example loadConfig({ INDEX_DIR: '/tmp/idx', PORT: '9000' }).server.port === 9000
 */
export function loadConfig(env: Env = process.env): Config {
  const picked = Object.fromEntries(Object.entries(env).filter(([k]) => Object.hasOwn(envSchema.shape, k)));
  const r = envSchema.safeParse(picked);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    fail(String(issue.path[0]), issue.message);
  }
  const e = r.data;
  const answerMode = e.ANSWER_MODE ?? 'extractive';
  const publicUrl = e.PUBLIC_URL;
  const bots = botsSlice(e, { publicUrl });
  if ('variable' in bots) fail(bots.variable, bots.message);
  const llm = llmSlice(e);
  if (llm && 'variable' in llm) fail(llm.variable, llm.message);
  return {
    corpusDir: path.resolve(e.CORPUS_DIR ?? 'corpus'),
    indexDir: path.resolve(e.INDEX_DIR ?? 'index'),
    modelsDir: path.resolve(e.MODELS_DIR ?? 'models'),
    embedModel: e.EMBED_MODEL ?? STATIC_MODEL_ID,
    embedDim: e.EMBED_DIM ?? DEFAULT_EMBED_DIM,
    queryPrefix: e.EMBED_QUERY_PREFIX,
    passagePrefix: e.EMBED_PASSAGE_PREFIX,
    allowRemoteModels: e.ALLOW_REMOTE_MODELS ?? false,
    databaseUrl: e.DATABASE_URL,
    answerMode,
    answer: answerSlice(e),
    server: serverSlice(e, { publicUrl, answerMode }),
    bots,
    llm,
  };
}

/** The server slice of `loadConfig(env)` (tests and tools that need only it). */
export const loadServerConfig = (env: Env): ServerConfig => loadConfig(env).server;
/** The bots slice of `loadConfig(env)`. */
export const loadBotConfig = (env: Env): BotConfig => loadConfig(env).bots;
/** The LLM slice of `loadConfig(env)`; null when LLM_BASE_URL is unset. */
export const loadLlmConfig = (env: Env): LlmConfig | null => loadConfig(env).llm;
