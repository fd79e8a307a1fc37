// Runtime configuration, parsed once from the environment with zod; a bad value fails fast naming the variable.
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';

/** Id of the static embedding model trained from the corpus at ingest (stored inside the index). */
export const STATIC_MODEL_ID = 'plancite-static';

const boolish = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const schema = z.object({
  CORPUS_DIR: z.string().min(1).default('corpus'),
  INDEX_DIR: z.string().min(1).default('index'),
  MODELS_DIR: z.string().min(1).default('models'),
  EMBED_MODEL: z.string().min(1).default(STATIC_MODEL_ID),
  EMBED_DIM: z.coerce.number().int().min(16).max(1024).default(256),
  EMBED_QUERY_PREFIX: z.string().optional(),
  EMBED_PASSAGE_PREFIX: z.string().optional(),
  ALLOW_REMOTE_MODELS: boolish.default(false),
  ANSWER_MODE: z.enum(['extractive', 'llm']).default('extractive'),
});

export interface Config {
  corpusDir: string;
  indexDir: string;
  modelsDir: string;
  embedModel: string;
  embedDim: number;
  queryPrefix?: string;
  passagePrefix?: string;
  allowRemoteModels: boolean;
  answerMode: 'extractive' | 'llm';
}

/**
 * Reads the configuration from an environment object.
 * @example loadConfig({ INDEX_DIR: '/tmp/idx' }).indexDir === path.resolve('/tmp/idx')
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([k]) => k in schema.shape)));
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new AppError('config', `invalid environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const c = r.data;
  return {
    corpusDir: path.resolve(c.CORPUS_DIR),
    indexDir: path.resolve(c.INDEX_DIR),
    modelsDir: path.resolve(c.MODELS_DIR),
    embedModel: c.EMBED_MODEL,
    embedDim: c.EMBED_DIM,
    queryPrefix: c.EMBED_QUERY_PREFIX,
    passagePrefix: c.EMBED_PASSAGE_PREFIX,
    allowRemoteModels: c.ALLOW_REMOTE_MODELS,
    answerMode: c.ANSWER_MODE,
  };
}
