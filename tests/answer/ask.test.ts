// Grounded answers through the real engine over a real index built from corpus/.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type LoadedEngine } from '../../src/answer/engine.ts';
import { resolveTurn } from '../../src/retrieve/conversation.ts';
import { evaluate, loadGold } from '../../src/cli/eval.ts';
import { loadConfig } from '../../src/config.ts';
import { normalizeForMatch } from '../../src/text/normalize.ts';
import { runIngest } from '../../src/ingest/pipeline.ts';
import type { AskResult } from '../../src/doc/types.ts';

let dir: string;
let engine: LoadedEngine;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'plancite-ask-'));
  const cfg = loadConfig({ CORPUS_DIR: 'corpus', INDEX_DIR: dir });
  await runIngest(cfg);
  engine = await openEngine(dir, cfg);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const norm = (s: string) => normalizeForMatch(s);
const hay = (r: AskResult) => norm([r.answer, ...r.citations.map((c) => c.quote)].join('\n'));

function expectVerbatim(r: AskResult): void {
  for (const c of r.citations) {
    const sec = engine.section(c.docId, c.section);
    expect(sec, `${c.docId} §${c.section}`).not.toBeNull();
    expect(sec!.text.includes(c.quote), `quote of [${c.n}] is verbatim in ${c.docId} §${c.section}`).toBe(true);
    expect(r.answer).toContain(`[${c.n}]`);
  }
}

describe('the mission question', () => {
  for (const q of ['Which unit reports Resolution 42 results, and by when?', 'Đơn vị nào báo cáo kết quả thực hiện Nghị quyết 42 và thời hạn khi nào?']) {
    it(`names MOLISA, 15 December and the Central Economic Commission → Politburo line, each cited: ${q}`, async () => {
      const r = await engine.ask(q);
      expect(r.refused).toBe(false);
      expectVerbatim(r);
      const molisa = r.citations.find((c) => c.docNumber === '68/NQ-CP' && c.section === 'III.3.d');
      expect(molisa, 'III.3.d of the Government programme is cited').toBeDefined();
      expect(norm(molisa!.quote)).toContain(norm('gửi Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12'));
      expect(r.citations.some((c) => c.docNumber === '68/NQ-CP' && c.section === 'III.1')).toBe(true);
      const cec = r.citations.find((c) => c.section === 'V.3');
      expect(cec && norm(cec.quote)).toContain(norm('báo cáo Bộ Chính trị, Ban Bí thư'));
      expect(norm(r.answer)).toContain(norm('Ban Kinh tế Trung ương'));
      if (r.language === 'en') {
        expect(r.answer).toContain('Ministry of Labour, Invalids and Social Affairs');
        expect(r.answer).toContain('before 15 December each year');
        expect(r.answer).toContain('Central Economic Commission');
      }
    });
  }

  it('opens with the unit, not with a note: "Resolution" settles 42-NQ/TW and the corpus holds no other document 42', async () => {
    const r = await engine.ask('Which unit reports Resolution 42 results, and by when?');
    expect(r.answer.split('\n')[0]).toContain('Ministry of Labour, Invalids and Social Affairs');
    expect(r.answer).not.toMatch(/42-KL\/TU/);
  });
});

describe('refusals', () => {
  it('a signing date the document leaves blank is refused, with the closest sections as passages', async () => {
    const r = await engine.ask('Chương trình hành động 568-CTr/BCSD được ký ban hành ngày tháng năm nào?');
    expect(r.refused).toBe(true);
    expect(r.citations).toEqual([]);
    expect(r.passages.length).toBeGreaterThan(0);
  });
  it('a budget figure no document states is refused', async () => {
    const r = await engine.ask('Tổng kinh phí thực hiện Kế hoạch 1240 là bao nhiêu tỷ đồng?');
    expect(r.refused).toBe(true);
  });
  it('a figure of one province is not given as the answer about another', async () => {
    const other = await engine.ask('What is the life expectancy target in Hanoi for 2030?');
    expect(other.refused).toBe(true);
    const own = await engine.ask('What is the life expectancy target in Bac Ninh for 2030?');
    expect(own.refused).toBe(false);
    expect(hay(own)).toContain('76 tuổi');
  });
  it('a figure asked of one document is not taken from another', async () => {
    expect((await engine.ask('What unemployment rate target does Decision 1240 set for 2030?')).refused).toBe(true);
    const bn = await engine.ask('Tỷ lệ thất nghiệp chung của tỉnh Bắc Ninh đến năm 2030 là bao nhiêu?');
    expect(bn.refused).toBe(false);
    expect(hay(bn)).toContain('dưới 2%');
  });
  it('a true figure about something else is not given as the answer', async () => {
    const r = await engine.ask('What percentage of the workforce should participate in social insurance in Bac Ninh by 2030?');
    expect(r.refused).toBe(true);
  });
  it('office holders other than signers are not in the documents', async () => {
    expect((await engine.ask('Who is the current Minister of Health?')).refused).toBe(true);
    expect((await engine.ask('Who signed Decision 1240?')).refused).toBe(false);
  });
  it('a signer that is not in the document is refused, not guessed', async () => {
    const r = await engine.ask('Who signed the Bac Ninh DOLISA plan implementing Government Resolution 68/NQ-CP?');
    expect(r.refused).toBe(true);
  });
});

describe('metadata and inferred identities', () => {
  it('the signer of the Politburo plan comes from its signature block', async () => {
    const r = await engine.ask('Kế hoạch của Bộ Chính trị thực hiện Nghị quyết 42-NQ/TW do ai ký?');
    expect(hay(r)).toContain(norm('Trương Thị Mai'));
    expectVerbatim(r);
  });
  it('the Government programme\'s number is inferred from another document and marked so', async () => {
    const r = await engine.ask('Chương trình hành động của Chính phủ thực hiện Nghị quyết 42-NQ/TW có số hiệu là gì?');
    expect(r.answer).toContain('68/NQ-CP');
    expect(r.answer).toMatch(/suy ra/);
    expectVerbatim(r);
  });
});

describe('follow-ups', () => {
  it('"còn tỉnh Bắc Ninh thì sao?" is resolved against the earlier question', async () => {
    const history = [
      { role: 'user' as const, content: 'Đơn vị nào báo cáo kết quả thực hiện Nghị quyết 42 và thời hạn khi nào?' },
      { role: 'assistant' as const, content: 'Bộ Lao động - Thương binh và Xã hội …' },
    ];
    expect(resolveTurn('còn tỉnh Bắc Ninh thì sao?', history, engine.analyze, engine.documents()).analysis.docRefs.some((r) => r.raw.includes('42'))).toBe(true);
    const r = await engine.ask('còn tỉnh Bắc Ninh thì sao?', { history });
    expect(r.refused).toBe(false);
    expect(r.citations.some((c) => c.docId.startsWith('kh-bac-ninh'))).toBe(true);
    expect(hay(r)).toContain(norm('10/11'));
  });
  it('a full new question is not merged with the previous one', () => {
    const t = resolveTurn('Theo Quyết định 1240, Phụ lục II giao Cục Trẻ em những đề án nào?', [{ role: 'user', content: 'Nghị quyết 42?' }], engine.analyze, engine.documents());
    expect(t.followUp).toBe(false);
    expect(t.analysis.question).not.toContain('42?');
  });
});

describe('gold set (tests/eval/gold.jsonl)', () => {
  it('meets the bars: search recall@5 ≥ 0.90 and MRR@10 ≥ 0.75 (en and toneless ≥ 0.80), ask recall@5 ≥ 0.90, facts ≥ 0.85, every unanswerable refused, ≤ 2 false refusals, every quote verbatim', async () => {
    const r = await evaluate(engine, 'tests/eval/gold.jsonl');
    const search = r.retrieval.all!;
    expect(search.hits5 / search.n, 'search recall@5').toBeGreaterThanOrEqual(0.9);
    expect(search.mrr / search.n, 'search MRR@10').toBeGreaterThanOrEqual(0.75);
    for (const slice of ['lang:en', 'vi-no-diacritics']) {
      const b = r.retrieval[slice]!;
      expect(b.hits5 / b.n, `${slice} recall@5`).toBeGreaterThanOrEqual(0.8);
    }
    const ask = r.askRetrieval.all!;
    expect(ask.hits5 / ask.n, 'ask recall@5').toBeGreaterThanOrEqual(0.9);
    expect(r.facts / r.answerable).toBeGreaterThanOrEqual(0.85);
    expect(r.refusals.correct).toBe(r.refusals.total);
    expect(r.falseRefusals).toBeLessThanOrEqual(2);
    expect(r.citations.valid).toBe(r.citations.total);
    expect(loadGold('tests/eval/gold.jsonl').length).toBe(r.n);
  });
});
