// The /api routes: ask (JSON or SSE), search, documents, sections and the task register, each validated with zod.
import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { toCsv, toIcs } from '../register/index.ts';
import { foldDiacritics } from '../text/normalize.ts';
import { CHANNELS, OBLIGATION_KINDS, type AskOptions, type AskResult, type Channels, type ChatTurn, type Engine, type Obligation, type Passage } from '../doc/types.ts';
import { cacheKey, type AnswerCache } from './cache.ts';
import { createGate, type Gate } from './gate.ts';
import type { ServerConfig } from '../config.ts';
import { HttpError, tooLarge, toHttpError } from './errors.ts';
import { isoDate, nfc, parseBody, parseQuery, queryRecord } from './validate.ts';

/** A JSON media type, e.g. `application/json; charset=utf-8` or `application/merge-patch+json`. */
const JSON_CONTENT_TYPE_RE = /^application\/(.+\+)?json\b/i;
/** A run of characters a file name slug does not keep, e.g. the `/` of `42-NQ/TW`. */
const NOT_SLUG_CHARS_RE = /[^A-Za-z0-9-]+/g;
/** Dashes that open or end a slug, e.g. the last `-` of `ke-hoach-`. */
const EDGE_DASHES_RE = /^-+|-+$/g;

/** Conversation turns accepted with a question; the widget sends far fewer, older turns add nothing to retrieval. */
export const MAX_HISTORY_TURNS = 50;
/** Longest accepted history turn (answers with quotes run to a few thousand characters). */
export const MAX_TURN_CHARS = 8000;
/** Largest `k` for /api/search. */
export const MAX_SEARCH_K = 50;
/** Default `k` for /api/search (the CLI's default). */
export const DEFAULT_SEARCH_K = 10;

/** Logs the cause of an internal error; the client only ever sees the mapped message. */
export type Logger = (message: string, err?: unknown) => void;

export interface RouteDeps {
  engine: () => Engine;
  config: ServerConfig;
  log: Logger;
  cache: AnswerCache;
  /** Bounds answer work in flight (a fresh unbounded gate when omitted). */
  gate?: Gate;
}

/** The gate used when none is given: no limit. */
export const OPEN_GATE: Gate = createGate(0, 0);

/** Runs `work` inside a gate slot; the slot is released when the returned promise settles. */
export async function gated<T>(deps: Pick<RouteDeps, 'gate'>, work: () => Promise<T>): Promise<T> {
  const release = await (deps.gate ?? OPEN_GATE).enter();
  try {
    return await work();
  } finally {
    release();
  }
}

/**
 * Asks through the answer cache: an extractive answer (deterministic for one index) is stored per engine and
 * replayed to later identical questions, streamed as one token like a fresh extractive answer. LLM answers are
 * never cached.
 */
export async function askCached(deps: Pick<RouteDeps, 'cache' | 'config'>, engine: Engine, question: string, opts: AskOptions): Promise<AskResult> {
  const cacheable = (opts.mode ?? deps.config.defaultAnswerMode) === 'extractive';
  const key = cacheKey('ask', question, opts.history ?? []);
  if (cacheable) {
    const hit = deps.cache.get<AskResult>(engine, key);
    if (hit) {
      opts.onToken?.(hit.answer);
      return { ...hit, question };
    }
  }
  const r = await engine.ask(question, opts);
  if (cacheable && r.mode !== 'llm') deps.cache.set(engine, key, r);
  return r;
}

/** Searches through the answer cache (retrieval is deterministic for one index). */
export async function searchCached(deps: Pick<RouteDeps, 'cache'>, engine: Engine, query: string, k: number, channels: Channels = 'hybrid', history: ChatTurn[] = []): Promise<Passage[]> {
  const key = cacheKey('search', query, k, channels, history);
  const hit = deps.cache.get<Passage[]>(engine, key);
  if (hit) return hit;
  const passages = await engine.search(query, k, { channels, history });
  deps.cache.set(engine, key, passages);
  return passages;
}

/** The chat-turn schema shared by /api/ask and the OpenAI-compatible route. */
export const turnSchema = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.string().max(MAX_TURN_CHARS, `must be at most ${MAX_TURN_CHARS} characters`),
});

/** The question schema with the configured length bound. */
export function questionSchema(maxChars: number) {
  return z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(maxChars, `must be at most ${maxChars} characters`);
}

/** Reads a JSON body; anything that is not a JSON object is a 400 naming the problem. */
export async function readJsonBody(c: Context, config: { maxBodyBytes: number }): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!JSON_CONTENT_TYPE_RE.test(type)) throw new HttpError(400, 'bad_input', 'body: send JSON with Content-Type: application/json');
  let body: unknown;
  try {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const text = incoming && !incoming.readableEnded ? await readIncoming(incoming, config.maxBodyBytes) : await c.req.text();
    if (Buffer.byteLength(text) > config.maxBodyBytes) throw tooLarge(config.maxBodyBytes);
    body = JSON.parse(text);
  } catch (e) {
    if (e instanceof HttpError || (e as { status?: number })?.status === 413) throw e;
    throw new HttpError(400, 'bad_input', 'body: not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'bad_input', 'body: must be a JSON object');
  return body;
}

/**
 * Reads a request body straight from Node's IncomingMessage (the body limit has already checked its
 * Content-Length). Going through the Web Request stream costs several event-loop turns per request.
 */
function readIncoming(incoming: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (ch: Buffer) => {
      size += ch.length;
      if (size > limit) {
        incoming.removeAllListeners('data');
        incoming.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(ch);
    });
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

/** True when the client asked for a server-sent event stream. */
export function wantsStream(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('text/event-stream');
}

/** Decodes one path remainder from the raw URL, so `Phụ lục II%2FSTT 8` and `Phụ lục II/STT 8` both work. */
function rawRemainder(c: Context, marker: string): string | null {
  const pathname = new URL(c.req.url).pathname;
  const i = pathname.indexOf(marker);
  if (i < 0) return null;
  try {
    return decodeURIComponent(pathname.slice(i + marker.length));
  } catch {
    throw new HttpError(400, 'bad_input', 'path: invalid percent-encoding');
  }
}

function attachment(c: Context, body: string, type: string, filename: string): Response {
  return c.body(body, 200, {
    'content-type': `${type}; charset=utf-8`,
    'content-disposition': `attachment; filename="${filename}"`,
  });
}

/** A file-name-safe form of a document reference. */
function slug(s: string | undefined): string {
  const out = foldDiacritics(s ?? 'all')
    .replace(NOT_SLUG_CHARS_RE, '-')
    .replace(EDGE_DASHES_RE, '');
  return out.slice(0, 60) || 'all';
}

/**
 * Builds the /api sub-app. Every handler reads the engine once at its start, so a request that is
 * running when the index is hot-swapped finishes on the engine it began with.
 * @example app.route('/api', createApiRoutes({ engine: () => engine, config, log: console.error, cache: createAnswerCache(1000) }))
 */
export function createApiRoutes(deps: RouteDeps): Hono {
  const { config, log } = deps;
  const api = new Hono();

  const askSchema = z.strictObject({
    question: questionSchema(config.maxQuestionChars),
    history: z.array(turnSchema).max(MAX_HISTORY_TURNS, `must have at most ${MAX_HISTORY_TURNS} turns`).optional(),
    mode: z.enum(['extractive', 'llm']).optional(),
  });

  api.post('/ask', async (c) => {
    const { question, history, mode } = parseBody(askSchema, await readJsonBody(c, config));
    const engine = deps.engine();
    if (!wantsStream(c)) {
      // The serialised answer is cached too: for a repeated question, building 20 KB of JSON is most of the work.
      const cacheable = (mode ?? config.defaultAnswerMode) === 'extractive';
      const key = JSON.stringify(['ask-json', question, history ?? []]);
      const hit = cacheable ? deps.cache.get<Uint8Array<ArrayBuffer>>(engine, key) : undefined;
      if (hit) return c.body(hit, 200, { 'content-type': 'application/json' });
      const r = await gated(deps, () => askCached(deps, engine, question, { history: history as ChatTurn[] | undefined, mode }));
      // Cached as UTF-8 bytes: the response is written without re-encoding 20 KB of text.
      const body = new Uint8Array(Buffer.from(JSON.stringify(r)));
      if (cacheable && r.mode !== 'llm') deps.cache.set(engine, key, body);
      return c.body(body, 200, { 'content-type': 'application/json' });
    }

    // The slot is taken before the stream starts, so an overloaded server answers 503 rather than a 200 stream with an error.
    const release = await (deps.gate ?? OPEN_GATE).enter();
    return streamSSE(c, async (stream) => {
      const ac = new AbortController();
      stream.onAbort(() => ac.abort());
      try {
        // Tokens arrive synchronously from the engine; chaining keeps them in order on the wire.
        let writes: Promise<void> = Promise.resolve();
        const send = (event: string, data: unknown) => {
          writes = writes.then(() => stream.writeSSE({ event, data: JSON.stringify(data) }));
          return writes;
        };
        let result: AskResult;
        try {
          result = await askCached(deps, engine, question, { history, mode, signal: ac.signal, onToken: (text) => void send('token', { text }) });
        } catch (e) {
          if (ac.signal.aborted) return;
          const err = toHttpError(e);
          if (err.status >= 500) log('ask failed', e);
          await send('error', { code: err.code, message: err.message });
          return;
        } finally {
          // The answer work is done; writing to a slow client must not hold a slot.
          release();
        }
        await send('citations', result.citations);
        await send('done', result);
      } finally {
        release();
      }
    });
  });

  const searchSchema = z.strictObject({
    query: questionSchema(config.maxQuestionChars),
    k: z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(MAX_SEARCH_K, `must be at most ${MAX_SEARCH_K}`).optional(),
    channels: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }).optional(),
    history: z.array(turnSchema).max(MAX_HISTORY_TURNS, `must have at most ${MAX_HISTORY_TURNS} turns`).optional(),
  });

  api.post('/search', async (c) => {
    const { query, k, channels, history } = parseBody(searchSchema, await readJsonBody(c, config));
    const engine = deps.engine();
    const passages = await gated(deps, () => searchCached(deps, engine, query, k ?? DEFAULT_SEARCH_K, channels, history));
    return c.json({ query, passages });
  });

  api.get('/documents', (c) => {
    parseQuery(c, z.object({}));
    return c.json({ documents: deps.engine().documents() });
  });

  const docQuery = z.object({ include: z.enum(['text']).optional() });

  api.get('/documents/:id', (c) => {
    const q = parseQuery(c, docQuery);
    const id = nfc(c.req.param('id'));
    const doc = deps.engine().document(id);
    if (!doc) throw new HttpError(404, 'not_found', `no document with id "${id.slice(0, 100)}"`);
    const body: Record<string, unknown> = { meta: doc.meta, lineage: doc.lineage, outline: doc.outline };
    if (q.include === 'text') body.text = doc.text;
    return c.json(body);
  });

  api.get('/documents/:id/sections/*', (c) => {
    parseQuery(c, z.object({}));
    const id = nfc(c.req.param('id'));
    const path = nfc(rawRemainder(c, '/sections/') ?? '');
    if (!path) throw new HttpError(400, 'bad_input', 'path: a section path is required, e.g. III.3.d');
    const engine = deps.engine();
    if (!engine.document(id)) throw new HttpError(404, 'not_found', `no document with id "${id.slice(0, 100)}"`);
    const s = engine.section(id, path);
    if (!s) throw new HttpError(404, 'not_found', `document "${id.slice(0, 100)}" has no section "${path.slice(0, 100)}"`);
    return c.json({ docId: s.meta.id, docNumber: s.meta.number, docTitle: s.meta.title, section: s.section, text: s.text });
  });

  const obligationsQuery = z.object({
    doc: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    // Exact document id: only that document's own tasks (`doc` also brings in the documents implementing it).
    docId: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    unit: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    kind: z.enum(OBLIGATION_KINDS, { error: `must be one of ${OBLIGATION_KINDS.join(', ')}` }).optional(),
    dueBefore: isoDate.optional(),
    format: z.enum(['json', 'csv', 'ics'], { error: 'must be json, csv or ics' }).optional(),
  });

  api.get('/obligations', (c) => {
    const raw = queryRecord(c);
    // The CLI spells it --due-before; accept that spelling too.
    if (raw['due-before'] !== undefined && raw.dueBefore === undefined) raw.dueBefore = raw['due-before'];
    delete raw['due-before'];
    const { format = 'json', docId, ...filter } = parseQuery(c, obligationsQuery, raw);
    const engine = deps.engine();
    if (docId && !engine.document(docId)) throw new HttpError(404, 'not_found', `no document with id "${docId.slice(0, 100)}"`);
    const records = engine.obligations(filter).filter((o) => !docId || o.docId === docId);
    if (format === 'csv') return attachment(c, toCsv(records), 'text/csv', `plancite-tasks-${slug(docId ?? filter.doc)}.csv`);
    if (format === 'ics') return attachment(c, toIcs(records, engine.documents()), 'text/calendar', `plancite-tasks-${slug(docId ?? filter.doc)}.ics`);
    return c.json({ obligations: records });
  });

  return api;
}
