// Bench: the local store and the Postgres store side by side on the same corpus — ingest, load, search and ask
// latency, gold retrieval. Postgres is PGlite + pgvector served by `npm run db:dev` in its own process (a real
// Postgres server is faster: PGlite runs PostgreSQL compiled to WASM and serialises its connections).
// Run alone: `npx tsx bench/pg.ts` (CORPUS_DIR as in the environment, `corpus` by default).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openEngine, type LoadedEngine } from '../src/answer/engine.ts';
import { loadGold } from '../src/cli/eval.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { runIngest } from '../src/ingest/pipeline.ts';
import { normalizeForMatch } from '../src/text/normalize.ts';

/** Repetitions of the gold questions for latency percentiles. */
const ROUNDS = 3;
const ROOT = path.resolve(import.meta.dirname, '..');

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

interface StoreFigures {
  ingestS: number;
  loadMs: number;
  searchMs: number[];
  askMs: number[];
  recall: number;
  documents: number;
  chunks: number;
}

async function measure(cfg: Config, gold: ReturnType<typeof loadGold>): Promise<StoreFigures> {
  const t0 = performance.now();
  const report = await runIngest(cfg);
  const ingestS = (performance.now() - t0) / 1000;
  const tl = performance.now();
  const engine: LoadedEngine = await openEngine(cfg.indexDir, cfg);
  const loadMs = performance.now() - tl;
  const searchMs: number[] = [];
  const askMs: number[] = [];
  let hits = 0;
  const answerable = gold.filter((g) => g.type !== 'unanswerable');
  for (let round = 0; round < ROUNDS; round++) {
    for (const g of gold) {
      const a = performance.now();
      const ps = await engine.searchPassages(g.question, 10);
      searchMs.push(performance.now() - a);
      const b = performance.now();
      await engine.ask(g.question);
      askMs.push(performance.now() - b);
      if (round === 0 && g.type !== 'unanswerable' && ps.slice(0, 5).some((p) => normalizeForMatch(p.text).includes(normalizeForMatch(g.evidence)))) hits++;
    }
  }
  return { ingestS, loadMs, searchMs, askMs, recall: hits / Math.max(1, answerable.length), documents: report.indexed.length + report.reused.length, chunks: report.chunks };
}

/** Starts `npm run db:dev` (PGlite + pgvector) on a free port in a temporary folder; resolves to its URL. */
async function startDb(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/db-dev.ts'), '--port', '0', '--data', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /DATABASE_URL=(\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`db:dev exited (${code}): ${err.trim()}`)));
  });
  return { url, child };
}

/** Prints search and ask latency for the local and the Postgres store side by side. */
export async function runPgBench(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'plancite-bench-pg-'));
  const db = await startDb(path.join(tmp, 'pgdata'));
  try {
    const gold = loadGold(path.join(ROOT, 'tests/eval/gold.jsonl'));
    const local = await measure(loadConfig({ ...process.env, INDEX_DIR: path.join(tmp, 'index'), DATABASE_URL: '' }), gold);
    const pgCfg = loadConfig({ ...process.env, INDEX_DIR: path.join(tmp, 'index-unused'), DATABASE_URL: db.url });
    const postgres = await measure(pgCfg, gold);
    const row = (label: string, f: (x: StoreFigures) => string) => `  ${label.padEnd(26)}${f(local).padStart(16)}${f(postgres).padStart(18)}`;
    const lines = [
      '',
      `stores side by side (${local.documents} documents, ${local.chunks} chunks; Postgres = PGlite 0.5 + pgvector via db:dev, another process)`,
      `  ${''.padEnd(26)}${'local'.padStart(16)}${'postgres'.padStart(18)}`,
      row('ingest', (x) => `${x.ingestS.toFixed(2)} s`),
      row('load', (x) => `${x.loadMs.toFixed(0)} ms`),
      row(`search p50 / p95 (${local.searchMs.length})`, (x) => `${pct(x.searchMs, 50).toFixed(1)} / ${pct(x.searchMs, 95).toFixed(1)} ms`),
      row(`ask p50 / p95 (${local.askMs.length})`, (x) => `${pct(x.askMs, 50).toFixed(1)} / ${pct(x.askMs, 95).toFixed(1)} ms`),
      row('gold search recall@5', (x) => x.recall.toFixed(2)),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    db.child.kill('SIGTERM');
    await new Promise((r) => db.child.once('exit', r));
    await rm(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  runPgBench().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`bench/pg failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
