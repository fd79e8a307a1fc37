// Questions about a document's closing (who signed, in what capacity, when a law was adopted, to whom it was sent)
// rank the named document's closing passage first, and the answer's first line answers from it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asksClosing, detectIntent } from '../../src/retrieve/query.ts';
import { indexedCorpus } from '../helpers/indexed-corpus.ts';

const corpus = indexedCorpus('closing-rank', {
  laws: ['Luat-viec-lam-nam-2013-215628.txt', 'Luat-nguoi-khuyet-tat-2010-108081.txt', 'Luat-Bao-hiem-xa-hoi-2014-259700.txt'],
  texts: Object.fromEntries(['qd-1240-bldtbxh-nq11.txt', 'kh-bo-chinh-tri-nq42.txt', 'ctr-568-bcsd-nq29.txt', 'kh-bac-ninh-sldtbxh-nq42.txt'].map((f) => [f, readFileSync(`corpus/${f}`, 'utf8')])),
});

describe('questions about the closing', () => {
  it('are told apart from questions about duties and deadlines (Vietnamese, unaccented, English)', () => {
    for (const q of ['Ai là người ký Quyết định 1240?', 'Luat viec lam duoc Quoc hoi thong qua ngay nao?', 'When was the Employment Law passed, and at which session?', 'Kế hoạch này được lưu ở đâu?', 'Kế hoạch này được gửi đến những nơi nào?', 'Who is the signatory of Plan 19?']) {
      expect(asksClosing(q), q).toBe(true);
      expect(detectIntent(q), q).toBe('metadata');
    }
    for (const q of ['Ai chủ trì báo cáo kết quả thực hiện Nghị quyết 42?', 'Thông qua các hình thức nào để tuyên truyền?', 'When must the report be sent?']) expect(asksClosing(q), q).toBe(false);
  });

  it('rank the named document’s closing first among plans and laws', async () => {
    const signer = await corpus.engine.searchPassages('Ai là người ký Quyết định 1240 và ký với tư cách gì?', 5);
    expect(signer[0]!.section).toBe('Phần ký');
    expect(signer[0]!.text).toMatch(/Lưu: VT, KHTC\.\s+\*\*KT\. BỘ TRƯỞNG\s+THỨ TRƯỞNG\*\*\s+Lê Văn Thanh$/u);
    const adopted = await corpus.engine.searchPassages('Luật Việc làm được Quốc hội thông qua ngày nào?', 5);
    expect(adopted[0]!.section).toBe('Phần ký');
    expect(adopted[0]!.text).toContain('kỳ họp thứ 6 thông qua ngày 16 tháng 11 năm 2013');
    const en = await corpus.engine.searchPassages('Who signed the action programme No. 568 on Resolution 29?', 5);
    expect(en[0]!.section).toBe('Phần ký');
    expect(en[0]!.text).toMatch(/Lê Tấn Dũng$/u);
  });

  it('answer in the first line: the adoption date from the closing, then the signer', async () => {
    const r = await corpus.engine.ask('Luật Việc làm được Quốc hội thông qua ngày nào và do ai ký?');
    expect(r.refused).toBe(false);
    const [first, second] = r.answer.split('\n');
    expect(first).toMatch(/^Ngày thông qua .*: 16\/11\/2013/u);
    expect(second).toMatch(/^Người ký: Nguyễn Sinh Hùng, CHỦ TỊCH QUỐC HỘI/u);
    // The adoption sentence is cited as the closing's (the last article holds it too).
    expect(r.citations[0]!.section).toBe('Phần ký');
    const en = await corpus.engine.ask('Who signed Decision 1240, and in what capacity?');
    expect(en.answer.split('\n')[0]).toMatch(/“Lê Văn Thanh”.*“THỨ TRƯỞNG”.*“KT\. Bộ trưởng”/u);
    const list = await corpus.engine.ask('Quyết định 1240 được gửi cho những nơi nào và lưu ở đâu?');
    expect(list.answer.split('\n')[0]).toMatch(/^Nơi nhận .*Như Điều 3; .*; Lưu: VT, KHTC \[\d+\]$/u);
    // A plan without a signature (no number either): its distribution list, named by issuer and place.
    const province = await corpus.engine.ask('Kế hoạch của Sở LĐTBXH Bắc Ninh được gửi đến những nơi nào?');
    expect(province.passages[0]!.section).toBe('Nơi nhận');
    expect(province.answer.split('\n')[0]).toMatch(/^Nơi nhận của Kế hoạch \(Sở Lao động – Thương binh và Xã hội, Bắc Ninh\): UBND tỉnh \(b\/c\); .*; Lưu VT; VP \[\d+\]$/u);
    // Every quote is verbatim text of the section it cites.
    for (const a of [r, en, list, province]) {
      for (const c of a.citations) {
        const s = corpus.engine.section(c.docId, c.section);
        expect(s?.text.replace(/\s+/g, ' '), c.label).toContain(c.quote.replace(/\s+/g, ' '));
      }
    }
  });
});
