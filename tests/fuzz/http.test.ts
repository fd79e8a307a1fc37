// Property-based fuzzing of the HTTP API over loopback on a real index: random JSON bodies, shapes close to valid
// requests, random query strings and paths. Whatever arrives, the answer is never a 5xx.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { ingest, removeDir } from '../server/real-index.ts';
import { checkAsync, FUZZ_TIMEOUT_MS, RUNS } from './generators.ts';

let indexDir: string;
let server: RunningServer;

beforeAll(async () => {
  indexDir = await ingest();
  server = await startServer({ indexDir, port: 0, env: { RATE_LIMIT_PER_MIN: '0' }, quiet: true, log: () => {} });
}, 300_000);
afterAll(async () => {
  await server?.close();
  removeDir(indexDir);
});

const PROTO = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', '__defineGetter__'];
const word = fc.oneof(fc.constantFrom(...PROTO, 'NQ 42', 'báo cáo', 'Sở Tài chính', 'Phụ lục II', 'trước ngày', 'Điều 35', 'which unit', '68/NQ-CP'), fc.string({ maxLength: 12, unit: 'grapheme' }));
const text = fc.array(word, { minLength: 0, maxLength: 12 }).map((ws) => ws.join(' '));
const turn = fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 'x'), content: fc.oneof(text, fc.jsonValue()) }, { requiredKeys: [] });

/** Bodies near the valid shape (the ones that reach the engine) and anything JSON at all. */
const askBody = fc.oneof(
  fc.record({ question: text }),
  fc.record({ question: fc.oneof(text, fc.jsonValue()), history: fc.oneof(fc.array(turn, { maxLength: 4 }), fc.jsonValue()), mode: fc.oneof(fc.constantFrom('extractive', 'llm'), fc.jsonValue()) }, { requiredKeys: [] }),
  fc.dictionary(fc.oneof(fc.constantFrom(...PROTO), fc.string({ maxLength: 8 })), fc.jsonValue(), { maxKeys: 4 }),
  fc.jsonValue(),
);
const searchBody = fc.oneof(fc.record({ query: text, k: fc.oneof(fc.integer({ min: -5, max: 120 }), fc.jsonValue()) }, { requiredKeys: ['query'] }), fc.jsonValue());
const chatBody = fc.oneof(
  fc.record({ model: fc.constantFrom('plancite', 'plancite-extractive', 'constructor', '__proto__', 'x'), messages: fc.array(turn, { minLength: 0, maxLength: 4 }), stream: fc.oneof(fc.boolean(), fc.jsonValue()) }, { requiredKeys: ['model', 'messages'] }),
  fc.jsonValue(),
);

const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO, 'doc', 'docId', 'unit', 'kind', 'dueBefore', 'due-before', 'format', 'include'), fc.string({ maxLength: 8 })), fc.oneof(text, fc.constantFrom('2024-02-30', '2024-02-29', 'csv', 'ics', 'json', 'report', 'text'))), { maxLength: 4 })
  .map((pairs) => new URLSearchParams(pairs).toString());
const segment = fc.oneof(fc.constantFrom('ctrhd-chinh-phu-nq42', 'kh-bac-ninh-sldtbxh-nq42', 'III.3.d', 'Phụ lục II', ...PROTO, '..', '%', '%2F', '%E0%A4%A'), fc.string({ maxLength: 10, unit: 'grapheme' }).map(encodeURIComponent));

type Req = { method: 'GET' | 'POST'; path: string; body?: string; type?: string };

const request: fc.Arbitrary<Req> = fc.oneof(
  // Well-formed questions made of awkward words: these reach the engine.
  { weight: 4, arbitrary: fc.array(word, { minLength: 1, maxLength: 10 }).map((ws): Req => ({ method: 'POST', path: '/api/ask', body: JSON.stringify({ question: ws.join(' ') }) })) },
  { weight: 2, arbitrary: fc.array(word, { minLength: 1, maxLength: 10 }).map((ws): Req => ({ method: 'POST', path: '/api/search', body: JSON.stringify({ query: ws.join(' '), k: 5 }) })) },
  { weight: 1, arbitrary: fc.tuple(fc.array(word, { minLength: 1, maxLength: 8 }), fc.boolean()).map(([ws, stream]): Req => ({ method: 'POST', path: '/v1/chat/completions', body: JSON.stringify({ model: 'plancite', stream, messages: [{ role: 'user', content: ws.join(' ') }] }) })) },
  askBody.map((b): Req => ({ method: 'POST', path: '/api/ask', body: JSON.stringify(b) })),
  searchBody.map((b): Req => ({ method: 'POST', path: '/api/search', body: JSON.stringify(b) })),
  chatBody.map((b): Req => ({ method: 'POST', path: '/v1/chat/completions', body: JSON.stringify(b) })),
  fc.tuple(fc.constantFrom('/api/ask', '/api/search', '/v1/chat/completions'), fc.string({ maxLength: 60 }), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', '')).map(([p, body, type]): Req => ({ method: 'POST', path: p, body, type })),
  queryString.map((q): Req => ({ method: 'GET', path: `/api/obligations?${q}` })),
  fc.tuple(segment, queryString).map(([id, q]): Req => ({ method: 'GET', path: `/api/documents/${id}?${q}` })),
  fc.tuple(segment, segment, segment).map(([id, a, b]): Req => ({ method: 'GET', path: `/api/documents/${id}/sections/${a}/${b}` })),
  fc.tuple(segment, queryString).map(([id, q]): Req => ({ method: 'GET', path: `/documents/${id}?${q}` })),
  queryString.map((q): Req => ({ method: 'GET', path: `/api/documents?${q}` })),
);

describe('fuzz: HTTP API', () => {
  it('random bodies, query strings and paths never get a 5xx', async () => {
    let answeredByEngine = 0;
    await checkAsync(
      'HTTP API',
      request,
      async (r) => {
        const res = await fetch(`${server.url}${r.path}`, {
          method: r.method,
          headers: r.body !== undefined ? { 'content-type': r.type ?? 'application/json' } : {},
          body: r.body,
        });
        const body = await res.text();
        expect(res.status, `${r.method} ${r.path} ${r.body?.slice(0, 300) ?? ''} → ${body.slice(0, 300)}`).toBeLessThan(500);
        if (res.status === 200 && r.method === 'POST') answeredByEngine++;
      },
      Math.max(RUNS, 120),
    );
    process.stdout.write(`fuzz: HTTP API: ${answeredByEngine} requests answered by the engine (200)\n`);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, FUZZ_TIMEOUT_MS);
});
