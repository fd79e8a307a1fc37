// BM25 scoring: syllables, bigrams and the diacritic-folded twin field, over the local columnar postings.
import { describe, expect, it } from 'vitest';
import { bm25Term, queryTerms, terms } from '../../src/store/bm25.ts';
import { BundleStrings, encodeStrings } from '../../src/store/local/bundle.ts';
import { buildKeywordField, LocalKeywordScorer } from '../../src/store/local/keyword.ts';
import { buildTermSlots, HashTermTable } from '../../src/store/local/terms.ts';

const texts = [
  'Bộ Lao động - Thương binh và Xã hội báo cáo kết quả thực hiện Nghị quyết hằng năm',
  'Phát triển thị trường lao động, giải quyết việc làm',
  'Nâng cao chất lượng giáo dục nghề nghiệp',
];
const scorer = new LocalKeywordScorer(buildKeywordField(texts, false), buildKeywordField(texts, true));
const stop = new Set(['và', 'va']);
const query = (s: string, diacritics: boolean) => ({ exact: queryTerms(s, false, stop), folded: queryTerms(s, true, stop), diacritics });

describe('bm25', () => {
  it('indexes syllables and bigrams', () => {
    expect(terms('báo cáo kết quả')).toEqual(expect.arrayContaining(['báo', 'cáo', 'báo_cáo', 'kết_quả']));
    expect(terms('Báo cáo', true)).toEqual(expect.arrayContaining(['bao_cao']));
  });

  it('a query typed without diacritics matches through the folded field', () => {
    const hits = scorer.topK(query('bao cao ket qua nghi quyet', false), 10);
    expect(hits[0]!.ordinal).toBe(0);
    expect(hits.every((h, i) => i === 0 || h.score < hits[0]!.score)).toBe(true);
  });

  it('with diacritics, the exact field leads', () => {
    expect(scorer.topK(query('giáo dục nghề nghiệp', true), 10)[0]!.ordinal).toBe(2);
  });

  it('words that name Object.prototype members are ordinary terms (never a function or a crash)', () => {
    for (const w of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(scorer.topK(query(w, false), 10)).toEqual([]);
      expect(scorer.docFreq(w)).toBe(0);
    }
    const withWord = new LocalKeywordScorer(buildKeywordField(['constructor toString lao động'], false), buildKeywordField(['constructor toString lao động'], true));
    expect(withWord.docFreq('constructor')).toBe(1);
    expect(withWord.topK(query('constructor', false), 5)).toHaveLength(1);
  });

  it('the on-disk term table finds every term and nothing else', () => {
    const list = ['lao', 'động', 'lao_động', 'constructor', '__proto__', 'việc_làm', ''];
    const s = encodeStrings(list);
    const strings = new BundleStrings(s.bytes, s.offsets);
    const table = new HashTermTable(strings, buildTermSlots(strings));
    list.forEach((t, i) => expect(table.find(t)).toBe(i));
    for (const t of ['la', 'động_lao', 'toString', 'lao ']) expect(table.find(t)).toBe(-1);
  });

  it('term score grows with tf and shrinks with document frequency', () => {
    expect(bm25Term(2, 1, 10, 10, 100)).toBeGreaterThan(bm25Term(1, 1, 10, 10, 100));
    expect(bm25Term(1, 1, 10, 10, 100)).toBeGreaterThan(bm25Term(1, 50, 10, 10, 100));
  });
});
