// Answers people can use (issue 11), through the real engine over an index built from corpus/: the answer
// first, complete lists, honest scope, cross-document answers, follow-ups, one refusal policy, length.
// None of these questions is in the public gold set or the blind development set.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type LoadedEngine } from '../../src/answer/engine.ts';
import { finalize } from '../../src/answer/compose.ts';
import { asksMoney } from '../../src/answer/refusal.ts';
import { loadConfig } from '../../src/config.ts';
import type { AskResult } from '../../src/doc/types.ts';
import { runIngest } from '../../src/ingest/pipeline.ts';
import { detectIntent } from '../../src/retrieve/query.ts';
import { cueRegex, foldCueText, loadCues } from '../../src/text/cues.ts';
import { normalizeForMatch } from '../../src/text/normalize.ts';

let dir: string;
let engine: LoadedEngine;
const cfgFor = (env: Record<string, string> = {}) => loadConfig({ CORPUS_DIR: 'corpus', INDEX_DIR: dir, ...env });
/** An engine over the same index with other answer settings (thresholds and length are configuration). */
const engineWith = (env: Record<string, string>) => openEngine(dir, cfgFor(env));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'plancite-answers-'));
  await runIngest(cfgFor());
  engine = await openEngine(dir, cfgFor());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const norm = (s: string) => normalizeForMatch(s);
const firstLine = (r: AskResult) => r.answer.split('\n')[0] ?? '';
/** An English sentence: at least 6 words outside quotes and parentheses, few with Vietnamese-only letters. */
function isEnglishSentence(line: string): boolean {
  const bare = line.replace(/“[^”]*”|"[^"]*"|\([^)]*\)/g, ' ');
  const words = bare.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const vi = words.filter((w) => /[ăâđêôơưàáãèéìíòóõùúýĩũ\u0300-\u036f\u1ea0-\u1ef9]/u.test(w)).length;
  return words.length >= 6 && vi / words.length <= 0.15 && !/^\s*note\b/i.test(line);
}
function expectCited(r: AskResult): void {
  for (const c of r.citations) {
    const sec = engine.section(c.docId, c.section);
    expect(sec, `${c.docId} §${c.section}`).not.toBeNull();
    expect(norm(sec!.text).includes(norm(c.quote)), `quote [${c.n}] verbatim in its section`).toBe(true);
    expect(r.answer).toContain(`[${c.n}]`);
  }
}

describe('the answer first', () => {
  it('a Vietnamese who-question opens with the unit and its citation marker', async () => {
    const r = await engine.ask('Theo Kế hoạch 19-KH/TW, cơ quan nào chủ trì hướng dẫn các cấp uỷ nghiên cứu, học tập, quán triệt Nghị quyết?');
    expect(r.refused).toBe(false);
    expect(firstLine(r)).toContain('Ban Tuyên giáo Trung ương');
    expect(firstLine(r)).toMatch(/\[1\]/);
    expectCited(r);
  });
  it('an English question opens with an English sentence: English unit names with the Vietnamese on first mention, the deadline in English', async () => {
    const r = await engine.ask('By what date must ministries and provinces issue their own plans to carry out the Government action programme on Resolution 42?');
    expect(r.refused).toBe(false);
    const line = firstLine(r);
    expect(isEnglishSentence(line), line).toBe(true);
    expect(line).toContain('by 15 June 2024');
    expect(line).toMatch(/Ministries and ministerial-level agencies \(Các bộ, cơ quan ngang bộ\)/);
    expect(line).toMatch(/\[\d+\]/);
    expectCited(r);
  });
  it('a reporting chain opens with who reports on the document asked about, then the deadline that feeds it, on one line', async () => {
    const r = await engine.ask('Under Resolution 42-NQ/TW, who reports on its implementation each year, and by what date?');
    expect(r.refused).toBe(false);
    const first = firstLine(r);
    // The record naming the resolution (MOLISA reports to the Government) first, the ministries' 15 December deadline to MOLISA with it.
    expect(first.indexOf('section III.1')).toBeGreaterThanOrEqual(0);
    expect(first.indexOf('section III.1')).toBeLessThan(first.indexOf('section III.3.d'));
    expect(first).toContain('15 December');
    expect(r.passages[0]!.section).toBe('III.1');
    expectCited(r);
  });
  it('every English line that quotes says in English where the quote is from before it', async () => {
    const r = await engine.ask('What does the Bac Ninh plan say about health insurance coverage?');
    expect(r.refused).toBe(false);
    for (const l of r.answer.split('\n').filter((x) => x.includes('“'))) expect(isEnglishSentence(l.slice(0, l.indexOf('“')) + ' it says so'), l).toBe(true);
  });
  it('at most three supporting quotes follow the opening, and no source is repeated', async () => {
    const r = await engine.ask('Chương trình hành động của Chính phủ về Nghị quyết 42 nêu những giải pháp gì về nhà ở xã hội?');
    expect(r.refused).toBe(false);
    const quoteLines = r.answer.split('\n').slice(1).filter((l) => l.includes('“'));
    expect(quoteLines.length).toBeLessThanOrEqual(3);
    const quotes = r.citations.map((c) => `${c.docId}|${c.quote}`);
    expect(new Set(quotes).size).toBe(quotes.length);
  });
});

describe('complete lists from the task register', () => {
  it("a unit's tasks in a plan: the complete set, grouped by role, each cited", async () => {
    const r = await engine.ask('Kế hoạch của Bộ Chính trị về Nghị quyết 42 giao Ban Tuyên giáo Trung ương những nhiệm vụ gì?');
    expect(r.refused).toBe(false);
    const register = engine.obligations({ doc: '19-KH/TW', unit: 'Ban Tuyên giáo Trung ương' });
    expect(register.length).toBeGreaterThan(0);
    expect(firstLine(r)).toContain(`${register.length} nhiệm vụ`);
    expect(r.citations.length).toBe(register.length);
    for (const o of register) expect(r.citations.some((c) => c.quote.includes(o.evidence.slice(0, 40)))).toBe(true);
    expectCited(r);
  });
  it("a unit's tasks asked in English by the unit's English name alone (no acronym): the complete set from the register", async () => {
    const r = await engine.ask('Which tasks in Decision 1240 does the Directorate of Vocational Education and Training lead?');
    expect(r.refused).toBe(false);
    const register = engine.obligations({ doc: '1240/QĐ-LĐTBXH', unit: 'Tổng cục Giáo dục nghề nghiệp' }).filter((o) => o.lead.includes('Tổng cục Giáo dục nghề nghiệp'));
    expect(register.length).toBeGreaterThan(1);
    expect(firstLine(r)).toContain(`assigns ${register.length} tasks to Directorate of Vocational Education and Training`);
    expectCited(r);
  });
  it('what falls due in a year, in English', async () => {
    const r = await engine.ask('Which tasks of the Decision 1240 action plan fall due in 2026?');
    expect(r.refused).toBe(false);
    expect(isEnglishSentence(firstLine(r))).toBe(true);
    expect(firstLine(r)).toMatch(/fall due in 2026/);
    expect(r.answer).toContain('Cục Trẻ em');
  });
  it('a list cut for length says how many more and links to the plan view filtered to them', async () => {
    const short = await engineWith({ ANSWER_MAX_CHARS: '400' });
    const r = await short.ask('Kế hoạch hành động kèm Quyết định 1240 giao Tổng cục Giáo dục nghề nghiệp những nhiệm vụ gì?');
    expect(r.refused).toBe(false);
    expect(r.answer.length).toBeLessThanOrEqual(400);
    const total = engine.obligations({ doc: '1240/QĐ-LĐTBXH', unit: 'Tổng cục Giáo dục nghề nghiệp' }).length;
    expect(firstLine(r)).toContain(`${total} nhiệm vụ`);
    const more = /và (\d+) nhiệm vụ khác: (\/plans\/qd-1240-bldtbxh-nq11\?unit=\S+)/.exec(r.answer);
    expect(more, r.answer).not.toBeNull();
    expect(Number(more![1]) + r.citations.length).toBe(total);
    expect(decodeURIComponent(more![2]!.split('unit=')[1]!.replace(/\+/g, ' '))).toBe('Tổng cục Giáo dục nghề nghiệp');
  });
});

describe('honest scope', () => {
  it('a province the corpus has no document of is said first and refused, naming what it holds', async () => {
    const r = await engine.ask('Kế hoạch của tỉnh Thái Bình đặt chỉ tiêu tỷ lệ hộ nghèo năm 2025 là bao nhiêu?');
    expect(r.refused).toBe(true);
    expect(r.refusal?.rule).toBe('scope.place_absent');
    expect(firstLine(r)).toContain('Thái Bình');
    expect(firstLine(r)).toContain('Bắc Ninh');
    expect(r.citations).toEqual([]);
  });
  it('any place name, in English too — not a list of known ones', async () => {
    const r = await engine.ask('What does the Quang Tri province plan set as its poverty target?');
    expect(r.refusal?.rule).toBe('scope.place_absent');
    expect(firstLine(r)).toMatch(/^Not stated: .*Quang Tri/);
  });
  it('a ministry that issued no document of the corpus is refused, not answered with another body’s plan', async () => {
    const r = await engine.ask('What reporting deadline does the Ministry of Finance plan on Resolution 42 set?');
    expect(r.refused).toBe(true);
    expect(r.refusal?.rule).toBe('scope.issuer_absent');
  });
  it('a document number the corpus neither holds nor cites is refused', async () => {
    const r = await engine.ask('Nghị quyết 99/NQ-CP giao Bộ Lao động - Thương binh và Xã hội nhiệm vụ gì?');
    expect(r.refusal?.rule).toBe('scope.document_absent');
  });
  it('the province the corpus holds is answered', async () => {
    const r = await engine.ask('Kế hoạch của tỉnh Bắc Ninh đặt mục tiêu tỷ lệ tham gia bảo hiểm y tế bao nhiêu phần trăm dân số?');
    expect(r.refused).toBe(false);
    expect(r.citations.every((c) => c.docId.startsWith('kh-bac-ninh'))).toBe(true);
  });
});

describe('cross-document answers', () => {
  it('timeliness: the programme against the deadline the Politburo plan set, both cited, comparison stated', async () => {
    const r = await engine.ask('Was the Government action programme on Resolution 42 issued within the deadline set by the Politburo plan?');
    expect(r.refused).toBe(false);
    expect(firstLine(r)).toMatch(/^No: .*9 May 2024.*after the deadline.*Q1 2024.*31 March 2024/);
    expect(r.citations.some((c) => c.docId === 'kh-bo-chinh-tri-nq42')).toBe(true);
    expect(r.citations.some((c) => norm(c.quote).includes(norm('68/NQ-CP ngày 09 tháng 5 năm 2024')))).toBe(true);
    expectCited(r);
  });
  it('a comparison quotes each document in the opening', async () => {
    const r = await engine.ask('So sánh mục tiêu tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ của tỉnh Bắc Ninh với Kế hoạch kèm Quyết định 1240');
    expect(r.refused).toBe(false);
    const docs = new Set(r.citations.filter((c) => firstLine(r).includes(`[${c.n}]`)).map((c) => c.docId));
    expect(docs.size).toBeGreaterThanOrEqual(2);
  });
  it('a comparison of two documents named by issuer and province quotes each in the opening, however the second scores', async () => {
    // The Bắc Ninh plan holds many reporting sentences; the programme's deadline clause scores far below them.
    for (const question of [
      'Compare the annual reporting deadlines in the Government programme and in the Bac Ninh DOLISA plan.',
      'So sánh thời hạn báo cáo hằng năm trong Chương trình hành động của Chính phủ và Kế hoạch của Sở LĐTBXH Bắc Ninh.',
    ]) {
      const r = await engine.ask(question);
      expect(r.refused, question).toBe(false);
      const opening = new Set(r.citations.filter((c) => firstLine(r).includes(`[${c.n}]`)).map((c) => c.docId));
      expect([...opening].sort(), question).toEqual(['ctrhd-chinh-phu-nq42', 'kh-bac-ninh-sldtbxh-nq42']);
    }
  });
});

describe('who issued a document', () => {
  it('is answered from the registry with the header that names the issuer, not from a duty the document assigns', async () => {
    const vi = await engine.ask('Cơ quan nào ban hành Kế hoạch 19-KH/TW?');
    expect(firstLine(vi)).toBe('Cơ quan ban hành Kế hoạch 19-KH/TW: Bộ Chính trị [1]');
    expect(norm(vi.citations[0]!.quote)).toContain(norm('Bộ Chính trị'));
    const en = await engine.ask('Who issued Decision 1240?');
    expect(firstLine(en)).toMatch(/^Decision 1240\/QĐ-LĐTBXH was issued by Ministry of Labour, Invalids and Social Affairs .*\(Bộ Lao động - Thương binh và Xã hội\) \[1\]\.$/u);
    expectCited(en);
  });
});

describe('what a figure question is about', () => {
  it('the subject in the title of the document it names is no topic the figure must carry', async () => {
    // The programme is named by its issuer and its subject (industrialisation); the figure's sentence does not repeat it.
    const r = await engine.ask('Chương trình hành động của Ban cán sự đảng Bộ LĐTBXH về công nghiệp hóa muốn có bao nhiêu trường cao đẳng chất lượng cao vào năm 2030?');
    expect(r.refused).toBe(false);
    expect(r.citations[0]?.quote).toContain('có 90 trường chất lượng cao');
  });
});

describe('follow-ups', () => {
  const history = [
    { role: 'user' as const, content: 'Kế hoạch của Bộ Chính trị về Nghị quyết 42 yêu cầu gì về tuyên truyền chính sách xã hội?' },
    { role: 'assistant' as const, content: '…' },
  ];
  it('a turn naming another document keeps the topic and answers from that document', async () => {
    const r = await engine.ask('Còn Chương trình của Chính phủ thì sao?', { history });
    expect(r.refused).toBe(false);
    expect(r.citations.length).toBeGreaterThan(0);
    expect(r.citations.every((c) => c.docId === 'ctrhd-chinh-phu-nq42')).toBe(true);
    expect(norm(r.answer)).toContain(norm('tuyên truyền'));
  });
  it('a later full question keeps the conversation’s document when it names none', async () => {
    const r = await engine.ask('Ai chịu trách nhiệm theo dõi, đôn đốc việc thực hiện?', { history });
    expect(r.refused).toBe(false);
    expect(r.citations.some((c) => c.docId === 'kh-bo-chinh-tri-nq42')).toBe(true);
  });
});

describe('one refusal policy', () => {
  it('a refusal names its rule and reason in the JSON; an answer has no refusal field', async () => {
    const no = await engine.ask('Who is the current Minister of Finance?');
    expect(no.refusal).toEqual({ rule: 'scope.person', reason: expect.any(String) });
    const yes = await engine.ask('Quyết định 1240 do ai ký?');
    expect(yes.refused).toBe(false);
    expect('refusal' in yes).toBe(false);
  });
  it('thresholds come from the configuration', async () => {
    const q = 'Chương trình hành động của Chính phủ về Nghị quyết 42 nói gì về nhà ở xã hội cho công nhân?';
    expect((await engine.ask(q)).refused).toBe(false);
    const strict = await (await engineWith({ ANSWER_MIN_COVERAGE: '1' })).ask(q);
    expect(strict.refusal?.rule).toBe('evidence.low_coverage');
  });
  it('a spelling variant of one number is not an ambiguity', async () => {
    const r = await engine.ask('Chương trình hành động 568 thực hiện Nghị quyết 29/NQ-TW giao Văn phòng Bộ nhiệm vụ gì về thông tin, tuyên truyền?');
    expect(r.answer).not.toMatch(/Lưu ý|Note:/);
  });
  it('"mức nào" is not a request for a number; a policy called "mức chuẩn" is not a money question', () => {
    expect(detectIntent('Tỷ lệ lao động qua đào tạo của tỉnh phải đạt mức nào?')).not.toBe('number');
    expect(asksMoney('Chương trình hành động của Chính phủ nói gì về mức chuẩn trợ giúp xã hội?')).toBe(false);
    expect(asksMoney('Mức chuẩn trợ giúp xã hội là bao nhiêu đồng/tháng?')).toBe(true);
    expect(asksMoney('Tổng kinh phí thực hiện kế hoạch là bao nhiêu?')).toBe(true);
    // A share of a budget is a rate; a fine is an amount of money.
    expect(asksMoney('Ngân sách nhà nước chi cho giáo dục ít nhất bao nhiêu phần trăm tổng chi?')).toBe(false);
    expect(asksMoney('Mức phạt tiền đối với hành vi này là bao nhiêu?')).toBe(true);
    expect(asksMoney('How much is the fine for not registering?')).toBe(true);
  });
  it('the money rule refuses an amount no document states, and lets the policy question through', async () => {
    expect((await engine.ask('Mức chuẩn trợ giúp xã hội hiện nay là bao nhiêu đồng mỗi tháng?')).refusal?.rule).toMatch(/^evidence\./);
    const r = await engine.ask('Chương trình hành động của Chính phủ nói gì về mức chuẩn trợ giúp xã hội?');
    expect(r.refused).toBe(false);
  });
});

describe('length', () => {
  it('answers stay within 1,200 characters by default and within the configured limit', async () => {
    for (const q of ['Which unit reports Resolution 42 results, and by when?', 'Chương trình hành động của Chính phủ về Nghị quyết 42 giao Bộ Lao động - Thương binh và Xã hội những nhiệm vụ gì?']) {
      expect((await engine.ask(q)).answer.length).toBeLessThanOrEqual(1200);
      const r = await (await engineWith({ ANSWER_MAX_CHARS: '300' })).ask(q);
      expect(r.answer.length).toBeLessThanOrEqual(300);
      expectCited(r);
    }
  });
  it('finalize keeps the lead, drops what does not fit and renumbers the citations it keeps', () => {
    const c = (n: number) => ({ n, docId: 'd', docNumber: null, docTitle: 't', section: 's', quote: `q${n}`, file: 'f' });
    const out = finalize({ lead: ['Lead [2]'], support: ['x'.repeat(300) + ' [1]', 'Short [3]'], notes: [] }, [c(1), c(2), c(3)], 250);
    expect(out.answer).toBe('Lead [1]\nShort [2]');
    expect(out.citations.map((x) => x.quote)).toEqual(['q2', 'q3']);
  });
});

describe('cue lists are data', () => {
  it('a cue file without its header or with an empty phrase is refused naming the field', async () => {
    const f = path.join(dir, 'bad-cues.json');
    await writeFile(f, JSON.stringify({ version: 1, about: 'x', source: 'y', lists: { who: ['ai', ''] } }));
    expect(() => loadCues(f)).toThrow(/lists\.who\.1/);
    await writeFile(path.join(dir, 'bad2.json'), JSON.stringify({ version: 1, lists: { who: ['ai'] } }));
    expect(() => loadCues(path.join(dir, 'bad2.json'))).toThrow(/about/);
  });
  it('a gap in a cue spans whole words only', () => {
    const re = cueRegex(['ca … va']);
    expect(re.test(foldCueText('cả Trung ương và địa phương'))).toBe(true);
    expect(re.test(foldCueText('báo cáo kết quả và thời hạn'))).toBe(false);
  });
});
