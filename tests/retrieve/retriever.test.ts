// Hybrid retrieval over a real index (the five plans + two laws from tests/fixtures): channels, confidence, collisions.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type LoadedEngine } from '../../src/answer/engine.ts';
import { loadConfig } from '../../src/config.ts';
import { runIngest } from '../../src/ingest/pipeline.ts';

let dir: string;
let engine: LoadedEngine;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'plancite-retrieve-'));
  const corpus = path.join(dir, 'corpus');
  await cp('corpus', corpus, { recursive: true });
  for (const f of ['Bo-Luat-lao-dong-2019-333670.txt', 'Luat-viec-lam-nam-2013-215628.txt']) await cp(path.join('tests/fixtures/laws', f), path.join(corpus, f));
  expect((await readdir(corpus)).length).toBe(7);
  const cfg = loadConfig({ CORPUS_DIR: corpus, INDEX_DIR: path.join(dir, 'index') });
  await runIngest(cfg);
  engine = await openEngine(path.join(dir, 'index'), cfg);
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const search = (q: string, channels: 'bm25' | 'dense' | 'hybrid' = 'hybrid') => engine.retriever.search(engine.analyze(q), 10, { channels });
const ids = (r: { hits: Array<{ chunk: { id: string } }> }) => r.hits.map((h) => h.chunk.id);

describe('retriever', () => {
  it('each channel alone ranks differently; the fused ranking draws on both', async () => {
    const q = 'Thời gian thử việc tối đa đối với công việc cần trình độ cao đẳng là bao nhiêu ngày?';
    const [bm, dense, hybrid] = await Promise.all([search(q, 'bm25'), search(q, 'dense'), search(q)]);
    expect(ids(bm)).not.toEqual(ids(dense));
    const h = ids(hybrid).slice(0, 10);
    expect(h.some((id) => ids(bm).includes(id))).toBe(true);
    expect(h.some((id) => ids(dense).includes(id))).toBe(true);
    // The probation article of the Labour Code is found by every channel.
    for (const r of [bm, dense, hybrid]) expect(r.hits.slice(0, 5).some((x) => /thử việc/.test(x.chunk.text) && x.chunk.docId.startsWith('Bo-Luat-lao-dong'))).toBe(true);
  });

  it('confidence is high when one passage holds the question, low when only a few of its words occur', async () => {
    const held = await search('Thời gian thử việc không quá 60 ngày đối với công việc có chức danh nghề nghiệp cần trình độ cao đẳng');
    const absent = await search('Mức phạt tiền đối với người điều khiển xe máy có nồng độ cồn trong máu là bao nhiêu?');
    expect(held.confidence).toBeGreaterThan(0.8);
    expect(absent.confidence).toBeLessThan(0.5);
    expect(absent.hits.length).toBeGreaterThan(0); // the closest passages are still returned
    for (const r of [held, absent]) expect(r.hits.slice(0, 5).every((h) => h.coverage! >= 0 && h.coverage! <= 1)).toBe(true);
  });

  it('a metadata question about a document with a blank number finds the passage of another that identifies it', async () => {
    const plan = engine.documents().find((m) => m.issuer === 'Bộ Chính trị' && m.numberInferred);
    expect(plan).toBeDefined();
    const r = await search('Kế hoạch của Bộ Chính trị có số hiệu là gì?');
    const top = r.hits.slice(0, 5);
    expect(top.some((h) => h.chunk.docId === plan!.id)).toBe(true);
    expect(top.some((h) => h.chunk.docId === plan!.numberInferred!.fromDocId && h.chunk.text.includes(plan!.numberInferred!.evidence))).toBe(true);
  });

  it('a loose number collides only with documents of its own family', async () => {
    const r = await search('Ai báo cáo kết quả thực hiện Nghị quyết 42?');
    for (const c of r.collisions) for (const o of c.others) expect(o).not.toMatch(/\/QH\d+$/);
    expect(r.collisions.flatMap((c) => [c.chosen, ...c.others])).toContain('42-NQ/TW');
  });
});
