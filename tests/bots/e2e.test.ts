// End to end through the real engine: an index built from the corpus, questions asked over the generic webhook and Telegram.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/answer/engine.ts';
import { citationTag } from '../../src/bots/format.ts';
import type { Engine } from '../../src/doc/types.ts';
import { startBots, startRecorder, takePushed, type Recorder, type RunningBots } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
const TELEGRAM_SECRET = 'e2e_tg_secret';
const TELEGRAM_TOKEN = '42:e2e-token';

interface WebhookAnswer {
  answer: string;
  refused: boolean;
  citations: Array<{ tag: string; docId: string; docNumber: string | null; docTitle: string; section: string; quote: string; url?: string }>;
}

describe('bots end to end with the real engine', () => {
  let indexDir: string;
  let engine: Engine;
  let rec: Recorder;
  let bots: RunningBots;

  beforeAll(async () => {
    indexDir = mkdtempSync(path.join(tmpdir(), 'plancite-bots-e2e-'));
    execFileSync('npx', ['tsx', 'src/cli/main.ts', 'ingest', '--corpus', 'corpus', '--index', indexDir], { cwd: ROOT, stdio: 'pipe' });
    engine = await openEngine(indexDir);
    rec = await startRecorder();
    bots = await startBots(
      { WEBHOOK_SECRET, TELEGRAM_SECRET, TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_API_BASE: rec.url, PUBLIC_URL: 'https://plancite.example', BOT_REPLY_TIMEOUT_MS: '20000' },
      engine,
    );
  });

  afterAll(async () => {
    await bots?.close();
    await rec?.close();
    if (indexDir) rmSync(indexDir, { recursive: true, force: true });
  });

  async function askWebhook(text: string, conversation: string): Promise<WebhookAnswer> {
    const body = JSON.stringify({ user: 'e2e', conversation, text });
    const res = await fetch(`${bots.url}/bots/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-plancite-signature': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}` },
      body,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as WebhookAnswer;
  }

  it('the generic webhook returns a cited answer whose quotes are verbatim corpus text', async () => {
    const a = await askWebhook('Bộ, ngành gửi báo cáo tình hình thực hiện Chương trình hành động của Chính phủ cho ai, trước ngày nào?', 'e2e-1');
    expect(a.refused).toBe(false);
    expect(a.citations.length).toBeGreaterThan(0);
    for (const c of a.citations) {
      const text = readFileSync(path.join(ROOT, 'corpus', `${c.docId}.txt`), 'utf8').normalize('NFC');
      expect(text).toContain(c.quote.normalize('NFC'));
      expect(c.tag).toBe(citationTag(c));
      expect(c.url).toBe(`https://plancite.example/documents/${encodeURIComponent(c.docId)}#${encodeURIComponent(c.section).replace(/\(/g, '%28').replace(/\)/g, '%29')}`);
    }
    expect(a.answer).toContain(a.citations[0]!.tag);
    expect(a.answer).not.toMatch(/\[\d+\]/);
  });

  it('Telegram gets the same answer as HTML through sendMessage', async () => {
    const question = 'Ai báo cáo kết quả thực hiện Nghị quyết 42-NQ/TW?';
    const expected = await askWebhook(question, 'e2e-2');
    const res = await fetch(`${bots.url}/bots/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
      body: JSON.stringify({ update_id: 9, message: { message_id: 1, date: 0, chat: { id: 777, type: 'private' }, from: { id: 777, is_bot: false, first_name: 'Lan' }, text: question } }),
    });
    expect(res.status).toBe(200);
    const sent = await takePushed(rec);
    expect(sent.path).toBe(`/bot${TELEGRAM_TOKEN}/sendMessage`);
    const msg = sent.json as { chat_id: number; text: string; parse_mode: string };
    expect(msg.chat_id).toBe(777);
    expect(msg.text.length).toBeLessThanOrEqual(4096);
    expect(msg.text).toContain(`>${expected.citations[0]!.tag}</a>`);
  });
});
