// What a bot says back and the markup it is rendered in (shared by the adapters and the formatter).
import type { AskResult } from '../doc/types.ts';

/** What the bot says back. */
export type BotReply =
  | { kind: 'answer'; result: AskResult }
  | { kind: 'help' }
  | { kind: 'error'; code: 'bad_input' | 'unavailable'; message: string };

/** Markup a platform renders: Telegram HTML, Slack mrkdwn, (Mattermost) Markdown, or plain text. */
export type Flavor = 'html' | 'slack' | 'markdown' | 'plain';
