// Mattermost outgoing webhooks: token check, trigger word stripped from the question, reply as a thread comment.
import { BotInputError, isRecord, safeEqual, tryJsonObject, type BotAdapter, type RawBotRequest } from './adapter.ts';
import type { BotConfig } from '../config.ts';
import { renderReply } from './format.ts';

/** Spaces and punctuation after the trigger word, e.g. the `: ` of `plancite: Ai chủ trì?`. */
const LEADING_PUNCT_RE = /^[\s:,.!?-]+/;

/** Mattermost's default maximum post length (characters). */
export const MATTERMOST_MAX_CHARS = 16383;

/** Fields of an outgoing-webhook request; Mattermost sends them as JSON or form-encoded, depending on the hook's setting. */
function fields(req: RawBotRequest): Record<string, unknown> | null {
  if (req.contentType === 'application/json') return tryJsonObject(req.body);
  if (req.contentType === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(req.body));
  return null;
}

/**
 * Removes the trigger word (and the punctuation after it) from the start of the message.
 * @example stripTriggerWord('plancite: Ai báo cáo?', 'plancite') === 'Ai báo cáo?'
 */
export function stripTriggerWord(text: string, trigger: string | undefined): string {
  const t = text.trimStart();
  if (!trigger || !t.toLowerCase().startsWith(trigger.toLowerCase())) return text.trim();
  return t.slice(trigger.length).replace(LEADING_PUNCT_RE, '').trim();
}

/**
 * `POST /outgoing`: Mattermost outgoing webhooks (`token`, `channel_id`, `user_id`, `text`, `trigger_word`, …),
 * authenticated by MATTERMOST_OUTGOING_TOKEN. The reply is the HTTP response, posted as a comment on the message.
 */
export function createOutgoingAdapter(cfg: BotConfig): BotAdapter {
  return {
    platform: 'mattermost',
    path: '/outgoing',
    maxChars: MATTERMOST_MAX_CHARS,
    disabledReason: () => (cfg.mattermostOutgoingToken ? null : 'Mattermost outgoing webhooks are not enabled: set MATTERMOST_OUTGOING_TOKEN'),
    authenticate(req) {
      const token = fields(req)?.token;
      return typeof token === 'string' && !!cfg.mattermostOutgoingToken && safeEqual(token, cfg.mattermostOutgoingToken);
    },
    parse(req) {
      const f = fields(req);
      if (!isRecord(f)) throw new BotInputError('outgoing webhook: expected a JSON object or form-encoded body');
      const need = (name: string): string => {
        const v = f[name];
        if (typeof v !== 'string' || v === '') throw new BotInputError(`outgoing webhook: field "${name}" must be a non-empty string`);
        return v;
      };
      const channel = need('channel_id');
      const user = need('user_id');
      if (typeof f.text !== 'string') throw new BotInputError('outgoing webhook: field "text" must be a string');
      const trigger = typeof f.trigger_word === 'string' && f.trigger_word !== '' ? f.trigger_word : undefined;
      return {
        conversationId: `${channel}:${user}`,
        userId: user,
        text: stripTriggerWord(f.text, trigger),
        replyTarget: { inline: true, flavor: 'markdown' },
      };
    },
    format(reply, msg) {
      return renderReply(reply, { flavor: msg.replyTarget.flavor, maxChars: MATTERMOST_MAX_CHARS, publicUrl: cfg.publicUrl });
    },
    inlineResponse(_msg, _reply, text) {
      return { status: 200, body: { text, response_type: 'comment' } };
    },
    ackResponse() {
      return { status: 200, body: {} };
    },
  };
}
