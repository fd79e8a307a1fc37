// startServer over a real index on loopback: the mission question streamed over SSE, exports, metrics and index hot swap.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import type { AskResult, Citation } from '../../src/doc/types.ts';
import { parseSse } from './fake-engine.ts';
import { ingest, removeDir, ROOT } from './real-index.ts';

const MISSION = 'Which unit reports Resolution 42 results, and by when?';
const MOLISA = 'Bộ Lao động - Thương binh và Xã hội';

/** A sixth document added to the corpus to trigger a new build. */
const EXTRA_DOC = `ỦY BAN NHÂN DÂN
TỈNH THỬ NGHIỆM

Số: 77/KH-UBND

KẾ HOẠCH
Triển khai thí điểm trợ lý tra cứu văn bản

I. MỤC ĐÍCH, YÊU CẦU

1. Thử nghiệm việc nạp lại chỉ mục khi có văn bản mới.

II. TỔ CHỨC THỰC HIỆN

1. Văn phòng Ủy ban nhân dân tỉnh chủ trì, báo cáo kết quả trước ngày 30 tháng 6 năm 2025.
`;

describe('startServer with the real engine', () => {
  let corpus: string;
  let indexDir: string;
  let server: RunningServer;
  const logs: string[] = [];

  beforeAll(async () => {
    corpus = mkdtempSync(path.join(tmpdir(), 'plancite-server-corpus-'));
    cpSync(path.join(ROOT, 'corpus'), corpus, { recursive: true });
    indexDir = await ingest(corpus);
    server = await startServer({ indexDir, port: 0, env: { RATE_LIMIT_PER_MIN: '0' }, quiet: true, log: (m) => logs.push(m) });
  });

  afterAll(async () => {
    await server?.close();
    removeDir(indexDir);
    removeDir(corpus);
  });

  it('prints its URL and answers /healthz', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const h = await (await fetch(`${server.url}/healthz`)).json();
    expect(h).toMatchObject({ status: 'ok', index: { loaded: true, documents: 5 } });
    expect(h.index.chunks).toBeGreaterThan(50);
  });

  it('streams the mission question over SSE with a verbatim, checkable citation', async () => {
    const res = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ question: MISSION }) });
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event).slice(-2)).toEqual(['citations', 'done']);
    expect(events.some((e) => e.event === 'token')).toBe(true);
    const done = JSON.parse(events.at(-1)!.data) as AskResult;
    expect(done.refused).toBe(false);
    expect(done.answer).toContain(MOLISA);
    const c = done.citations.find((x) => x.quote.includes('15 tháng 12')) as Citation;
    expect(c).toBeDefined();
    expect(c.docNumber).toBe('68/NQ-CP');
    // The quote is a verbatim substring of the section the API serves.
    const s = await (await fetch(`${server.url}/api/documents/${c.docId}/sections/${encodeURIComponent(c.section)}`)).json();
    expect(s.text).toContain(c.quote);
  });

  it('exports the task register as CSV and as a calendar that parses', async () => {
    const csv = await fetch(`${server.url}/api/obligations?doc=68/NQ-CP&format=csv`);
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    const ics = await fetch(`${server.url}/api/obligations?doc=68/NQ-CP&format=ics`);
    const events = Object.values(ical.sync.parseICS(await ics.text())).filter((e) => e?.type === 'VEVENT');
    expect(events.length).toBeGreaterThan(0);
    // `doc` brings in the documents implementing it; `docId` keeps one document's own tasks (the plan view).
    const loose = (await (await fetch(`${server.url}/api/obligations?doc=68/NQ-CP&kind=report`)).json()).obligations as Array<{ kind: string; docId: string }>;
    expect(new Set(loose.map((o) => o.docId))).toEqual(new Set(['ctrhd-chinh-phu-nq42', 'kh-bac-ninh-sldtbxh-nq42']));
    const own = (await (await fetch(`${server.url}/api/obligations?docId=ctrhd-chinh-phu-nq42&kind=report`)).json()).obligations as typeof loose;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((o) => o.kind === 'report' && o.docId === 'ctrhd-chinh-phu-nq42')).toBe(true);
  });

  it('hot-swaps the index when manifest.json changes; requests keep succeeding meanwhile', async () => {
    writeFileSync(path.join(corpus, 'kh-thu-nghiem-77.txt'), EXTRA_DOC);
    const ingesting = ingest(corpus, indexDir);
    const during: Promise<number>[] = [];
    for (let i = 0; i < 5; i++) during.push(fetch(`${server.url}/api/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'báo cáo kết quả thực hiện Nghị quyết 42' }) }).then((r) => r.status));
    await ingesting;
    await vi.waitFor(
      async () => {
        const h = await (await fetch(`${server.url}/healthz`)).json();
        expect(h.index.documents).toBe(6);
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(await Promise.all(during)).toEqual([200, 200, 200, 200, 200]);
    const doc = await fetch(`${server.url}/api/documents/kh-thu-nghiem-77`);
    expect(doc.status).toBe(200);
    // Searches run in the answer worker: the new build reached it too.
    const found = await fetch(`${server.url}/api/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'thí điểm trợ lý tra cứu văn bản', k: 5 }) });
    expect(server.workers?.pids().length).toBe(1);
    expect(((await found.json()) as { passages: Array<{ docId: string }> }).passages.map((p) => p.docId)).toContain('kh-thu-nghiem-77');
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain('plancite_index_reloads_total{result="ok"} 1');
    expect(logs.some((l) => l.startsWith('index reloaded (6 documents'))).toBe(true);
    // Nothing changed since: a manual reload is a no-op.
    expect(await server.reload()).toBe(false);
  });
});
