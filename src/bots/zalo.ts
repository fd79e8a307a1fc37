// Zalo Bot Platform webhook: secret-token header, text events, replies via sendMessage as plain text.
import { BotInputError, idField, isRecord, parseJsonObject, postJson, safeEqual, type BotAdapter } from './adapter.ts';
import type { BotConfig } from '../config.ts';
import { renderReply } from './format.ts';

/** Zalo Bot sendMessage accepts 1-2000 characters of text. */
export const ZALO_MAX_CHARS = 2000;
/** The one event that carries a question. */
export const ZALO_TEXT_EVENT = 'message.text.received';

/**
 * `POST /zalo`: Zalo Bot Platform webhook events, authenticated by the `X-Bot-Api-Secret-Token` header (ZALO_SECRET,
 * the secret_token given to setWebhook). Text events are answered with `POST {ZALO_API_BASE}/bot<token>/sendMessage`
 * `{chat_id, text}` in plain text, sources listed with their links; other events are acknowledged and ignored.
 * Accepts the event both bare (`{event_name, message}`) and wrapped (`{ok: true, result: {…}}`): public
 * references disagree on which one Zalo sends.
 */
export function createZaloAdapter(cfg: BotConfig): BotAdapter {
  return {
    platform: 'zalo',
    path: '/zalo',
    maxChars: ZALO_MAX_CHARS,
    disabledReason: () => (cfg.zaloSecret && cfg.zaloBotToken ? null : 'the Zalo bot is not enabled: set ZALO_SECRET and ZALO_BOT_TOKEN'),
    authenticate(req) {
      const given = req.headers.get('x-bot-api-secret-token');
      return given !== null && !!cfg.zaloSecret && safeEqual(given, cfg.zaloSecret);
    },
    parse(req) {
      const body = parseJsonObject(req.body, 'zalo event');
      const event = body.ok === true && isRecord(body.result) ? body.result : body;
      if (typeof event.event_name !== 'string') throw new BotInputError('zalo event: "event_name" must be a string');
      if (event.event_name !== ZALO_TEXT_EVENT) return null;
      const message = event.message;
      if (!isRecord(message)) throw new BotInputError('zalo event: "message" must be an object');
      const chatId = isRecord(message.chat) ? idField(message.chat.id) : undefined;
      if (chatId === undefined) throw new BotInputError('zalo event: "message.chat.id" is missing');
      if (typeof message.text !== 'string') throw new BotInputError('zalo event: "message.text" must be a string');
      const userId = (isRecord(message.from) ? idField(message.from.id) : undefined) ?? chatId;
      return { conversationId: chatId, userId, text: message.text, replyTarget: { inline: false, push: chatId, flavor: 'plain' } };
    },
    format(reply) {
      return renderReply(reply, { flavor: 'plain', maxChars: ZALO_MAX_CHARS, publicUrl: cfg.publicUrl, sourcesFooter: true });
    },
    inlineResponse() {
      throw new Error('zalo replies are sent with sendMessage, not in the webhook response');
    },
    ackResponse() {
      return { status: 200, body: { ok: true } };
    },
    async push(msg, _reply, text, io) {
      await postJson(io, `${cfg.zaloApiBase}/bot${cfg.zaloBotToken}/sendMessage`, { chat_id: msg.replyTarget.push!, text }, 'zalo sendMessage');
    },
  };
}
