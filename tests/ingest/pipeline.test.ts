// The ingest pipeline end to end on real files: build, incremental update, bad input, refusal of mismatched indexes.
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { runIngest } from '../../src/ingest/pipeline.ts';
import { openLocalSnapshot as loadIndex, readManifest } from '../../src/store/index-store.ts';

let root: string;
let corpus: string;
let indexDir: string;
const cfgFor = (extra: Record<string, string> = {}) => loadConfig({ CORPUS_DIR: corpus, INDEX_DIR: indexDir, EMBED_DIM: '64', ...extra });

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'plancite-ingest-'));
  corpus = path.join(root, 'corpus');
  indexDir = path.join(root, 'index');
  await mkdir(corpus);
  for (const f of ['ctrhd-chinh-phu-nq42.txt', 'kh-bo-chinh-tri-nq42.txt', 'kh-bac-ninh-sldtbxh-nq42.txt']) await cp(path.join('corpus', f), path.join(corpus, f));
  await writeFile(path.join(corpus, 'empty.txt'), '   \n');
  await writeFile(path.join(corpus, 'binary.txt'), Buffer.from([0, 1, 2, 3, 0, 255, 0, 7, 0, 0, 12]));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ingest', () => {
  it('indexes the good files, names each bad file with its reason, and writes a manifest', async () => {
    const logs: string[] = [];
    const r = await runIngest(cfgFor(), (m) => logs.push(m));
    expect(r.indexed).toHaveLength(3);
    expect(r.failed.map((f) => path.basename(f.file)).sort()).toEqual(['binary.txt', 'empty.txt']);
    expect(logs.some((l) => /binary\.txt: SKIPPED/.test(l))).toBe(true);
    const m = await readManifest(indexDir);
    expect(m!.counts.documents).toBe(3);
    expect(m!.embedder.dim).toBe(64);
    const idx = await loadIndex(indexDir);
    expect(idx.documents.chunkCount()).toBeGreaterThan(20);
    expect(existsSync(path.join(idx.dir, 'models', 'plancite-static', 'onnx', 'model.onnx'))).toBe(true);
  });

  it('re-ingest re-processes only changed files; a new document can reveal another one\'s number', async () => {
    await cp(path.join('corpus', 'qd-1240-bldtbxh-nq11.txt'), path.join(corpus, 'qd-1240.txt'));
    const r = await runIngest(cfgFor());
    expect(r.reused).toHaveLength(3);
    expect(r.indexed).toEqual([expect.stringContaining('qd-1240.txt')]);
    const idx = await loadIndex(indexDir);
    expect(idx.documents.get('ctrhd-chinh-phu-nq42')!.meta.number).toBe('68/NQ-CP');
  });

  it('a <file>.meta.json sidecar overrides extracted fields and triggers re-processing of that file', async () => {
    await writeFile(path.join(corpus, 'kh-bac-ninh-sldtbxh-nq42.txt.meta.json'), JSON.stringify({ number: '999/KH-SLĐTBXH', signer: 'Người Ký Thử' }));
    const r = await runIngest(cfgFor());
    expect(r.indexed).toEqual([expect.stringContaining('kh-bac-ninh')]);
    const idx = await loadIndex(indexDir);
    const meta = idx.documents.get('kh-bac-ninh-sldtbxh-nq42')!.meta;
    expect(meta.number).toBe('999/KH-SLĐTBXH');
    expect(meta.signer).toBe('Người Ký Thử');
    await writeFile(path.join(corpus, 'bad.txt.meta.json'), '{}');
    await writeFile(path.join(corpus, 'kh-bac-ninh-sldtbxh-nq42.txt.meta.json'), JSON.stringify({ numbr: 'x' }));
    const r2 = await runIngest(cfgFor());
    expect(r2.failed.find((f) => f.file.includes('kh-bac-ninh'))?.reason).toMatch(/unknown or read-only field "numbr"/);
    await rm(path.join(corpus, 'kh-bac-ninh-sldtbxh-nq42.txt.meta.json'));
    await rm(path.join(corpus, 'bad.txt.meta.json'));
  });

  it('a crash mid-build leaves the previous index usable', async () => {
    const before = await readManifest(indexDir);
    await mkdir(path.join(indexDir, '.build-crashed.tmp'));
    await writeFile(path.join(indexDir, '.build-crashed.tmp', 'chunks.bin'), '[');
    const idx = await loadIndex(indexDir);
    expect(idx.manifest.dataDir).toBe(before!.dataDir);
  });

  it('refuses an index built with another embedder, and says to re-ingest', async () => {
    await expect(loadIndex(indexDir, { embedderId: 'Xenova/multilingual-e5-small' })).rejects.toThrow(/built with embedder "plancite-static".*ingest/);
  });

  it('a corrupt or missing index gives a one-line message saying to run ingest', async () => {
    await expect(loadIndex(path.join(root, 'nowhere'))).rejects.toThrow(/no index .* run `npm run cli -- ingest`/);
    const m = JSON.parse(await readFile(path.join(indexDir, 'manifest.json'), 'utf8'));
    await rm(path.join(indexDir, m.dataDir, 'chunks.bin'));
    await expect(loadIndex(indexDir)).rejects.toThrow(/corrupt or incomplete.*ingest/);
  });

  it('never trusts a damaged previous build: ingest re-parses every file and writes a good build', async () => {
    const r0 = await runIngest(cfgFor(), () => {}, { tty: null });
    expect(r0.indexed.length).toBeGreaterThan(0);
    const m = JSON.parse(await readFile(path.join(indexDir, 'manifest.json'), 'utf8'));
    // Valid JSON of the wrong shape where the documents are: the parses in it must not be reused.
    await writeFile(path.join(indexDir, m.dataDir, 'docs.json'), JSON.stringify({ metas: [{ nope: 1 }], hashes: [] }));
    const r = await runIngest(cfgFor(), () => {}, { tty: null });
    expect(r.reused).toEqual([]);
    expect(r.indexed.length).toBe(r0.indexed.length + r0.reused.length);
    const idx = await loadIndex(indexDir);
    expect(idx.documents.metas().length).toBe(r.indexed.length);
  });

  it('exits with an error only when nothing could be indexed', async () => {
    const bad = path.join(root, 'bad');
    await mkdir(bad);
    await writeFile(path.join(bad, 'empty.txt'), '');
    await expect(runIngest(loadConfig({ CORPUS_DIR: bad, INDEX_DIR: path.join(root, 'bad-index') }))).rejects.toThrow(/nothing could be indexed/);
  });
});

describe('incremental ingest', () => {
  it('changing, adding or deleting one file re-processes only that file; unchanged chunks keep vectors and graph points', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'plancite-incr-'));
    const corpus2 = path.join(base, 'corpus');
    const index2 = path.join(base, 'index');
    await mkdir(corpus2);
    for (const f of ['ctrhd-chinh-phu-nq42.txt', 'kh-bo-chinh-tri-nq42.txt', 'kh-bac-ninh-sldtbxh-nq42.txt', 'qd-1240-bldtbxh-nq11.txt', 'ctr-568-bcsd-nq29.txt']) await cp(path.join('corpus', f), path.join(corpus2, f));
    const cfg = loadConfig({ CORPUS_DIR: corpus2, INDEX_DIR: index2, EMBED_DIM: '64' });
    const opts = { tty: null, staticRetrainFraction: 0.25 };
    try {
      await runIngest(cfg, () => {}, opts);
      const first = await loadIndex(index2);
      const firstVectors = await first.readVectors();

      // Change one file: only it is parsed again; the model, the other documents' vectors and records are kept.
      const changed = path.join(corpus2, 'kh-bac-ninh-sldtbxh-nq42.txt');
      const added = '\nRà soát bổ sung chuyển đổi số hồ sơ bảo hiểm thất nghiệp tại cấp xã.';
      const old = await readFile(changed, 'utf8');
      const at = old.indexOf('\n', Math.floor(old.length * 0.4));
      await writeFile(changed, old.slice(0, at) + added + old.slice(at));
      const logs: string[] = [];
      const r = await runIngest(cfg, (m) => logs.push(m), opts);
      expect(r.indexed).toEqual([expect.stringContaining('kh-bac-ninh')]);
      expect(r.reused).toHaveLength(4);
      expect(logs.join('\n')).toMatch(/static embedding model kept/);
      expect(logs.join('\n')).toMatch(/unchanged chunks keep their vectors/);
      expect(logs.join('\n')).toMatch(/vector graph updated: \d+ added/);
      expect(logs.join('\n')).toMatch(/records of 4 unchanged documents kept/);
      const second = await loadIndex(index2);
      const secondVectors = await second.readVectors();
      const dim = second.info.embedder.dim;
      // Every chunk of an unchanged document has the same vector and is found first by its own vector.
      for (const m of second.documents.metas().filter((x) => x.id !== 'kh-bac-ninh-sldtbxh-nq42')) {
        for (const c of second.documents.chunksOf(m.id).slice(0, 5)) {
          const o1 = first.documents.chunksOf(m.id).findIndex((x) => x.indexText === c.indexText);
          expect(o1).toBeGreaterThanOrEqual(0);
          const i1 = first.documents.chunksOf(m.id)[o1]!;
          const ord1 = first.documents.ordinalOf(i1.id);
          const ord2 = second.documents.ordinalOf(c.id);
          expect(Array.from(secondVectors.subarray(ord2 * dim, (ord2 + 1) * dim))).toEqual(Array.from(firstVectors.subarray(ord1 * dim, (ord1 + 1) * dim)));
          const hits = await second.vectors.search(secondVectors.subarray(ord2 * dim, (ord2 + 1) * dim), 3);
          expect(hits[0]!.score).toBeCloseTo(1, 4);
        }
      }
      // The new text is searchable by keyword and by vector.
      const newChunk = second.documents.chunksOf('kh-bac-ninh-sldtbxh-nq42').find((c) => c.text.includes('Rà soát bổ sung chuyển đổi số'))!;
      expect(newChunk).toBeDefined();
      const ord = second.documents.ordinalOf(newChunk.id);
      expect((await second.vectors.search(secondVectors.subarray(ord * dim, (ord + 1) * dim), 3)).map((h) => h.id)).toContain(newChunk.id);

      // Delete a file: its chunks leave both indexes.
      await rm(path.join(corpus2, 'ctr-568-bcsd-nq29.txt'));
      const r3 = await runIngest(cfg, () => {}, opts);
      expect(r3.indexed).toEqual([]);
      const third = await loadIndex(index2);
      expect(third.documents.get('ctr-568-bcsd-nq29')).toBeNull();
      const gone = second.documents.chunksOf('ctr-568-bcsd-nq29');
      for (const c of gone.slice(0, 5)) {
        const o = second.documents.ordinalOf(c.id);
        const hits = await third.vectors.search(secondVectors.subarray(o * dim, (o + 1) * dim), 10);
        expect(hits.every((h) => !h.id.startsWith('ctr-568-bcsd-nq29#'))).toBe(true);
        expect(hits.every((h) => third.documents.chunk(h.id) !== null)).toBe(true);
      }
      expect(third.register.obligations().some((o) => o.docId === 'ctr-568-bcsd-nq29')).toBe(false);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  }, 180_000);
});
