// LLM mode through the real engine: a scripted OpenAI-compatible server on loopback; verified citations or fallback.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type LoadedEngine } from '../../src/answer/engine.ts';
import { loadConfig } from '../../src/config.ts';
import { runIngest } from '../../src/ingest/pipeline.ts';
import { startScriptedServer, tokenise, type ScriptedServer } from '../llm/scripted-server.ts';

const Q = 'Đơn vị nào báo cáo kết quả thực hiện Nghị quyết 42 và thời hạn khi nào?';
let dir: string;
let engine: LoadedEngine;
let server: ScriptedServer;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'plancite-llm-'));
  server = await startScriptedServer();
  const cfg = loadConfig({ CORPUS_DIR: 'corpus', INDEX_DIR: dir, LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'scripted-model', LLM_TIMEOUT_MS: '3000' });
  await runIngest(cfg);
  engine = await openEngine(dir, cfg);
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ask in LLM mode', () => {
  it('keeps the model\'s verified citations, streams tokens, and sends the numbered sources', async () => {
    const sources = await engine.searchPassages(Q, 10);
    const quote = sources[0]!.text.split('\n').find((l) => l.trim().length > 40)!.trim().slice(0, 80);
    server.enqueue({ kind: 'reply', chunks: tokenise(`Theo nguồn [1], việc báo cáo được giao như trích dẫn.\n\nTRÍCH DẪN:\n[1] "${quote}"`) });
    const tokens: string[] = [];
    const r = await engine.ask(Q, { mode: 'llm', onToken: (t) => tokens.push(t) });
    expect(r.mode).toBe('llm');
    expect(r.flagged).toBe(false);
    expect(r.citations).toHaveLength(1);
    expect(r.citations[0]).toMatchObject({ docId: sources[0]!.docId, section: sources[0]!.section, quote });
    expect(engine.section(r.citations[0]!.docId, r.citations[0]!.section)!.text).toContain(quote);
    expect(tokens.length).toBeGreaterThan(1);
    const sent = server.requests.at(-1)!.body.messages!.map((m) => m.content).join('\n');
    expect(sent).toContain(Q);
    expect(sent).toContain('[1]');
  });

  it('falls back to the extractive answer when every citation is invented', async () => {
    server.enqueue({ kind: 'reply', chunks: ['Bộ Y tế báo cáo trước ngày 1/1 [1].\n\nTRÍCH DẪN:\n[1] "Bộ Y tế báo cáo trước ngày 1 tháng 1 hằng năm"'] });
    const r = await engine.ask(Q, { mode: 'llm' });
    expect(r.mode).toBe('extractive');
    expect(r.citations.some((c) => c.section === 'III.3.d')).toBe(true);
  });

  it('falls back to the extractive answer when the server fails', async () => {
    server.enqueue({ kind: 'status', status: 500, body: { error: { message: 'boom' } } });
    const r = await engine.ask(Q, { mode: 'llm' });
    expect(r.mode).toBe('extractive');
    expect(r.refused).toBe(false);
    expect(r.answer).not.toMatch(/boom/);
  });
});
