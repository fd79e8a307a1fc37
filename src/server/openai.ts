// OpenAI-compatible /v1 routes (chat completions, models) so any chat client can ask plancite; sources are appended as text.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AskResult, ChatTurn, Citation } from '../doc/types.ts';
import { askCached, gated, MAX_HISTORY_TURNS, OPEN_GATE, MAX_TURN_CHARS, questionSchema, readJsonBody, type RouteDeps } from './api.ts';
import { HttpError, toHttpError } from './errors.ts';
import { parseBody, parseQuery } from './validate.ts';

/** Every run of white space, line breaks included, e.g. `" \n  "`. */
const SPACE_RUN_RE = /\s+/g;

/** Model ids served: the server's configured answer mode, or a fixed one. */
export const MODELS: Record<string, 'extractive' | 'llm' | undefined> = {
  plancite: undefined,
  'plancite-extractive': 'extractive',
  'plancite-llm': 'llm',
};
/** Longest quote shown in the Sources list; the full quote stays in the `plancite.citations` extension field. */
export const SOURCE_QUOTE_CHARS = 200;
/** Unix time the model ids are reported as created (fixed so /v1/models is stable across restarts). */
const MODELS_CREATED = 1_735_689_600;

/** Fields of a content part that OpenAI clients send; only `text` parts are read. */
const contentPart = z.strictObject({
  type: z.string(),
  text: z.string().optional(),
  image_url: z.unknown().optional(),
  input_audio: z.unknown().optional(),
  file: z.unknown().optional(),
  refusal: z.string().optional(),
});

const contentSchema = z.union([z.string(), z.array(contentPart), z.null()]);

/** A chat message as OpenAI clients send it; tool and function fields are accepted and ignored. */
const messageSchema = z.strictObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: contentSchema.optional(),
  name: z.string().optional(),
  tool_calls: z.unknown().optional(),
  tool_call_id: z.string().optional(),
  function_call: z.unknown().optional(),
  refusal: z.string().nullable().optional(),
  audio: z.unknown().optional(),
});

/**
 * Chat Completions request fields that standard clients send and plancite accepts but does not use (answers are
 * grounded in the index; sampling and tools do not apply). Anything else is refused as an unknown field.
 */
const IGNORED_OPENAI_FIELDS = [
  'temperature', 'top_p', 'n', 'stop', 'max_tokens', 'max_completion_tokens', 'presence_penalty', 'frequency_penalty',
  'logit_bias', 'logprobs', 'top_logprobs', 'user', 'seed', 'stream_options', 'response_format', 'tools', 'tool_choice',
  'parallel_tool_calls', 'functions', 'function_call', 'metadata', 'store', 'reasoning_effort', 'modalities', 'prediction',
  'audio', 'service_tier', 'verbosity', 'web_search_options', 'safety_identifier', 'prompt_cache_key',
] as const;

const chatSchema = z.strictObject({
  model: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
  messages: z
    .array(messageSchema)
    .min(1, 'must contain at least one message')
    .max(MAX_HISTORY_TURNS + 10, `must have at most ${MAX_HISTORY_TURNS + 10} messages`),
  stream: z.boolean({ error: 'must be true or false' }).optional(),
  ...Object.fromEntries(IGNORED_OPENAI_FIELDS.map((f) => [f, z.unknown().optional()])),
});

function textOf(content: z.infer<typeof contentSchema> | undefined): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content
    .filter((p) => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n');
}

/** Longest document title shown in a citation tag when the document has no number. */
export const TAG_TITLE_CHARS = 60;

/** The compact citation tag used everywhere: `68/NQ-CP §III.3.d` (shortened title when the number is unknown). */
export function citationTag(c: Pick<Citation, 'docNumber' | 'docTitle' | 'section'>): string {
  const name = c.docNumber ?? (c.docTitle.length > TAG_TITLE_CHARS ? `${c.docTitle.slice(0, TAG_TITLE_CHARS - 1).trimEnd()}…` : c.docTitle);
  return `${name} §${c.section}`;
}

/** The answer followed by a short Sources list (`[n] tag — “quote”`), in the answer's language. */
export function withSources(r: Pick<AskResult, 'answer' | 'citations' | 'language'>): string {
  if (!r.citations.length) return r.answer;
  const head = r.language === 'vi' ? 'Nguồn:' : 'Sources:';
  const lines = r.citations.map((c) => {
    const q = c.quote.replace(SPACE_RUN_RE, ' ').trim();
    const short = q.length > SOURCE_QUOTE_CHARS ? `${q.slice(0, SOURCE_QUOTE_CHARS - 1).trimEnd()}…` : q;
    return `[${c.n}] ${c.label || citationTag(c)} — “${short}”`;
  });
  return `${r.answer}\n\n${head}\n${lines.join('\n')}`;
}

/**
 * Builds the /v1 sub-app: `GET /models` and `POST /chat/completions` (stream and non-stream). The last
 * message must come from the user; earlier user/assistant messages become the history; system messages are ignored
 * (answers are always grounded in the index, never steered by a prompt).
 * @example app.route('/v1', createOpenAiRoutes({ engine: () => engine, config, log: console.error, cache: createAnswerCache(1000) }))
 */
export function createOpenAiRoutes(deps: RouteDeps): Hono {
  const v1 = new Hono();
  const question = questionSchema(deps.config.maxQuestionChars);

  v1.get('/models', (c) => {
    parseQuery(c, z.object({}));
    return c.json({ object: 'list', data: Object.keys(MODELS).map((id) => ({ id, object: 'model', created: MODELS_CREATED, owned_by: 'plancite' })) });
  });

  v1.post('/chat/completions', async (c) => {
    const { model, messages, stream } = parseBody(chatSchema, await readJsonBody(c, deps.config));
    if (!Object.hasOwn(MODELS, model)) throw new HttpError(404, 'not_found', `model "${model.slice(0, 80)}" does not exist; use one of ${Object.keys(MODELS).join(', ')}`);
    const mode = MODELS[model];
    const last = messages[messages.length - 1]!;
    if (last.role !== 'user') throw new HttpError(400, 'bad_input', 'messages: the last message must have role "user"');
    const q = question.safeParse(textOf(last.content));
    if (!q.success) throw new HttpError(400, 'bad_input', `messages.${messages.length - 1}.content: ${q.error.issues[0]?.message ?? 'invalid'}`);
    const history: ChatTurn[] = messages
      .slice(0, -1)
      .filter((m) => m.role === 'user' || m.role === 'assistant')
      .map((m) => ({ role: m.role as 'user' | 'assistant', content: textOf(m.content).slice(0, MAX_TURN_CHARS) }))
      .filter((t) => t.content.trim())
      .slice(-MAX_HISTORY_TURNS);
    const engine = deps.engine();
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);

    if (!stream) {
      const r = await gated(deps, () => askCached(deps, engine, q.data, { history, mode }));
      return c.json({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: withSources(r), refusal: null }, logprobs: null, finish_reason: 'stop' }],
        plancite: { refused: r.refused, language: r.language, citations: r.citations },
      });
    }

    // Taken before the stream starts: an overloaded server answers 503, not a 200 stream with an error.
    const release = await (deps.gate ?? OPEN_GATE).enter();
    return streamSSE(c, async (s) => {
      const ac = new AbortController();
      s.onAbort(() => ac.abort());
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      });
      let writes: Promise<void> = Promise.resolve();
      const send = (data: unknown) => {
        writes = writes.then(() => s.writeSSE({ data: typeof data === 'string' ? data : JSON.stringify(data) }));
        return writes;
      };
      void send(chunk({ role: 'assistant', content: '' }));
      let streamed = '';
      let r: AskResult;
      try {
        r = await askCached(deps, engine, q.data, {
          history,
          mode,
          signal: ac.signal,
          onToken: (t) => {
            streamed += t;
            void send(chunk({ content: t }));
          },
        });
      } catch (e) {
        if (ac.signal.aborted) return;
        const err = toHttpError(e);
        if (err.status >= 500) deps.log('chat completion failed', e);
        await send({ error: { code: err.code, message: err.message } });
        return;
      } finally {
        release();
      }
      // A checked LLM answer can differ from what was streamed (unsupported citations dropped, or the
      // extractive fallback after a failed stream): a stream cannot be taken back, so the checked text follows.
      const tail = r.answer.startsWith(streamed)
        ? r.answer.slice(streamed.length)
        : `\n\n${r.language === 'vi' ? 'Câu trả lời đã kiểm tra nguồn:' : 'Checked answer:'}\n${r.answer}`;
      const sources = withSources({ ...r, answer: '' });
      if (tail || sources) await send(chunk({ content: tail + sources }));
      await send({ ...chunk({}, 'stop'), plancite: { refused: r.refused, language: r.language, citations: r.citations } });
      await send('[DONE]');
    });
  });

  return v1;
}
