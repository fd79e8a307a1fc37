// Swapping the embedding model is configuration only: a second model of another dimension, placed in MODELS_DIR.
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/answer/engine.ts';
import { loadConfig } from '../../src/config.ts';
import { trainStaticModel } from '../../src/embed/index.ts';
import { runIngest } from '../../src/ingest/pipeline.ts';
import { readManifest } from '../../src/store/index-store.ts';

let root: string;
const MODEL = 'acme/e5-mini';

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'plancite-switch-'));
  const texts = readdirSync('corpus').filter((f) => f.endsWith('.txt')).map((f) => readFileSync(path.join('corpus', f), 'utf8'));
  // Stands in for a real model copied into MODELS_DIR (e.g. Xenova/multilingual-e5-small): same layout, other dimension.
  await trainStaticModel({ texts, outDir: path.join(root, 'models', MODEL), dim: 48, modelId: MODEL });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('embedder switch', () => {
  it('builds and serves an index with a model from MODELS_DIR, recording its id, dimension and e5 prefixes', async () => {
    const env = { CORPUS_DIR: 'corpus', INDEX_DIR: path.join(root, 'index'), MODELS_DIR: path.join(root, 'models'), EMBED_MODEL: MODEL };
    const cfg = loadConfig(env);
    await runIngest(cfg);
    const m = await readManifest(cfg.indexDir);
    expect(m!.embedder).toEqual({ id: MODEL, dim: 48, queryPrefix: 'query: ', passagePrefix: 'passage: ' });
    const engine = await openEngine(cfg.indexDir, cfg);
    expect(engine.info().dim).toBe(48);
    const ps = await engine.searchPassages('bao cao ket qua thuc hien nghi quyet 42', 5);
    expect(ps).toHaveLength(5);
    const r = await engine.ask('Which unit reports Resolution 42 results, and by when?');
    expect(r.citations.some((c) => c.section === 'III.3.d')).toBe(true);
  });

  it('refuses that index when the configured model is another one, saying what to run', async () => {
    const cfg = loadConfig({ CORPUS_DIR: 'corpus', INDEX_DIR: path.join(root, 'index') });
    await expect(openEngine(cfg.indexDir, cfg)).rejects.toThrow(/built with embedder "acme\/e5-mini" but EMBED_MODEL is "plancite-static".*ingest/);
  });
});
