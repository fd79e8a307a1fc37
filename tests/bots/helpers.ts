// Test fixtures for the bot routes: a real HTTP server for the app, recording stand-ins for platform APIs, fake engines from corpus text.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createBotRoutes, loadBotConfig } from '../../src/bots/index.ts';
import type { AskOptions, AskResult, Citation, Engine } from '../../src/doc/types.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../corpus');

/** A verbatim passage of a corpus file; throws when the file does not contain it, so fixtures cannot drift from the corpus. */
export function corpusQuote(file: string, quote: string): string {
  const text = readFileSync(path.join(CORPUS, file), 'utf8');
  if (!text.includes(quote)) throw new Error(`fixture quote not found in corpus/${file}: ${quote.slice(0, 60)}…`);
  return quote;
}

/** Citations built from real corpus passages. */
export const CITATIONS = {
  government: {
    n: 1,
    docId: 'ctrhd-chinh-phu-nq42',
    docNumber: '68/NQ-CP',
    docTitle: 'Chương trình hành động của Chính phủ thực hiện Nghị quyết 42-NQ/TW',
    section: 'III.3.d',
    quote: corpusQuote('ctrhd-chinh-phu-nq42.txt', 'định kỳ hàng năm, tổng hợp, đánh giá tình hình thực hiện, gửi Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12 để tổng hợp, báo cáo Chính phủ'),
    file: 'corpus/ctrhd-chinh-phu-nq42.txt',
  },
  bacNinh: {
    n: 2,
    docId: 'kh-bac-ninh-sldtbxh-nq42',
    // The plan's number is blank in the text (`Số: /KH-SLĐTBXH`): tags fall back to the title.
    docNumber: null,
    docTitle: 'Kế hoạch của Sở LĐTBXH Bắc Ninh',
    section: 'IV.3',
    quote: corpusQuote('kh-bac-ninh-sldtbxh-nq42.txt', 'Giao Văn phòng Sở thường xuyên theo dõi, kiểm tra, đôn đốc các phòng,  đơn vị triển khai thực hiện Kế hoạch này và tổng hợp báo cáo theo quy định'),
    file: 'corpus/kh-bac-ninh-sldtbxh-nq42.txt',
  },
  politburo: {
    n: 3,
    docId: 'kh-bo-chinh-tri-nq42',
    docNumber: '19-KH/TW',
    docTitle: 'Kế hoạch của Bộ Chính trị thực hiện Nghị quyết 42-NQ/TW',
    section: 'V.3',
    quote: corpusQuote('kh-bo-chinh-tri-nq42.txt', 'Ban Kinh tế Trung ương chủ trì, phối hợp với Ban cán sự đảng Chính phủ và các cơ quan, tổ chức có liên quan thường xuyên theo dõi, hướng dẫn, đôn đốc việc tổ chức thực hiện Kế hoạch, định kỳ sơ kết, tổng kết, báo cáo Bộ Chính trị, Ban Bí thư'),
    file: 'corpus/kh-bo-chinh-tri-nq42.txt',
  },
} satisfies Record<string, Citation>;

/** An extractive-style answer: each sentence quotes the corpus and is followed by its `[n]` marker. */
export function reportingAnswer(question: string): AskResult {
  const { government: g, bacNinh: b, politburo: p } = CITATIONS;
  return {
    question,
    language: 'vi',
    refused: false,
    mode: 'extractive',
    answer: [
      `Theo Chương trình hành động của Chính phủ (${g.docNumber}), mục ${g.section}: “${g.quote}.” [1]`,
      `Theo Kế hoạch của Sở LĐTBXH Bắc Ninh, mục ${b.section}: “${b.quote}.” [2]`,
      `Theo Kế hoạch ${p.docNumber}, mục ${p.section}: “${p.quote}.” [3]`,
    ].join('\n'),
    citations: [g, b, p],
    passages: [g, b, p].map((c, i) => ({ docId: c.docId, docNumber: c.docNumber, section: c.section, text: c.quote, score: 1 - i / 10 })),
  };
}

/** An answer far over every platform limit: the three cited sentences repeated. */
export function longAnswer(question: string): AskResult {
  const base = reportingAnswer(question);
  return { ...base, answer: Array.from({ length: 30 }, () => base.answer).join('\n') };
}

export interface FakeEngineCall {
  question: string;
  history: AskOptions['history'];
}

export interface FakeEngine extends Engine {
  calls: FakeEngineCall[];
}

/** Only `ask` is used by the bot routes; the rest of the Engine surface refuses loudly if anything reaches it. */
export function fakeEngine(opts: { delayMs?: number; fail?: Error; answer?: (q: string) => AskResult } = {}): FakeEngine {
  const calls: FakeEngineCall[] = [];
  const unused = (name: string) => () => {
    throw new Error(`fake engine: ${name}() is not used by the bot routes`);
  };
  return {
    calls,
    async ask(question, o) {
      calls.push({ question, history: o?.history });
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (opts.fail) throw opts.fail;
      return (opts.answer ?? reportingAnswer)(question);
    },
    search: unused('search'),
    documents: unused('documents'),
    document: unused('document'),
    section: unused('section'),
    obligations: unused('obligations'),
    info: unused('info'),
  };
}

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export interface Recorder {
  url: string;
  received: Recorded[];
  /** Resolves with the n-th (1-based) recorded request, or rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<Recorded>;
  /** Scripted answer for every request (default 200 `{"ok":true,"result":{}}`). */
  respond: (r: Recorded) => { status: number; body: unknown };
  close(): Promise<void>;
}

/** A local node:http server standing in for a platform API (Telegram/Zalo sendMessage, Slack response_url). */
export async function startRecorder(): Promise<Recorder> {
  const received: Recorded[] = [];
  const waiters: Array<() => void> = [];
  const rec: Recorder = {
    url: '',
    received,
    respond: () => ({ status: 200, body: { ok: true, result: { message_id: 1 } } }),
    waitFor(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const r = received[n - 1];
          if (r) {
            clearTimeout(timer);
            resolve(r);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => reject(new Error(`recorder: request #${n} not received within ${timeoutMs} ms (got ${received.length})`)), timeoutMs);
        if (!check()) waiters.push(() => void check());
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const r: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
      received.push(r);
      const out = rec.respond(r);
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.body));
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  rec.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return rec;
}

export interface RunningBots {
  url: string;
  close(): Promise<void>;
}

/** Starts a minimal app with the bot routes mounted at /bots on an ephemeral loopback port. */
export async function startBots(env: Record<string, string>, engine: Engine, now?: () => number): Promise<RunningBots> {
  const app = new Hono();
  app.route('/bots', createBotRoutes({ engine: () => engine, config: loadBotConfig(env), now }));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'no such route' } }, 404));
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/** Reads an error response and checks the `{ error: { code, message } }` shape. */
export async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
  if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') throw new Error(`not an error body: ${JSON.stringify(body)}`);
  return { code: body.error.code, message: body.error.message };
}

/** Takes the oldest request the recorder received (waiting for it), removing it from `received`. */
export async function takePushed(rec: Recorder): Promise<Recorded> {
  const r = await rec.waitFor(1);
  rec.received.shift();
  return r;
}
