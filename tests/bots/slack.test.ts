// Slash commands (Mattermost token and Slack signing secret): shared contract plus replay, signature and delayed-answer cases.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { post, runBotContract, type BotDriver, type DriverRequest } from './contract.ts';
import { CITATIONS, errorOf, fakeEngine, reportingAnswer, startBots, startRecorder, takePushed } from './helpers.ts';

const SLASH_TOKEN = 'slash-token-abc123';
const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const FORM = 'application/x-www-form-urlencoded';

function slashForm(text: string, conversation: string, responseUrl: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({
    team_id: 'T0001',
    team_domain: 'bo-ldtbxh',
    channel_id: conversation,
    channel_name: 'ke-hoach',
    user_id: 'U2147483697',
    user_name: 'lan.nguyen',
    command: '/plancite',
    text,
    response_url: responseUrl,
    ...extra,
  }).toString();
}

function slackSign(secret: string, ts: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

function signed(body: string, opts: { secret?: string; ts?: number; contentType?: string } = {}): DriverRequest {
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  return {
    path: '/slash',
    headers: {
      'content-type': opts.contentType ?? FORM,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSign(opts.secret ?? SIGNING_SECRET, ts, body),
    },
    body,
  };
}

const inlineText = async (res: Response): Promise<string> => {
  const body = (await res.json()) as { text?: string; error?: { message: string } };
  return body.text ?? body.error?.message ?? '';
};

const tokenDriver: BotDriver = {
  name: 'slash (Mattermost token)',
  env: () => ({ BOT_SLASH_TOKEN: SLASH_TOKEN }),
  request(text, o) {
    const token: Record<string, string> = o.auth === 'good' ? { token: SLASH_TOKEN } : o.auth === 'bad' ? { token: 'not-the-token' } : {};
    return { path: '/slash', headers: { 'content-type': FORM }, body: slashForm(text, o.conversation, o.responseUrl, token) };
  },
  malformed: (): DriverRequest[] => [
    // Authenticated by the Authorization header (as Mattermost also sends it), but not a form.
    { path: '/slash', headers: { 'content-type': 'application/json', authorization: `Token ${SLASH_TOKEN}` }, body: '{"text":"Ai báo cáo?"}' },
    { path: '/slash', headers: { 'content-type': FORM }, body: new URLSearchParams({ token: SLASH_TOKEN, user_id: 'U1', text: 'q' }).toString() },
    { path: '/slash', headers: { 'content-type': FORM }, body: new URLSearchParams({ token: SLASH_TOKEN, channel_id: 'C1', text: 'q' }).toString() },
    { path: '/slash', headers: { 'content-type': FORM }, body: slashForm('q', 'C1', 'file:///etc/passwd', { token: SLASH_TOKEN }) },
  ],
  reply: (res) => inlineText(res),
  linkedTag: (tag, url) => `[[${tag.slice(1, -1)}](${url})]`,
};

const signatureDriver: BotDriver = {
  name: 'slash (Slack signing secret)',
  env: () => ({ SLACK_SIGNING_SECRET: SIGNING_SECRET }),
  request(text, o) {
    const body = slashForm(text, o.conversation, o.responseUrl, { token: 'legacy-verification-token' });
    if (o.auth === 'none') return { path: '/slash', headers: { 'content-type': FORM }, body };
    return signed(body, { secret: o.auth === 'good' ? SIGNING_SECRET : 'some-other-secret' });
  },
  malformed: (o) => [
    signed('{"text":"Ai báo cáo?"}', { contentType: 'application/json' }),
    signed(new URLSearchParams({ channel_id: 'C1', text: 'q', response_url: o.responseUrl }).toString()),
  ],
  reply: (res) => inlineText(res),
  linkedTag: (tag, url) => `<${url}|${tag}>`,
};

runBotContract(tokenDriver);
runBotContract(signatureDriver);

describe('slash commands', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });
  async function setup(env: Record<string, string>, engine = fakeEngine()) {
    const rec = await startRecorder();
    const bots = await startBots(env, engine);
    open.push(rec, bots);
    return { rec, bots, engine, responseUrl: `${rec.url}/hooks/response` };
  }

  it('answers in-channel within the reply timeout', async () => {
    const { bots, responseUrl, rec } = await setup({ BOT_SLASH_TOKEN: SLASH_TOKEN });
    const res = await post(bots, tokenDriver.request('Ai báo cáo?', { conversation: 'C1', auth: 'good', responseUrl }));
    expect(await res.json()).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining('[68/NQ-CP §III.3.d]') });
    expect(rec.received).toEqual([]);
  });

  it('rejects a replayed request: a correct signature over a timestamp older than 5 minutes', async () => {
    const { bots, engine, responseUrl, rec } = await setup({ SLACK_SIGNING_SECRET: SIGNING_SECRET });
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await post(bots, signed(slashForm('Ai báo cáo?', 'C1', responseUrl), { ts: old }));
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('unauthorized');
    const future = Math.floor(Date.now() / 1000) + 6 * 60;
    expect((await post(bots, signed(slashForm('Ai báo cáo?', 'C1', responseUrl), { ts: future }))).status).toBe(401);
    // Just inside the window still passes.
    const recent = Math.floor(Date.now() / 1000) - 4 * 60;
    expect((await post(bots, signed(slashForm('Ai báo cáo?', 'C1', responseUrl), { ts: recent }))).status).toBe(200);
    expect(engine.calls).toHaveLength(1);
    expect(rec.received).toEqual([]);
  });

  it('rejects a body altered after signing', async () => {
    const { bots, engine, responseUrl } = await setup({ SLACK_SIGNING_SECRET: SIGNING_SECRET });
    const r = signed(slashForm('Ai báo cáo?', 'C1', responseUrl));
    const res = await post(bots, { ...r, body: r.body.replace('C1', 'C2') });
    expect(res.status).toBe(401);
    expect(engine.calls).toEqual([]);
  });

  it('a bad Slack signature is not rescued by a valid token', async () => {
    const { bots, engine, responseUrl } = await setup({ SLACK_SIGNING_SECRET: SIGNING_SECRET, BOT_SLASH_TOKEN: SLASH_TOKEN });
    const body = slashForm('Ai báo cáo?', 'C1', responseUrl, { token: SLASH_TOKEN });
    const res = await post(bots, signed(body, { secret: 'wrong-secret' }));
    expect(res.status).toBe(401);
    // Without Slack headers, the same token is accepted (Mattermost on the same route).
    expect((await post(bots, { path: '/slash', headers: { 'content-type': FORM }, body })).status).toBe(200);
    expect(engine.calls).toHaveLength(1);
  });

  it('a slow answer is acknowledged at once and delivered in full to response_url', async () => {
    const { bots, rec, responseUrl, engine } = await setup({ SLACK_SIGNING_SECRET: SIGNING_SECRET, BOT_REPLY_TIMEOUT_MS: '150', PUBLIC_URL: 'https://plancite.example' }, fakeEngine({ delayMs: 900 }));
    const res = await post(bots, signed(slashForm('Ai báo cáo kết quả thực hiện Nghị quyết 42?', 'C9', responseUrl)));
    expect(res.status).toBe(200);
    // The acknowledgement came while the answer was still being made: nothing was pushed yet.
    expect(await res.json()).toEqual({ response_type: 'ephemeral', text: '⏳ Đang tra cứu… / Looking it up…' });
    expect(rec.received).toEqual([]);
    const delivered = await takePushed(rec);
    expect(delivered.method).toBe('POST');
    expect(delivered.path).toBe('/hooks/response');
    expect(delivered.headers['content-type']).toContain('application/json');
    const body = delivered.json as { response_type: string; text: string };
    expect(body.response_type).toBe('in_channel');
    expect(body.text).toContain(CITATIONS.politburo.quote);
    expect(body.text).toContain('<https://plancite.example/documents/ctrhd-chinh-phu-nq42#III.3.d|[68/NQ-CP §III.3.d]>');
    expect(engine.calls).toHaveLength(1);
  });

  it('without a response_url a slow answer is awaited and returned in-channel', async () => {
    const { bots, rec } = await setup({ BOT_SLASH_TOKEN: SLASH_TOKEN, BOT_REPLY_TIMEOUT_MS: '100' }, fakeEngine({ delayMs: 400 }));
    const body = new URLSearchParams({ token: SLASH_TOKEN, channel_id: 'C1', user_id: 'U1', text: 'Ai báo cáo?' }).toString();
    const res = await post(bots, { path: '/slash', headers: { 'content-type': FORM }, body });
    expect(await res.json()).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining('[19-KH/TW §V.3]') });
    expect(rec.received).toEqual([]);
  });

  it("answers Slack's ssl_check with an empty 200 and asks nothing", async () => {
    const { bots, engine } = await setup({ SLACK_SIGNING_SECRET: SIGNING_SECRET });
    const res = await post(bots, signed('ssl_check=1&token=legacy'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(engine.calls).toEqual([]);
  });

  it('accepts the Mattermost token in the Authorization header; help is ephemeral', async () => {
    const { bots, engine } = await setup({ BOT_SLASH_TOKEN: SLASH_TOKEN });
    const body = new URLSearchParams({ channel_id: 'C1', user_id: 'U1', text: 'help' }).toString();
    const res = await post(bots, { path: '/slash', headers: { 'content-type': FORM, authorization: `Token ${SLASH_TOKEN}` }, body });
    const json = (await res.json()) as { response_type: string; text: string };
    expect(json.response_type).toBe('ephemeral');
    expect(json.text).toContain('Plancite');
    expect(engine.calls).toEqual([]);
  });

  it('escapes &, < and > for Slack mrkdwn', async () => {
    const engine = fakeEngine({ answer: (q) => ({ ...reportingAnswer(q), answer: 'Hạn < 15/12 & > 01/12 [1]' }) });
    const { bots, responseUrl } = await setup({ SLACK_SIGNING_SECRET: SIGNING_SECRET }, engine);
    const text = await inlineText(await post(bots, signed(slashForm('Khi nào?', 'C1', responseUrl))));
    expect(text.startsWith('Hạn &lt; 15/12 &amp; &gt; 01/12 [68/NQ-CP §III.3.d]')).toBe(true);
  });
});
