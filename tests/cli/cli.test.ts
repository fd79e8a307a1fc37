// The CLI contract (DESIGN.md): ingest with progress, ask/search --json (single and batch), obligations, eval, errors.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNodeVersion } from '../../src/cli/main.ts';

const run = promisify(execFile);
let root: string;
let env: NodeJS.ProcessEnv;

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await run('npx', ['tsx', 'src/cli/main.ts', ...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return { ...r, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'plancite-cli-'));
  env = { ...process.env, INDEX_DIR: path.join(root, 'index'), CORPUS_DIR: 'corpus' };
  const r = await cli(['ingest']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/\[1\/5\]/);
  expect(r.stderr).toMatch(/embedded 231\/231|embedded \d+\/\d+/);
  expect(r.stderr).toMatch(/done: 5 indexed/);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('cli', () => {
  it('ask --json prints one object with the contract fields', async () => {
    const r = await cli(['ask', '--json', 'Which unit reports Resolution 42 results, and by when?']);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(Object.keys(o)).toEqual(expect.arrayContaining(['question', 'language', 'refused', 'answer', 'citations', 'passages']));
    expect(o.language).toBe('en');
    expect(o.citations[0]).toEqual(expect.objectContaining({ n: 1, docId: expect.any(String), section: expect.any(String), quote: expect.any(String), file: expect.stringMatching(/^corpus\//) }));
    expect(o.passages.length).toBeGreaterThanOrEqual(5);
    expect(o.passages[0]).toEqual(expect.objectContaining({ docId: expect.any(String), section: expect.any(String), text: expect.any(String), score: expect.any(Number) }));
  });

  it('ask --batch lines take an optional history: a follow-up is answered against the earlier turns; refusals name their rule', async () => {
    const f = path.join(root, 'h.jsonl');
    const history = [{ role: 'user', content: 'Kế hoạch của Bộ Chính trị về Nghị quyết 42 yêu cầu gì về tuyên truyền chính sách xã hội?' }, { role: 'assistant', content: '…' }];
    await writeFile(f, [JSON.stringify({ id: 'f', question: 'Còn Chương trình của Chính phủ thì sao?', history }), JSON.stringify({ id: 'r', question: 'Kế hoạch của tỉnh Thái Bình giao Sở Y tế nhiệm vụ gì?' })].join('\n'));
    const a = await cli(['ask', '--json', '--batch', f]);
    expect(a.code, a.stderr).toBe(0);
    const [follow, refused] = a.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(follow.refused).toBe(false);
    expect(follow.citations.every((c: { docId: string }) => c.docId === 'ctrhd-chinh-phu-nq42')).toBe(true);
    expect(refused.refusal).toEqual({ rule: 'scope.place_absent', reason: expect.stringContaining('Thái Bình') });
    await writeFile(f, JSON.stringify({ id: 'x', question: 'q', history: 'not a list' }));
    const bad = await cli(['ask', '--json', '--batch', f]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/history/);
  });

  it('ask and search --batch print one line per input with the same id, index loaded once', async () => {
    const f = path.join(root, 'q.jsonl');
    await writeFile(f, [JSON.stringify({ id: 'a', question: 'nq 42 giao ai bao cao', extra: 1 }), '', JSON.stringify({ id: 7, question: 'Phụ lục II Kế hoạch 1240 có những đề án nào?' })].join('\n'));
    const a = await cli(['ask', '--json', '--batch', f]);
    const lines = a.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', '7']);
    const s = await cli(['search', '--json', '--k', '3', '--batch', f]);
    const sl = s.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(sl[0]).toEqual({ id: 'a', question: 'nq 42 giao ai bao cao', passages: expect.any(Array) });
    expect(sl[1].passages).toHaveLength(3);
  });

  it('search --batch lines take the same optional history: a follow-up is searched as the question it continues', async () => {
    const f = path.join(root, 'sh.jsonl');
    const history = [{ role: 'user', content: 'Which unit leads the task of building the Law on Employment (amended) in Decision 1240?' }, { role: 'assistant', content: '…' }];
    await writeFile(f, [JSON.stringify({ id: 'with', question: 'And who coordinates it?', history }), JSON.stringify({ id: 'without', question: 'And who coordinates it?' })].join('\n'));
    const s = await cli(['search', '--json', '--k', '5', '--batch', f]);
    expect(s.code, s.stderr).toBe(0);
    const [withHistory, without] = s.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; passages: Array<{ docId: string }> });
    if (!withHistory || !without) throw new Error(`two lines expected: ${s.stdout}`);
    expect(withHistory.id).toBe('with');
    expect(withHistory.passages.map((p) => p.docId)).toEqual(Array(5).fill('qd-1240-bldtbxh-nq11'));
    expect(new Set(without.passages.map((p) => p.docId)).size).toBeGreaterThan(1);
  });

  it('search --channels bm25|dense|hybrid (also with --batch): each channel alone or fused; a bad value is refused', async () => {
    const q = 'Phụ lục II Kế hoạch 1240 có những đề án nào?';
    const out: Record<string, Array<{ docId: string; section: string; score: number }>> = {};
    for (const ch of ['bm25', 'dense', 'hybrid']) {
      const r = await cli(['search', '--json', '--k', '5', '--channels', ch, q]);
      expect(r.code, r.stderr).toBe(0);
      out[ch] = JSON.parse(r.stdout).passages;
      expect(out[ch]).toHaveLength(5);
    }
    const key = (ps: Array<{ docId: string; section: string }>) => ps.map((p) => `${p.docId}#${p.section}`).join(' ');
    expect(key(out.bm25!)).not.toBe(key(out.dense!));
    const f = path.join(root, 'ch.jsonl');
    await writeFile(f, JSON.stringify({ id: 'x', question: q }) + '\n');
    const b = await cli(['search', '--json', '--k', '5', '--channels', 'dense', '--batch', f]);
    expect(key(JSON.parse(b.stdout.trim()).passages)).toBe(key(out.dense!));
    const bad = await cli(['search', '--json', '--channels', 'sparse', q]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--channels must be one of bm25, dense, hybrid/);
  });

  it('obligations: loose --doc with implementers, --kind, CSV and a calendar a real iCalendar parser reads', async () => {
    const j = await cli(['obligations', '--json', '--doc', 'Nghị quyết 42', '--kind', 'report']);
    const recs = JSON.parse(j.stdout) as Array<{ docNumber: string | null; section: string; recipient: string | null }>;
    const at = (num: string | null, sec: string) => recs.some((r) => r.docNumber === num && r.section === sec);
    expect(at('68/NQ-CP', 'III.1')).toBe(true);
    expect(at('68/NQ-CP', 'III.3.d')).toBe(true);
    expect(at('19-KH/TW', 'V.3')).toBe(true);
    expect(at(null, 'IV.3')).toBe(true);
    const csv = await cli(['obligations', '--doc', 'NQ 42', '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/section/);
    const ics = await cli(['obligations', '--doc', '42-NQ/TW', '--format', 'ics']);
    const events = Object.values(ical.sync.parseICS(ics.stdout)).filter((e) => e?.type === 'VEVENT');
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => (e as { rrule?: unknown } | undefined)?.rrule)).toBe(true);
  });

  it('ask --history FILE resolves a follow-up against the earlier question', async () => {
    const f = path.join(root, 'history.json');
    await writeFile(f, JSON.stringify([{ role: 'user', content: 'Đơn vị nào báo cáo kết quả thực hiện Nghị quyết 42 và thời hạn khi nào?' }, { role: 'assistant', content: '…' }]));
    const r = await cli(['ask', '--json', '--history', f, 'còn tỉnh Bắc Ninh thì sao?']);
    const o = JSON.parse(r.stdout);
    expect(o.question).toBe('còn tỉnh Bắc Ninh thì sao?');
    expect(o.citations.some((c: { docId: string }) => c.docId.startsWith('kh-bac-ninh'))).toBe(true);
    await writeFile(f, '{"not": "a list"}');
    const bad = await cli(['ask', '--history', f, 'x']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--history .*JSON array/);
  });

  it('eval prints retrieval and answer metrics', async () => {
    const r = await cli(['eval']);
    expect(r.stdout).toMatch(/recall@5/);
    expect(r.stdout).toMatch(/search bm25 +search dense +search hybrid +ask passages/);
    expect(r.stdout).toMatch(/lang:en/);
    expect(r.stdout).toMatch(/vi-no-diacritics/);
    expect(r.stdout).toMatch(/citation validity: 1\.00/);
  });

  it('bad input and a missing index give one-line messages and a non-zero exit', async () => {
    const e1 = await cli(['search', '--k', 'lots', 'x']);
    expect(e1.code).not.toBe(0);
    expect(e1.stderr).toMatch(/--k must be an integer/);
    const saved = env;
    env = { ...env, INDEX_DIR: path.join(root, 'nothing-here') };
    const e2 = await cli(['ask', 'xin chào']);
    env = saved;
    expect(e2.code).toBe(1);
    expect(e2.stderr.trim().split('\n').filter((l) => !/npm warn/.test(l))).toEqual([expect.stringMatching(/no index at .* run `npm run cli -- ingest` first/)]);
    const e3 = await cli(['frobnicate']);
    expect(e3.code).not.toBe(0);
    expect(e3.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('the documented command `npx plancite ask --json` prints nothing but the JSON on stdout', async () => {
    const r = await run('npx', ['plancite', 'ask', '--json', 'Which unit reports Resolution 42 results, and by when?'], { env, maxBuffer: 64 * 1024 * 1024 });
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('--help (alone or after a command) prints the usage on stdout and exits 0', async () => {
    for (const args of [['--help'], ['ask', '-h']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^usage: plancite <command>/);
    }
  });

  it('serve refuses an API key shorter than 16 characters with one line naming the variable', async () => {
    const saved = env;
    env = { ...env, API_KEYS: 'short-key', PORT: '0' };
    const r = await cli(['serve']);
    env = saved;
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^plancite: invalid environment variable API_KEYS: each key must be at least 16 characters$/);
  });

  it('checks the Node version it runs on', () => {
    expect(checkNodeVersion('20.0.0')).toBeNull();
    expect(checkNodeVersion('22.3.1')).toBeNull();
    expect(checkNodeVersion('18.19.1')).toMatch(/needs Node 20 or newer; this is Node 18\.19\.1/);
  });
});
