// Slash commands in the Mattermost/Slack form encoding: token or Slack signature, in-channel reply, late answers via response_url.
import { BotInputError, hmacSha256Hex, postJson, safeEqual, type BotAdapter, type BotMessage, type BotReply, type RawBotRequest } from './adapter.ts';
import type { BotConfig } from '../config.ts';
import { renderReply } from './format.ts';

/** A Unix time in seconds, e.g. `1765100000`. */
const UNIX_SECONDS_RE = /^\d{1,12}$/;
/** A token authorization header, e.g. `Token abc123` (the token is captured). */
const TOKEN_HEADER_RE = /^Token\s+(\S+)$/i;

/** Slack recommends message text under 4,000 characters (it truncates longer text); Mattermost allows more, so Slack's bound is used. */
export const SLASH_MAX_CHARS = 4000;
/** A Slack request whose timestamp is further than this from now (seconds) is a replay and is refused. */
export const SLACK_MAX_SKEW_S = 5 * 60;
/** Shown at once when the answer takes longer than BOT_REPLY_TIMEOUT_MS; the answer follows via response_url. */
export const SLASH_ACK_TEXT = '⏳ Đang tra cứu… / Looking it up…';

/**
 * Verifies Slack's request signature: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">`,
 * with `X-Slack-Request-Timestamp` (seconds) no further than 5 minutes from `nowMs`.
 * @example verifySlackSignature(secret, body, ts, 'v0=' + hmacSha256Hex(secret, `v0:${ts}:${body}`), ts * 1000) === true
 */
export function verifySlackSignature(secret: string, rawBody: string, timestamp: string | null, signature: string | null, nowMs: number): boolean {
  if (!timestamp || !signature || !UNIX_SECONDS_RE.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_MAX_SKEW_S) return false;
  const expected = `v0=${hmacSha256Hex(secret, `v0:${timestamp}:${rawBody}`)}`;
  return safeEqual(signature.trim().toLowerCase(), expected);
}

function formFields(req: RawBotRequest): URLSearchParams | null {
  return req.contentType === 'application/x-www-form-urlencoded' ? new URLSearchParams(req.body) : null;
}

function httpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * `POST /slash`: Mattermost or Slack slash commands. Authenticated by Slack's signing secret when the request
 * carries Slack's signature headers (and SLACK_SIGNING_SECRET is set), otherwise by BOT_SLASH_TOKEN (form field
 * `token` or `Authorization: Token …`). Replies in-channel; help and errors go only to the asker (ephemeral).
 */
export function createSlashAdapter(cfg: BotConfig): BotAdapter {
  const ephemeral = (reply: BotReply) => reply.kind !== 'answer';
  return {
    platform: 'slack',
    path: '/slash',
    maxChars: SLASH_MAX_CHARS,
    disabledReason: () => (cfg.slashToken || cfg.slackSigningSecret ? null : 'slash commands are not enabled: set BOT_SLASH_TOKEN (Mattermost) or SLACK_SIGNING_SECRET (Slack)'),
    authenticate(req, nowMs) {
      const signature = req.headers.get('x-slack-signature');
      const timestamp = req.headers.get('x-slack-request-timestamp');
      // A request that presents a Slack signature is judged by it alone: a bad signature is never rescued by a token.
      if (cfg.slackSigningSecret && (signature !== null || timestamp !== null)) {
        return verifySlackSignature(cfg.slackSigningSecret, req.body, timestamp, signature, nowMs);
      }
      if (!cfg.slashToken) return false;
      const header = TOKEN_HEADER_RE.exec(req.headers.get('authorization') ?? '')?.[1];
      const token = header ?? formFields(req)?.get('token') ?? undefined;
      return token !== undefined && safeEqual(token, cfg.slashToken);
    },
    parse(req) {
      const form = formFields(req);
      if (!form) throw new BotInputError('slash command: expected an application/x-www-form-urlencoded body');
      // Slack's periodic certificate check carries no command.
      if (form.get('ssl_check') === '1') return null;
      const channel = form.get('channel_id');
      const user = form.get('user_id');
      if (!channel) throw new BotInputError('slash command: field "channel_id" is missing');
      if (!user) throw new BotInputError('slash command: field "user_id" is missing');
      const responseUrl = form.get('response_url') || undefined;
      if (responseUrl !== undefined && !httpUrl(responseUrl)) throw new BotInputError('slash command: field "response_url" must be an http(s) URL');
      return {
        conversationId: `${form.get('team_id') ?? ''}:${channel}:${user}`,
        userId: user,
        text: form.get('text') ?? '',
        replyTarget: { inline: true, push: responseUrl, flavor: req.headers.has('x-slack-request-timestamp') ? 'slack' : 'markdown' },
      };
    },
    format(reply, msg) {
      return renderReply(reply, { flavor: msg.replyTarget.flavor, maxChars: SLASH_MAX_CHARS, publicUrl: cfg.publicUrl });
    },
    inlineResponse(_msg, reply, text) {
      return { status: 200, body: { response_type: ephemeral(reply) ? 'ephemeral' : 'in_channel', text } };
    },
    ackResponse(msg: BotMessage | null) {
      return msg ? { status: 200, body: { response_type: 'ephemeral', text: SLASH_ACK_TEXT } } : { status: 200, body: null };
    },
    async push(msg, reply, text, io) {
      if (!msg.replyTarget.push) throw new Error('slash command: no response_url to deliver to');
      await postJson(io, msg.replyTarget.push, { response_type: ephemeral(reply) ? 'ephemeral' : 'in_channel', text }, 'slash response_url POST');
    },
  };
}
