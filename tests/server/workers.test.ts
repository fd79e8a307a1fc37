// Answer workers over real HTTP on loopback: asks and searches are answered by the worker process (same results as the
// in-process engine), /healthz and /metrics answer while the worker is stopped, and a killed worker is survived.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openEngine } from '../../src/answer/engine.ts';
import { loadConfig } from '../../src/config.ts';
import type { AskResult, Passage } from '../../src/doc/types.ts';
import { fairListener, isProbe } from '../../src/server/fair.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { ingest, removeDir } from './real-index.ts';

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const QUESTIONS = ['Ai báo cáo kết quả thực hiện Nghị quyết 42, trước ngày nào?', 'Which unit reports Resolution 42 results, and by when?', 'Bộ Lao động - Thương binh và Xã hội có nhiệm vụ gì?'];

describe('answer workers', () => {
  let indexDir: string;
  let server: RunningServer;
  const logs: string[] = [];

  beforeAll(async () => {
    indexDir = await ingest();
    server = await startServer({ indexDir, port: 0, env: { RATE_LIMIT_PER_MIN: '0', ANSWER_WORKERS: '1', ANSWER_CACHE_SIZE: '0' }, quiet: true, log: (m) => logs.push(m) });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    removeDir(indexDir);
  });

  it('asks and searches over HTTP equal the in-process engine on the same index', async () => {
    expect(server.workers?.pids()).toHaveLength(1);
    const local = await openEngine(indexDir, loadConfig({ INDEX_DIR: indexDir }));
    for (const q of QUESTIONS) {
      const res = await fetch(`${server.url}/api/ask`, json({ question: q, mode: 'extractive' }));
      expect(res.status).toBe(200);
      const got = (await res.json()) as AskResult;
      const want = await local.ask(q, { mode: 'extractive' });
      expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(want)));
      const s = await fetch(`${server.url}/api/search`, json({ query: q, k: 5 }));
      const passages = ((await s.json()) as { passages: Passage[] }).passages;
      expect(JSON.parse(JSON.stringify(passages))).toEqual(JSON.parse(JSON.stringify(await local.search(q, 5))));
    }
    const h = await (await fetch(`${server.url}/healthz`)).json();
    expect(h).toMatchObject({ status: 'ok', workers: { size: 1, ready: 1, restarts: 0 } });
  }, 120_000);

  it('while the worker is stopped an ask waits, /healthz and /metrics still answer; it is answered once the worker runs', async () => {
    const [pid] = server.workers!.pids();
    process.kill(pid!, 'SIGSTOP');
    let settled = false;
    const ask = fetch(`${server.url}/api/ask`, json({ question: 'Ai chủ trì thực hiện kế hoạch, báo cáo khi nào? (stopped worker)' })).then((r) => {
      settled = true;
      return r;
    });
    try {
      const h = await fetch(`${server.url}/healthz`);
      expect(h.status).toBe(200);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
      // The worker cannot have answered: it is stopped. (The answer work is not on the server's event loop.)
      expect(settled).toBe(false);
    } finally {
      process.kill(pid!, 'SIGCONT');
    }
    const res = await ask;
    expect(res.status).toBe(200);
    expect(((await res.json()) as AskResult).answer.length).toBeGreaterThan(0);
  }, 60_000);

  it('a worker killed mid-answer fails that request with a 500, is restarted, and later asks are answered', async () => {
    const [pid] = server.workers!.pids();
    process.kill(pid!, 'SIGSTOP');
    const ask = fetch(`${server.url}/api/ask`, json({ question: 'Cơ quan nào báo cáo kết quả? (killed worker)' }));
    // The ask is with the worker once the worker holds a task.
    await vi.waitFor(() => expect(server.workers!.stats().busy).toBe(1), { timeout: 30_000, interval: 20 });
    process.kill(pid!, 'SIGKILL');
    const res = await ask;
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(logs.some((l) => /answer worker 0 stopped \(signal SIGKILL, 1 requests failed\)/.test(l))).toBe(true);
    await vi.waitFor(
      async () => {
        const h = await (await fetch(`${server.url}/healthz`)).json();
        expect(h.workers).toMatchObject({ ready: 1, restarts: 1 });
      },
      { timeout: 120_000, interval: 250 },
    );
    expect(server.workers!.pids()[0]).not.toBe(pid);
    const again = await fetch(`${server.url}/api/ask`, json({ question: QUESTIONS[0] }));
    expect(again.status).toBe(200);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain('plancite_answer_worker_restarts_total 1');
  }, 180_000);
});

describe('fairListener', () => {
  it('starts queued requests one per event-loop turn, probes at once', async () => {
    const started: string[] = [];
    const listener = fairListener((req: { url?: string }) => void started.push(req.url!));
    const call = (url: string) => listener({ url } as never, {} as never);
    call('/api/ask');
    call('/api/search');
    call('/healthz?verbose=1');
    call('/');
    call('/metrics');
    expect(started).toEqual(['/healthz?verbose=1', '/metrics']);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['/healthz?verbose=1', '/metrics', '/api/ask']);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['/healthz?verbose=1', '/metrics', '/api/ask', '/api/search', '/']);
  });

  it('knows the probe paths and nothing else', () => {
    expect(['/healthz', '/metrics', '/healthz?x=1'].map(isProbe)).toEqual([true, true, true]);
    expect(['/healthzz', '/api/ask', '/metrics/x', undefined].map(isProbe)).toEqual([false, false, false, false]);
  });
});
