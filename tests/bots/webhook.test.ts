// Generic signed webhook: shared contract plus structured citations, raw-body signatures and error statuses.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { post, PUBLIC_URL, runBotContract, type BotDriver, type DriverRequest, type RequestOptions } from './contract.ts';
import { CITATIONS, errorOf, fakeEngine, startBots, startRecorder } from './helpers.ts';

const SECRET = 'whsec_9c1f0e7a5b3d2c4e6f8a';

/** Computed here, independently of the code under test. */
function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function req(body: string, auth: RequestOptions['auth'] = 'good'): DriverRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth === 'good') headers['x-plancite-signature'] = sign(body);
  if (auth === 'bad') headers['x-plancite-signature'] = sign(body, 'another-secret-0123456789');
  return { path: '/webhook', headers, body };
}

interface WebhookAnswer {
  answer: string;
  citations: Array<{ n: number; tag: string; docId: string; docNumber: string | null; docTitle: string; section: string; quote: string; url?: string }>;
  refused: boolean;
  language?: string;
}

const driver: BotDriver = {
  name: 'generic webhook',
  env: () => ({ WEBHOOK_SECRET: SECRET }),
  request: (text, o) => req(JSON.stringify({ user: 'integration-1', conversation: o.conversation, text }), o.auth),
  malformed: () => [
    req('{"user": "u", "conversation": '),
    req('["u", "c", "q"]'),
    req(JSON.stringify({ user: 'u', conversation: 'c' })),
    req(JSON.stringify({ user: '', conversation: 'c', text: 'q' })),
    req(JSON.stringify({ user: 'u', conversation: 'c', text: 7 })),
  ],
  async reply(res) {
    if (res.status !== 200) return (await errorOf(res)).message;
    const body = (await res.json()) as WebhookAnswer;
    // The answer text carries the tags; the viewer links come in the structured citations.
    return [body.answer, ...body.citations.map((c) => (c.url ? `${c.tag} ${c.url}` : c.tag))].join('\n');
  },
  linkedTag: (tag, url) => `${tag} ${url}`,
};

runBotContract(driver);

describe('generic webhook', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });
  async function setup(engine = fakeEngine(), env: Record<string, string> = {}) {
    const rec = await startRecorder();
    const bots = await startBots({ WEBHOOK_SECRET: SECRET, ...env }, engine);
    open.push(rec, bots);
    return { bots, engine };
  }

  it('returns {answer, citations} with every citation field and its viewer link', async () => {
    const { bots } = await setup(fakeEngine(), { PUBLIC_URL });
    const res = await post(bots, driver.request('Ai báo cáo kết quả thực hiện Nghị quyết 42?', { conversation: 'c1', auth: 'good', responseUrl: '' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as WebhookAnswer;
    expect(body.refused).toBe(false);
    expect(body.answer.split('\n')[0]).toBe(`Theo Chương trình hành động của Chính phủ (68/NQ-CP), mục III.3.d: “${CITATIONS.government.quote}.” [68/NQ-CP §III.3.d]`);
    expect(body.citations[1]).toEqual({
      n: 2,
      tag: '[Kế hoạch của Sở LĐTBXH Bắc Ninh §IV.3]',
      docId: 'kh-bac-ninh-sldtbxh-nq42',
      docNumber: null,
      docTitle: 'Kế hoạch của Sở LĐTBXH Bắc Ninh',
      section: 'IV.3',
      quote: CITATIONS.bacNinh.quote,
      url: `${PUBLIC_URL}/documents/kh-bac-ninh-sldtbxh-nq42#IV.3`,
    });
  });

  it('signs the raw body: the same JSON re-serialised fails', async () => {
    const { bots, engine } = await setup();
    const body = JSON.stringify({ user: 'u', conversation: 'c', text: 'Ai báo cáo?' });
    const res = await post(bots, { ...req(body), body: JSON.stringify(JSON.parse(body), null, 2) });
    expect(res.status).toBe(401);
    // A signature without the sha256= prefix is refused too.
    const bare = await post(bots, { path: '/webhook', headers: { 'content-type': 'application/json', 'x-plancite-signature': sign(body).slice(7) }, body });
    expect(bare.status).toBe(401);
    expect(engine.calls).toEqual([]);
  });

  it('a question over 2000 characters is a 400; an engine failure a 503', async () => {
    const { bots } = await setup();
    const long = await post(bots, driver.request('Ai '.repeat(700), { conversation: 'c', auth: 'good', responseUrl: '' }));
    expect(long.status).toBe(400);
    expect((await errorOf(long)).code).toBe('bad_input');
    const failing = await setup(fakeEngine({ fail: new Error('boom') }));
    const res = await post(failing.bots, driver.request('Ai báo cáo?', { conversation: 'c', auth: 'good', responseUrl: '' }));
    expect(res.status).toBe(503);
    expect((await errorOf(res)).code).toBe('unavailable');
  });

  it('requires a JSON content type', async () => {
    const { bots } = await setup();
    const body = JSON.stringify({ user: 'u', conversation: 'c', text: 'q' });
    const res = await post(bots, { path: '/webhook', headers: { 'content-type': 'text/plain', 'x-plancite-signature': sign(body) }, body });
    expect(res.status).toBe(400);
  });
});
