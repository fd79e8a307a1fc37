// The /bots sub-app: one route per platform adapter, sharing authentication order, answering, history and delivery.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../errors.ts';
import type { Engine } from '../doc/types.ts';
import { BotInputError, classifyText, type BotAdapter, type BotMessage, type BotReply, type HttpReply } from './adapter.ts';
import type { BotConfig } from '../config.ts';
import { createHash } from 'node:crypto';
import { createHistoryStore, HISTORY_TTL_MS, MAX_HISTORY_TURNS, MAX_STORED_ANSWER_CHARS } from './history.ts';
import { createMemorySharedState, sharedHistoryStore, type SharedState } from '../store/shared-state.ts';
import { createOutgoingAdapter } from './mattermost.ts';
import { createSlashAdapter } from './slack.ts';
import { createTelegramAdapter } from './telegram.ts';
import { createWebhookAdapter } from './webhook.ts';
import { createZaloAdapter } from './zalo.ts';

export type { BotAdapter, BotMessage, BotPlatform, BotReply, RawBotRequest, ReplyTarget } from './adapter.ts';
export { BotInputError, classifyText } from './adapter.ts';
export { loadBotConfig, type BotConfig } from '../config.ts';
export { citationTag, citationUrl, escapeHtml, HELP_TEXT, renderReply, type Flavor, type RenderOptions } from './format.ts';
export { createHistoryStore, type HistoryStore } from './history.ts';
export { createOutgoingAdapter } from './mattermost.ts';
export { createSlashAdapter, verifySlackSignature } from './slack.ts';
export { createTelegramAdapter } from './telegram.ts';
export { createWebhookAdapter, signWebhookBody } from './webhook.ts';
export { createZaloAdapter } from './zalo.ts';

/** Largest accepted request body (bytes): platform updates are a few KB. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Longer questions are refused with a message rather than sent to the engine. */
export const MAX_QUESTION_CHARS = 2000;
/** Said when the engine fails; the cause is logged, never shown. */
export const UNAVAILABLE_TEXT = 'Xin lỗi, trợ lý tạm thời không trả lời được. Vui lòng thử lại sau. / Sorry, the assistant cannot answer right now; please try again later.';

export interface BotDeps {
  /** The loaded engine (a function so a hot-swapped index is picked up). */
  engine: () => Engine;
  config: BotConfig;
  /** Used for pushed replies (Telegram/Zalo sendMessage, response_url); defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Clock in ms (Slack timestamp window, history expiry). */
  now?: () => number;
  /** State shared by the servers of a deployment (Postgres): conversation histories and replay nonces live there. */
  shared?: SharedState;
  /** The server's answer gate (bounded work in flight); a full gate makes the bot say "try again later". */
  gate?: { enter(): Promise<() => void> };
}

/** An authenticated request body seen again within this time (ms) is a replay (or a platform redelivery) and is not answered again. */
export const REPLAY_WINDOW_MS = 10 * 60_000;

/** The adapters served, in route order. */
export function createBotAdapters(config: BotConfig): BotAdapter[] {
  return [createSlashAdapter(config), createOutgoingAdapter(config), createTelegramAdapter(config), createZaloAdapter(config), createWebhookAdapter(config)];
}

function errorJson(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  return c.json({ error: { code, message } }, status);
}

function send(c: Context, r: HttpReply): Response {
  if (r.body === null) return c.body(null, r.status as ContentfulStatusCode);
  return c.json(r.body as object, r.status as ContentfulStatusCode);
}

/** Settles with the promise's value, or `{ done: false }` after `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([p.then((value) => ({ done: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Builds the bot webhooks as a Hono sub-app, to be mounted at `/bots`: `POST /slash`, `/outgoing`, `/telegram`,
 * `/zalo`, `/webhook`. A platform whose secret is not configured answers 404 `not_found`; a bad token or signature
 * 401 `unauthorized` (nothing is parsed, answered or sent); a malformed payload 400 `bad_input`; a body over
 * 64 KiB 413 `payload_too_large` — all as `{ "error": { "code", "message" } }`.
 * @example app.route('/bots', createBotRoutes({ engine: () => engine, config: loadBotConfig() }))
 */
export function createBotRoutes(deps: BotDeps): Hono {
  const now = deps.now ?? Date.now;
  const io = { fetch: deps.fetch ?? globalThis.fetch };
  const timeoutMs = deps.config.replyTimeoutMs;
  const history = deps.shared
    ? sharedHistoryStore(deps.shared, { now, maxTurns: MAX_HISTORY_TURNS, ttlMs: HISTORY_TTL_MS, maxStoredChars: MAX_STORED_ANSWER_CHARS })
    : createHistoryStore({ now });
  const nonces = deps.shared ?? createMemorySharedState();
  const app = new Hono();

  app.onError((err, c) => {
    console.error('[bots] unexpected error:', describe(err));
    return errorJson(c, 500, 'internal', 'internal error');
  });

  /** Answers one message; never rejects (failures become an error reply). */
  async function answer(adapter: BotAdapter, msg: BotMessage): Promise<BotReply> {
    const kind = classifyText(msg.text);
    if ('help' in kind) return { kind: 'help' };
    const question = kind.question;
    if (question.length > MAX_QUESTION_CHARS) {
      return { kind: 'error', code: 'bad_input', message: `Câu hỏi quá dài (tối đa ${MAX_QUESTION_CHARS} ký tự). / The question is too long (at most ${MAX_QUESTION_CHARS} characters).` };
    }
    const key = `${adapter.platform}:${msg.conversationId}`;
    try {
      const release = deps.gate ? await deps.gate.enter() : () => {};
      let result;
      try {
        result = await deps.engine().ask(question, { history: await history.get(key) });
      } finally {
        release();
      }
      await history.append(key, question, result.answer);
      return { kind: 'answer', result };
    } catch (err) {
      if (err instanceof AppError && err.code === 'bad_input') return { kind: 'error', code: 'bad_input', message: err.message };
      console.error(`[bots] ${adapter.platform}: engine failed:`, describe(err));
      return { kind: 'error', code: 'unavailable', message: UNAVAILABLE_TEXT };
    }
  }

  function deliverLater(adapter: BotAdapter, msg: BotMessage, reply: BotReply): Promise<void> {
    return adapter.push!(msg, reply, adapter.format(reply, msg), io).catch((err: unknown) => {
      console.error(`[bots] ${adapter.platform}: delivery failed:`, describe(err));
    });
  }

  for (const adapter of createBotAdapters(deps.config)) {
    app.post(
      adapter.path,
      async (c, next) => {
        const reason = adapter.disabledReason();
        if (reason) return errorJson(c, 404, 'not_found', reason);
        await next();
      },
      bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => errorJson(c, 413, 'payload_too_large', `request body is over ${MAX_BODY_BYTES} bytes`) }),
      async (c) => {
        const req = {
          body: await c.req.text(),
          headers: c.req.raw.headers,
          contentType: (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
        };
        if (!adapter.authenticate(req, now())) return errorJson(c, 401, 'unauthorized', `${adapter.platform}: missing or invalid token or signature`);
        // The same authenticated body again — a replay, or the platform redelivering to another server — is acknowledged,
        // not answered twice. Platform bodies carry a per-delivery id (update_id, trigger_id, post_id); the generic
        // webhook's do not, so there an identical body is a legitimate repeated question.
        if (adapter.platform !== 'webhook') {
          const digest = createHash('sha256').update(req.body).digest('hex');
          if (!(await nonces.claimNonce(`replay:${adapter.platform}:${digest}`, REPLAY_WINDOW_MS, now()))) return send(c, adapter.ackResponse(null));
        }
        let msg: BotMessage | null;
        try {
          msg = adapter.parse(req);
        } catch (err) {
          if (err instanceof BotInputError) return errorJson(c, 400, 'bad_input', err.message);
          throw err;
        }
        if (!msg) return send(c, adapter.ackResponse(null));

        const work = answer(adapter, msg);
        const target = msg.replyTarget;
        const canPush = adapter.push !== undefined && target.push !== undefined;
        if (target.inline && !canPush) {
          const reply = await work;
          return send(c, adapter.inlineResponse(msg, reply, adapter.format(reply, msg)));
        }
        if (!canPush) throw new Error(`${adapter.platform}: a reply that is neither inline nor pushable`);
        const m = msg;
        if (target.inline) {
          // Answer in the response when quick enough; otherwise acknowledge now and deliver to response_url.
          const early = await within(work, timeoutMs);
          if (early.done) return send(c, adapter.inlineResponse(m, early.value, adapter.format(early.value, m)));
          void work.then((reply) => deliverLater(adapter, m, reply));
          return send(c, adapter.ackResponse(m));
        }
        // Push platforms: a quick answer is delivered before the acknowledgement; a slow one is acknowledged at the
        // timeout and delivered when ready, so the platform does not redeliver the update meanwhile.
        await within(
          work.then((reply) => deliverLater(adapter, m, reply)),
          timeoutMs,
        );
        return send(c, adapter.ackResponse(m));
      },
    );
  }
  return app;
}
