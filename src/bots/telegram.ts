// Telegram Bot API webhook: secret-token header, text updates and commands, replies via sendMessage in HTML.
import { BotInputError, idField, isRecord, parseJsonObject, postJson, safeEqual, type BotAdapter } from './adapter.ts';
import type { BotConfig } from '../config.ts';
import { renderReply } from './format.ts';

/** A numeric chat id, e.g. `-1001234567890`. */
const NUMERIC_CHAT_ID_RE = /^-?\d+$/;

/** Telegram's maximum message length (characters after entity parsing; the HTML source is kept within it, which is stricter). */
export const TELEGRAM_MAX_CHARS = 4096;

/**
 * `POST /telegram`: Telegram Bot API updates, authenticated by `X-Telegram-Bot-Api-Secret-Token` (TELEGRAM_SECRET,
 * given to setWebhook as `secret_token`). Text messages are answered with `sendMessage` (parse_mode HTML);
 * other updates (stickers, joins, edits) are acknowledged and ignored.
 */
export function createTelegramAdapter(cfg: BotConfig): BotAdapter {
  return {
    platform: 'telegram',
    path: '/telegram',
    maxChars: TELEGRAM_MAX_CHARS,
    disabledReason: () => (cfg.telegramSecret && cfg.telegramBotToken ? null : 'the Telegram bot is not enabled: set TELEGRAM_SECRET and TELEGRAM_BOT_TOKEN'),
    authenticate(req) {
      const given = req.headers.get('x-telegram-bot-api-secret-token');
      return given !== null && !!cfg.telegramSecret && safeEqual(given, cfg.telegramSecret);
    },
    parse(req) {
      const update = parseJsonObject(req.body, 'telegram update');
      if (typeof update.update_id !== 'number' || !Number.isInteger(update.update_id)) throw new BotInputError('telegram update: "update_id" must be an integer');
      const message = update.message;
      if (message === undefined) return null;
      if (!isRecord(message)) throw new BotInputError('telegram update: "message" must be an object');
      const chatId = isRecord(message.chat) ? idField(message.chat.id) : undefined;
      if (chatId === undefined) throw new BotInputError('telegram update: "message.chat.id" is missing');
      if (typeof message.text !== 'string') return null;
      const userId = (isRecord(message.from) ? idField(message.from.id) : undefined) ?? chatId;
      return { conversationId: chatId, userId, text: message.text, replyTarget: { inline: false, push: chatId, flavor: 'html' } };
    },
    format(reply) {
      return renderReply(reply, { flavor: 'html', maxChars: TELEGRAM_MAX_CHARS, publicUrl: cfg.publicUrl });
    },
    inlineResponse() {
      throw new Error('telegram replies are sent with sendMessage, not in the webhook response');
    },
    ackResponse() {
      return { status: 200, body: { ok: true } };
    },
    async push(msg, _reply, text, io) {
      const chatId = msg.replyTarget.push!;
      await postJson(
        io,
        `${cfg.telegramApiBase}/bot${cfg.telegramBotToken}/sendMessage`,
        // Numeric chat ids go back as numbers, as Telegram sent them.
        { chat_id: NUMERIC_CHAT_ID_RE.test(chatId) ? Number(chatId) : chatId, text, parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
        'telegram sendMessage',
      );
    },
  };
}
