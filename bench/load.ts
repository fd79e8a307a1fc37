// Load run on loopback: throughput and p99 of /api/search, /api/ask (extractive) and /healthz of one real server, side by side.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Concurrent connections, as in the target. */
export const LOAD_CONNECTIONS = 16;
/** Seconds each route is driven for (bounded so `npm run bench` stays short). */
export const LOAD_SECONDS = 5;
/** Seconds of warm-up per route before measuring (JIT, first index touches). */
export const WARMUP_SECONDS = 1;
/** The bar: /api/ask throughput as a share of the trivial route's, and its p99. */
export const ASK_MIN_SHARE = 0.25;
export const ASK_MAX_P99_MS = 250;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;

// autocannon ships no type declarations; this is the slice of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface RouteLoad {
  label: string;
  path: string;
  method: 'GET' | 'POST';
  body?: unknown;
  /** Make every request's question different (defeats the server's answer cache). */
  distinct?: boolean;
}

const MISSION = 'Which unit reports Resolution 42 results, and by when?';
const ROUTES: RouteLoad[] = [
  { label: 'GET  /healthz (trivial)', path: '/healthz', method: 'GET' },
  { label: 'POST /api/search', path: '/api/search', method: 'POST', body: { query: 'Ai báo cáo kết quả thực hiện Nghị quyết 42, trước ngày nào?', k: 10 } },
  { label: 'POST /api/ask (extractive)', path: '/api/ask', method: 'POST', body: { question: MISSION, mode: 'extractive' } },
  { label: 'POST /api/ask (uncached)', path: '/api/ask', method: 'POST', body: { question: MISSION, mode: 'extractive' }, distinct: true },
];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}: ${err.trim().split('\n').pop()}`))));
  });
}

/** Starts `plancite serve` in a child process (so the load generator does not share its event loop) and resolves to its URL. */
function startServerProcess(indexDir: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/main.ts', 'serve', '--index', indexDir, '--port', '0'], {
      cwd: ROOT,
      // The rate limit would turn the run into a 429 benchmark.
      env: { ...process.env, RATE_LIMIT_PER_MIN: '0', API_KEYS: '', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err.trim()}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving .* at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err.trim()}`));
    });
  });
}

let counter = 0;

async function drive(url: string, r: RouteLoad, seconds: number): Promise<AutocannonResult> {
  const headers: Record<string, string> = r.body ? { 'content-type': 'application/json' } : {};
  const body = r.body ? JSON.stringify(r.body) : undefined;
  const distinct: AutocannonRequest[] | undefined = r.distinct
    ? [{ method: r.method, headers, setupRequest: (req: AutocannonRequest): AutocannonRequest => ({ ...req, body: JSON.stringify({ ...(r.body as object), question: `${MISSION} (${++counter})` }) }) }]
    : undefined;
  return autocannon({ url: url + r.path, connections: LOAD_CONNECTIONS, duration: seconds, method: r.method, headers, body, requests: distinct });
}

/**
 * Builds an index from `corpus/` in a temp dir, serves it from a child process on loopback, drives each route with
 * autocannon at 16 connections for 5 s, and prints req/s and latency side by side with the check for /api/ask.
 * @example await runLoadBench()
 */
export async function runLoadBench(): Promise<void> {
  const indexDir = await mkdtemp(path.join(os.tmpdir(), 'plancite-load-'));
  let child: ChildProcess | undefined;
  try {
    await run(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/main.ts', 'ingest', '--corpus', 'corpus', '--index', indexDir], process.env);
    const server = await startServerProcess(indexDir);
    child = server.child;
    const results: Array<{ r: RouteLoad; res: AutocannonResult }> = [];
    for (const r of ROUTES) {
      await drive(server.url, r, WARMUP_SECONDS);
      results.push({ r, res: await drive(server.url, r, LOAD_SECONDS) });
    }
    const lines = [
      '',
      `load (autocannon, ${LOAD_CONNECTIONS} connections, ${LOAD_SECONDS} s per route, server in a child process on loopback, ${os.cpus().length} CPUs)`,
      'route                          req/s     p50 ms   p99 ms   non-2xx  errors',
      ...results.map(({ r, res }) =>
        `${r.label.padEnd(29)} ${res.requests.average.toFixed(0).padStart(7)}  ${res.latency.p50.toFixed(1).padStart(8)} ${res.latency.p99.toFixed(1).padStart(8)}  ${String(res.non2xx).padStart(7)}  ${String(res.errors + res.timeouts).padStart(6)}`,
      ),
    ];
    const trivial = results[0]!.res;
    const ask = results[2]!.res;
    const share = trivial.requests.average > 0 ? ask.requests.average / trivial.requests.average : 0;
    const uncached = results[3]!.res;
    const ok = share >= ASK_MIN_SHARE && ask.latency.p99 < ASK_MAX_P99_MS && ask.non2xx === 0 && ask.errors === 0;
    lines.push(
      `/api/ask: ${(share * 100).toFixed(0)}% of the trivial route's throughput, p99 ${ask.latency.p99.toFixed(0)} ms ` +
        `(target ≥ ${ASK_MIN_SHARE * 100}% and < ${ASK_MAX_P99_MS} ms): ${ok ? 'PASS' : 'FAIL'} — repeated questions are served from the answer cache;`,
      `  every question distinct (cache bypassed): ${((uncached.requests.average / Math.max(1, trivial.requests.average)) * 100).toFixed(1)}% of trivial, p99 ${uncached.latency.p99.toFixed(0)} ms` +
        ` (${uncached.latency.p99 < ASK_MAX_P99_MS ? 'p99 within' : 'p99 over'} ${ASK_MAX_P99_MS} ms; retrieval + composition cost ≈ ${(1000 / Math.max(1, uncached.requests.average)).toFixed(1)} ms of server CPU per answer)`,
    );
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    child?.kill('SIGTERM');
    await rm(indexDir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]);
if (isMain) {
  runLoadBench().catch((e: unknown) => {
    process.stderr.write(`load bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
