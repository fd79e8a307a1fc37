// Benchmarks: ingest time, search and ask latency, index size, peak RSS — and two baselines on the same corpus.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import MiniSearch from 'minisearch';
import { openEngine } from '../src/answer/engine.ts';
import { loadGold } from '../src/cli/eval.ts';
import { loadConfig } from '../src/config.ts';
import { toLangChainEmbeddings } from '../src/embed/index.ts';
import { normalizeForMatch, tokenize } from '../src/text/normalize.ts';
import { runIngest } from '../src/ingest/pipeline.ts';

/** Repetitions of the gold questions for latency percentiles. */
const LATENCY_ROUNDS = 5;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await dirSize(p) : (await stat(p)).size;
  }
  return total;
}

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

async function main(): Promise<void> {
  const indexDir = await mkdtemp(path.join(os.tmpdir(), 'plancite-bench-'));
  const cfg = loadConfig({ ...process.env, INDEX_DIR: indexDir });
  const gold = loadGold(path.resolve('tests/eval/gold.jsonl'));
  const answerable = gold.filter((g) => g.type !== 'unanswerable');
  const hit = (texts: string[], ev: string) => texts.slice(0, 5).some((t) => normalizeForMatch(t).includes(normalizeForMatch(ev)));

  const t0 = performance.now();
  const report = await runIngest(cfg);
  const ingestS = (performance.now() - t0) / 1000;
  const size = await dirSize(indexDir);

  const tl = performance.now();
  const engine = await openEngine(indexDir, cfg);
  const loadMs = performance.now() - tl;

  // Ours: search and ask latency over the gold questions.
  const searchMs: number[] = [];
  const askMs: number[] = [];
  let oursHits = 0;
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    for (const g of gold) {
      const a = performance.now();
      const ps = await engine.searchPassages(g.question, 10);
      searchMs.push(performance.now() - a);
      const b = performance.now();
      await engine.ask(g.question);
      askMs.push(performance.now() - b);
      if (round === 0 && g.type !== 'unanswerable' && hit(ps.map((p) => p.text), g.evidence)) oursHits++;
    }
  }

  // Baseline 1: the naive way from the same packages — RecursiveCharacterTextSplitter 1000/200 + HNSWLib, dense only.
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
  const lcDocs: Document[] = [];
  const store_ = engine.index.documents;
  for (const m of store_.metas()) lcDocs.push(...(await splitter.createDocuments([store_.get(m.id)!.text], [{ docId: m.id }])));
  const allChunks = store_.metas().flatMap((m) => store_.chunksOf(m.id));
  const embedder = await (await import('../src/embed/index.ts')).openEmbedderIn(cfg, engine.index.modelsDir);
  const tb = performance.now();
  const store = await HNSWLib.fromDocuments(lcDocs, toLangChainEmbeddings(embedder));
  const naiveBuildS = (performance.now() - tb) / 1000;
  const naiveMs: number[] = [];
  let naiveHits = 0;
  for (const g of answerable) {
    const a = performance.now();
    const res = await store.similaritySearch(g.question, 5);
    naiveMs.push(performance.now() - a);
    if (hit(res.map((r) => r.pageContent), g.evidence)) naiveHits++;
  }

  // Baseline 2: BM25 only (minisearch) over our own chunks.
  const ms = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], storeFields: ['text'], tokenize: (s) => tokenize(s) });
  ms.addAll(allChunks.map((c, i) => ({ id: i, text: c.indexText })));
  const bmMs: number[] = [];
  let bmHits = 0;
  for (const g of answerable) {
    const a = performance.now();
    const res = ms.search(g.question, { tokenize: (s) => tokenize(s) }).slice(0, 5);
    bmMs.push(performance.now() - a);
    if (hit(res.map((r) => allChunks[r.id as number]!.text), g.evidence)) bmHits++;
  }

  clearInterval(rssTimer);
  const n = answerable.length;
  const lines = [
    `corpus: ${report.indexed.length + report.reused.length} documents, ${report.chunks} chunks, ${report.obligations} task records`,
    `ingest: ${ingestS.toFixed(2)} s   index size: ${(size / 1024).toFixed(0)} KiB   index load: ${loadMs.toFixed(0)} ms   peak RSS: ${(peakRss / 1048576).toFixed(0)} MiB`,
    `search latency (${searchMs.length} queries): p50 ${pct(searchMs, 50).toFixed(2)} ms   p95 ${pct(searchMs, 95).toFixed(2)} ms`,
    `ask latency    (${askMs.length} queries): p50 ${pct(askMs, 50).toFixed(2)} ms   p95 ${pct(askMs, 95).toFixed(2)} ms   max ${Math.max(...askMs).toFixed(1)} ms`,
    '',
    'retrieval on the gold set (answerable items)   recall@5   p50 latency',
    `  plancite hybrid (BM25 ⊕ dense, RRF)          ${(oursHits / n).toFixed(2)}       ${pct(searchMs, 50).toFixed(2)} ms`,
    `  naive: LangChain splitter 1000/200 + HNSWLib  ${(naiveHits / n).toFixed(2)}       ${pct(naiveMs, 50).toFixed(2)} ms  (build ${naiveBuildS.toFixed(2)} s)`,
    `  BM25 only: minisearch over the same chunks    ${(bmHits / n).toFixed(2)}       ${pct(bmMs, 50).toFixed(2)} ms`,
  ];
  process.stdout.write(lines.join('\n') + '\n');

  if (!process.argv.includes('--no-pg')) {
    try {
      const { runPgBench } = await import('./pg.ts');
      await runPgBench();
    } catch (e) {
      process.stdout.write(`postgres bench not run: ${(e as Error).message}\n`);
    }
  }
  if (!process.argv.includes('--no-load')) {
    try {
      const { runLoadBench } = await import('./load.ts');
      await runLoadBench();
    } catch (e) {
      process.stdout.write(`load bench not run: ${(e as Error).message}\n`);
    }
  }
  await rm(indexDir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
