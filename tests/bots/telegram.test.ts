// Telegram: shared contract plus sendMessage shape, HTML escaping, commands, ignored updates, trimming and slow answers.
import { afterEach, describe, expect, it } from 'vitest';
import { post, runBotContract, type BotDriver, type RequestOptions } from './contract.ts';
import { CITATIONS, fakeEngine, longAnswer, reportingAnswer, startBots, startRecorder, takePushed, type Recorder } from './helpers.ts';

const SECRET = 'tg-webhook_Secret-42';
const BOT_TOKEN = '7012345678:AAE-test_token';
let updateId = 100;

/** Stable numeric chat id per conversation name (group chats are negative in Telegram). */
function chatIdOf(conversation: string): number {
  let h = 0;
  for (const ch of conversation) h = (h * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return -1_000_000_000_000 - h;
}

function update(message: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ update_id: ++updateId, ...(message ? { message } : {}), ...extra });
}

function textMessage(text: string, conversation: string): Record<string, unknown> {
  return {
    message_id: updateId,
    from: { id: 5551234, is_bot: false, first_name: 'Lan', language_code: 'vi' },
    chat: { id: chatIdOf(conversation), title: 'Phòng Kế hoạch', type: 'supergroup' },
    date: 1_750_000_000,
    text,
  };
}

function headers(auth: RequestOptions['auth']): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  if (auth === 'good') h['x-telegram-bot-api-secret-token'] = SECRET;
  if (auth === 'bad') h['x-telegram-bot-api-secret-token'] = 'not-the-secret';
  return h;
}

async function sent(rec: Recorder): Promise<{ chat_id: unknown; text: string; parse_mode: string }> {
  const r = await takePushed(rec);
  expect(r.method).toBe('POST');
  expect(r.path).toBe(`/bot${BOT_TOKEN}/sendMessage`);
  return r.json as { chat_id: unknown; text: string; parse_mode: string };
}

const driver: BotDriver = {
  name: 'telegram',
  env: (apiBase) => ({ TELEGRAM_SECRET: SECRET, TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_BASE: apiBase }),
  request: (text, o) => ({ path: '/telegram', headers: headers(o.auth), body: update(textMessage(text, o.conversation)) }),
  malformed: () => [
    { path: '/telegram', headers: headers('good'), body: '{"update_id": 1, "message": ' },
    { path: '/telegram', headers: headers('good'), body: '[1, 2]' },
    { path: '/telegram', headers: headers('good'), body: JSON.stringify({ message: textMessage('q', 'c') }) },
    { path: '/telegram', headers: headers('good'), body: JSON.stringify({ update_id: 'x', message: textMessage('q', 'c') }) },
    { path: '/telegram', headers: headers('good'), body: JSON.stringify({ update_id: 1, message: { message_id: 1, text: 'no chat' } }) },
    { path: '/telegram', headers: headers('good'), body: JSON.stringify({ update_id: 1, message: 'hello' }) },
  ],
  async reply(res, rec) {
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const m = await sent(rec);
    expect(m.parse_mode).toBe('HTML');
    return m.text;
  },
  linkedTag: (tag, url) => `<a href="${url}">${tag}</a>`,
};

runBotContract(driver);

describe('telegram', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });
  async function setup(engine = fakeEngine(), env: Record<string, string> = {}) {
    const rec = await startRecorder();
    const bots = await startBots({ ...driver.env(rec.url), ...env }, engine);
    open.push(rec, bots);
    return { rec, bots, engine };
  }
  const ask = (text: string, conversation = 'group-1') => ({ path: '/telegram', headers: headers('good'), body: update(textMessage(text, conversation)) });

  it('replies with sendMessage to the chat, in HTML, without link previews', async () => {
    const { rec, bots } = await setup();
    await post(bots, ask('Ai báo cáo kết quả thực hiện Nghị quyết 42?', 'g-77'));
    const r = await takePushed(rec);
    expect(r.headers['content-type']).toContain('application/json');
    expect(r.json).toMatchObject({ chat_id: chatIdOf('g-77'), parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    expect(typeof (r.json as { chat_id: unknown }).chat_id).toBe('number');
  });

  it('escapes &, < and > in the answer, and only there', async () => {
    const engine = fakeEngine({ answer: (q) => ({ ...reportingAnswer(q), answer: 'Báo cáo <b>trước</b> 15/12 & gửi Bộ > Chính phủ [1]', citations: [CITATIONS.government] }) });
    const { rec, bots } = await setup(engine, { PUBLIC_URL: 'https://plancite.example' });
    await post(bots, ask('Khi nào?'));
    const { text } = await sent(rec);
    expect(text).toBe('Báo cáo &lt;b&gt;trước&lt;/b&gt; 15/12 &amp; gửi Bộ &gt; Chính phủ <a href="https://plancite.example/documents/ctrhd-chinh-phu-nq42#III.3.d">[68/NQ-CP §III.3.d]</a>');
  });

  for (const cmd of ['/start', '/help@plancite_bot', '/unknown']) {
    it(`${cmd} answers with the usage text`, async () => {
      const { rec, bots, engine } = await setup();
      await post(bots, ask(cmd));
      expect((await sent(rec)).text).toContain('Plancite trả lời câu hỏi');
      expect(engine.calls).toEqual([]);
    });
  }

  it('/ask@bot in a group passes only the question to the engine', async () => {
    const { rec, bots, engine } = await setup();
    await post(bots, ask('/ask@plancite_bot Ai chủ trì theo dõi Kế hoạch 19?'));
    await sent(rec);
    expect(engine.calls.map((c) => c.question)).toEqual(['Ai chủ trì theo dõi Kế hoạch 19?']);
  });

  it('acknowledges updates without text and sends nothing', async () => {
    const { rec, bots, engine } = await setup();
    const sticker = { ...textMessage('', 'g'), text: undefined, sticker: { file_id: 'CAACAgIAAxk', emoji: '👍' } };
    for (const body of [update(sticker), update(undefined, { my_chat_member: { chat: { id: -1 } } }), update(undefined, { edited_message: textMessage('sửa', 'g') })]) {
      const res = await post(bots, { path: '/telegram', headers: headers('good'), body });
      expect(res.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(rec.received).toEqual([]);
    expect(engine.calls).toEqual([]);
  });

  it('trims a long answer to 4096 characters after a complete citation', async () => {
    const { rec, bots } = await setup(fakeEngine({ answer: longAnswer }), { PUBLIC_URL: 'https://plancite.example' });
    await post(bots, ask('Tất cả các nhiệm vụ báo cáo?'));
    const { text } = await sent(rec);
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text.length).toBeGreaterThan(3000);
    expect(text.endsWith('</a>\n… (đã rút gọn)')).toBe(true);
    expect(text.split('<a href=').length).toBe(text.split('</a>').length);
  });

  it('a slow answer is acknowledged at the timeout and still delivered', async () => {
    const { rec, bots } = await setup(fakeEngine({ delayMs: 800 }), { BOT_REPLY_TIMEOUT_MS: '100' });
    const res = await post(bots, ask('Ai báo cáo?'));
    expect(res.status).toBe(200);
    // Acknowledged while the answer was still being made: nothing sent yet, the answer follows.
    expect(rec.received).toEqual([]);
    expect((await sent(rec)).text).toContain('[68/NQ-CP §III.3.d]');
  });

  it('a failing sendMessage is logged, and the update still acknowledged (no redelivery storm)', async () => {
    const { rec, bots } = await setup();
    rec.respond = () => ({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } });
    const res = await post(bots, ask('Ai báo cáo?'));
    expect(res.status).toBe(200);
    expect(rec.received).toHaveLength(1);
  });
});
