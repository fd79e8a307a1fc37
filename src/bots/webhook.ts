// Generic signed JSON webhook: {user, conversation, text} in, {answer, citations} out, HMAC-SHA256 over the raw body.
import { z } from 'zod';
import { BotInputError, hmacSha256Hex, parseJsonObject, safeEqual, type BotAdapter } from './adapter.ts';
import type { BotConfig } from '../config.ts';
import { renderReply, webhookCitations } from './format.ts';

/** Header carrying `sha256=<hex HMAC-SHA256 of the raw body keyed by WEBHOOK_SECRET>`. */
export const SIGNATURE_HEADER = 'x-plancite-signature';
/** Longest accepted id for `user` / `conversation`. */
const MAX_ID_CHARS = 256;

const bodySchema = z.object({
  user: z.string().min(1).max(MAX_ID_CHARS),
  conversation: z.string().min(1).max(MAX_ID_CHARS),
  text: z.string(),
});

/**
 * Computes the signature header value for a body (for callers and tests).
 * @example signWebhookBody('secret…', '{"user":"u","conversation":"c","text":"hi"}').startsWith('sha256=')
 */
export function signWebhookBody(secret: string, rawBody: string): string {
  return `sha256=${hmacSha256Hex(secret, rawBody)}`;
}

/**
 * `POST /webhook`: any integration. Authenticated by `X-Plancite-Signature: sha256=<hex>` over the raw body
 * (WEBHOOK_SECRET). Answers `{answer, citations, refused, language}` in the response; `answer` is plain text with
 * citation tags, `citations` the structured list (with viewer links when PUBLIC_URL is set). No length limit.
 */
export function createWebhookAdapter(cfg: BotConfig): BotAdapter {
  return {
    platform: 'webhook',
    path: '/webhook',
    maxChars: Number.POSITIVE_INFINITY,
    disabledReason: () => (cfg.webhookSecret ? null : 'the generic webhook is not enabled: set WEBHOOK_SECRET'),
    authenticate(req) {
      const given = req.headers.get(SIGNATURE_HEADER);
      return given !== null && !!cfg.webhookSecret && safeEqual(given.trim().toLowerCase(), signWebhookBody(cfg.webhookSecret, req.body));
    },
    parse(req) {
      if (req.contentType !== 'application/json') throw new BotInputError('webhook: expected an application/json body');
      const r = bodySchema.safeParse(parseJsonObject(req.body, 'webhook'));
      if (!r.success) {
        const issue = r.error.issues[0]!;
        throw new BotInputError(`webhook: field "${issue.path.join('.') || '(body)'}" ${issue.message}`);
      }
      const { user, conversation, text } = r.data;
      return { conversationId: JSON.stringify([conversation, user]), userId: user, text, replyTarget: { inline: true, flavor: 'plain' } };
    },
    format(reply) {
      return renderReply(reply, { flavor: 'plain', maxChars: Number.POSITIVE_INFINITY, publicUrl: cfg.publicUrl });
    },
    inlineResponse(_msg, reply, text) {
      switch (reply.kind) {
        case 'answer':
          return {
            status: 200,
            body: { answer: text, citations: webhookCitations(reply.result, cfg.publicUrl), refused: reply.result.refused, language: reply.result.language },
          };
        case 'help':
          return { status: 200, body: { answer: text, citations: [], refused: false } };
        case 'error':
          return { status: reply.code === 'bad_input' ? 400 : 503, body: { error: { code: reply.code, message: reply.message } } };
      }
    },
    ackResponse() {
      return { status: 200, body: {} };
    },
  };
}
