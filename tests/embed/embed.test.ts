// Trains static models from the real corpus, loads them through Transformers.js and checks the embedder contract.
import { cp, mkdtemp, readFile, readdir, rename, rm, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { AutoTokenizer, env } from '@xenova/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenize } from '../../src/text/normalize.ts';
import { corpusPairs, createEmbedder, embedStatic, toLangChainEmbeddings, trainStaticModel, type Embedder, type TrainingPair } from '../../src/embed/index.ts';
import { parseOutline } from '../../src/ingest/outline.ts';
import { extractMetadata } from '../../src/ingest/metadata.ts';
import { chunkDocument } from '../../src/ingest/chunk.ts';
import { embedderContract, cosine, type ContractCase } from './contract.ts';

const CORPUS = path.resolve('corpus');
/** Glossary entries as the ingest passes them; `query`/`passage` make e5-style prefixes visible to a static model. */
const ALIASES = [
  { term: 'insurance', target: 'bảo hiểm' },
  { term: 'social insurance', target: 'bảo hiểm xã hội' },
  { term: 'unemployment insurance', target: 'bảo hiểm thất nghiệp' },
  { term: 'query', target: 'yêu cầu' },
  { term: 'passage', target: 'văn bản' },
];

let tmp = '';
let texts: string[] = [];
let insurancePassage = '';
let unrelatedPassage = '';
const models: Record<string, { dim: number; vocabSize: number; embedder?: Embedder }> = {
  'static-64': { dim: 64, vocabSize: 0 },
  'static-48': { dim: 48, vocabSize: 0 },
};

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'plancite-embed-'));
  const files = (await readdir(CORPUS)).filter((f) => f.endsWith('.txt')).sort();
  texts = await Promise.all(files.map((f) => readFile(path.join(CORPUS, f), 'utf8')));
  const lines = texts.flatMap((t) => t.split('\n')).map((l) => l.trim());
  // Real passages picked by content, not by position, so corpus edits do not silently change the test's meaning.
  // The insurance passage must not contain the unaccented syllables themselves ("bao phủ"), or the
  // unaccented-query test would pass without the folded forms.
  insurancePassage = lines.find(
    (l) => l.includes('bảo hiểm xã hội') && l.length < 300 && !tokenize(l).some((t) => ['bao', 'hiem', 'xa', 'hoi'].includes(t)),
  )!;
  unrelatedPassage = lines.find(
    (l) => l.includes('công nghiệp hóa') && l.length > 80 && !/bảo|báo|bao|hiểm|xã hội/i.test(l),
  )!;
  expect(insurancePassage).toBeTruthy();
  expect(unrelatedPassage).toBeTruthy();
  for (const [id, m] of Object.entries(models)) {
    const r = await trainStaticModel({ texts, outDir: path.join(tmp, 'models', id), dim: m.dim, modelId: id, aliases: ALIASES });
    m.vocabSize = r.vocabSize;
    m.embedder = await createEmbedder({ modelsDir: path.join(tmp, 'models'), modelId: id, batchSize: 2 });
  }
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

for (const [id, m] of Object.entries(models)) {
  describe(`embedder contract: ${id}`, () => {
    embedderContract((): ContractCase => ({ embedder: m.embedder!, expectedDim: m.dim, insurancePassage, unrelatedPassage }));
  });
}

describe('trainStaticModel', () => {
  it('writes a Transformers.js model folder and its metadata', async () => {
    const dir = path.join(tmp, 'models', 'static-64');
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'onnx', 'plancite-model.json', 'tokenizer.json', 'tokenizer_config.json']);
    const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model_type: 'bert', hidden_size: 64, vocab_size: models['static-64']!.vocabSize });
    const meta = JSON.parse(await readFile(path.join(dir, 'plancite-model.json'), 'utf8'));
    expect(meta).toMatchObject({ modelId: 'static-64', dim: 64, vocabSize: models['static-64']!.vocabSize, kind: 'static-ppmi-svd' });
    expect(Number.isNaN(Date.parse(meta.trainedAt))).toBe(false);
    const onnxBytes = await readFile(path.join(dir, 'onnx', 'model.onnx'));
    expect(onnxBytes.length).toBeGreaterThan(meta.vocabSize * 64 * 4); // the float32 table is inside
  });

  it('is deterministic: the same corpus gives byte-identical model files', async () => {
    const again = path.join(tmp, 'again', 'static-48');
    await trainStaticModel({ texts, outDir: again, dim: 48, modelId: 'static-48', aliases: ALIASES });
    for (const f of ['onnx/model.onnx', 'tokenizer.json', 'config.json']) {
      const a = await readFile(path.join(tmp, 'models', 'static-48', f));
      const b = await readFile(path.join(again, f));
      expect(a.equals(b), f).toBe(true);
    }
  });

  it('tokenizes Vietnamese without losing accents: NFD, upper case and old tone placement map to the same ids', async () => {
    env.localModelPath = path.join(tmp, 'models') + path.sep;
    env.allowRemoteModels = false;
    const tok = await AutoTokenizer.from_pretrained('static-64');
    const ids = (s: string): number[] => Array.from(tok.encode(s) as number[]);
    const canonical = ids('hóa học ủy ban bảo hiểm');
    expect(canonical).not.toContain(1); // [UNK]
    expect(canonical[0]).toBe(2); // [CLS]
    expect(canonical.at(-1)).toBe(3); // [SEP]
    expect(ids('HOÁ học UỶ BAN Bảo Hiểm')).toEqual(canonical);
    expect(ids('hóa học ủy ban bảo hiểm'.normalize('NFD'))).toEqual(canonical);
    // Accents are kept, not stripped: three readings, three different ids.
    expect(new Set([ids('bảo')[1], ids('báo')[1], ids('bao')[1]]).size).toBe(3);
  });

  it('gives unaccented forms and alias words their own vectors, and unknown syllables none', async () => {
    const e = models['static-64']!.embedder!;
    const [accented, folded, english, withUnknown] = await Promise.all([
      e.embedQuery('thất nghiệp'),
      e.embedQuery('that nghiep'),
      e.embedQuery('unemployment'),
      e.embedQuery('thất nghiệp xyzzy'),
    ]);
    expect(cosine(accented, folded)).toBeGreaterThan(0.8);
    expect(cosine(english, await e.embedQuery('bảo hiểm thất nghiệp'))).toBeGreaterThan(0.99);
    // [UNK] has a zero vector: an unknown word does not move the mean.
    for (let i = 0; i < accented.length; i++) expect(withUnknown[i]).toBeCloseTo(accented[i]!, 6);
    expect((await e.embedQuery('xyzzy')).every((x) => x === 0)).toBe(true);
  });

  it('fine-tunes on the corpus’s own pairs: the loss falls, the files stay deterministic, held-out headings find their passages more often', async () => {
    // Real chunks of the five plans (outline → metadata → chunks, as the ingest makes them).
    const files = (await readdir(CORPUS)).filter((f) => f.endsWith('.txt')).sort();
    const chunks = files.flatMap((f, i) => {
      const text = texts[i]!;
      const sections = parseOutline(text);
      return chunkDocument(extractMetadata({ id: f, file: `corpus/${f}`, text, sections }), text, sections);
    });
    const pairs = corpusPairs(chunks);
    expect(pairs.length).toBeGreaterThan(100);
    expect(pairs.every((p) => p.query.trim() && p.passage.trim() && p.group)).toBe(true);
    // A chunk that opens with its own heading is paired with the rest of its text, not with itself.
    expect(pairs.filter((p) => p.passage.startsWith(p.query)).length).toBe(0);
    const heldOut = pairs.filter((_, i) => i % 5 === 0);
    const train = pairs.filter((_, i) => i % 5 !== 0);
    const plain = await trainStaticModel({ texts, outDir: path.join(tmp, 'ft', 'plain'), dim: 64, aliases: ALIASES });
    const tuned = await trainStaticModel({ texts, outDir: path.join(tmp, 'ft', 'tuned'), dim: 64, aliases: ALIASES, pairs: train, sif: true });
    const meta = JSON.parse(await readFile(path.join(tmp, 'ft', 'tuned', 'plancite-model.json'), 'utf8'));
    expect(meta.kind).toBe('static-ppmi-svd-contrastive');
    expect(meta.fineTune.lastLoss).toBeLessThan(meta.fineTune.firstLoss * 0.7);
    const top1 = (m: typeof plain, ps: TrainingPair[]): number => {
      const q = embedStatic(m, ps.map((p) => p.query));
      const d = embedStatic(m, ps.map((p) => p.passage));
      let hits = 0;
      for (let i = 0; i < ps.length; i++) {
        let best = -1;
        let bestScore = -Infinity;
        for (let j = 0; j < ps.length; j++) {
          let s = 0;
          for (let k = 0; k < m.dim; k++) s += q[i * m.dim + k]! * d[j * m.dim + k]!;
          if (s > bestScore) [best, bestScore] = [j, s];
        }
        if (best === i) hits++;
      }
      return hits / ps.length;
    };
    const [before, after] = [top1(plain, heldOut), top1(tuned, heldOut)];
    expect(after, `held-out top-1: ${before.toFixed(2)} → ${after.toFixed(2)}`).toBeGreaterThan(before + 0.05);
    const again = await trainStaticModel({ texts, outDir: path.join(tmp, 'ft', 'again'), dim: 64, aliases: ALIASES, pairs: train, sif: true });
    expect(Buffer.from(again.table.buffer).equals(Buffer.from(tuned.table.buffer))).toBe(true);
  });

  it('embedStatic computes in process what Transformers.js computes from the written folder', async () => {
    const dir = path.join(tmp, 'ft');
    const m = await trainStaticModel({ texts, outDir: path.join(dir, 'inproc'), dim: 48, aliases: ALIASES });
    const e = await createEmbedder({ modelsDir: dir, modelId: 'inproc' });
    const sample = [insurancePassage, unrelatedPassage, 'HOÁ học UỶ BAN', 'social insurance', 'xyzzy', ''];
    const mine = embedStatic(m, sample);
    const theirs = await e.embedDocuments(sample);
    theirs.forEach((v, i) => v.forEach((x, k) => expect(mine[i * 48 + k]).toBeCloseTo(x, 5)));
  });

  it('rejects bad options with a message naming the value', async () => {
    await expect(trainStaticModel({ texts, outDir: path.join(tmp, 'bad'), dim: 0 })).rejects.toThrow(/dim must be a positive integer, got 0/);
    await expect(trainStaticModel({ texts: ['… — !!'], outDir: path.join(tmp, 'bad'), dim: 8 })).rejects.toThrow(/no syllable/);
  });
});

describe('createEmbedder', () => {
  it('applies query:/passage: prefixes for e5 model ids unless overridden', async () => {
    const modelsDir = path.join(tmp, 'models');
    await cp(path.join(modelsDir, 'static-64'), path.join(modelsDir, 'test', 'e5-mini'), { recursive: true });
    const text = 'bảo hiểm xã hội tự nguyện';

    const e5 = await createEmbedder({ modelsDir, modelId: 'test/e5-mini' });
    expect(e5.id).toBe('test/e5-mini');
    const [q, p] = [await e5.embedQuery(text), (await e5.embedDocuments([text]))[0]!];
    expect(cosine(q, p)).toBeLessThan(0.999);

    const bare = await createEmbedder({ modelsDir, modelId: 'test/e5-mini', queryPrefix: '', passagePrefix: '' });
    expect(await bare.embedQuery(text)).toEqual((await bare.embedDocuments([text]))[0]);

    // The same weights under a non-e5 id: no prefixes by default.
    const st = await createEmbedder({ modelsDir, modelId: 'static-64' });
    expect(await st.embedQuery(text)).toEqual((await st.embedDocuments([text]))[0]);
    expect(await st.embedQuery(text)).toEqual(await bare.embedQuery(text));
  });

  it('uses onnx/model_quantized.onnx when it is the only weights file', async () => {
    const modelsDir = path.join(tmp, 'models');
    const dir = path.join(modelsDir, 'quant-only');
    await cp(path.join(modelsDir, 'static-48'), dir, { recursive: true });
    await rename(path.join(dir, 'onnx', 'model.onnx'), path.join(dir, 'onnx', 'model_quantized.onnx'));
    const q = await createEmbedder({ modelsDir, modelId: 'quant-only' });
    expect(await q.embedQuery('bảo hiểm')).toEqual(await static48().embedQuery('bảo hiểm'));
  });

  it('loads embedders concurrently from different folders without mixing them up', async () => {
    // Same id in two folders with different dims: a race on the process-wide Transformers.js env would show.
    const a = path.join(tmp, 'concurrent-a');
    const b = path.join(tmp, 'concurrent-b');
    await cp(path.join(tmp, 'models', 'static-64'), path.join(a, 'm'), { recursive: true });
    await cp(path.join(tmp, 'models', 'static-48'), path.join(b, 'm'), { recursive: true });
    const [ea, eb] = await Promise.all([createEmbedder({ modelsDir: a, modelId: 'm' }), createEmbedder({ modelsDir: b, modelId: 'm' })]);
    expect([ea.dim, eb.dim]).toEqual([64, 48]);
  });

  it('names the missing folder and says how to get a model', async () => {
    const p = createEmbedder({ modelsDir: path.join(tmp, 'models'), modelId: 'no-such-model' });
    await expect(p).rejects.toThrow(path.join(tmp, 'models', 'no-such-model'));
    await expect(p).rejects.toThrow(/npm run cli -- ingest.*MODELS_DIR/);
  });

  it('explains a model folder without weights', async () => {
    const dir = path.join(tmp, 'models', 'no-weights');
    await mkdir(dir, { recursive: true });
    await expect(createEmbedder({ modelsDir: path.join(tmp, 'models'), modelId: 'no-weights' })).rejects.toThrow(/neither onnx\/model\.onnx nor onnx\/model_quantized\.onnx/);
  });

  it('refuses a model id that escapes the models folder', async () => {
    await expect(createEmbedder({ modelsDir: path.join(tmp, 'models'), modelId: '../static-64' })).rejects.toThrow(/must be a folder name inside MODELS_DIR/);
  });

  it('works as LangChain Embeddings in the HNSWLib vector store', async () => {
    const lc = toLangChainEmbeddings(static48());
    const passages = [unrelatedPassage, insurancePassage, 'Phụ lục I. Danh mục nhiệm vụ'];
    const store = await HNSWLib.fromTexts(passages, passages.map((_, i) => ({ i })), lc);
    const [top] = await store.similaritySearch('social insurance', 1);
    expect(top?.pageContent).toBe(insurancePassage);
  });
});

/** The 48-dimension model trained in beforeAll. */
function static48(): Embedder {
  return models['static-48']!.embedder!;
}
