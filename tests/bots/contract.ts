// The shared contract every bot adapter must pass, run over real HTTP against the mounted /bots routes.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/doc/types.ts';
import { CITATIONS, errorOf, fakeEngine, startBots, startRecorder, type Recorder, type RunningBots } from './helpers.ts';

export interface DriverRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface RequestOptions {
  conversation: string;
  /** `good`: valid credentials; `bad`: a wrong token/signature; `none`: no credentials at all. */
  auth: 'good' | 'bad' | 'none';
  /** Where the platform expects late replies (Slack response_url); the recorder's URL. */
  responseUrl: string;
}

/** How the contract talks to one platform. */
export interface BotDriver {
  name: string;
  /** Environment enabling the platform; `apiBase` is the recorder standing in for the platform's API. */
  env(apiBase: string): Record<string, string>;
  request(text: string, o: RequestOptions): DriverRequest;
  /** Authenticated requests whose payload is malformed. */
  malformed(o: { responseUrl: string }): DriverRequest[];
  /** The reply's platform text: read from the HTTP response (inline platforms) or taken (removed) from what reached the recorder. */
  reply(res: Response, rec: Recorder): Promise<string>;
  /** How a linked citation tag appears in the reply. */
  linkedTag(tag: string, url: string): string;
}

export const PUBLIC_URL = 'https://plancite.example.gov.vn';

export async function post(bots: RunningBots, r: DriverRequest): Promise<Response> {
  return fetch(bots.url + '/bots' + r.path, { method: 'POST', headers: r.headers, body: r.body });
}

/** Registers the shared contract suite for one adapter. */
export function runBotContract(driver: BotDriver): void {
  describe(`bot contract: ${driver.name}`, () => {
    const open: Array<{ close(): Promise<void> }> = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((o) => o.close()));
    });

    async function setup(engine: Engine, extraEnv: Record<string, string> = {}, enabled = true) {
      const rec = await startRecorder();
      open.push(rec);
      const env = enabled ? { ...driver.env(rec.url), ...extraEnv } : extraEnv;
      const bots = await startBots(env, engine);
      open.push(bots);
      const opts = (conversation: string, auth: RequestOptions['auth'] = 'good'): RequestOptions => ({ conversation, auth, responseUrl: `${rec.url}/response-url` });
      return { rec, bots, opts };
    }

    it('answers with the engine answer and linked citation tags', async () => {
      const engine = fakeEngine();
      const { rec, bots, opts } = await setup(engine, { PUBLIC_URL });
      const question = 'Ai báo cáo kết quả thực hiện Nghị quyết 42 và khi nào?';
      const res = await post(bots, driver.request(question, opts('c-answer')));
      expect(res.status).toBe(200);
      const text = await driver.reply(res, rec);
      expect(engine.calls.map((c) => c.question)).toEqual([question]);
      expect(text).toContain(CITATIONS.government.quote);
      expect(text).toContain(driver.linkedTag('[68/NQ-CP §III.3.d]', `${PUBLIC_URL}/documents/ctrhd-chinh-phu-nq42#III.3.d`));
      // No number: the tag falls back to the document title.
      expect(text).toContain(driver.linkedTag('[Kế hoạch của Sở LĐTBXH Bắc Ninh §IV.3]', `${PUBLIC_URL}/documents/kh-bac-ninh-sldtbxh-nq42#IV.3`));
      expect(text).toContain(driver.linkedTag('[19-KH/TW §V.3]', `${PUBLIC_URL}/documents/kh-bo-chinh-tri-nq42#V.3`));
      expect(text).not.toMatch(/\[[123]\]/);
    });

    it('without PUBLIC_URL, citation tags are plain', async () => {
      const { rec, bots, opts } = await setup(fakeEngine());
      const text = await driver.reply(await post(bots, driver.request('Ai báo cáo?', opts('c-plain'))), rec);
      expect(text).toContain('[68/NQ-CP §III.3.d]');
      expect(text).not.toContain('/documents/');
    });

    for (const auth of ['bad', 'none'] as const) {
      it(`refuses ${auth === 'bad' ? 'a wrong' : 'a missing'} token or signature with 401: nothing asked, nothing sent`, async () => {
        const engine = fakeEngine();
        const { rec, bots, opts } = await setup(engine);
        const res = await post(bots, driver.request('Ai báo cáo?', opts('c-auth', auth)));
        expect(res.status).toBe(401);
        expect((await errorOf(res)).code).toBe('unauthorized');
        await new Promise((r) => setTimeout(r, 100));
        expect(engine.calls).toEqual([]);
        expect(rec.received).toEqual([]);
      });
    }

    it('rejects malformed payloads with 400: nothing asked, nothing sent', async () => {
      const engine = fakeEngine();
      const { rec, bots } = await setup(engine);
      const cases = driver.malformed({ responseUrl: `${rec.url}/response-url` });
      expect(cases.length).toBeGreaterThan(0);
      for (const r of cases) {
        const res = await post(bots, r);
        expect(res.status, r.body).toBe(400);
        const err = await errorOf(res);
        expect(err.code).toBe('bad_input');
        expect(err.message.length).toBeGreaterThan(10);
      }
      expect(engine.calls).toEqual([]);
      expect(rec.received).toEqual([]);
    });

    it('answers 404 not_found when the platform is not configured', async () => {
      const engine = fakeEngine();
      const { rec, bots, opts } = await setup(engine, {}, false);
      const res = await post(bots, driver.request('Ai báo cáo?', opts('c-off')));
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('not_found');
      expect(engine.calls).toEqual([]);
      expect(rec.received).toEqual([]);
    });

    it('/help gets the usage text without asking the engine', async () => {
      const engine = fakeEngine();
      const { rec, bots, opts } = await setup(engine);
      const text = await driver.reply(await post(bots, driver.request('/help', opts('c-help'))), rec);
      expect(text).toContain('Plancite trả lời câu hỏi');
      expect(text).toContain('Ví dụ');
      expect(engine.calls).toEqual([]);
    });

    it('follow-ups carry the conversation history; other conversations start afresh', async () => {
      const engine = fakeEngine();
      const { rec, bots, opts } = await setup(engine);
      await driver.reply(await post(bots, driver.request('Ai báo cáo kết quả thực hiện Nghị quyết 42?', opts('c-hist'))), rec);
      await driver.reply(await post(bots, driver.request('Còn Bắc Ninh thì sao?', opts('c-hist'))), rec);
      await driver.reply(await post(bots, driver.request('Ai báo cáo?', opts('c-other'))), rec);
      expect(engine.calls[0]!.history).toEqual([]);
      const h = engine.calls[1]!.history!;
      expect(h.map((t) => t.role)).toEqual(['user', 'assistant']);
      expect(h[0]!.content).toBe('Ai báo cáo kết quả thực hiện Nghị quyết 42?');
      expect(h[1]!.content).toContain(CITATIONS.government.quote);
      expect(engine.calls[2]!.history).toEqual([]);
    });

    it('an engine failure becomes a polite message without internals', async () => {
      const engine = fakeEngine({ fail: new Error('index missing at /srv/secret/index') });
      const { rec, bots, opts } = await setup(engine);
      const text = await driver.reply(await post(bots, driver.request('Ai báo cáo?', opts('c-fail'))), rec);
      expect(text).toContain('Sorry, the assistant cannot answer right now');
      expect(text).not.toContain('/srv/secret');
    });

    it('refuses a body over 64 KiB with 413', async () => {
      const engine = fakeEngine();
      const { rec, bots, opts } = await setup(engine);
      const r = driver.request('x'.repeat(70 * 1024), opts('c-big'));
      const res = await post(bots, r);
      expect(res.status).toBe(413);
      expect((await errorOf(res)).code).toBe('payload_too_large');
      expect(engine.calls).toEqual([]);
      expect(rec.received).toEqual([]);
    });
  });
}
