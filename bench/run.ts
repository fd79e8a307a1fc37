// Benchmarks: ingest time, index size, load time, serving memory, search and ask latency; a scale table; baselines.
//
//   npm run bench                          human-readable figures on corpus/ + two baselines + the load run
//   npm run bench -- --json [--skip-ingest] last stdout line: one JSON object (CORPUS_DIR / INDEX_DIR from env)
//   npm run bench -- --scale [--laws=DIR]  table for 5, 213 and a synthetic 2,130-document corpus, with growth
//                                          (laws from DIR, default ../shared/corpus-laws; `--sizes=1,2` picks rows;
//                                          runs at niceness 10, `--nice=N` another; each ingest and probe in a child
//                                          process with a 14 GB heap; ingest progress on stderr; ~30 min CPU;
//                                          `--keep=DIR` keeps the corpora and indexes there)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEngine } from '../src/answer/engine.ts';
import { loadGold } from '../src/cli/eval.ts';
import { loadConfig } from '../src/config.ts';
import { runIngest } from '../src/ingest/pipeline.ts';
import { readManifest } from '../src/store/index-store.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Repetitions of the gold questions for latency percentiles. */
const LATENCY_ROUNDS = 5;
/** Copies of each document in the synthetic large corpus (213 × 10 = 2,130). */
const SCALE_COPIES = 10;
/** Niceness of a `--scale` run (it takes tens of minutes of CPU); `--nice=N` overrides it. */
const SCALE_NICE = Number(process.argv.find((a) => a.startsWith('--nice='))?.slice(7) ?? 10);
/** The bench contract's JSON fields, in order. */
const JSON_FIELDS = ['documents', 'chunks', 'ingest_s', 'index_bytes', 'load_ms', 'rss_mb', 'search_p50_ms', 'search_p95_ms', 'ask_p50_ms', 'ask_p95_ms'] as const;
type Figures = Record<(typeof JSON_FIELDS)[number], number | null>;

const err = (s: string) => process.stderr.write(`${s}\n`);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const round = (x: number, d = 2) => Number(x.toFixed(d));

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await dirSize(p) : (await stat(p)).size;
  }
  return total;
}

/** Bytes of the current build (its folder and the manifest), not of older builds kept beside it. */
async function indexBytes(indexDir: string): Promise<number> {
  const m = await readManifest(indexDir);
  if (!m) return 0;
  return (await stat(path.join(indexDir, 'manifest.json'))).size + (await dirSize(path.join(indexDir, m.dataDir)));
}

/**
 * Serving figures, measured in a fresh process (so ingest's heap does not count): load time, RSS after the
 * latency runs, search and ask latency over the gold questions.
 */
/** CPU time of this process in ms (user + system): unlike wall time, it does not grow when other processes share the cores. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

type ServeFigures = Omit<Figures, 'ingest_s' | 'index_bytes'> & { cpu?: Record<string, number> };

async function serveProbe(indexDir: string): Promise<ServeFigures> {
  const cfg = loadConfig({ ...process.env, INDEX_DIR: indexDir });
  const questions = loadGold(path.join(ROOT, 'tests/eval/gold.jsonl')).map((g) => g.question);
  const tl = performance.now();
  const cl = cpuMs();
  const engine = await openEngine(indexDir, cfg);
  const loadMs = performance.now() - tl;
  const loadCpu = cpuMs() - cl;
  const searchMs: number[] = [];
  const askMs: number[] = [];
  const searchCpu: number[] = [];
  const askCpu: number[] = [];
  for (let r = 0; r < LATENCY_ROUNDS; r++) {
    for (const q of questions) {
      const a = performance.now();
      const ca = cpuMs();
      await engine.searchPassages(q, 10);
      searchMs.push(performance.now() - a);
      searchCpu.push(cpuMs() - ca);
      const b = performance.now();
      const cb = cpuMs();
      await engine.ask(q);
      askMs.push(performance.now() - b);
      askCpu.push(cpuMs() - cb);
    }
  }
  const info = engine.info();
  return {
    documents: info.documents,
    chunks: info.chunks,
    load_ms: round(loadMs, 0),
    rss_mb: round(process.memoryUsage().rss / 1048576, 0),
    search_p50_ms: round(pct(searchMs, 50)),
    search_p95_ms: round(pct(searchMs, 95)),
    ask_p50_ms: round(pct(askMs, 50)),
    ask_p95_ms: round(pct(askMs, 95)),
    cpu: { load_ms: round(loadCpu, 0), search_p50_ms: round(pct(searchCpu, 50)), ask_p50_ms: round(pct(askCpu, 50)) },
  };
}

/**
 * Heap limit of the bench's child processes (MiB): the synthetic 2,130-document corpus needs far more than
 * Node's default while it is ingested; the machine has 24 GiB.
 */
const CHILD_HEAP_MB = 14000;

/** Runs this script in a child process with a large heap; its stderr (ingest progress) shows on ours. */
function runChild(mode: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    // One process: the tsx CLI would start another node that does not get the heap flag.
    const child = spawn(process.execPath, [`--max-old-space-size=${CHILD_HEAP_MB}`, '--import', 'tsx', path.join(ROOT, 'bench/run.ts'), mode], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`bench ${mode} exited with ${code}`))));
  });
}

async function probeInChild(indexDir: string): Promise<ServeFigures> {
  const stdout = await runChild('--serve-probe', { INDEX_DIR: indexDir });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

/**
 * What serving really holds in memory: `plancite serve` as deployed (the catalog-only server beside its answer
 * worker processes, ANSWER_WORKERS from the environment), after one round of the gold questions through
 * /api/search and /api/ask; the sum of the server's and its workers' RSS. Null where /proc cannot be read.
 */
async function servingRss(indexDir: string): Promise<{ server: number; workers: number[]; total: number } | null> {
  const { startServerProcess, treeRssMb } = await import('./load.ts');
  const questions = loadGold(path.join(ROOT, 'tests/eval/gold.jsonl')).map((g) => g.question);
  const server = await startServerProcess(indexDir);
  try {
    const post = async (route: string, body: unknown) => {
      const res = await fetch(server.url + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${route} answered ${res.status}`);
    };
    for (const q of questions) {
      await post('/api/search', { query: q, k: 10 });
      await post('/api/ask', { question: q, mode: 'extractive' });
    }
    const rss = server.child.pid ? treeRssMb(server.child.pid) : null;
    if (!rss || rss.server === 0) return null;
    return { ...rss, total: rss.server + rss.workers.reduce((a, b) => a + b, 0) };
  } finally {
    server.child.kill('SIGTERM');
  }
}

/** What an ingest cost, measured inside the process that ran it. */
interface IngestFigures {
  ingest_s: number;
  cpu_s: number;
  peak_rss_mb: number;
}

/** Ingests CORPUS_DIR into INDEX_DIR from scratch (in a child process: its heap is not the probe's). */
async function ingestProbe(): Promise<IngestFigures> {
  const cfg = loadConfig();
  const t0 = performance.now();
  const c0 = cpuMs();
  await runIngest(cfg, err, { rebuild: true });
  return {
    ingest_s: round((performance.now() - t0) / 1000, 1),
    cpu_s: round((cpuMs() - c0) / 1000, 1),
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 0),
  };
}

/** Figures of one corpus: the contract's fields, plus CPU times and the ingest's peak memory. */
interface Measured {
  f: Figures;
  cpu: Record<string, number>;
}

/** Ingests (unless skipped) and measures one corpus; figures in the contract's field order. */
async function measure(corpusDir: string, indexDir: string, skipIngest: boolean): Promise<Measured> {
  let ingest: IngestFigures | null = null;
  if (!skipIngest) {
    const out = await runChild('--ingest-probe', { CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
    ingest = JSON.parse(out.trim().split('\n').pop()!) as IngestFigures;
    err(`ingest CPU time: ${ingest.cpu_s} s (wall ${ingest.ingest_s} s), peak RSS ${ingest.peak_rss_mb} MiB`);
  }
  const { cpu, ...serve } = await probeInChild(indexDir);
  if (cpu) err(`serving CPU time: load ${cpu.load_ms} ms, search p50 ${cpu.search_p50_ms} ms, ask p50 ${cpu.ask_p50_ms} ms`);
  const tree = await servingRss(indexDir);
  if (tree) {
    err(`serving RSS (\`serve\`, after one round of the gold questions over HTTP): server ${tree.server} MiB + answer workers ${tree.workers.join(' + ') || 'none'} MiB = ${tree.total} MiB (one process with a full engine, as in the latency probe: ${serve.rss_mb} MiB)`);
    serve.rss_mb = tree.total;
  } else err(`serving RSS: one process with a full engine (${serve.rss_mb} MiB); the server's process tree could not be measured (no /proc)`);
  const all: Figures = { ...serve, ingest_s: ingest?.ingest_s ?? null, index_bytes: await indexBytes(indexDir) };
  const f = Object.fromEntries(JSON_FIELDS.map((k) => [k, all[k]])) as Figures;
  return { f, cpu: { ...(ingest ? { ingest_cpu_s: ingest.cpu_s, ingest_peak_rss_mb: ingest.peak_rss_mb } : {}), ...(cpu ?? {}) } };
}

/** A seeded shuffle (the same synthetic corpus on every run). */
function shuffle<T>(xs: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** Document numbers (`12/2014/QH13`, `568-CTr/BCSD`, `42-NQ/TW`): the leading figure is shifted per copy, the year is kept. */
const DOC_NUMBER_RE = /(?<![\d/])(\d{1,4})(?=(?:\/\d{4})?[/-][A-ZĐ]{2,}[A-ZĐ0-9/-]*)/g;
/** Start of an article or a Roman-numbered part: the blocks that are shuffled. */
const BLOCK_START_RE = /^(?:Điều \d+|[IVXLC]+\. )/m;

/** One synthetic copy of a document: distinct document numbers, article/part blocks in another order. */
function syntheticCopy(text: string, k: number): string {
  const renumbered = text.replace(DOC_NUMBER_RE, (n) => String(Number(n) + k * 1000));
  const lines = renumbered.split('\n');
  const starts: number[] = [];
  lines.forEach((l, i) => BLOCK_START_RE.test(l) && starts.push(i));
  if (starts.length < 3) return renumbered;
  const head = lines.slice(0, starts[0]);
  // The last block runs into the signature; keep it in place.
  const blocks = starts.slice(0, -1).map((s, i) => lines.slice(s, starts[i + 1]));
  const tail = lines.slice(starts[starts.length - 1]);
  return [...head, ...shuffle(blocks, 7919 * (k + 1)).flat(), ...tail].join('\n');
}

async function makeCorpus(dir: string, sources: string[], copies: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const src of sources) {
    const base = path.basename(src).replace(/\.txt$/, '');
    if (copies === 1) {
      await copyFile(src, path.join(dir, path.basename(src)));
      continue;
    }
    const text = await readFile(src, 'utf8');
    for (let k = 0; k < copies; k++) await writeFile(path.join(dir, `${base}-x${k}.txt`), k === 0 ? text : syntheticCopy(text, k));
  }
}

async function scale(): Promise<void> {
  // The laws come from a flag, not the environment: only the configuration module reads environment variables.
  const lawsDir = path.resolve(process.argv.find((a) => a.startsWith('--laws='))?.slice(7) ?? path.join(ROOT, '../shared/corpus-laws'));
  if (!existsSync(lawsDir)) throw new Error(`laws folder ${lawsDir} not found (pass --laws=DIR)`);
  const plans = (await readdir(path.join(ROOT, 'corpus'))).filter((f) => f.endsWith('.txt')).map((f) => path.join(ROOT, 'corpus', f));
  const laws = (await readdir(lawsDir)).filter((f) => f.endsWith('.txt')).map((f) => path.join(lawsDir, f));
  // --keep=DIR keeps the generated corpora and their indexes there (to measure them again with --json --skip-ingest).
  const keepArg = process.argv.find((a) => a.startsWith('--keep='))?.slice(7);
  const keep = keepArg ? path.resolve(keepArg) : null;
  const tmp = keep ?? (await mkdtemp(path.join(os.tmpdir(), 'plancite-scale-')));
  const sizes: Array<{ label: string; sources: string[]; copies: number }> = [
    { label: 'corpus', sources: plans, copies: 1 },
    { label: 'corpus+laws', sources: [...plans, ...laws], copies: 1 },
    { label: `synthetic ×${SCALE_COPIES}`, sources: [...plans, ...laws], copies: SCALE_COPIES },
  ];
  const only = process.argv.find((a) => a.startsWith('--sizes='))?.slice(8).split(',').map(Number);
  // A long run on a shared machine: lower our priority (the child processes inherit it).
  try {
    os.setPriority(Math.max(os.getPriority(), SCALE_NICE));
  } catch {
    // not permitted: run at the current priority
  }
  const rows: Array<{ label: string } & Measured> = [];
  try {
    for (const [i, s] of sizes.entries()) {
      if (only && !only.includes(i)) continue;
      const corpus = path.join(tmp, `corpus-${i}`);
      const index = path.join(tmp, `index-${i}`);
      await makeCorpus(corpus, s.sources, s.copies);
      err(`scale: ${s.label} (${s.sources.length * s.copies} documents) …`);
      const m = await measure(corpus, index, false);
      rows.push({ label: s.label, ...m });
      err(`scale: ${s.label}: ${JSON.stringify(m.f)} cpu ${JSON.stringify(m.cpu)}`);
      if (!keep) {
        await rm(corpus, { recursive: true, force: true });
        await rm(index, { recursive: true, force: true });
      }
    }
  } finally {
    if (!keep) await rm(tmp, { recursive: true, force: true });
  }
  const cols = ['documents', 'chunks', 'ingest_s', 'index_bytes', 'load_ms', 'rss_mb', 'search_p50_ms', 'search_p95_ms', 'ask_p50_ms', 'ask_p95_ms'] as const;
  const cpuCols = ['ingest_cpu_s', 'ingest_peak_rss_mb', 'load_ms', 'search_p50_ms', 'ask_p50_ms'] as const;
  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v >= 1e6 ? `${(v / 1048576).toFixed(1)}Mi` : String(v));
  const table = (head: readonly string[], get: (r: (typeof rows)[number], c: string) => number | null | undefined) => {
    const out = [['corpus', ...head].join(' | ')];
    rows.forEach((r, i) => {
      const prev = rows[i - 1];
      out.push([r.label, ...head.map((c) => {
        const v = get(r, c);
        const p = prev ? get(prev, c) : undefined;
        const g = typeof v === 'number' && typeof p === 'number' && p > 0 ? ` (×${(v / p).toFixed(2)})` : '';
        return `${fmt(v)}${g}`;
      })].join(' | '));
    });
    return out.join('\n');
  };
  process.stdout.write(`${table(cols, (r, c) => r.f[c as (typeof cols)[number]])}\n\nCPU time (user + system) and ingest peak RSS:\n${table(cpuCols, (r, c) => r.cpu[c])}\n`);
}

async function jsonMode(): Promise<void> {
  const cfg = loadConfig();
  const skip = process.argv.includes('--skip-ingest');
  const { f } = await measure(cfg.corpusDir, cfg.indexDir, skip);
  process.stdout.write(`${JSON.stringify(f)}\n`);
}

/** The default report on corpus/: figures plus the two baselines and the load run. */
async function human(): Promise<void> {
  const { HNSWLib } = await import('@langchain/community/vectorstores/hnswlib');
  const { RecursiveCharacterTextSplitter } = await import('@langchain/textsplitters');
  const { default: MiniSearch } = await import('minisearch');
  const { openEmbedderIn, toLangChainEmbeddings } = await import('../src/embed/index.ts');
  const { normalizeForMatch, tokenize } = await import('../src/text/normalize.ts');
  const indexDir = await mkdtemp(path.join(os.tmpdir(), 'plancite-bench-'));
  try {
    const cfg = loadConfig({ ...process.env, INDEX_DIR: indexDir });
    const { f } = await measure(cfg.corpusDir, indexDir, false);
    const gold = loadGold(path.join(ROOT, 'tests/eval/gold.jsonl'));
    const answerable = gold.filter((g) => g.type !== 'unanswerable');
    const hit = (texts: string[], ev: string) => texts.slice(0, 5).some((t) => normalizeForMatch(t).includes(normalizeForMatch(ev)));
    const engine = await openEngine(indexDir, cfg);
    let oursHits = 0;
    for (const g of answerable) if (hit((await engine.searchPassages(g.question, 10)).map((p) => p.text), g.evidence)) oursHits++;

    // Baseline 1: the naive way from the same packages — RecursiveCharacterTextSplitter 1000/200 + HNSWLib, dense only.
    const docs = engine.index.documents;
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
    const lcDocs = [];
    for (const m of docs.metas()) lcDocs.push(...(await splitter.createDocuments([docs.get(m.id)!.text], [{ docId: m.id }])));
    const embedder = await openEmbedderIn(cfg, engine.index.modelsDir);
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
    const allChunks = docs.metas().flatMap((m) => docs.chunksOf(m.id));
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
    const n = answerable.length;
    const lines = [
      `corpus: ${f.documents} documents, ${f.chunks} chunks`,
      `ingest: ${f.ingest_s} s   index size: ${((f.index_bytes ?? 0) / 1024).toFixed(0)} KiB   index load: ${f.load_ms} ms   serving RSS: ${f.rss_mb} MiB`,
      `search latency: p50 ${f.search_p50_ms} ms   p95 ${f.search_p95_ms} ms`,
      `ask latency:    p50 ${f.ask_p50_ms} ms   p95 ${f.ask_p95_ms} ms`,
      '',
      'retrieval on the gold set (answerable items)   recall@5   p50 latency',
      `  plancite hybrid (BM25 ⊕ dense, RRF)          ${(oursHits / n).toFixed(2)}       ${f.search_p50_ms} ms`,
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
  } finally {
    await rm(indexDir, { recursive: true, force: true });
  }
}

/**
 * HNSW parameters by measurement: recall@CANDIDATES of the graph against exact cosine search, and latency, for
 * several build (M, efConstruction) and query (ef) settings, on the vectors of an existing index (INDEX_DIR).
 * Queries: the gold questions embedded, plus chunk vectors.
 */
async function hnswSweep(): Promise<void> {
  const hnswlib = (await import('hnswlib-node')).default;
  const { openLocalSnapshot } = await import('../src/store/index-store.ts');
  const { openEmbedderIn } = await import('../src/embed/index.ts');
  const { CANDIDATES } = await import('../src/retrieve/retriever.ts');
  const cfg = loadConfig();
  const snap = await openLocalSnapshot(cfg.indexDir);
  const dim = snap.info.embedder.dim;
  const stored = new hnswlib.HierarchicalNSW('cosine', dim);
  stored.readIndexSync(path.join(snap.dir, 'vectors.hnsw'));
  const n = stored.getCurrentCount();
  const vecs = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) vecs.set(stored.getPoint(i), i * dim);
  const embedder = await openEmbedderIn(cfg, snap.modelsDir);
  const queries: number[][] = [];
  for (const g of loadGold(path.join(ROOT, 'tests/eval/gold.jsonl'))) queries.push(await embedder.embedQuery(g.question));
  for (let i = 0; i < 150; i++) queries.push(Array.from(vecs.subarray(((i * 7919) % n) * dim, (((i * 7919) % n) + 1) * dim)));
  const exact = queries.map((q) => {
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += q[k]! * vecs[i * dim + k]!;
      scores[i] = s;
    }
    return new Set(Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!).slice(0, CANDIDATES));
  });
  const k = Math.min(CANDIDATES, n);
  for (const [m, efc] of [[16, 200], [16, 100], [12, 100]] as const) {
    const t0 = performance.now();
    const g = new hnswlib.HierarchicalNSW('cosine', dim);
    g.initIndex(n, m, efc, 42);
    for (let i = 0; i < n; i++) g.addPoint(Array.from(vecs.subarray(i * dim, (i + 1) * dim)), i);
    const buildS = (performance.now() - t0) / 1000;
    for (const ef of [60, 80, 100, 150, 200]) {
      g.setEf(ef);
      let hit = 0;
      const ms: number[] = [];
      queries.forEach((q, qi) => {
        const a = performance.now();
        const r = g.searchKnn(q, k);
        ms.push(performance.now() - a);
        hit += r.neighbors.filter((x) => exact[qi]!.has(x)).length;
      });
      process.stdout.write(`M=${m} efConstruction=${efc} (build ${buildS.toFixed(1)} s) ef=${ef}: recall@${k} ${(hit / (queries.length * k)).toFixed(4)}  p50 ${pct(ms, 50).toFixed(3)} ms  p95 ${pct(ms, 95).toFixed(3)} ms\n`);
    }
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--hnsw')) await hnswSweep();
  else if (process.argv.includes('--ingest-probe')) process.stdout.write(`${JSON.stringify(await ingestProbe())}\n`);
  else if (process.argv.includes('--serve-probe')) {
    const f = await serveProbe(loadConfig().indexDir);
    process.stdout.write(`${JSON.stringify(f)}\n`);
  } else if (process.argv.includes('--scale')) await scale();
  else if (process.argv.includes('--json')) await jsonMode();
  else await human();
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
