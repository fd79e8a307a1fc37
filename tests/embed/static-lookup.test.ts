// The static model's lookup path (tokenizer + embedding table rows) gives the pipeline's vectors exactly.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder, trainStaticModel, type Embedder } from '../../src/embed/index.ts';

let dir: string;
let viaPipeline: Embedder;
let viaLookup: Embedder;
let texts: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'plancite-lookup-'));
  const corpus = await Promise.all((await readdir('corpus')).filter((f) => f.endsWith('.txt')).map((f) => readFile(path.join('corpus', f), 'utf8')));
  await trainStaticModel({ texts: corpus, outDir: path.join(dir, 'm'), dim: 48 });
  viaPipeline = await createEmbedder({ modelsDir: dir, modelId: 'm', staticLookup: false });
  viaLookup = await createEmbedder({ modelsDir: dir, modelId: 'm' });
  // Paragraphs of real documents (short and long), plus edge cases: unknown words only, NFD input, empty.
  texts = corpus.flatMap((t) => t.split(/\n+/).filter((p) => p.trim()).slice(0, 40));
  texts.push('zzqx wyyk', 'Bảo hiểm xã hội'.normalize('NFD'), '', 'KẾ HOẠCH Thực hiện Nghị quyết số 42-NQ/TW', corpus[0]!.slice(0, 6000));
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('static model lookup path', () => {
  it('gives the same document vectors as the Transformers.js pipeline, bit for bit', async () => {
    const a = await viaPipeline.embedDocuments(texts);
    const b = await viaLookup.embedDocuments(texts);
    expect(b).toHaveLength(texts.length);
    expect(b).toEqual(a);
    expect(b.filter((v) => v.some((x) => x !== 0)).length).toBeGreaterThanOrEqual(texts.length - 3);
  });

  it('gives the same query vectors and dimension', async () => {
    expect(viaLookup.dim).toBe(viaPipeline.dim);
    for (const q of ['bao cao ket qua', 'Ai chủ trì báo cáo?', 'unknownword']) expect(await viaLookup.embedQuery(q)).toEqual(await viaPipeline.embedQuery(q));
  });
});
