// The LLM answer mode's slice of the configuration: an OpenAI-compatible server, model and sampling.
import { z } from 'zod';
import { intVar, numberVar, optionalString } from './env.ts';

/** Default sampling temperature: 0, the most literal answers and quotes. */
export const DEFAULT_TEMPERATURE = 0;
/** Default wait for the first byte and between chunks (ms); CPU-served models can be slow to start. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface LlmConfig {
  /** OpenAI-compatible API root, e.g. `http://127.0.0.1:11434/v1` (Ollama) or `http://vllm:8000/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  temperature?: number;
  /** Longest wait for the first byte and between two streamed chunks. */
  timeoutMs?: number;
  maxTokens?: number;
}

/** Environment variables of the LLM mode; LLM_BASE_URL unset = LLM mode unavailable. */
export const llmEnv = {
  // Kept as written (no slash trimming): apiRoot() decides where /v1 goes.
  LLM_BASE_URL: optionalString(z.string().trim().url('must be an http(s) URL')),
  LLM_MODEL: optionalString(z.string().trim().min(1)),
  LLM_API_KEY: optionalString(z.string().min(1)),
  LLM_TEMPERATURE: numberVar(0, 2),
  LLM_TIMEOUT_MS: intVar(1, 3_600_000),
  LLM_MAX_TOKENS: intVar(1, 1_000_000),
};

type LlmEnv = z.output<ReturnType<typeof z.object<typeof llmEnv>>>;

/** The LLM slice: null when LLM_BASE_URL is unset; LLM_MODEL is then required. */
export function llmSlice(e: LlmEnv): LlmConfig | null | { variable: string; message: string } {
  if (e.LLM_BASE_URL === undefined) return null;
  if (e.LLM_MODEL === undefined) return { variable: 'LLM_MODEL', message: 'is required when LLM_BASE_URL is set' };
  return {
    baseUrl: e.LLM_BASE_URL,
    model: e.LLM_MODEL,
    ...(e.LLM_API_KEY ? { apiKey: e.LLM_API_KEY } : {}),
    temperature: e.LLM_TEMPERATURE ?? DEFAULT_TEMPERATURE,
    timeoutMs: e.LLM_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS,
    ...(e.LLM_MAX_TOKENS ? { maxTokens: e.LLM_MAX_TOKENS } : {}),
  };
}
