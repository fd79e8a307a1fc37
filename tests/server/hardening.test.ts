// Issue 15's findings, each over real HTTP on loopback: prototype names, strict parameters, real dates, NFD paths,
// proxies, failed-auth throttling, short keys, CSV formulas, the Host header, the answer gate and index integrity.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import type { Engine, Obligation } from '../../src/doc/types.ts';
import { createFakeEngine, parseSse } from './fake-engine.ts';
import { ingest, removeDir, ROOT } from './real-index.ts';

const run = promisify(execFile);
const PROTO_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty valueOf', 'constructor prototype __defineGetter__'];
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const quiet = { quiet: true, log: () => {} };

/** Starts a server over loopback on a given engine (the real HTTP stack; only the engine is a double). */
function serveEngine(engine: Engine, env: Record<string, string>): Promise<RunningServer> {
  return startServer({ indexDir: mkdtempSync(path.join(tmpdir(), 'plancite-fake-idx-')), port: 0, env, open: async () => engine, ...quiet });
}

describe('with the real engine', () => {
  let indexDir: string;
  let server: RunningServer;

  beforeAll(async () => {
    indexDir = await ingest();
    server = await startServer({ indexDir, port: 0, env: { RATE_LIMIT_PER_MIN: '0' }, ...quiet });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    removeDir(indexDir);
  });

  it('questions made of Object.prototype names are answered, never a 500 (ask, search, /v1 streamed and not)', async () => {
    for (const q of PROTO_NAMES) {
      const ask = await fetch(`${server.url}/api/ask`, json({ question: q }));
      expect(ask.status, `ask "${q}"`).toBe(200);
      expect((await ask.json()).question).toBe(q);
      const search = await fetch(`${server.url}/api/search`, json({ query: q, k: 3 }));
      expect(search.status, `search "${q}"`).toBe(200);
      const chat = await fetch(`${server.url}/v1/chat/completions`, json({ model: 'plancite', messages: [{ role: 'user', content: q }] }));
      expect(chat.status, `chat "${q}"`).toBe(200);
      const streamed = await fetch(`${server.url}/v1/chat/completions`, json({ model: 'plancite', stream: true, messages: [{ role: 'user', content: q }] }));
      const events = parseSse(await streamed.text());
      expect(events.at(-1)?.data).toBe('[DONE]');
      expect(events.some((e) => e.data.includes('"error"'))).toBe(false);
    }
  });

  it('a model or parameter named like a prototype property is unknown (404 / 400), not a 500 or a 200', async () => {
    const chat = await fetch(`${server.url}/v1/chat/completions`, json({ model: 'constructor', messages: [{ role: 'user', content: 'xin chào' }] }));
    expect(chat.status).toBe(404);
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const r = await fetch(`${server.url}/api/obligations?${name}=x`);
      expect(r.status, name).toBe(400);
      expect((await r.json()).error.message).toMatch(new RegExp(`"${name}": unknown parameter`));
    }
    const doc = await fetch(`${server.url}/api/documents/ctrhd-chinh-phu-nq42?__proto__=x`);
    expect(doc.status).toBe(400);
  });

  it('bodies are strict: an unknown field is a 400 naming it, at any depth', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['/api/ask', { question: 'NQ 42', questoin: 'typo' }, /"questoin": unknown field/],
      ['/api/ask', { question: 'NQ 42', constructor: 1 }, /"constructor": unknown field/],
      ['/api/ask', { question: 'NQ 42', history: [{ role: 'user', content: 'a', extra: true }] }, /^history\.0: "extra": unknown field/],
      ['/api/search', { query: 'NQ 42', limit: 3 }, /"limit": unknown field/],
      ['/v1/chat/completions', { model: 'plancite', messages: [{ role: 'user', content: 'a' }], bogus: 1 }, /"bogus": unknown field/],
    ];
    for (const [route, body, message] of cases) {
      const r = await fetch(`${server.url}${route}`, json(body));
      expect(r.status, `${route} ${JSON.stringify(body)}`).toBe(400);
      expect((await r.json()).error.message).toMatch(message);
    }
    // The fields standard OpenAI clients send are still accepted.
    const ok = await fetch(`${server.url}/v1/chat/completions`, json({ model: 'plancite', temperature: 0.2, max_tokens: 100, user: 'u1', messages: [{ role: 'system', content: 'x' }, { role: 'user', content: 'NQ 42 là gì?', name: 'a' }] }));
    expect(ok.status).toBe(200);
  });

  it('impossible dates are refused; real ones (a leap day) accepted', async () => {
    for (const d of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-04-31', '2024-00-10']) {
      const r = await fetch(`${server.url}/api/obligations?dueBefore=${d}`);
      expect(r.status, d).toBe(400);
      expect((await r.json()).error.message).toMatch(/^dueBefore: must be a real date/);
    }
    expect((await fetch(`${server.url}/api/obligations?dueBefore=2024-02-29`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/obligations?due-before=2024-02-30`)).status).toBe(400);
  });

  it('a section path sent in decomposed Unicode (NFD) finds the same section', async () => {
    const docs = (await (await fetch(`${server.url}/api/documents`)).json()).documents as Array<{ id: string }>;
    let found: { id: string; path: string } | null = null;
    for (const d of docs) {
      const outline = (await (await fetch(`${server.url}/api/documents/${encodeURIComponent(d.id)}`)).json()).outline as Array<{ path: string }>;
      const p = outline.find((s) => s.path.normalize('NFD') !== s.path);
      if (p) {
        found = { id: d.id, path: p.path };
        break;
      }
    }
    expect(found, 'a section path with Vietnamese letters').not.toBeNull();
    const nfc = await fetch(`${server.url}/api/documents/${found!.id}/sections/${encodeURIComponent(found!.path)}`);
    const nfd = await fetch(`${server.url}/api/documents/${found!.id}/sections/${encodeURIComponent(found!.path.normalize('NFD'))}`);
    expect(nfc.status).toBe(200);
    expect(nfd.status).toBe(200);
    expect(await nfd.json()).toEqual(await nfc.json());
  });

  it('the demo page never echoes the Host header', async () => {
    const page = await new Promise<string>((resolve, reject) => {
      const u = new URL(server.url);
      const req = request({ host: u.hostname, port: u.port, path: '/', headers: { host: 'evil.example:1337', 'x-forwarded-host': 'evil2.example' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
    expect(page).toContain('<script src="/widget.js"');
    expect(page).not.toMatch(/evil/);
  });

  it('a bad build is refused by hot reload (the previous one keeps serving, /healthz stays honest) and by start-up', async () => {
    const before = await (await fetch(`${server.url}/healthz`)).json();
    const manifest = JSON.parse(readFileSync(path.join(indexDir, 'manifest.json'), 'utf8')) as { dataDir: string };
    const bad = `${manifest.dataDir}-bad`;
    cpSync(path.join(indexDir, manifest.dataDir), path.join(indexDir, bad), { recursive: true });
    // Valid JSON of the wrong shape in every JSON data file of the copy.
    for (const f of readdirSync(path.join(indexDir, bad))) if (f.endsWith('.json')) writeFileSync(path.join(indexDir, bad, f), '{"unexpected":true}');
    writeFileSync(path.join(indexDir, 'manifest.json'), JSON.stringify({ ...manifest, dataDir: bad }));
    expect(await server.reload()).toBe(false);
    const ask = await fetch(`${server.url}/api/ask`, json({ question: 'Ai báo cáo kết quả thực hiện Nghị quyết 42?' }));
    expect(ask.status).toBe(200);
    const after = await fetch(`${server.url}/healthz`);
    expect(after.status).toBe(200);
    expect((await after.json()).index.builtAt).toBe(before.index.builtAt);
    // A fresh start on the bad build: one line that says to run ingest, no raw JS error.
    const err = await startServer({ indexDir, port: 0, ...quiet }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/run `plancite ingest`|ingest/);
    expect(err?.message).not.toMatch(/Cannot read properties|is not a function|undefined \(reading/);
    writeFileSync(path.join(indexDir, 'manifest.json'), JSON.stringify(manifest));
  });
});

describe('ingest after a bad previous build', () => {
  it('rebuilds from scratch instead of reusing parses it cannot trust', async () => {
    const indexDir = await ingest();
    try {
      const manifest = JSON.parse(readFileSync(path.join(indexDir, 'manifest.json'), 'utf8')) as { dataDir: string; files: Record<string, { hash: string }> };
      const hash = Object.values(manifest.files)[0]!.hash;
      const build = path.join(indexDir, manifest.dataDir);
      // The file holding the previous parses (it carries the source hashes that make a parse reusable).
      const holder = readdirSync(build)
        .map((f) => path.join(build, f))
        .find((f) => statSync(f).isFile() && readFileSync(f, 'latin1').includes(hash));
      expect(holder, 'a build file holding the parses').toBeDefined();
      const raw = readFileSync(holder!);
      if (holder!.endsWith('.json')) {
        // Valid JSON of the wrong shape: every source hash is kept (so a trusting ingest would reuse the parses),
        // every object that holds no hash is emptied (so what the parses need is gone).
        const hashes = new Set(Object.values(manifest.files).map((f) => f.hash));
        const holds = (v: unknown): boolean => (typeof v === 'string' ? hashes.has(v) : v !== null && typeof v === 'object' ? Object.values(v).some(holds) : false);
        const strip = (v: unknown): unknown =>
          Array.isArray(v) ? v.map(strip) : v !== null && typeof v === 'object' ? (holds(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, holds(x) ? strip(x) : Array.isArray(x) ? [] : x !== null && typeof x === 'object' ? {} : x])) : {}) : v;
        writeFileSync(holder!, JSON.stringify(strip(JSON.parse(raw.toString('utf8')))));
      } else {
        const mid = Math.floor(raw.length / 2);
        raw[mid] = raw[mid]! ^ 0xff;
        writeFileSync(holder!, raw);
      }
      const r = await run(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/main.ts', 'ingest', '--index', indexDir], { cwd: ROOT });
      expect(r.stderr).toMatch(/done: 5 indexed, 0 unchanged/);
      const server = await startServer({ indexDir, port: 0, env: { RATE_LIMIT_PER_MIN: '0' }, ...quiet });
      try {
        const ask = await fetch(`${server.url}/api/ask`, json({ question: 'Ai báo cáo kết quả thực hiện Nghị quyết 42?' }));
        expect(ask.status).toBe(200);
        expect((await ask.json()).citations.length).toBeGreaterThan(0);
      } finally {
        await server.close();
      }
    } finally {
      removeDir(indexDir);
    }
  }, 240_000);
});

describe('client identity, keys and throttles', () => {
  it('TRUST_PROXY=N keys the rate limit on the address N entries from the right of X-Forwarded-For', async () => {
    const server = await serveEngine(createFakeEngine(), { TRUST_PROXY: '1', RATE_LIMIT_PER_MIN: '10' });
    try {
      const codes: number[] = [];
      // The client writes whatever it likes on the left; the proxy appends the address it saw (203.0.113.7).
      for (let i = 0; i < 30; i++) codes.push((await fetch(`${server.url}/api/documents`, { headers: { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.7` } })).status);
      expect(codes.filter((c) => c === 200)).toHaveLength(10);
      expect(codes.filter((c) => c === 429)).toHaveLength(20);
      // Another client behind the same proxy has its own budget.
      expect((await fetch(`${server.url}/api/documents`, { headers: { 'x-forwarded-for': '198.51.100.9' } })).status).toBe(200);
    } finally {
      await server.close();
    }
    const two = await serveEngine(createFakeEngine(), { TRUST_PROXY: '2', RATE_LIMIT_PER_MIN: '2' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await fetch(`${two.url}/api/documents`, { headers: { 'x-forwarded-for': `6.6.6.${i}, 203.0.113.7, 10.1.1.1` } })).status);
      expect(codes).toEqual([200, 200, 429, 429]);
    } finally {
      await two.close();
    }
  });

  it('wrong API keys are throttled per client (429), and the throttle holds even for a right key from that client', async () => {
    const key = 'intranet-key-0123456789';
    const server = await serveEngine(createFakeEngine(), { API_KEYS: key, AUTH_FAILURES_PER_MIN: '10', RATE_LIMIT_PER_MIN: '0', TRUST_PROXY: '1' });
    try {
      const as = (k: string, ip: string) => fetch(`${server.url}/api/documents`, { headers: { 'x-api-key': k, 'x-forwarded-for': ip } });
      const codes: number[] = [];
      for (let i = 0; i < 30; i++) codes.push((await as(`guess-${i}-0000000000`, '203.0.113.50')).status);
      expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
      expect(codes.slice(10).every((c) => c === 429)).toBe(true);
      const throttled = await as(key, '203.0.113.50');
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await as(key, '203.0.113.51')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('API keys shorter than 16 characters are refused at start with a message naming the variable', async () => {
    const err = await serveEngine(createFakeEngine(), { API_KEYS: 'eight-ch' }).then(
      (s) => s.close().then(() => null),
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/invalid environment variable API_KEYS: each key must be at least 16 characters/);
  });
});

describe('exports', () => {
  it('CSV cells that begin with = + - @, tab or CR are neutralised', async () => {
    const engine = createFakeEngine();
    const base = engine.obligations()[0]!;
    const hostile: Obligation[] = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1'].map((text, i) => ({ ...base, id: `x#${i}`, text, lead: [text] }));
    engine.obligations = () => hostile;
    const server = await serveEngine(engine, { RATE_LIMIT_PER_MIN: '0' });
    try {
      const csv = await (await fetch(`${server.url}/api/obligations?format=csv`)).text();
      const cells = csv.split('\r\n').slice(1).filter(Boolean).flatMap((row) => row.split(','));
      for (const cell of cells) {
        const value = cell.startsWith('"') ? cell.slice(1) : cell;
        expect(value, cell).not.toMatch(/^[=+\-@\t\r]/);
      }
      expect(csv).toContain(`"'=HYPERLINK(""http://evil.example""`);
    } finally {
      await server.close();
    }
  });
});

describe('staying responsive under load', () => {
  it('beyond the in-flight limit and queue, asks get 503 + Retry-After while /healthz and /metrics answer', async () => {
    const engine = createFakeEngine();
    let open!: () => void;
    const server = await serveEngine(engine, { RATE_LIMIT_PER_MIN: '0', MAX_IN_FLIGHT: '1', MAX_QUEUED: '1' });
    try {
      engine.gate = new Promise<void>((resolve) => (open = resolve));
      const asks = Array.from({ length: 5 }, (_, i) => fetch(`${server.url}/api/ask`, json({ question: `câu hỏi ${i}` })));
      // Three are shed at once, while one runs and one waits.
      const shed = await Promise.race([Promise.all(asks.slice(2)), new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
      expect(shed, 'the shed answers come back without waiting for the held ones').not.toBeNull();
      for (const r of shed!) {
        expect(r.status).toBe(503);
        expect(r.headers.get('retry-after')).toBe('1');
        expect((await r.json()).error.code).toBe('overloaded');
      }
      const h = await fetch(`${server.url}/healthz`);
      expect(h.status).toBe(200);
      expect((await h.json()).load).toMatchObject({ running: 1, queued: 1, shed: 3 });
      expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/plancite_answers_shed_total 3/);
      open();
      for (const r of await Promise.all(asks.slice(0, 2))) expect(r.status).toBe(200);
    } finally {
      open?.();
      await server.close();
    }
  });

  it('/healthz says failing (503) after answers keep failing inside the engine, and ok again after a success', async () => {
    const engine = createFakeEngine();
    const server = await serveEngine(engine, { RATE_LIMIT_PER_MIN: '0' });
    try {
      engine.failWith = new TypeError("Cannot read properties of undefined (reading 'folded')");
      for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/ask`, json({ question: `q${i}` }))).status).toBe(500);
      const h = await fetch(`${server.url}/healthz`);
      expect(h.status).toBe(503);
      expect((await h.json()).status).toBe('failing');
      engine.failWith = undefined;
      expect((await fetch(`${server.url}/api/ask`, json({ question: 'q' }))).status).toBe(200);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
