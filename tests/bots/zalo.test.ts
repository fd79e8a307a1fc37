// Zalo Bot: shared contract plus both payload envelopes, ignored events, plain-text sources and the 2000-character limit.
import { afterEach, describe, expect, it } from 'vitest';
import { post, runBotContract, type BotDriver, type RequestOptions } from './contract.ts';
import { CITATIONS, fakeEngine, longAnswer, startBots, startRecorder, takePushed, type Recorder } from './helpers.ts';

const SECRET = 'zalo-webhook-secret-2024';
const BOT_TOKEN = '1234567890123456789:zalo-test-token';

function event(text: string | undefined, conversation: string, eventName = 'message.text.received'): Record<string, unknown> {
  return {
    event_name: eventName,
    message: {
      from: { id: 'a1b2c3d4e5f6', display_name: 'Nguyễn Lan', is_bot: false },
      chat: { id: conversation, chat_type: 'PRIVATE' },
      ...(text === undefined ? {} : { text }),
      message_id: `m-${conversation}-${Math.random().toString(36).slice(2)}`,
      date: 1_750_000_000_000,
    },
  };
}

function headers(auth: RequestOptions['auth']): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  if (auth === 'good') h['x-bot-api-secret-token'] = SECRET;
  if (auth === 'bad') h['x-bot-api-secret-token'] = 'zalo-wrong-secret';
  return h;
}

async function sent(rec: Recorder): Promise<{ chat_id: unknown; text: string }> {
  const r = await takePushed(rec);
  expect(r.method).toBe('POST');
  expect(r.path).toBe(`/bot${BOT_TOKEN}/sendMessage`);
  expect(r.headers['content-type']).toContain('application/json');
  return r.json as { chat_id: unknown; text: string };
}

const driver: BotDriver = {
  name: 'zalo',
  env: (apiBase) => ({ ZALO_SECRET: SECRET, ZALO_BOT_TOKEN: BOT_TOKEN, ZALO_API_BASE: apiBase }),
  request: (text, o) => ({ path: '/zalo', headers: headers(o.auth), body: JSON.stringify(event(text, o.conversation)) }),
  malformed: () => [
    { path: '/zalo', headers: headers('good'), body: 'event_name=message.text.received' },
    { path: '/zalo', headers: headers('good'), body: '[]' },
    { path: '/zalo', headers: headers('good'), body: JSON.stringify({ message: { text: 'q' } }) },
    { path: '/zalo', headers: headers('good'), body: JSON.stringify({ event_name: 'message.text.received' }) },
    { path: '/zalo', headers: headers('good'), body: JSON.stringify({ event_name: 'message.text.received', message: { text: 'no chat' } }) },
    { path: '/zalo', headers: headers('good'), body: JSON.stringify(event(undefined, 'c1')) },
  ],
  async reply(res, rec) {
    expect(res.status).toBe(200);
    return (await sent(rec)).text;
  },
  // Plain text cannot link: each tag is listed with its URL under the answer.
  linkedTag: (tag, url) => `${tag} ${url}`,
};

runBotContract(driver);

describe('zalo', () => {
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

  it('accepts the event wrapped as {ok, result} too, and replies to the chat id as given', async () => {
    const { rec, bots, engine } = await setup();
    const body = JSON.stringify({ ok: true, result: event('Ai báo cáo kết quả thực hiện?', 'chat-9f8e7d') });
    expect((await post(bots, { path: '/zalo', headers: headers('good'), body })).status).toBe(200);
    const m = await sent(rec);
    expect(m.chat_id).toBe('chat-9f8e7d');
    expect(m.text).toContain(CITATIONS.bacNinh.quote);
    expect(engine.calls.map((c) => c.question)).toEqual(['Ai báo cáo kết quả thực hiện?']);
  });

  it('acknowledges non-text events and sends nothing', async () => {
    const { rec, bots, engine } = await setup();
    for (const name of ['message.sticker.received', 'message.image.received', 'message.unsupported.received']) {
      const res = await post(bots, { path: '/zalo', headers: headers('good'), body: JSON.stringify(event(undefined, 'c1', name)) });
      expect(res.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(rec.received).toEqual([]);
    expect(engine.calls).toEqual([]);
  });

  it('sends plain text: tags inline, sources with links listed under the answer', async () => {
    const { rec, bots } = await setup(fakeEngine(), { PUBLIC_URL: 'https://plancite.example/' });
    await post(bots, driver.request('Ai báo cáo?', { conversation: 'c2', auth: 'good', responseUrl: '' }));
    const { text } = await sent(rec);
    expect(text).toContain(`“${CITATIONS.government.quote}.” [68/NQ-CP §III.3.d]`);
    expect(text).toContain('\n\nNguồn:\n[68/NQ-CP §III.3.d] https://plancite.example/documents/ctrhd-chinh-phu-nq42#III.3.d\n');
    expect(text).not.toMatch(/<a |&amp;/);
  });

  it('trims to 2000 characters, keeping the sources of what is kept', async () => {
    const { rec, bots } = await setup(fakeEngine({ answer: longAnswer }), { PUBLIC_URL: 'https://plancite.example' });
    await post(bots, driver.request('Tất cả?', { conversation: 'c3', auth: 'good', responseUrl: '' }));
    const { text } = await sent(rec);
    expect(text.length).toBeLessThanOrEqual(2000);
    const [body, sources] = text.split('\n\nNguồn:\n');
    expect(body!.endsWith(']\n… (đã rút gọn)')).toBe(true);
    // Every source listed is cited in the kept text.
    for (const line of sources!.split('\n')) expect(body).toContain(line.slice(0, line.indexOf(' https://')));
  });
});
