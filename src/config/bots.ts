// The chat bots' slice of the configuration: platform secrets, API bases and the reply timeout.
import { z } from 'zod';
import { httpUrl, intVar, optionalString, row, sliceOf, withDefault } from './env.ts';

/** Default for how long a bot request waits for the answer before acknowledging and delivering it later (ms). */
export const DEFAULT_REPLY_TIMEOUT_MS = 2500;
/** Public Telegram Bot API. */
export const DEFAULT_TELEGRAM_API_BASE = 'https://api.telegram.org';
/** Zalo Bot Platform API host (third-party references agree on it; the older host was bot-api.zapps.me). */
export const DEFAULT_ZALO_API_BASE = 'https://bot-api.zaloplatforms.com';
/** Shortest accepted WEBHOOK_SECRET: the HMAC key of the generic webhook is ours to choose, so demand a real one. */
export const MIN_WEBHOOK_SECRET_CHARS = 16;
/** Reply timeouts outside this range are refused: below it nothing could answer in time, above it Slack gives up (3 s). */
export const REPLY_TIMEOUT_RANGE = { min: 50, max: 60_000 };

/** Telegram allows 1-256 characters A-Z a-z 0-9 _ - in setWebhook's secret_token. Example: `tg_secret-1`. */
const TELEGRAM_SECRET_RE = /^[A-Za-z0-9_-]{1,256}$/;

/** Variables of the bot webhooks (an unset secret disables its route): config field, schema with its default, README default and meaning. */
export const botsVars = {
  BOT_SLASH_TOKEN: row('slashToken', optionalString(), '—', 'Mattermost/Slack slash-command token (enables `/bots/slash`)'),
  SLACK_SIGNING_SECRET: row('slackSigningSecret', optionalString(), '—', 'Slack signing secret (enables `/bots/slash` with signatures)'),
  MATTERMOST_OUTGOING_TOKEN: row('mattermostOutgoingToken', optionalString(), '—', 'Mattermost outgoing-webhook token (enables `/bots/outgoing`)'),
  TELEGRAM_SECRET: row('telegramSecret', optionalString(z.string().trim().regex(TELEGRAM_SECRET_RE, 'must be 1-256 characters of A-Z a-z 0-9 _ -')), '—', 'Telegram webhook `secret_token` (1–256 of `A-Z a-z 0-9 _ -`); needs `TELEGRAM_BOT_TOKEN`'),
  TELEGRAM_BOT_TOKEN: row('telegramBotToken', optionalString(), '—', 'Telegram bot token; needs `TELEGRAM_SECRET`'),
  TELEGRAM_API_BASE: row('telegramApiBase', withDefault(optionalString(httpUrl), DEFAULT_TELEGRAM_API_BASE), '`https://api.telegram.org`', 'Telegram Bot API server'),
  ZALO_BOT_TOKEN: row('zaloBotToken', optionalString(), '—', 'Zalo bot token; needs `ZALO_SECRET`'),
  // Zalo's setWebhook accepts a secret_token of 8-256 characters.
  ZALO_SECRET: row('zaloSecret', optionalString(z.string().trim().min(8, 'must be 8-256 characters').max(256, 'must be 8-256 characters')), '—', 'Zalo webhook `secret_token` (8–256 characters); needs `ZALO_BOT_TOKEN`'),
  ZALO_API_BASE: row('zaloApiBase', withDefault(optionalString(httpUrl), DEFAULT_ZALO_API_BASE), '`https://bot-api.zaloplatforms.com`', 'Zalo Bot Platform API server'),
  WEBHOOK_SECRET: row('webhookSecret', optionalString(z.string().trim().min(MIN_WEBHOOK_SECRET_CHARS, `must be at least ${MIN_WEBHOOK_SECRET_CHARS} characters`)), '—', 'HMAC key of the generic webhook (≥ 16 characters; enables `/bots/webhook`)'),
  BOT_REPLY_TIMEOUT_MS: row('replyTimeoutMs', withDefault(intVar(REPLY_TIMEOUT_RANGE.min, REPLY_TIMEOUT_RANGE.max), DEFAULT_REPLY_TIMEOUT_MS), '`2500`', 'how long a bot request waits for the answer before acknowledging and delivering later (50–60000)'),
};

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

/**
 * The bots slice of the parsed environment. A platform needs both halves: a Telegram/Zalo secret without its
 * bot token (or the reverse) is refused, because the route could either not reply or not authenticate.
 * @returns the slice, or the variable and message of the first problem.
 */
export function botsSlice(parsed: Record<string, unknown>, shared: { publicUrl?: string }): BotConfig | { variable: string; message: string } {
  const e = sliceOf(botsVars, parsed);
  if (e.telegramSecret && !e.telegramBotToken) return { variable: 'TELEGRAM_BOT_TOKEN', message: 'required when TELEGRAM_SECRET is set (replies are sent with sendMessage)' };
  if (e.telegramBotToken && !e.telegramSecret) return { variable: 'TELEGRAM_SECRET', message: 'required when TELEGRAM_BOT_TOKEN is set (updates must be authenticated)' };
  if (e.zaloSecret && !e.zaloBotToken) return { variable: 'ZALO_BOT_TOKEN', message: 'required when ZALO_SECRET is set (replies are sent with sendMessage)' };
  if (e.zaloBotToken && !e.zaloSecret) return { variable: 'ZALO_SECRET', message: 'required when ZALO_BOT_TOKEN is set (updates must be authenticated)' };
  return { ...e, publicUrl: shared.publicUrl };
}
