// Bot configuration, parsed once from the environment with zod; a bad or half-set value fails fast naming the variable.
import { z } from 'zod';
import { AppError } from '../errors.ts';

/** Default for how long a bot request waits for the answer before acknowledging and delivering it later (ms). */
export const DEFAULT_REPLY_TIMEOUT_MS = 2500;
/** Public Telegram Bot API. */
export const DEFAULT_TELEGRAM_API_BASE = 'https://api.telegram.org';
/** Zalo Bot Platform API host (third-party references agree on it; the older host was bot-api.zapps.me). */
export const DEFAULT_ZALO_API_BASE = 'https://bot-api.zaloplatforms.com';
/** Shortest accepted WEBHOOK_SECRET: the HMAC key of the generic webhook is ours to choose, so demand a real one. */
export const MIN_WEBHOOK_SECRET_CHARS = 16;

/** An unset or empty variable is "not configured". */
const optional = (inner: z.ZodString) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), inner.optional());
const url = z.string().trim().url().refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

const schema = z.object({
  BOT_SLASH_TOKEN: optional(z.string().trim()),
  SLACK_SIGNING_SECRET: optional(z.string().trim()),
  MATTERMOST_OUTGOING_TOKEN: optional(z.string().trim()),
  // Telegram allows 1-256 characters A-Z a-z 0-9 _ - in setWebhook's secret_token.
  TELEGRAM_SECRET: optional(z.string().trim().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z a-z 0-9 _ -')),
  TELEGRAM_BOT_TOKEN: optional(z.string().trim()),
  TELEGRAM_API_BASE: optional(url),
  ZALO_BOT_TOKEN: optional(z.string().trim()),
  // Zalo's setWebhook accepts a secret_token of 8-256 characters.
  ZALO_SECRET: optional(z.string().trim().min(8, 'must be 8-256 characters').max(256, 'must be 8-256 characters')),
  ZALO_API_BASE: optional(url),
  WEBHOOK_SECRET: optional(z.string().trim().min(MIN_WEBHOOK_SECRET_CHARS, `must be at least ${MIN_WEBHOOK_SECRET_CHARS} characters`)),
  PUBLIC_URL: optional(url),
  BOT_REPLY_TIMEOUT_MS: optional(z.string().trim().regex(/^\d+$/, 'must be a whole number of milliseconds')),
});

/** Which bot platforms are enabled and with which secrets. An unset secret disables its route. */
export interface BotConfig {
  /** Mattermost/Slack slash-command token (the `token` form field / `Authorization: Token …`). */
  slashToken?: string;
  /** Slack signing secret (HMAC-SHA256 over `v0:timestamp:body`). */
  slackSigningSecret?: string;
  mattermostOutgoingToken?: string;
  /** Expected `X-Telegram-Bot-Api-Secret-Token`. */
  telegramSecret?: string;
  telegramBotToken?: string;
  telegramApiBase: string;
  zaloBotToken?: string;
  /** Expected `X-Bot-Api-Secret-Token` (the secret_token given to Zalo's setWebhook). */
  zaloSecret?: string;
  zaloApiBase: string;
  /** HMAC-SHA256 key of the generic webhook (`X-Plancite-Signature`). */
  webhookSecret?: string;
  /** Base URL of the web UI; citations link to `${publicUrl}/documents/<docId>#<section>` when set. */
  publicUrl?: string;
  /** How long a request waits for the answer before acknowledging and delivering it later. */
  replyTimeoutMs: number;
}

/** Reply timeouts outside this range are refused: below it nothing could answer in time, above it Slack gives up (3 s). */
const TIMEOUT_RANGE = { min: 50, max: 60_000 };

function fail(variable: string, message: string): never {
  throw new AppError('config', `invalid environment variable ${variable}: ${message}`);
}

/**
 * Reads the bot configuration from an environment object; throws AppError('config') naming the variable.
 * A platform needs both halves: a Telegram/Zalo secret without its bot token (or the reverse) is refused,
 * because the route could either not reply or not authenticate.
 * @example loadBotConfig({ TELEGRAM_SECRET: 's3cret', TELEGRAM_BOT_TOKEN: '123:abc' }).telegramApiBase === 'https://api.telegram.org'
 */
export function loadBotConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const picked = Object.fromEntries(Object.entries(env).filter(([k]) => k in schema.shape));
  const r = schema.safeParse(picked);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    fail(String(issue.path[0]), issue.message);
  }
  const e = r.data;
  if (e.TELEGRAM_SECRET && !e.TELEGRAM_BOT_TOKEN) fail('TELEGRAM_BOT_TOKEN', 'required when TELEGRAM_SECRET is set (replies are sent with sendMessage)');
  if (e.TELEGRAM_BOT_TOKEN && !e.TELEGRAM_SECRET) fail('TELEGRAM_SECRET', 'required when TELEGRAM_BOT_TOKEN is set (updates must be authenticated)');
  if (e.ZALO_SECRET && !e.ZALO_BOT_TOKEN) fail('ZALO_BOT_TOKEN', 'required when ZALO_SECRET is set (replies are sent with sendMessage)');
  if (e.ZALO_BOT_TOKEN && !e.ZALO_SECRET) fail('ZALO_SECRET', 'required when ZALO_BOT_TOKEN is set (updates must be authenticated)');
  const timeout = e.BOT_REPLY_TIMEOUT_MS === undefined ? DEFAULT_REPLY_TIMEOUT_MS : Number(e.BOT_REPLY_TIMEOUT_MS);
  if (timeout < TIMEOUT_RANGE.min || timeout > TIMEOUT_RANGE.max) fail('BOT_REPLY_TIMEOUT_MS', `must be between ${TIMEOUT_RANGE.min} and ${TIMEOUT_RANGE.max}`);
  const trimSlash = (u: string) => u.replace(/\/+$/, '');
  return {
    slashToken: e.BOT_SLASH_TOKEN,
    slackSigningSecret: e.SLACK_SIGNING_SECRET,
    mattermostOutgoingToken: e.MATTERMOST_OUTGOING_TOKEN,
    telegramSecret: e.TELEGRAM_SECRET,
    telegramBotToken: e.TELEGRAM_BOT_TOKEN,
    telegramApiBase: trimSlash(e.TELEGRAM_API_BASE ?? DEFAULT_TELEGRAM_API_BASE),
    zaloBotToken: e.ZALO_BOT_TOKEN,
    zaloSecret: e.ZALO_SECRET,
    zaloApiBase: trimSlash(e.ZALO_API_BASE ?? DEFAULT_ZALO_API_BASE),
    webhookSecret: e.WEBHOOK_SECRET,
    publicUrl: e.PUBLIC_URL ? trimSlash(e.PUBLIC_URL) : undefined,
    replyTimeoutMs: timeout,
  };
}
