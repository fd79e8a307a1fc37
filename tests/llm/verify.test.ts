// Quote verification and citation checking, on real corpus text (including the file that is not NFC).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bestMatchingSentence, citedNumbers, verifyCitations, verifyQuote, type CitableSource } from '../../src/answer/verify.ts';

const corpus = (file: string) => readFileSync(new URL(`../../corpus/${file}`, import.meta.url), 'utf8');
const gov = corpus('ctrhd-chinh-phu-nq42.txt');
const politburo = corpus('kh-bo-chinh-tri-nq42.txt');
const bacNinh = corpus('kh-bac-ninh-sldtbxh-nq42.txt');

describe('verifyQuote', () => {
  it('returns the exact substring for an exact quote', () => {
    const q = 'gửi Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12 để tổng hợp, báo cáo Chính phủ';
    expect(verifyQuote(q, gov)).toBe(q);
  });

  it('matches across case and returns the original casing', () => {
    expect(verifyQuote('BỘ TRƯỞNG, thủ trưởng cơ quan ngang bộ', gov)).toBe('Bộ trưởng, Thủ trưởng cơ quan ngang bộ');
  });

  it('matches a hyphen against the en dash of the source and returns the en dash', () => {
    const got = verifyQuote('đề xuất các nội dung điều chỉnh cho phù hợp với tình hình thực tiễn, gửi Bộ Lao động - Thương binh và Xã hội', gov);
    expect(got).toBe('đề xuất các nội dung điều chỉnh cho phù hợp với tình hình thực tiễn, gửi Bộ Lao động – Thương binh và Xã hội');
  });

  it('matches new-style tone placement against old-style source text, and the reverse', () => {
    expect(politburo).toContain('bí thư tỉnh uỷ, thành uỷ');
    expect(verifyQuote('các đồng chí bí thư tỉnh ủy, thành ủy, đảng đoàn', politburo)).toBe('Các đồng chí bí thư tỉnh uỷ, thành uỷ, đảng đoàn');
    expect(verifyQuote('Ủy ban nhân dân các tỉnh', 'Chủ tịch Uỷ ban nhân dân các tỉnh, thành phố')).toBe('Uỷ ban nhân dân các tỉnh');
    expect(verifyQuote('công tác xã hội hoá', 'đẩy mạnh công tác xã hội hóa nguồn lực')).toBe('công tác xã hội hóa');
  });

  it('ignores whitespace, NBSP, typographic quotes and wrapping punctuation', () => {
    const got = verifyQuote('  "định kỳ hàng năm,\n tổng hợp,\u00a0 đánh giá   tình hình thực hiện."  ', gov);
    expect(got).toBe('định kỳ hàng năm, tổng hợp, đánh giá tình hình thực hiện');
    expect(verifyQuote('the "plan" applies', 'Note: the “plan” applies here')).toBe('the “plan” applies');
    expect(verifyQuote("the plan's scope", 'on the plan’s scope')).toBe('the plan’s scope');
  });

  it('maps a match in the non-NFC corpus file back to its original (decomposed) characters', () => {
    // Find a real decomposed character in the Bắc Ninh plan and quote the text around it in NFC.
    const at = [...bacNinh.matchAll(/\p{M}/gu)][0]!.index;
    expect(at).toBeGreaterThan(0);
    const a = bacNinh.lastIndexOf(' ', at - 30) + 1;
    const b = bacNinh.indexOf(' ', at + 30);
    const original = bacNinh.slice(a, b);
    expect(original).not.toBe(original.normalize('NFC'));
    const got = verifyQuote(original.normalize('NFC'), bacNinh);
    expect(got).toBe(original);
    expect(bacNinh.includes(got!)).toBe(true);
  });

  it('maps a match in a fully decomposed source back to the decomposed substring', () => {
    const line = gov.split('\n').find((l) => l.startsWith('d) Thường xuyên'))!;
    const nfd = line.normalize('NFD');
    const quote = 'gửi Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12';
    const got = verifyQuote(quote, nfd);
    expect(got).not.toBeNull();
    expect(nfd.includes(got!)).toBe(true);
    expect(got).not.toBe(quote);
    expect(got!.normalize('NFC')).toBe(quote);
  });

  it('rejects paraphrases, changed dates, stripped diacritics, ellipses and empty quotes', () => {
    expect(verifyQuote('gửi Bộ Lao động - Thương binh và Xã hội trước ngày 30 tháng 6', gov)).toBeNull();
    expect(verifyQuote('gửi Bộ Lao động trước ngày 15 tháng 12', gov)).toBeNull();
    expect(verifyQuote('gui Bo Lao dong - Thuong binh va Xa hoi', gov)).toBeNull();
    expect(verifyQuote('định kỳ hàng năm ... báo cáo Chính phủ', gov)).toBeNull();
    expect(verifyQuote('  "" ', gov)).toBeNull();
  });
});

const src = (n: number, section: string, text: string): CitableSource => ({
  n, docId: 'ctrhd-chinh-phu-nq42', docNumber: '68/NQ-CP', docTitle: 'Chương trình hành động', section, file: 'corpus/ctrhd-chinh-phu-nq42.txt', text,
});
const lineOf = (prefix: string) => gov.split('\n').find((l) => l.startsWith(prefix))!;
const S = [src(1, 'III.3.b', lineOf('b) Xây dựng, ban hành')), src(2, 'III.3.d', lineOf('d) Thường xuyên'))];

describe('verifyCitations', () => {
  it('lists marker numbers in order of first appearance, inside groups too', () => {
    expect(citedNumbers('A [2]. B [1, 2]. C [3;1]')).toEqual([2, 1, 3]);
  });

  it('keeps valid citations, removes invalid markers from groups and renumbers', () => {
    const r = verifyCitations(
      'Báo cáo trước ngày 15 tháng 12 [4, 2]. Kế hoạch hoàn thành trước ngày 15 tháng 6 năm 2024 [1].',
      [
        { n: 2, quotes: ['gửi Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12'] },
        { n: 1, quotes: ['hoàn thành trước ngày 15 tháng 6 năm 2025', 'hoàn thành trước ngày 15 tháng 6 năm 2024'] },
        { n: 4, quotes: ['bất kỳ'] },
      ],
      S,
    );
    expect(r!.answer).toBe('Báo cáo trước ngày 15 tháng 12 [1]. Kế hoạch hoàn thành trước ngày 15 tháng 6 năm 2024 [2].');
    expect(r!.citations.map((c) => [c.n, c.section, c.quote])).toEqual([
      [1, 'III.3.d', 'gửi Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12'],
      [2, 'III.3.b', 'hoàn thành trước ngày 15 tháng 6 năm 2024'],
    ]);
    expect(r!.flagged).toBe(true);
    expect(r!.dropped).toEqual([{ n: 4, reason: 'source [4] was not given' }]);
  });

  it('flags a cited source without any quote, and ignores quotes for sources the answer never cites', () => {
    const r = verifyCitations('Kế hoạch hoàn thành trước ngày 15 tháng 6 năm 2024 [1]. Báo cáo hằng năm [2].', [
      { n: 1, quotes: ['hoàn thành trước ngày 15 tháng 6 năm 2024'] },
      { n: 2, quotes: [] },
    ], S);
    expect(r!.answer).toBe('Kế hoạch hoàn thành trước ngày 15 tháng 6 năm 2024 [1]. Báo cáo hằng năm.');
    expect(r!.flagged).toBe(true);
    const unused = verifyCitations('Hoàn thành trước ngày 15 tháng 6 năm 2024 [1].', [
      { n: 1, quotes: ['hoàn thành trước ngày 15 tháng 6 năm 2024'] },
      { n: 2, quotes: ['trước ngày 15 tháng 12'] },
    ], S);
    expect(unused!.flagged).toBe(false);
    expect(unused!.dropped.map((d) => d.n)).toEqual([2]);
  });

  it('returns null when nothing valid remains', () => {
    expect(verifyCitations('X [1] [3].', [{ n: 1, quotes: ['không có trong nguồn này'] }, { n: 3, quotes: ['x'] }], S)).toBeNull();
    expect(verifyCitations('Không có trích dẫn.', [], S)).toBeNull();
  });
});

describe('bestMatchingSentence', () => {
  it('picks the source sentence that shares the claim’s content words, verbatim', () => {
    const text = politburo.slice(politburo.indexOf('V- TỔ CHỨC THỰC HIỆN'), politburo.indexOf('Nơi nhận:'));
    const got = bestMatchingSentence('Ban Kinh tế Trung ương chủ trì theo dõi, đôn đốc và báo cáo Bộ Chính trị [1]', text);
    // The numbering label `3.` ends a "sentence" of its own, so the quote starts at the agency.
    expect(got).toMatch(/^Ban Kinh tế Trung ương chủ trì, phối hợp .* báo cáo Bộ Chính trị, Ban Bí thư\.$/);
    expect(text.includes(got!)).toBe(true);
  });

  it('returns null when no sentence shares enough content words', () => {
    expect(bestMatchingSentence('ngân sách 500 tỷ đồng', lineOf('d) Thường xuyên'))).toBeNull();
  });
});
