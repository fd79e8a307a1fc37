// Load run on loopback: throughput and p99 of /api/search, /api/ask (extractive) and /healthz of one real server, side by
// side; then a burst of distinct heavy asks with /healthz probed throughout (the answer gate's figures).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Concurrent connections, as in the issue's target. */
export const LOAD_CONNECTIONS = 16;
/** Seconds each route is driven for (bounded so `npm run bench` stays short). */
export const LOAD_SECONDS = 5;
/** Seconds of warm-up per route before measuring (JIT, first index touches). */
export const WARMUP_SECONDS = 1;
/** The issue's bar: /api/ask throughput as a share of the trivial route's, and its p99. */
export const ASK_MIN_SHARE = 0.25;
export const ASK_MAX_P99_MS = 250;

/** How long a server may take to say it is serving (213 documents: two engines loaded and warmed on a busy machine). */
export const SERVER_START_TIMEOUT_MS = 600_000;
/** The burst: this many distinct (uncached) asks fired at once, as in issue 15's probe. */
export const BURST_ASKS = 200;
/** /healthz is probed this often during the burst (ms between probes). */
export const HEALTH_PROBE_INTERVAL_MS = 10;
/** The issue's bar for /healthz while the burst runs. */
export const HEALTH_MAX_MS = 100;

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
export function startServerProcess(indexDir: string, extraEnv: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/main.ts', 'serve', '--index', indexDir, '--port', '0'], {
      cwd: ROOT,
      // The rate limit would turn the run into a 429 benchmark.
      env: { ...process.env, RATE_LIMIT_PER_MIN: '0', API_KEYS: '', HOST: '127.0.0.1', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    // A large index takes a while: the server and each answer worker open, check and warm their engines first.
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err.trim()}`)), SERVER_START_TIMEOUT_MS);
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

const percentile = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Bursts fired at each fresh server; the first one counts like the others (the server warms itself before ready). */
export const BURST_ROUNDS = 3;

export interface BurstResult {
  healthWorstMs: number;
  healthProbes: number;
  healthFailures: number;
  /** Worst /metrics latency (probed alongside /healthz). */
  metricsWorstMs: number;
  askP50Ms: number;
  askP99Ms: number;
  answered: number;
  shed: number;
  serverErrors: number;
  seconds: number;
}

/**
 * The prober runs in its own thread: probes timed on the thread that also builds and reads 200 requests would
 * measure the client's own event loop (it stalls for 100-250 ms while the burst is sent), not the server.
 * Each probe is one GET on its own connection (no agent), so it never queues behind the burst in a client pool.
 */
const PROBER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { get } = require('node:http');
const { url, intervalMs, debug } = workerData;
let done = false;
const out = { health: [], metrics: [], failures: 0 };
parentPort.on('message', () => { done = true; });
function probe(path) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let tc = 0, tr = 0;
    const req = get(url + path, { agent: false, timeout: 10000 }, (res) => {
      tr = performance.now() - t0;
      res.resume();
      res.on('end', () => { const ms = performance.now() - t0; if (debug && ms > 60) console.error('slow probe', path, Date.now(), 'connect', tc.toFixed(0), 'headers', tr.toFixed(0), 'end', ms.toFixed(0)); resolve({ ok: res.statusCode === 200, ms }); });
    });
    req.on('socket', (s) => s.on('connect', () => (tc = performance.now() - t0)));
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ ok: false, ms: performance.now() - t0 }));
  });
}
(async () => {
  parentPort.postMessage('started');
  for (let i = 0; !done; i++) {
    const path = i % 4 === 3 ? '/metrics' : '/healthz';
    const r = await probe(path);
    (path === '/metrics' ? out.metrics : out.health).push(r.ms);
    if (!r.ok) out.failures++;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  parentPort.postMessage(out);
})();
`;

/**
 * Fires BURST_ASKS distinct asks at once while a prober thread hits /healthz (and every fourth time /metrics)
 * every HEALTH_PROBE_INTERVAL_MS, until every ask has its answer.
 */
export async function burst(url: string): Promise<BurstResult> {
  // `--probe-debug` prints slow probes (a flag: only the configuration module reads environment variables).
  const prober = new Worker(PROBER_SOURCE, { eval: true, workerData: { url, intervalMs: HEALTH_PROBE_INTERVAL_MS, debug: process.argv.includes('--probe-debug') } });
  const probes = new Promise<{ health: number[]; metrics: number[]; failures: number }>((resolve, reject) => {
    prober.on('message', (m) => m !== 'started' && resolve(m));
    prober.on('error', reject);
  });
  await new Promise<void>((resolve) => prober.once('message', () => resolve()));
  await new Promise((r) => setTimeout(r, 3 * HEALTH_PROBE_INTERVAL_MS));
  const t0 = performance.now();
  const asks = await Promise.all(
    Array.from({ length: BURST_ASKS }, async (_, i) => {
      const s = performance.now();
      try {
        const res = await fetch(`${url}/api/ask`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ question: `${MISSION} (burst ${i} ${++counter})`, mode: 'extractive' }),
        });
        await res.arrayBuffer();
        return { status: res.status, ms: performance.now() - s };
      } catch {
        return { status: 0, ms: performance.now() - s };
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  prober.postMessage('stop');
  const { health, metrics, failures } = await probes;
  await prober.terminate();
  const answered = asks.filter((a) => a.status === 200);
  return {
    healthWorstMs: Math.max(...health),
    healthProbes: health.length,
    healthFailures: failures,
    metricsWorstMs: Math.max(...metrics),
    askP50Ms: percentile(answered.map((a) => a.ms), 50),
    askP99Ms: percentile(answered.map((a) => a.ms), 99),
    answered: answered.length,
    shed: asks.filter((a) => a.status === 503).length,
    // 0 = the connection failed: counted with the server's errors, it is not an answer either.
    serverErrors: asks.filter((a) => (a.status >= 500 && a.status !== 503) || a.status === 0).length,
    seconds,
  };
}

/**
 * Resident memory (MiB) of a process tree, from /proc (Linux; empty elsewhere): the server and its answer workers.
 * `tsx` runs the server in a child of the spawned process, so the tree is walked from the spawned pid.
 */
export function treeRssMb(root: number): { server: number; workers: number[] } {
  const out = { server: 0, workers: [] as number[] };
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  const parent = new Map<number, number>();
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  for (const pid of parent.keys()) {
    if (pid === root || !inTree(pid)) continue;
    try {
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('answer-worker')) out.workers.push(Math.round(rss));
      else if (cmd.includes('src/cli/main.ts')) out.server = Math.max(out.server, Math.round(rss));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The server designs compared by the burst: the default and answers on the event loop. */
export const BURST_VARIANTS: Array<{ label: string; env: Record<string, string> }> = [
  { label: 'workers (defaults)', env: {} },
  { label: 'event loop (ANSWER_WORKERS=0)', env: { ANSWER_WORKERS: '0' } },
];

/**
 * For each design: a fresh server, BURST_ROUNDS bursts (the first one included), figures per round and the worst.
 * Returns the report lines and whether the default design met the bar in every round.
 */
export async function runBurstBench(indexDir: string, variants = BURST_VARIANTS): Promise<{ lines: string[]; pass: boolean }> {
  const lines = [
    '',
    `burst: ${BURST_ASKS} distinct asks at once (answer cache bypassed, rate limit off), ${BURST_ROUNDS} bursts per fresh server (the first counts),`,
    `/healthz probed every ${HEALTH_PROBE_INTERVAL_MS} ms from its own thread (every 4th probe is /metrics); ${os.cpus().length} CPUs`,
    'design: asks and searches run in answer worker processes (ANSWER_WORKERS, each with its own engine); the event loop does HTTP only,',
    '  starts requests one per loop turn with /healthz and /metrics first, and sheds beyond MAX_IN_FLIGHT + MAX_QUEUED with 503 + Retry-After',
    'server                         round  load avg  healthz worst ms  metrics worst ms  probes  ask p50 ms  ask p99 ms  answered  shed(503)  5xx  seconds',
  ];
  let pass = true;
  for (const [vi, v] of variants.entries()) {
    const server = await startServerProcess(indexDir, v.env);
    const rounds: BurstResult[] = [];
    let rss: ReturnType<typeof treeRssMb> | null = null;
    try {
      for (let round = 1; round <= BURST_ROUNDS; round++) {
        const load = os.loadavg()[0]!;
        const r = await burst(server.url);
        rounds.push(r);
        lines.push(
          `${v.label.padEnd(30)} ${String(round).padStart(5)}  ${load.toFixed(2).padStart(8)}  ${r.healthWorstMs.toFixed(1).padStart(16)}  ${r.metricsWorstMs.toFixed(1).padStart(16)}  ${String(r.healthProbes).padStart(6)}  ${r.askP50Ms.toFixed(0).padStart(10)}  ${r.askP99Ms.toFixed(0).padStart(10)}  ${String(r.answered).padStart(8)}  ${String(r.shed).padStart(9)}  ${String(r.serverErrors).padStart(3)}  ${r.seconds.toFixed(1).padStart(7)}`,
        );
        if (vi === 0 && (Math.max(r.healthWorstMs, r.metricsWorstMs) > HEALTH_MAX_MS || r.serverErrors > 0 || r.healthFailures > 0)) pass = false;
        await new Promise((res) => setTimeout(res, 500));
      }
      rss = server.child.pid ? treeRssMb(server.child.pid) : null;
    } finally {
      server.child.kill('SIGTERM');
    }
    const worst = Math.max(...rounds.map((r) => Math.max(r.healthWorstMs, r.metricsWorstMs)));
    const mem = rss ? `; RSS after the bursts: server ${rss.server} MiB${rss.workers.length ? `, workers ${rss.workers.join(' + ')} MiB` : ''}` : '';
    lines.push(`${v.label.padEnd(30)} worst  /healthz|/metrics ${worst.toFixed(0)} ms, 5xx ${rounds.reduce((n, r) => n + r.serverErrors, 0)}, shed ${rounds.reduce((n, r) => n + r.shed, 0)}${mem}`);
  }
  lines.push(`/healthz and /metrics worst with the default design: target ≤ ${HEALTH_MAX_MS} ms in every round, no 5xx: ${pass ? 'PASS' : 'FAIL'}`);
  return { lines, pass };
}

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
 * autocannon at 16 connections for 5 s, and prints req/s and latency side by side with the issue's check for /api/ask.
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
    child?.kill('SIGTERM');
    child = undefined;
    lines.push(...(await runBurstBench(indexDir)).lines);
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    child?.kill('SIGTERM');
    await rm(indexDir, { recursive: true, force: true });
  }
}

/** `tsx bench/load.ts --burst INDEX_DIR [--default-only]`: only the burst, on an existing index (e.g. the 213-document one). */
async function burstOnly(indexDir: string): Promise<void> {
  const { lines, pass } = await runBurstBench(path.resolve(indexDir), process.argv.includes('--default-only') ? BURST_VARIANTS.slice(0, 1) : BURST_VARIANTS);
  process.stdout.write(lines.join('\n') + '\n');
  if (!pass) process.exitCode = 1;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]);
const burstAt = process.argv.indexOf('--burst');
if (isMain && burstAt > 0) {
  burstOnly(process.argv[burstAt + 1] ?? 'index').catch((e: unknown) => {
    process.stderr.write(`burst bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
} else if (isMain) {
  runLoadBench().catch((e: unknown) => {
    process.stderr.write(`load bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
