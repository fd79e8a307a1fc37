// Mattermost outgoing webhooks: shared contract plus trigger-word stripping and form-encoded requests.
import { afterEach, describe, expect, it } from 'vitest';
import { post, runBotContract, type BotDriver, type RequestOptions } from './contract.ts';
import { fakeEngine, startBots, startRecorder } from './helpers.ts';

const TOKEN = 'mm-outgoing-6tqr5k3pjb8zd';

function payload(text: string, conversation: string, auth: RequestOptions['auth'], trigger = 'plancite'): Record<string, string> {
  return {
    ...(auth === 'good' ? { token: TOKEN } : auth === 'bad' ? { token: 'mm-wrong-token' } : {}),
    team_id: 'tm1',
    team_domain: 'molisa',
    channel_id: conversation,
    channel_name: 'ke-hoach',
    timestamp: '1750000000000',
    user_id: 'u-lan',
    user_name: 'lan',
    post_id: 'p-123',
    text: `${trigger} ${text}`,
    trigger_word: trigger,
    file_ids: '',
  };
}

const driver: BotDriver = {
  name: 'mattermost outgoing',
  env: () => ({ MATTERMOST_OUTGOING_TOKEN: TOKEN }),
  request: (text, o) => ({ path: '/outgoing', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload(text, o.conversation, o.auth)) }),
  malformed: () => {
    const base = payload('Ai báo cáo?', 'c1', 'good');
    const without = (k: string) => JSON.stringify(Object.fromEntries(Object.entries(base).filter(([key]) => key !== k)));
    return [
      { path: '/outgoing', headers: { 'content-type': 'application/json' }, body: without('channel_id') },
      { path: '/outgoing', headers: { 'content-type': 'application/json' }, body: without('user_id') },
      { path: '/outgoing', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...base, text: 42 }) },
    ];
  },
  async reply(res) {
    const body = (await res.json()) as { text: string; response_type: string };
    expect(res.status).toBe(200);
    expect(body.response_type).toBe('comment');
    return body.text;
  },
  linkedTag: (tag, url) => `[[${tag.slice(1, -1)}](${url})]`,
};

runBotContract(driver);

describe('mattermost outgoing', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });
  async function setup() {
    const engine = fakeEngine();
    const rec = await startRecorder();
    const bots = await startBots({ MATTERMOST_OUTGOING_TOKEN: TOKEN }, engine);
    open.push(rec, bots);
    return { bots, engine, rec };
  }

  it('strips the trigger word and the punctuation after it', async () => {
    const { bots, engine } = await setup();
    for (const text of ['plancite Ai báo cáo?', 'Plancite: Ai báo cáo?', 'plancite, Ai báo cáo?']) {
      const res = await post(bots, { path: '/outgoing', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...payload('', 'c1', 'good'), text }) });
      expect(res.status).toBe(200);
    }
    expect(engine.calls.map((c) => c.question)).toEqual(['Ai báo cáo?', 'Ai báo cáo?', 'Ai báo cáo?']);
  });

  it('accepts the form-encoded variant of the hook', async () => {
    const { bots, engine } = await setup();
    const body = new URLSearchParams(payload('Kế hoạch 19 giao ai theo dõi?', 'c2', 'good')).toString();
    const res = await post(bots, { path: '/outgoing', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(((await res.json()) as { text: string }).text).toContain('[19-KH/TW §V.3]');
    expect(engine.calls.map((c) => c.question)).toEqual(['Kế hoạch 19 giao ai theo dõi?']);
  });

  it('a body that is not JSON or a form carries no token: 401', async () => {
    const { bots, engine } = await setup();
    const res = await post(bots, { path: '/outgoing', headers: { 'content-type': 'text/plain' }, body: `token=${TOKEN}&text=q` });
    expect(res.status).toBe(401);
    expect(engine.calls).toEqual([]);
  });
});
