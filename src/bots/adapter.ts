// The one interface every messaging platform implements, plus the shared request/auth helpers they use.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AskResult } from '../doc/types.ts';
import { cueList, dataFile } from '../text/cues.ts';
import type { BotReply, Flavor } from './reply.ts';

/** Mentions that open a message, e.g. `@plancite_bot, `. */
const LEADING_MENTIONS_RE = /^(@[\w.]+[\s,:]*)+/;
/** A slash command with its text, e.g. `/ask@plancite_bot Ai chủ trì?` (command and text captured). */
const SLASH_COMMAND_RE = /^\/([a-z_]+)(?:@[\w.]+)?(?:\s+([\s\S]*))?$/i;

export type BotPlatform = 'slack' | 'mattermost' | 'telegram' | 'zalo' | 'webhook';

/** An HTTP request as received, before anything is trusted. */
export interface RawBotRequest {
  /** The body exactly as sent (signatures are computed over it). */
  body: string;
  headers: Headers;
  /** Media type without parameters, lower case (`application/json`). */
  contentType: string;
}

/** Where and how a reply goes. */
export interface ReplyTarget {
  /** The platform reads the reply from the HTTP response (slash commands, outgoing webhooks, generic webhook). */
  inline: boolean;
  /** Where a reply can be sent later: a chat id (Telegram, Zalo) or a response_url (slash commands). */
  push?: string;
  /** Markup the platform renders. */
  flavor: Flavor;
}

/** A platform request normalised: who asked what, in which conversation, and where the answer goes. */
export interface BotMessage {
  /** Conversation key within the platform (chat, channel+user, …); follow-up history is kept per key. */
  conversationId: string;
  userId: string;
  /** The question with platform noise (trigger word, bot mention, /ask) removed. */
  text: string;
  replyTarget: ReplyTarget;
}

export type { BotReply };

/** A response the route sends to the platform. */
export interface HttpReply {
  status: number;
  body: unknown;
}

/** What `push` may use. */
export interface PushIO {
  fetch: typeof fetch;
}

/**
 * One messaging platform. The router calls, in order: `disabledReason` (404 when set), `authenticate`
 * (401 when false — nothing is parsed, answered or sent), `parse` (400 on BotInputError), then answers and
 * delivers through `inlineResponse` or `push` + `ackResponse`.
 */
export interface BotAdapter {
  readonly platform: BotPlatform;
  /** Route inside the /bots sub-app, e.g. `/telegram`. */
  readonly path: `/${string}`;
  /** Longest message the platform accepts (characters); replies are trimmed to it. */
  readonly maxChars: number;
  /** Null when the platform is configured; otherwise which variables to set. */
  disabledReason(): string | null;
  /** Checks the request's token or signature over the raw body; `nowMs` bounds replayed timestamps. */
  authenticate(req: RawBotRequest, nowMs: number): boolean;
  /** Normalises an authenticated request; null for a valid update with nothing to answer. Throws BotInputError. */
  parse(req: RawBotRequest): BotMessage | null;
  /** Renders a reply as the platform's message text, within `maxChars`. */
  format(reply: BotReply, msg: BotMessage): string;
  /** HTTP response carrying the reply itself (only called when `msg.replyTarget.inline`). */
  inlineResponse(msg: BotMessage, reply: BotReply, text: string): HttpReply;
  /** HTTP response acknowledging a request whose reply is pushed later, or which needs no reply (msg null). */
  ackResponse(msg: BotMessage | null): HttpReply;
  /** Sends the reply outside the HTTP response (Bot API call, response_url) to `msg.replyTarget.push`. Throws on failure. */
  push?(msg: BotMessage, reply: BotReply, text: string, io: PushIO): Promise<void>;
}

/** A payload that is authenticated but malformed; the router answers 400 with this message. */
export class BotInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BotInputError';
  }
}

/**
 * Compares two secrets in constant time, whatever their lengths (both are hashed first, so the
 * comparison never short-circuits on a length mismatch).
 * @example safeEqual('abc', 'abc') === true
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** Hex HMAC-SHA256 of a string. */
export function hmacSha256Hex(key: string, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

/** Time allowed for one outgoing delivery call (Bot API, response_url). */
export const PUSH_TIMEOUT_MS = 15_000;

/**
 * POSTs a JSON body for a push delivery; throws when the HTTP status or a Bot-API style `{ ok: false }` says it failed.
 * `what` names the call in the error — never the URL, which holds the bot token.
 */
export async function postJson(io: PushIO, url: string, body: unknown, what: string): Promise<void> {
  const res = await io.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
  });
  const text = await res.text();
  const parsed = tryJsonObject(text);
  if (!res.ok || parsed?.ok === false) {
    const description = typeof parsed?.description === 'string' ? `: ${parsed.description.slice(0, 200)}` : '';
    throw new Error(`${what} failed with HTTP ${res.status}${description}`);
  }
}

/** Parses a JSON body into a plain object, or throws BotInputError. */
export function parseJsonObject(body: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    throw new BotInputError(`${what}: body is not valid JSON`);
  }
  if (!isRecord(v)) throw new BotInputError(`${what}: body must be a JSON object`);
  return v;
}

/** Parses a JSON body into a plain object, or null (for authentication, where a bad body simply carries no token). */
export function tryJsonObject(body: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(body);
    return isRecord(v) ? v : null;
  } catch {
    return null;
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string or number field as a string (platform ids come as either). */
export function idField(v: unknown): string | undefined {
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Words that ask for help rather than ask a question (data/bot-words.json). */
const HELP_WORDS: ReadonlySet<string> = new Set(cueList(dataFile('bot-words.json'), 'help'));

/**
 * Classifies a chat text: `/start`, `/help`, an empty text or a help word → help; `/ask q` → the question q;
 * any other `/command` → help; otherwise the text is the question. `@botname` suffixes and leading mentions are dropped.
 * @example classifyText('/ask@plancite_bot Ai báo cáo?') → { question: 'Ai báo cáo?' }
 */
export function classifyText(text: string): { help: true } | { question: string } {
  let t = text.trim().replace(LEADING_MENTIONS_RE, '').trim();
  const cmd = SLASH_COMMAND_RE.exec(t);
  if (cmd) {
    const name = cmd[1]!.toLowerCase();
    const rest = (cmd[2] ?? '').trim();
    if (name === 'ask' && rest) t = rest;
    else return { help: true };
  }
  if (t === '' || HELP_WORDS.has(t.toLowerCase())) return { help: true };
  return { question: t };
}
