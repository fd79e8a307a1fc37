// Bot configuration: defaults, unset-when-empty, and fail-fast messages that name the variable.
import { describe, expect, it } from 'vitest';
import { loadBotConfig } from '../../src/config.ts';
import { classifyText } from '../../src/bots/adapter.ts';
import { createHistoryStore } from '../../src/bots/history.ts';

describe('loadBotConfig', () => {
  it('defaults: nothing enabled, public API bases, 2500 ms reply timeout', () => {
    expect(loadBotConfig({})).toEqual({
      slashToken: undefined,
      slackSigningSecret: undefined,
      mattermostOutgoingToken: undefined,
      telegramSecret: undefined,
      telegramBotToken: undefined,
      telegramApiBase: 'https://api.telegram.org',
      zaloBotToken: undefined,
      zaloSecret: undefined,
      zaloApiBase: 'https://bot-api.zaloplatforms.com',
      webhookSecret: undefined,
      publicUrl: undefined,
      replyTimeoutMs: 2500,
    });
  });

  it('treats empty values as unset and trims trailing slashes', () => {
    const c = loadBotConfig({ BOT_SLASH_TOKEN: '', PUBLIC_URL: 'https://plancite.example/', TELEGRAM_API_BASE: 'http://127.0.0.1:8081/', TELEGRAM_SECRET: 'abc', TELEGRAM_BOT_TOKEN: '1:x', BOT_REPLY_TIMEOUT_MS: '900' });
    expect(c.slashToken).toBeUndefined();
    expect(c.publicUrl).toBe('https://plancite.example');
    expect(c.telegramApiBase).toBe('http://127.0.0.1:8081');
    expect(c.replyTimeoutMs).toBe(900);
  });

  it.each([
    [{ TELEGRAM_SECRET: 'abc' }, 'TELEGRAM_BOT_TOKEN'],
    [{ TELEGRAM_BOT_TOKEN: '1:x' }, 'TELEGRAM_SECRET'],
    [{ TELEGRAM_SECRET: 'has space', TELEGRAM_BOT_TOKEN: '1:x' }, 'TELEGRAM_SECRET'],
    [{ ZALO_SECRET: 'zalo-secret' }, 'ZALO_BOT_TOKEN'],
    [{ ZALO_BOT_TOKEN: '1:x', ZALO_SECRET: 'short' }, 'ZALO_SECRET'],
    [{ WEBHOOK_SECRET: 'too-short' }, 'WEBHOOK_SECRET'],
    [{ PUBLIC_URL: 'plancite.example' }, 'PUBLIC_URL'],
    [{ ZALO_API_BASE: 'ftp://zalo.example' }, 'ZALO_API_BASE'],
    [{ BOT_REPLY_TIMEOUT_MS: '2.5s' }, 'BOT_REPLY_TIMEOUT_MS'],
    [{ BOT_REPLY_TIMEOUT_MS: '10' }, 'BOT_REPLY_TIMEOUT_MS'],
  ])('refuses %o naming %s', (env, variable) => {
    expect(() => loadBotConfig(env)).toThrow(new RegExp(`invalid environment variable ${variable}:`));
  });
});

describe('classifyText', () => {
  it.each([
    ['/start', { help: true }],
    ['/help@plancite_bot', { help: true }],
    ['  ', { help: true }],
    ['help', { help: true }],
    ['@plancite_bot', { help: true }],
    ['/ask', { help: true }],
    ['/ask Ai báo cáo?', { question: 'Ai báo cáo?' }],
    ['@plancite_bot Ai báo cáo?', { question: 'Ai báo cáo?' }],
    ['Ai báo cáo kết quả 42-NQ/TW?', { question: 'Ai báo cáo kết quả 42-NQ/TW?' }],
  ])('%j → %o', (text, expected) => {
    expect(classifyText(text)).toEqual(expected);
  });
});

describe('history store', () => {
  it('keeps the last turns, expires idle conversations and evicts the least recently used', () => {
    let t = 0;
    const h = createHistoryStore({ now: () => t, maxTurns: 4, ttlMs: 1000, maxConversations: 2 });
    h.append('a', 'q1', 'a1');
    h.append('a', 'q2', 'a2');
    h.append('a', 'q3', 'a3');
    expect(h.get('a').map((x) => x.content)).toEqual(['q2', 'a2', 'q3', 'a3']);
    t = 500;
    h.append('b', 'qb', 'ab');
    t = 1200;
    // 'a' was last touched at 0: expired; 'b' at 500: alive.
    expect(h.get('a')).toEqual([]);
    expect(h.get('b')).toHaveLength(2);
    h.append('c', 'qc', 'ac');
    h.append('d', 'qd', 'ad');
    expect(h.size()).toBe(2);
    expect(h.get('b')).toEqual([]);
    expect(h.get('d')).toHaveLength(2);
  });
});
