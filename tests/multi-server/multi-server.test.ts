// Two plancite servers (real `serve` processes) on one database (PGlite + pgvector through the db:dev socket
// server): same answers, a later ingest served by both without a restart, one rate limit and one replay guard
// across them, a killed ingest that changes nothing, and a database outage answered with 503 then recovered.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevDatabase, type DevDatabase } from '../../scripts/db-dev.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MISSION = 'Ai báo cáo kết quả thực hiện Nghị quyết 42?';
const KEY_A = 'multi-server-key-aaaaaaaa';
const KEY_B = 'multi-server-key-bbbbbbbb';
const MM_TOKEN = 'mattermost-outgoing-token-1';
const RATE = 30;
const AUTH_FAILURES = 6;

/** A plan added after the servers started: its question is answerable only from it. */
const NEW_PLAN = `ỦY BAN NHÂN DÂN
TỈNH THỬ NGHIỆM
Số: 77/KH-UBND

KẾ HOẠCH
Triển khai thí điểm trạm sạc xe điện công cộng

I. MỤC ĐÍCH
1. Phát triển mạng lưới trạm sạc xe điện công cộng trên địa bàn tỉnh.

II. TỔ CHỨC THỰC HIỆN
1. Sở Công Thương chủ trì, phối hợp với Sở Giao thông vận tải lắp đặt trạm sạc xe điện công cộng, báo cáo Ủy ban nhân dân tỉnh trước ngày 30/6/2025.
`;
const NEW_QUESTION = 'Cơ quan nào chủ trì lắp đặt trạm sạc xe điện công cộng?';

interface Proc {
  child: ChildProcess;
  out: string;
  err: string;
  exit: Promise<number | null>;
}

function cli(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p: Proc = { child, out: '', err: '', exit: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout!.on('data', (d) => (p.out += d));
  child.stderr!.on('data', (d) => (p.err += d));
  return p;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

interface Citation {
  docId: string;
  section: string;
  quote: string;
}

async function ask(base: string, question: string, key = KEY_A): Promise<{ status: number; body: { citations?: Citation[]; answer?: string; error?: { code: string } }; headers: Headers }> {
  const res = await fetch(`${base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ question }) });
  return { status: res.status, body: (await res.json()) as never, headers: res.headers };
}

const cites = (cs: Citation[] | undefined) => (cs ?? []).map((c) => `${c.docId} ${c.section} ${c.quote}`);

describe('two servers on one database', () => {
  let tmp: string;
  let dataDir: string;
  let corpus: string;
  let dev: DevDatabase;
  let env: Record<string, string>;
  const servers: Array<{ proc: Proc; url: string }> = [];
  let admin: pg.Pool;

  const ingest = async () => {
    const p = cli(['ingest'], env);
    const code = await p.exit;
    if (code !== 0) throw new Error(`ingest failed (${code}): ${p.err}`);
    return p;
  };
  const activeVersion = async () => (await admin.query('SELECT version::text AS v FROM plancite.active_version')).rows[0]?.v as string | undefined;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'plancite-multi-'));
    dataDir = path.join(tmp, 'pgdata');
    corpus = path.join(tmp, 'corpus');
    await mkdir(corpus);
    for (const f of await readdir(path.join(ROOT, 'corpus'))) if (f.endsWith('.txt')) await copyFile(path.join(ROOT, 'corpus', f), path.join(corpus, f));
    dev = await startDevDatabase({ port: 0, dataDir });
    admin = new pg.Pool({ connectionString: dev.url, max: 1 });
    admin.on('error', () => {});
    env = {
      DATABASE_URL: dev.url,
      CORPUS_DIR: corpus,
      INDEX_DIR: path.join(tmp, 'index-unused'),
      API_KEYS: `${KEY_A},${KEY_B}`,
      RATE_LIMIT_PER_MIN: String(RATE),
      AUTH_FAILURES_PER_MIN: String(AUTH_FAILURES),
      MATTERMOST_OUTGOING_TOKEN: MM_TOKEN,
      HOST: '127.0.0.1',
    };
    await ingest();
    for (let i = 0; i < 2; i++) {
      const proc = cli(['serve', '--port', '0'], env);
      const url = await until(`server ${i} to print its URL`, async () => /serving \d+ documents at (http:\/\/\S+)/.exec(proc.out)?.[1], 120_000);
      servers.push({ proc, url });
    }
  }, 300_000);

  afterAll(async () => {
    for (const s of servers) {
      s.proc.child.kill('SIGTERM');
      await s.proc.exit;
    }
    await admin?.end().catch(() => {});
    await dev?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('both answer the mission question with the same citations', async () => {
    const [a, b] = await Promise.all(servers.map((s) => ask(s.url, MISSION)));
    expect(a!.status).toBe(200);
    expect(b!.status).toBe(200);
    expect(a!.body.citations!.length).toBeGreaterThan(0);
    expect(cites(b!.body.citations)).toEqual(cites(a!.body.citations));
    expect(b!.body.answer).toBe(a!.body.answer);
  });

  it('enforce one rate limit per client across both servers', async () => {
    let allowed = 0;
    const limitedOn = new Set<number>();
    for (let i = 0; i < RATE * 2; i++) {
      const res = await fetch(`${servers[i % 2]!.url}/api/documents`, { headers: { 'x-api-key': KEY_B } });
      await res.arrayBuffer();
      if (res.status === 200) allowed++;
      else {
        expect(res.status).toBe(429);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        limitedOn.add(i % 2);
      }
    }
    // Two separate limits would allow 2 × RATE; one shared bucket allows RATE (plus what refills meanwhile).
    expect(allowed).toBeGreaterThanOrEqual(RATE);
    expect(allowed).toBeLessThan(RATE + 8);
    expect([...limitedOn].sort()).toEqual([0, 1]);
  });

  it('answer a bot delivery once, whichever server the platform redelivers it to', async () => {
    const body = JSON.stringify({ token: MM_TOKEN, channel_id: 'c1', user_id: 'u1', post_id: 'p-1', text: MISSION });
    const post = (base: string) => fetch(`${base}/bots/outgoing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as { text?: string } }));
    const first = await post(servers[0]!.url);
    expect(first.status).toBe(200);
    expect(first.body.text).toMatch(/\S/);
    const again = await post(servers[1]!.url);
    expect(again).toEqual({ status: 200, body: {} });
  });

  it('serve a document ingested afterwards from both servers within 10 s, without a restart', async () => {
    const pids = servers.map((s) => s.proc.child.pid);
    const before = await activeVersion();
    await writeFile(path.join(corpus, 'kh-tram-sac.txt'), NEW_PLAN);
    await ingest();
    expect(await activeVersion()).not.toBe(before);
    const t0 = Date.now();
    await Promise.all(
      servers.map((s, i) =>
        until(`server ${i} to answer from the new document`, async () => {
          const r = await ask(s.url, NEW_QUESTION);
          return r.status === 200 && r.body.citations!.some((c) => c.docId === 'kh-tram-sac');
        }, 10_000),
      ),
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(servers.map((s) => s.proc.child.pid)).toEqual(pids);
    expect(servers.every((s) => s.proc.child.exitCode === null)).toBe(true);
  }, 120_000);

  it('keep serving the previous version when an ingest is killed while writing', async () => {
    const before = await activeVersion();
    const docsBefore = await Promise.all(servers.map(async (s) => ((await (await fetch(`${s.url}/api/documents`, { headers: { 'x-api-key': KEY_A } })).json()) as unknown[]).length));
    await writeFile(path.join(corpus, 'kh-tram-sac-2.txt'), NEW_PLAN.replace('77/KH-UBND', '78/KH-UBND').replace('xe điện', 'xe buýt điện'));
    const p = cli(['ingest'], env);
    // Killed inside the write transaction (its progress lines are printed while it is open).
    await until('the ingest to start writing', async () => p.err.includes('database: '), 120_000, 20);
    p.child.kill('SIGKILL');
    await p.exit;
    expect(await until('the database to answer', async () => (await activeVersion()) ?? false, 10_000)).toBe(before);
    const versions = (await admin.query('SELECT id::text AS id FROM plancite.versions')).rows.map((r) => r.id);
    expect(versions).toContain(before);
    for (const [i, s] of servers.entries()) {
      const r = await ask(s.url, MISSION);
      expect(r.status).toBe(200);
      const docs = (await (await fetch(`${s.url}/api/documents`, { headers: { 'x-api-key': KEY_A } })).json()) as unknown[];
      expect(docs.length).toBe(docsBefore[i]);
    }
    await rm(path.join(corpus, 'kh-tram-sac-2.txt'));
  }, 180_000);

  it('answer 503 with Retry-After while the database is down, report it on /healthz, and recover by themselves', async () => {
    const port = dev.port;
    await admin.end();
    await dev.close();
    for (const s of servers) {
      await until('the server to notice the outage', async () => (await fetch(`${s.url}/healthz`)).status === 503, 15_000);
      const h = (await (await fetch(`${s.url}/healthz`)).json()) as { status: string; database: { reachable: boolean; target: string } };
      expect(h.status).toBe('unavailable');
      expect(h.database).toEqual({ reachable: false, target: `127.0.0.1:${port}/postgres` });
      const r = await ask(s.url, MISSION);
      expect(r.status).toBe(503);
      expect(r.body.error!.code).toBe('database_unavailable');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    dev = await startDevDatabase({ port, dataDir });
    admin = new pg.Pool({ connectionString: dev.url, max: 1 });
    admin.on('error', () => {});
    for (const s of servers) {
      await until('the server to recover', async () => (await fetch(`${s.url}/healthz`)).status === 200, 20_000);
      const r = await ask(s.url, MISSION);
      expect(r.status).toBe(200);
      expect(r.body.citations!.length).toBeGreaterThan(0);
    }
  }, 120_000);

  // Last: it throttles this client's address on both servers for a while.
  it('throttle wrong API keys per client across both servers', async () => {
    const statuses: number[][] = [[], []];
    for (let i = 0; i < AUTH_FAILURES * 2; i++) {
      const res = await fetch(`${servers[i % 2]!.url}/api/documents`, { headers: { 'x-api-key': `wrong-key-${i}-xxxxxxxxxxxx` } });
      await res.arrayBuffer();
      statuses[i % 2]!.push(res.status);
    }
    const refused = statuses.flat().filter((s) => s === 401).length;
    // Separate throttles would refuse 2 × AUTH_FAILURES with 401 before throttling; one shared count refuses AUTH_FAILURES.
    expect(refused).toBeGreaterThanOrEqual(AUTH_FAILURES);
    expect(refused).toBeLessThan(AUTH_FAILURES + 3);
    for (const s of statuses) expect(s.at(-1)).toBe(429);
  });
});
