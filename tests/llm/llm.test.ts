// LLM mode end to end against a scripted OpenAI-compatible server on loopback, with real corpus text as sources.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerWithLlm, LlmError, type LlmConfig, type LlmSource } from '../../src/answer/llm.ts';
import { startScriptedServer, tokenise, type ScriptedServer } from './scripted-server.ts';

/** The full line of a corpus file that starts with `prefix` (the text of one lettered point or item). */
function corpusLine(file: string, prefix: string): string {
  const line = readFileSync(new URL(`../../corpus/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`${file}: no line starts with ${prefix}`);
  return line.trim();
}

const GOV = 'ctrhd-chinh-phu-nq42.txt';
const POLITBURO = 'kh-bo-chinh-tri-nq42.txt';
const sources: LlmSource[] = [
  { n: 1, docId: 'ctrhd-chinh-phu-nq42', docNumber: '68/NQ-CP', docTitle: 'Chương trình hành động của Chính phủ thực hiện Nghị quyết 42-NQ/TW', section: 'III.3.d', file: `corpus/${GOV}`, text: corpusLine(GOV, 'd) Thường xuyên theo dõi') },
  { n: 2, docId: 'ctrhd-chinh-phu-nq42', docNumber: '68/NQ-CP', docTitle: 'Chương trình hành động của Chính phủ thực hiện Nghị quyết 42-NQ/TW', section: 'III.3.c', file: `corpus/${GOV}`, text: corpusLine(GOV, 'c) Trong quá trình tổ chức thực hiện') },
  { n: 3, docId: 'kh-bo-chinh-tri-nq42', docNumber: '19-KH/TW', docTitle: 'Kế hoạch thực hiện Nghị quyết 42-NQ/TW', section: 'V.3', file: `corpus/${POLITBURO}`, text: corpusLine(POLITBURO, '3. Ban Kinh tế Trung ương') },
];
/** Limit for tests whose failure mode is hanging (the project default is 120 s). */
const FAST_FAIL_MS = 5000;
const QUESTION = 'Đơn vị nào nhận báo cáo kết quả thực hiện Nghị quyết 42 và hạn khi nào?';

let server: ScriptedServer;
let config: LlmConfig;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  config = { baseUrl: server.baseUrl, model: 'scripted-model', timeoutMs: 5000 };
});

function expectVerbatim(result: { citations: Array<{ n: number; section: string; quote: string }> }) {
  for (const c of result.citations) {
    const src = sources.find((s) => s.section === c.section)!;
    expect(src.text.includes(c.quote), `quote of [${c.n}] is a verbatim substring of ${c.section}`).toBe(true);
  }
}

describe('answerWithLlm against a scripted OpenAI-compatible server', () => {
  it('keeps valid citations with verbatim quotes and streams the answer body in order', async () => {
    const body =
      'Các bộ, ngành, địa phương định kỳ hằng năm gửi kết quả thực hiện về Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12 [1]. ' +
      'Đề xuất điều chỉnh trong quá trình thực hiện cũng gửi Bộ này để tổng hợp, báo cáo Chính phủ [2].';
    // The [2] quote uses a hyphen and straight quotes where the source has an en dash: it must come back as the source wrote it.
    const reply = `${body}\n\nTRÍCH DẪN:\n[1] "định kỳ hàng năm, tổng hợp, đánh giá tình hình thực hiện, gửi Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12"\n[2] "gửi Bộ Lao động - Thương binh và Xã hội để tổng hợp, báo cáo Chính phủ."\n`;
    server.enqueue({ kind: 'reply', chunks: tokenise(reply) });
    const tokens: string[] = [];
    const r = await answerWithLlm({ question: QUESTION, language: 'vi', sources, config, onToken: (t) => tokens.push(t) });
    expect(r).not.toBeNull();
    expect(r!.flagged).toBe(false);
    expect(r!.dropped).toEqual([]);
    expect(r!.answer).toBe(body);
    expect(r!.citations.map((c) => [c.n, c.docNumber, c.section, c.file])).toEqual([
      [1, '68/NQ-CP', 'III.3.d', `corpus/${GOV}`],
      [2, '68/NQ-CP', 'III.3.c', `corpus/${GOV}`],
    ]);
    expect(r!.citations[0]!.quote).toBe('định kỳ hàng năm, tổng hợp, đánh giá tình hình thực hiện, gửi Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12');
    expect(r!.citations[1]!.quote).toBe('gửi Bộ Lao động – Thương binh và Xã hội để tổng hợp, báo cáo Chính phủ');
    expectVerbatim(r!);
    // Streamed: many calls, in order, and the quote block is never shown.
    expect(tokens.length).toBeGreaterThan(10);
    expect(tokens.join('').trim()).toBe(body);
    expect(tokens.join('')).not.toContain('TRÍCH DẪN');
  });

  it('quotes the best-matching source sentence when a cited source has no quote', async () => {
    const reply = 'Ban Kinh tế Trung ương chủ trì theo dõi, đôn đốc việc thực hiện Kế hoạch và báo cáo Bộ Chính trị, Ban Bí thư [3].';
    server.enqueue({ kind: 'reply', chunks: tokenise(reply) });
    const r = await answerWithLlm({ question: 'Ai theo dõi việc thực hiện Kế hoạch 19-KH/TW?', language: 'vi', sources, config });
    expect(r!.flagged).toBe(false);
    expect(r!.answer).toBe(reply.replace('[3]', '[1]'));
    expect(r!.citations).toHaveLength(1);
    expect(r!.citations[0]!.section).toBe('V.3');
    expect(r!.citations[0]!.quote).toContain('Ban Kinh tế Trung ương chủ trì');
    expectVerbatim(r!);
    // Same claim with the marker after the full stop, as many models write it.
    server.enqueue({ kind: 'reply', chunks: tokenise(reply.replace(' [3].', '. [3]')) });
    const r2 = await answerWithLlm({ question: 'Ai theo dõi việc thực hiện Kế hoạch 19-KH/TW?', language: 'vi', sources, config });
    expect(r2!.citations.map((c) => c.quote)).toEqual(r!.citations.map((c) => c.quote));
  });

  it('drops a citation to a source it was not given, flags the answer and renumbers the rest', async () => {
    const reply =
      'Các địa phương báo cáo Bộ Tài chính [7]. Báo cáo hằng năm gửi Bộ Lao động – Thương binh và Xã hội trước ngày 15 tháng 12 [1].\n\n' +
      'TRÍCH DẪN:\n[7] "gửi Bộ Tài chính"\n[1] "gửi Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12"';
    server.enqueue({ kind: 'reply', chunks: tokenise(reply) });
    const r = await answerWithLlm({ question: QUESTION, language: 'vi', sources, config });
    expect(r!.flagged).toBe(true);
    expect(r!.dropped).toEqual([{ n: 7, reason: 'source [7] was not given' }]);
    expect(r!.answer).toBe('Các địa phương báo cáo Bộ Tài chính. Báo cáo hằng năm gửi Bộ Lao động – Thương binh và Xã hội trước ngày 15 tháng 12 [1].');
    expect(r!.citations).toHaveLength(1);
    expect(r!.citations[0]!.section).toBe('III.3.d');
    expectVerbatim(r!);
  });

  it('drops a citation whose quote is not in the cited source and renumbers the survivor', async () => {
    const reply =
      'Hạn gửi báo cáo là ngày 30 tháng 6 [1]. Nội dung điều chỉnh gửi Bộ Lao động – Thương binh và Xã hội [2].\n\n' +
      'TRÍCH DẪN:\n[1] "gửi Bộ Lao động - Thương binh và Xã hội trước ngày 30 tháng 6"\n[2] "kịp thời đề xuất các nội dung điều chỉnh cho phù hợp với tình hình thực tiễn"';
    server.enqueue({ kind: 'reply', chunks: tokenise(reply) });
    const r = await answerWithLlm({ question: QUESTION, language: 'vi', sources, config });
    expect(r!.flagged).toBe(true);
    expect(r!.dropped).toEqual([{ n: 1, reason: 'quote not found in source [1]' }]);
    expect(r!.answer).toBe('Hạn gửi báo cáo là ngày 30 tháng 6. Nội dung điều chỉnh gửi Bộ Lao động – Thương binh và Xã hội [1].');
    expect(r!.citations.map((c) => [c.n, c.section])).toEqual([[1, 'III.3.c']]);
    expectVerbatim(r!);
  });

  it('returns null when no citation survives', async () => {
    const reply =
      'Bộ Tài chính nhận báo cáo trước ngày 30 tháng 6 [1] [5].\n\nSOURCES:\n[1] "gửi Bộ Tài chính trước ngày 30 tháng 6"\n[5] "báo cáo Bộ Tài chính"';
    server.enqueue({ kind: 'reply', chunks: tokenise(reply) });
    const r = await answerWithLlm({ question: QUESTION, language: 'vi', sources, config });
    expect(r).toBeNull();
  });

  it('returns null for a reply that cites nothing', async () => {
    server.enqueue({ kind: 'reply', chunks: tokenise('Các nguồn không nêu thông tin này.') });
    expect(await answerWithLlm({ question: QUESTION, language: 'vi', sources, config })).toBeNull();
  });

  it('throws LlmError timeout quickly when the server never answers', async () => {
    server.enqueue({ kind: 'hang' });
    const t0 = Date.now();
    const err = await answerWithLlm({ question: QUESTION, language: 'vi', sources, config: { ...config, timeoutMs: 300 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).code).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(server.requests).toHaveLength(1); // no retries
  }, FAST_FAIL_MS);

  it('throws LlmError timeout when the stream stalls after the first tokens', async () => {
    server.enqueue({ kind: 'stall', chunks: ['Bộ Lao động ', '- Thương binh'] });
    const tokens: string[] = [];
    const t0 = Date.now();
    const err = await answerWithLlm({ question: QUESTION, language: 'vi', sources, config: { ...config, timeoutMs: 300 }, onToken: (t) => tokens.push(t) }).catch((e: unknown) => e);
    expect((err as LlmError).code).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(tokens.join('')).toBe('Bộ Lao động - Thương binh');
  }, FAST_FAIL_MS);

  it('throws LlmError upstream on HTTP 500, without retrying and without the key in the message', async () => {
    server.enqueue({ kind: 'status', status: 500 });
    const err = await answerWithLlm({ question: QUESTION, language: 'vi', sources, config: { ...config, apiKey: 'sk-secret-500' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).code).toBe('upstream');
    expect((err as LlmError).status).toBe(500);
    expect((err as LlmError).message).toContain('500');
    expect((err as LlmError).message).not.toContain('sk-secret-500');
    expect(server.requests).toHaveLength(1);
  });

  it('throws LlmError unavailable when nothing listens on the port', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await answerWithLlm({ question: QUESTION, language: 'vi', sources, config: { ...config, baseUrl: `http://127.0.0.1:${port}/v1` } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).code).toBe('unavailable');
  });

  it('sends the system prompt, the numbered sources, the history and the question, with the configured key', async () => {
    server.enqueue({ kind: 'reply', chunks: ['Không có thông tin.'] });
    const history = [
      { role: 'user' as const, content: 'Which unit reports Resolution 42 results?' },
      { role: 'assistant' as const, content: 'MOLISA compiles the reports [1] [2].' },
    ];
    await answerWithLlm({ question: 'And by when?', language: 'en', sources, history, config: { ...config, apiKey: 'sk-test-123', temperature: 0.2 } });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.url).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test-123');
    expect(req.body.model).toBe('scripted-model');
    expect(req.body.stream).toBe(true);
    expect(req.body.temperature).toBe(0.2);
    const [system, user] = req.body.messages!;
    expect(system!.role).toBe('system');
    expect(system!.content).toBe(readFileSync(new URL('../../prompts/system.en.md', import.meta.url), 'utf8').trim());
    expect(user!.role).toBe('user');
    expect(user!.content).toContain(`[1] 68/NQ-CP §III.3.d — ${sources[0]!.text}`);
    expect(user!.content).toContain(`[2] 68/NQ-CP §III.3.c — ${sources[1]!.text}`);
    expect(user!.content).toContain(`[3] 19-KH/TW §V.3 — ${sources[2]!.text}`);
    expect(user!.content).toContain('Question: And by when?');
    expect(user!.content).toContain('User: Which unit reports Resolution 42 results?');
    // Old turns' markers referred to other sources and must not leak into this turn's numbering.
    expect(user!.content).toContain('Assistant: MOLISA compiles the reports.');
  });

  it('never sends OPENAI_API_KEY from the environment to a server configured without a key', async () => {
    const saved = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-real-openai-secret';
    try {
      server.enqueue({ kind: 'reply', chunks: ['Không có thông tin.'] });
      await answerWithLlm({ question: QUESTION, language: 'vi', sources, config });
      const req = server.requests[0]!;
      expect(req.headers.authorization).toBe('Bearer not-needed');
      expect(req.body.messages![0]!.content).toBe(readFileSync(new URL('../../prompts/system.vi.md', import.meta.url), 'utf8').trim());
      expect(req.body.messages![1]!.content).toContain(`Câu hỏi: ${QUESTION}`);
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });

  it('stops when the caller aborts', async () => {
    server.enqueue({ kind: 'hang' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('user left')), 50);
    const err = await answerWithLlm({ question: QUESTION, language: 'vi', sources, config, signal: ac.signal }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('user left');
  }, FAST_FAIL_MS);
});

describe('the scripted server itself', () => {
  it('answers like an OpenAI server in both modes (checked with the official openai client)', async () => {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ baseURL: server.baseUrl, apiKey: 'k', maxRetries: 0 });
    server.enqueue({ kind: 'reply', chunks: ['Xin ', 'chào'] }, { kind: 'reply', chunks: ['Xin ', 'chào'] });
    const plain = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(plain.choices[0]!.message.content).toBe('Xin chào');
    let streamed = '';
    for await (const ch of await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] })) {
      streamed += ch.choices[0]?.delta.content ?? '';
    }
    expect(streamed).toBe('Xin chào');
  });
});
