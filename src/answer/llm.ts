// LLM answer mode: an OpenAI-compatible chat model (via LangChain) answers from numbered sources; its citations are verified.
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { DEFAULT_TEMPERATURE, DEFAULT_TIMEOUT_MS, type LlmConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import type { ChatTurn, Citation } from '../doc/types.ts';
import type { Retrieved } from '../retrieve/retriever.ts';
import type { DocumentStore } from '../store/ports.ts';
import { citationLabel } from '../doc/label.ts';
import { cueList, dataFile } from '../text/cues.ts';
import { splitSentences } from '../text/sentences.ts';
import { escapeRegExp } from '../text/strings.ts';
import { loadPrompts, renderTemplate } from './prompts.ts';
import { bestMatchingSentence, citedNumbers, verifyCitations, type CitableSource, type ProposedCitation } from './verify.ts';

/** A trailing slash of a URL, e.g. the last `/` of `http://localhost:8000/v1/`. */
const TRAILING_SLASH_RE = /\/$/;
/** A citation group with the space before it, e.g. ` [1, 3]` or ` [2]`. */
const CITATION_GROUP_RE = /\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\]/g;
/** Markdown marks that open a line, e.g. `## ` or `> **`. */
const MARKDOWN_LEAD_RE = /^[\s#>*_]+/;
/** What may follow a heading word on its line, e.g. `**:`. */
const HEADING_TAIL_RE = /^[\s*_:]*$/;
/** White space that opens a reply, e.g. `"\n  "` before `<think>`. */
const LEADING_SPACE_RE = /^\s+/;
/** A line break, Unix or Windows, e.g. `\r\n`. */
const LINE_BREAK_RE = /\r?\n/;
/** Horizontal rules that end a reply body, e.g. `\n---\n`. */
const TRAILING_RULES_RE = /(?:\n\s*(?:-{3,}|\*{3,}|_{3,})\s*)+$/;
/** An error text saying the server cannot be reached, e.g. `connect ECONNREFUSED 127.0.0.1:8000`. */
const UNREACHABLE_RE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|fetch failed/i;
/** Every run of white space, line breaks included, e.g. `" \n  "`. */
const SPACE_RUN_RE = /\s+/g;

/** One numbered source given to the model; `text` is the verbatim original section or chunk text. */
export type LlmSource = CitableSource;

export type { LlmConfig } from '../config.ts';
export { DEFAULT_TEMPERATURE, DEFAULT_TIMEOUT_MS, loadLlmConfig } from '../config.ts';

export type LlmErrorCode = 'timeout' | 'upstream' | 'unavailable';

/** The LLM could not answer; the message names the server (never credentials) and the callers fall back. */
export class LlmError extends Error {
  readonly code: LlmErrorCode;
  /** HTTP status when the server answered with an error. */
  readonly status?: number;
  constructor(code: LlmErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, { cause: options?.cause });
    this.name = 'LlmError';
    this.code = code;
    if (options?.status !== undefined) this.status = options.status;
  }
}

export interface LlmAnswer {
  answer: string;
  citations: Citation[];
  flagged: boolean;
  dropped: Array<{ n: number; reason: string }>;
}

/** Prior turns sent with a follow-up question (most recent kept). */
export const MAX_HISTORY_TURNS = 6;
/** Longest text kept of one prior turn, in characters. */
export const MAX_HISTORY_TURN_CHARS = 800;
/** Quotes shorter than this (normalised characters) prove nothing and are treated as not given. */
export const MIN_QUOTE_CHARS = 12;
/** Local servers (Ollama, llama.cpp) ignore the key, but the client needs one and must not pick up OPENAI_API_KEY. */
const PLACEHOLDER_API_KEY = 'not-needed';

/** A bare origin gets `/v1`, where every supported server mounts the OpenAI API. */
function apiRoot(baseUrl: string): string {
  const u = new URL(baseUrl);
  if (u.pathname === '' || u.pathname === '/') u.pathname = '/v1';
  return u.toString().replace(TRAILING_SLASH_RE, '');
}

/** Scheme, host and port only: safe for messages (no credentials, no query). */
function serverLabel(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the LLM server';
  }
}

/**
 * Formats the numbered source list: `[1] 68/NQ-CP §III.3.d — <text>`, one block per source.
 * @example formatSources([{ n: 1, docNumber: '68/NQ-CP', section: 'III.3.d', text: '…', … }])
 */
export function formatSources(sources: LlmSource[]): string {
  return sources.map((s) => `[${s.n}] ${s.docNumber ?? s.docTitle} §${s.section} — ${s.text.trim()}`).join('\n\n');
}

/** Prior turns as plain text; citation markers are removed because their numbers meant other sources. */
export function formatHistory(history: ChatTurn[] | undefined, language: 'vi' | 'en'): string {
  const turns = (history ?? []).slice(-MAX_HISTORY_TURNS);
  if (turns.length === 0) return language === 'vi' ? '(không có)' : '(none)';
  const who = language === 'vi' ? { user: 'Người dùng', assistant: 'Trợ lý' } : { user: 'User', assistant: 'Assistant' };
  return turns
    .map((t) => {
      const text = t.content.replace(CITATION_GROUP_RE, '').trim();
      const cut = text.length > MAX_HISTORY_TURN_CHARS ? `${text.slice(0, MAX_HISTORY_TURN_CHARS)}…` : text;
      return `${who[t.role]}: ${cut}`;
    })
    .join('\n');
}

/** Heading words that open the quote block (data/llm-reply.json: the prompts ask for `SOURCES:` / `TRÍCH DẪN:`; models vary). */
const HEADING_WORDS = cueList(dataFile('llm-reply.json'), 'quoteHeadings');
/** A line that is only a quote-block heading, with markdown marks and a colon, e.g. `## SOURCES:` or `**Trích dẫn**`. */
const HEADING_RE = new RegExp(`^[\\s#>*_]*(?:${HEADING_WORDS.map(escapeRegExp).join('|')})[\\s*_]*:?[\\s*_]*$`, 'iu');
/** `[n] "quote"`, `- [n]: “quote”`, `[n] 68/NQ-CP §III.3.d — "quote"`. */
const QUOTE_LINE_RE = /^\s*(?:[-*•]\s*)?\[(\d{1,3})\]\s*[:.\-–—]?\s*(.*)$/u;
const QUOTED_SPAN_RE = /“([^”]+)”|"([^"]+)"|«([^»]+)»|„([^“”]+)[“”]/gu;

function isHeading(line: string): boolean {
  return HEADING_RE.test(line.normalize('NFC'));
}

/** While a line is still arriving: could it turn out to be the quote-block heading? */
function mayBecomeHeading(partial: string): boolean {
  const s = partial.normalize('NFC').replace(MARKDOWN_LEAD_RE, '').toLowerCase();
  if (s === '') return true;
  return HEADING_WORDS.some((w) => w.startsWith(s) || (s.startsWith(w) && HEADING_TAIL_RE.test(s.slice(w.length))));
}

/** Removes reasoning models' `<think>…</think>` preamble (an unclosed one swallows everything). */
function stripThinking(raw: string): string {
  const t = raw.replace(LEADING_SPACE_RE, '');
  if (!t.startsWith('<think>')) return raw;
  const close = t.indexOf('</think>');
  return close < 0 ? '' : t.slice(close + '</think>'.length);
}

/** The quoted spans of a block entry, or the entry itself when the model used no quote marks. */
function quotesOf(entry: string): string[] {
  const spans = [...entry.matchAll(QUOTED_SPAN_RE)].map((m) => (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim()).filter(Boolean);
  if (spans.length) return spans;
  const bare = entry.trim();
  return bare ? [bare] : [];
}

/**
 * Splits a model reply into the answer body and the quotes of its final block (under a
 * `SOURCES:`/`TRÍCH DẪN:` heading, or — without a heading — a trailing run of `[n] "…"` lines).
 * Entries may wrap over several lines and hold several quoted spans.
 * @example parseLlmReply('A [1].\n\nSOURCES:\n[1] "a b c"') // { body: 'A [1].', quotes: Map { 1 => ['a b c'] } }
 */
export function parseLlmReply(raw: string): { body: string; quotes: Map<number, string[]> } {
  const lines = stripThinking(raw).split(LINE_BREAK_RE);
  let h = -1;
  for (let i = lines.length - 1; i >= 0; i--) if (isHeading(lines[i]!)) { h = i; break; }
  let bodyEnd: number;
  let blockStart: number;
  if (h >= 0) {
    bodyEnd = h;
    blockStart = h + 1;
  } else {
    let i = lines.length;
    while (i > 0 && lines[i - 1]!.trim() === '') i--;
    let j = i;
    while (j > 0 && QUOTE_LINE_RE.test(lines[j - 1]!)) j--;
    // A body that is nothing but `[n] …` lines is an answer, not a quote block.
    const bodyHasText = lines.slice(0, j).some((l) => l.trim() !== '');
    bodyEnd = bodyHasText && j < i ? j : lines.length;
    blockStart = bodyEnd;
  }
  const quotes = new Map<number, string[]>();
  let current: { n: number; text: string } | null = null;
  const flush = () => {
    if (current) quotes.set(current.n, [...(quotes.get(current.n) ?? []), ...quotesOf(current.text)]);
    current = null;
  };
  for (const line of lines.slice(blockStart)) {
    const m = QUOTE_LINE_RE.exec(line);
    if (m) {
      flush();
      current = { n: Number(m[1]), text: m[2]! };
    } else if (current && line.trim() !== '') {
      current.text += ` ${line.trim()}`;
    } else if (line.trim() !== '') {
      flush();
    }
  }
  flush();
  const body = lines
    .slice(0, bodyEnd)
    .join('\n')
    .replace(TRAILING_RULES_RE, '')
    .trim();
  return { body, quotes };
}

/**
 * Passes streamed text through, withholding a `<think>` preamble and everything from the quote-block
 * heading on, so listeners see only the answer body as it is written. A line that might still turn
 * into the heading is held until it is decided.
 */
export class ReplyStreamFilter {
  private full = '';
  private emitted = 0;
  private lineStart = 0;
  private stopped = false;
  private bodyStart: number | null = null;

  /** Adds a chunk; returns the text that can be shown now (possibly ''). */
  push(chunk: string): string {
    this.full += chunk;
    return this.advance(false);
  }

  /** Ends the stream; returns any text still held back. */
  end(): string {
    return this.advance(true);
  }

  private advance(final: boolean): string {
    if (this.stopped) return '';
    if (this.bodyStart === null) {
      const lead = this.full.replace(LEADING_SPACE_RE, '');
      const skipped = this.full.length - lead.length;
      if (lead.startsWith('<think>')) {
        const close = this.full.indexOf('</think>');
        if (close < 0) return '';
        const after = this.full.slice(close + '</think>'.length);
        // Wait for the first visible character so the blank lines after the preamble are not shown.
        if (after.trim() === '' && !final) return '';
        this.bodyStart = close + '</think>'.length + (after.length - after.replace(LEADING_SPACE_RE, '').length);
      } else if (!final && '<think>'.startsWith(lead)) {
        // Only whitespace or a partial `<think>` so far: wait to see which it is.
        return '';
      } else {
        this.bodyStart = skipped;
      }
      this.emitted = this.lineStart = this.bodyStart;
    }
    let until = this.emitted;
    for (;;) {
      const nl = this.full.indexOf('\n', this.lineStart);
      if (nl < 0) break;
      if (isHeading(this.full.slice(this.lineStart, nl))) {
        this.stopped = true;
        break;
      }
      this.lineStart = nl + 1;
      until = this.lineStart;
    }
    if (!this.stopped) {
      const partial = this.full.slice(this.lineStart);
      if (final ? !isHeading(partial) : !mayBecomeHeading(partial)) until = this.full.length;
    }
    const out = this.full.slice(Math.max(this.emitted, this.bodyStart), Math.max(until, this.emitted));
    this.emitted = Math.max(until, this.emitted);
    return out;
  }
}

/** Text of a streamed message chunk (string content, or the text parts of structured content). */
function chunkText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === 'object' && 'text' in p && typeof p.text === 'string' ? p.text : '')).join('');
  }
  return '';
}

function errorStatus(e: unknown): number | undefined {
  return e && typeof e === 'object' && 'status' in e && typeof e.status === 'number' ? e.status : undefined;
}

/** Maps client errors to LlmError codes; messages name the server and the status only. */
function toLlmError(e: unknown, server: string, timeoutMs: number): LlmError {
  const status = errorStatus(e);
  if (status !== undefined) return new LlmError('upstream', `LLM server ${server} answered HTTP ${status}`, { cause: e, status });
  const name = e instanceof Error ? e.name : '';
  const ctor = e && typeof e === 'object' ? e.constructor.name : '';
  if (name === 'TimeoutError' || ctor === 'APIConnectionTimeoutError') {
    return new LlmError('timeout', `LLM server ${server} did not answer within ${timeoutMs} ms`, { cause: e });
  }
  if (ctor === 'APIConnectionError' || name === 'APIConnectionError' || UNREACHABLE_RE.test(String(e))) {
    return new LlmError('unavailable', `LLM server ${server} is unreachable`, { cause: e });
  }
  return new LlmError('upstream', `LLM request to ${server} failed`, { cause: e });
}

/** A group of citation markers written after a sentence's stop, e.g. the ` [1] [2]` of `Claim. [1] [2]`. */
const MARKERS_AFTER_STOP_RE = /([.!?;])((?:\s*\[[\d,;\s]+\])+)/g;
/** One citation marker group, e.g. `[1]` or `[2, 3]`. */
const MARKER_GROUP_RE = /\[[\d,;\s]+\]/g;

/** Sentences of the answer body that carry marker `[n]`, without their markers: the claims source n must support. */
function claimsFor(body: string, n: number): string {
  // `Claim. [1]`: markers after the stop belong to that sentence, so they move before it and the one splitter applies.
  const text = body.replace(MARKERS_AFTER_STOP_RE, '$2$1');
  return splitSentences(text, 0, text.length)
    .map((s) => s.text)
    .filter((s) => citedNumbers(s).includes(n))
    .join(' ')
    .replace(MARKER_GROUP_RE, ' ');
}

/**
 * Answers a question from numbered sources with an OpenAI-compatible chat model, streaming the
 * answer body through `onToken`, then verifies every citation against the sources (invalid ones
 * are removed and the answer flagged). A cited source without a usable quote gets the source
 * sentence that best matches the claim.
 * @returns null when the reply keeps no valid citation (the caller falls back to the extractive answer).
 * @throws LlmError 'timeout' | 'upstream' | 'unavailable'; an abort through `signal` rethrows its reason.
 * @example await answerWithLlm({ question, language: 'vi', sources, config: loadConfig().llm!, onToken: (t) => process.stdout.write(t) })
 */
export async function answerWithLlm(args: {
  question: string;
  language: 'vi' | 'en';
  sources: LlmSource[];
  history?: ChatTurn[];
  config: LlmConfig;
  onToken?: (t: string) => void;
  signal?: AbortSignal;
}): Promise<LlmAnswer | null> {
  const { question, language, sources, config } = args;
  const prompts = await loadPrompts(language);
  const messages = [
    new SystemMessage(prompts.system),
    new HumanMessage(
      renderTemplate(prompts.answer, { sources: formatSources(sources), question: question.trim(), history: formatHistory(args.history, language) }),
    ),
  ];
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const server = serverLabel(config.baseUrl);
  const model = new ChatOpenAI({
    model: config.model,
    temperature: config.temperature ?? DEFAULT_TEMPERATURE,
    apiKey: config.apiKey ?? PLACEHOLDER_API_KEY,
    configuration: { baseURL: apiRoot(config.baseUrl) },
    timeout: timeoutMs,
    // Fail fast and let the caller fall back; a retry would double the wait on a dead server.
    maxRetries: 0,
    // Older llama.cpp/vLLM builds reject stream_options; usage numbers are not needed.
    streamUsage: false,
    ...(config.maxTokens ? { maxTokens: config.maxTokens } : {}),
  });

  // The client's timeout only covers the wait for response headers; this one also catches a stream that stalls.
  const ac = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutMs);
  };
  const onAbort = () => ac.abort(args.signal?.reason);
  args.signal?.addEventListener('abort', onAbort, { once: true });

  let raw = '';
  const filter = new ReplyStreamFilter();
  try {
    args.signal?.throwIfAborted();
    arm();
    const stream = await model.stream(messages, { signal: ac.signal });
    for await (const chunk of stream) {
      arm();
      const text = chunkText(chunk.content);
      if (!text) continue;
      raw += text;
      const shown = filter.push(text);
      if (shown) args.onToken?.(shown);
    }
    const rest = filter.end();
    if (rest) args.onToken?.(rest);
  } catch (e) {
    if (args.signal?.aborted) throw args.signal.reason;
    if (timedOut) throw new LlmError('timeout', `LLM server ${server} did not answer within ${timeoutMs} ms`, { cause: e });
    throw e instanceof LlmError ? e : toLlmError(e, server, timeoutMs);
  } finally {
    clearTimeout(timer);
    args.signal?.removeEventListener('abort', onAbort);
  }

  const { body, quotes } = parseLlmReply(raw);
  if (!body) return null;
  const proposed: ProposedCitation[] = [];
  for (const n of new Set([...citedNumbers(body), ...quotes.keys()])) {
    let given = (quotes.get(n) ?? []).filter((q) => q.replace(SPACE_RUN_RE, ' ').trim().length >= MIN_QUOTE_CHARS);
    const source = sources.find((s) => s.n === n);
    if (given.length === 0 && source) {
      const best = bestMatchingSentence(claimsFor(body, n), source.text);
      given = best ? [best] : [];
    }
    proposed.push({ n, quotes: given });
  }
  return verifyCitations(body, proposed, sources);
}

/** Sources offered to the model: the top retrieved chunks, numbered from 1. */
export const LLM_SOURCES = 6;

/** Numbered sources for the model from the retrieved chunks. */
export function llmSources(retrieved: Retrieved[], docs: DocumentStore, language: 'vi' | 'en', n = LLM_SOURCES): LlmSource[] {
  return retrieved.slice(0, n).flatMap((r, i) => {
    const d = docs.get(r.chunk.docId);
    return d ? [{ n: i + 1, docId: d.meta.id, docNumber: d.meta.number, docTitle: d.meta.title, section: r.chunk.section, label: citationLabel(d.meta, r.chunk.section, language), file: d.meta.file, text: r.chunk.text }] : [];
  });
}
