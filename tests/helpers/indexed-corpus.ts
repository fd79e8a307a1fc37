// A small corpus indexed in a temp folder for one test file: fixture laws and/or synthetic texts, ingested
// with the real pipeline and opened as an engine before the tests, removed after them.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openEngine, type LoadedEngine } from '../../src/answer/engine.ts';
import { loadConfig } from '../../src/config.ts';
import { runIngest } from '../../src/ingest/pipeline.ts';

/** Folder of the real laws used as fixtures. */
export const FIXTURE_LAWS_DIR = 'tests/fixtures/laws';

export interface CorpusFiles {
  /** File names in tests/fixtures/laws copied into the corpus. */
  laws?: string[];
  /** Synthetic documents: file name → text. */
  texts?: Record<string, string>;
}

export interface IndexedCorpus {
  /** The opened engine (set once the beforeAll hook has run). */
  readonly engine: LoadedEngine;
}

/**
 * Registers beforeAll/afterAll hooks that index `files` into a fresh temp folder and open an engine on it.
 * @example const corpus = indexedCorpus('clauses', { laws: ['Luat-viec-lam-nam-2013-215628.txt'] }); // then corpus.engine.ask(…)
 */
export function indexedCorpus(name: string, files: CorpusFiles): IndexedCorpus {
  let dir: string | undefined;
  let engine: LoadedEngine | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), `plancite-${name}-`));
    const corpus = path.join(dir, 'corpus');
    await mkdir(corpus);
    for (const f of files.laws ?? []) await copyFile(path.join(FIXTURE_LAWS_DIR, f), path.join(corpus, f));
    for (const [f, text] of Object.entries(files.texts ?? {})) await writeFile(path.join(corpus, f), text);
    const cfg = loadConfig({ CORPUS_DIR: corpus, INDEX_DIR: path.join(dir, 'index') });
    await runIngest(cfg);
    engine = await openEngine(cfg.indexDir, cfg);
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    get engine() {
      if (!engine) throw new Error(`indexedCorpus(${name}): the engine is opened in beforeAll`);
      return engine;
    },
  };
}
