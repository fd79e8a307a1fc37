// The LLM answer mode's slice of the configuration: an OpenAI-compatible server, model and sampling.
import { z } from 'zod';
import { intVar, numberVar, optionalString, row, sliceOf, withDefault } from './env.ts';

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

/** Variables of the LLM mode (LLM_BASE_URL unset = LLM mode unavailable): config field, schema, README default and meaning. */
export const llmVars = {
  // Kept as written (no slash trimming): apiRoot() decides where /v1 goes.
  LLM_BASE_URL: row('baseUrl', optionalString(z.string().trim().url('must be an http(s) URL')), '—', 'OpenAI-compatible server (vLLM, llama.cpp, Ollama\'s `/v1`); unset = LLM mode unavailable'),
  LLM_MODEL: row('model', optionalString(z.string().trim().min(1)), '—', 'model name; required with `LLM_BASE_URL`'),
  LLM_API_KEY: row('apiKey', optionalString(z.string().min(1)), '—', 'key for the LLM server (never read from `OPENAI_API_KEY`)'),
  LLM_TEMPERATURE: row('temperature', withDefault(numberVar(0, 2), DEFAULT_TEMPERATURE), '`0`', 'sampling temperature (0–2)'),
  LLM_TIMEOUT_MS: row('timeoutMs', withDefault(intVar(1, 3_600_000), DEFAULT_TIMEOUT_MS), '`30000`', 'longest wait for the first byte and between streamed chunks'),
  LLM_MAX_TOKENS: row('maxTokens', intVar(1, 1_000_000), '—', 'cap on the answer\'s length in tokens'),
};

/** The LLM slice: null when LLM_BASE_URL is unset; LLM_MODEL is then required. */
export function llmSlice(parsed: Record<string, unknown>): LlmConfig | null | { variable: string; message: string } {
  const { baseUrl, model, apiKey, maxTokens, ...rest } = sliceOf(llmVars, parsed);
  if (baseUrl === undefined) return null;
  if (model === undefined) return { variable: 'LLM_MODEL', message: 'is required when LLM_BASE_URL is set' };
  return { baseUrl, model, ...(apiKey ? { apiKey } : {}), ...rest, ...(maxTokens ? { maxTokens } : {}) };
}
