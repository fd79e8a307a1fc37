// Runtime configuration: every environment variable is parsed here, once, with one zod schema; a bad value
// fails fast naming the variable. The server, bots and LLM mode receive their slice of the one parsed object;
// no other module reads the environment.
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';
import { answerSlice, answerVars, type AnswerConfig } from './config/answer.ts';
import { botsSlice, botsVars, type BotConfig } from './config/bots.ts';
import { blankToUndefined, flagVar, httpUrl, intVar, optionalString, readmeRows, row, shapeOf, sliceOf, withDefault } from './config/env.ts';
import { llmSlice, llmVars, type LlmConfig } from './config/llm.ts';
import { serverSlice, serverVars, type ServerConfig } from './config/server.ts';

export type { AnswerConfig } from './config/answer.ts';
export type { BotConfig } from './config/bots.ts';
export type { LlmConfig } from './config/llm.ts';
export { DEFAULT_TEMPERATURE, DEFAULT_TIMEOUT_MS } from './config/llm.ts';
export type { ServerConfig } from './config/server.ts';

/** Id of the static embedding model trained from the corpus at ingest (stored inside the index). */
export const STATIC_MODEL_ID = 'plancite-static';
/** Default dimension of the static embedding model. */
export const DEFAULT_EMBED_DIM = 256;

/** A Postgres URL, e.g. `postgresql://plancite@db:5432/plancite`. */
const POSTGRES_URL_RE = /^postgres(ql)?:\/\//;
/** An empty string: an unset prefix (a blank but non-empty prefix such as " " is kept). */
const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** Variables read by more than one part: parsed once here with one rule. */
const sharedVars = {
  ANSWER_MODE: row('answerMode', withDefault(z.preprocess(blankToUndefined, z.enum(['extractive', 'llm']).optional()), 'extractive'), '`extractive`', '`llm` to answer with an OpenAI-compatible server (falls back to extractive when it fails)'),
  PUBLIC_URL: row('publicUrl', optionalString(httpUrl), '—', 'public base URL of the web UI; links in bot replies and on pages use it (pages use relative URLs without it)'),
};

/** Where the corpus, index and models live, and which embedder the index uses. */
const indexVars = {
  CORPUS_DIR: row('corpusDir', withDefault(optionalString(), 'corpus').transform((d) => path.resolve(d)), '`corpus`', 'documents to index (`.txt`, `.md`, `.docx`, `.pdf`; a `<file>.meta.json` sidecar overrides metadata fields)'),
  INDEX_DIR: row('indexDir', withDefault(optionalString(), 'index').transform((d) => path.resolve(d)), '`index`', 'where the index is written and read'),
  MODELS_DIR: row('modelsDir', withDefault(optionalString(), 'models').transform((d) => path.resolve(d)), '`models`', 'folder holding other models in Transformers.js layout, e.g. `models/Xenova/multilingual-e5-small`'),
  EMBED_MODEL: row('embedModel', withDefault(optionalString(), STATIC_MODEL_ID), '`plancite-static`', 'embedding model id; `plancite-static` is trained from the corpus at ingest and stored in the index'),
  EMBED_DIM: row('embedDim', withDefault(intVar(16, 1024), DEFAULT_EMBED_DIM), '`256`', 'dimension of the trained static model (16–1024)'),
  // Prefixes are taken as written (a trailing space is meaningful: "query: ").
  EMBED_QUERY_PREFIX: row('queryPrefix', z.preprocess(emptyToUndefined, z.string().optional()), '`query: ` for e5 models, else empty', 'text put before a question when embedding it'),
  EMBED_PASSAGE_PREFIX: row('passagePrefix', z.preprocess(emptyToUndefined, z.string().optional()), '`passage: ` for e5 models, else empty', 'text put before a chunk when embedding it'),
  ALLOW_REMOTE_MODELS: row('allowRemoteModels', withDefault(flagVar, false), '`0`', 'let Transformers.js download models (off: everything is local)'),
  // Postgres + pgvector store shared by several servers; unset = the local index folder.
  DATABASE_URL: row('databaseUrl', optionalString(z.string().trim().regex(POSTGRES_URL_RE, 'must be a postgres:// or postgresql:// URL')), '—', '`postgresql://…` of a Postgres ≥ 15 with pgvector: ingest writes there and servers read and share state there (see "Running several servers"); unset = the local `INDEX_DIR`'),
};

/** Every table, in the order of the schema and of the README's configuration table. */
const TABLES = [indexVars, sharedVars, answerVars, serverVars, botsVars, llmVars] as const;

/** The one schema: every variable plancite reads. The README's configuration table is made from the same tables. */
export const envSchema = z.object({ ...shapeOf(indexVars), ...shapeOf(sharedVars), ...shapeOf(answerVars), ...shapeOf(serverVars), ...shapeOf(botsVars), ...shapeOf(llmVars) });

/** Names of every environment variable plancite reads. */
export const ENV_VARIABLES = Object.keys(envSchema.shape) as Array<keyof typeof envSchema.shape>;

/** The rows of the README's configuration table (`| \`NAME\` | default | meaning |`), in schema order. */
export const CONFIG_TABLE_ROWS: readonly string[] = readmeRows(...TABLES);

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
  const { answerMode, publicUrl } = sliceOf(sharedVars, e);
  const bots = botsSlice(e, { publicUrl });
  if ('variable' in bots) fail(bots.variable, bots.message);
  const llm = llmSlice(e);
  if (llm && 'variable' in llm) fail(llm.variable, llm.message);
  return {
    ...sliceOf(indexVars, e),
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
