// BM25 scoring: syllables, bigrams and the diacritic-folded twin field.
import { describe, expect, it } from 'vitest';
import { bm25Term, buildBm25, queryTerms, searchBm25, terms } from '../../src/store/bm25.ts';

const texts = [
  'Bộ Lao động - Thương binh và Xã hội báo cáo kết quả thực hiện Nghị quyết hằng năm',
  'Phát triển thị trường lao động, giải quyết việc làm',
  'Nâng cao chất lượng giáo dục nghề nghiệp',
];
const index = buildBm25(texts);
const stop = new Set(['và', 'va']);

describe('bm25', () => {
  it('indexes syllables and bigrams', () => {
    expect(terms('báo cáo kết quả')).toEqual(expect.arrayContaining(['báo', 'cáo', 'báo_cáo', 'kết_quả']));
    expect(terms('Báo cáo', true)).toEqual(expect.arrayContaining(['bao_cao']));
  });

  it('a query typed without diacritics matches through the folded field', () => {
    const q = { exact: queryTerms('bao cao ket qua nghi quyet', false, stop), folded: queryTerms('bao cao ket qua nghi quyet', true, stop), diacritics: false };
    const s = searchBm25(index, q);
    expect(s[0]).toBeGreaterThan(0);
    expect(s[0]).toBeGreaterThan(s[1]!);
    expect(s[0]).toBeGreaterThan(s[2]!);
  });

  it('with diacritics, the exact field leads', () => {
    const q = { exact: queryTerms('giáo dục nghề nghiệp', false, stop), folded: queryTerms('giáo dục nghề nghiệp', true, stop), diacritics: true };
    const s = searchBm25(index, q);
    expect(s.indexOf(Math.max(...s))).toBe(2);
  });

  it('term score grows with tf and shrinks with document frequency', () => {
    expect(bm25Term(2, 1, 10, 10, 100)).toBeGreaterThan(bm25Term(1, 1, 10, 10, 100));
    expect(bm25Term(1, 1, 10, 10, 100)).toBeGreaterThan(bm25Term(1, 50, 10, 10, 100));
  });
});
