// Score-level fusion of the keyword and dense rankings (measured by bench/dense-val.ts): dense re-orders BM25's candidates.
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/doc/types.ts';
import { DEFAULT_FUSION, keywordConfidence, scoreFusion } from '../../src/retrieve/retriever.ts';
import { questionTerms } from '../../src/retrieve/signals.ts';
import { STOP_FOLDED } from '../../src/text/stopwords.ts';
import { indexedCorpus } from '../helpers/indexed-corpus.ts';

const kw = [
  { id: 'a#0', score: 10 },
  { id: 'a#1', score: 9 },
  { id: 'b#0', score: 5 },
];

describe('scoreFusion', () => {
  it('with no dense weight keeps the keyword order', () => {
    expect(scoreFusion(kw, [{ id: 'b#0', score: 0.9 }, { id: 'a#1', score: 0.2 }], { denseWeight: 0, denseJoin: 0 })).toEqual(['a#0', 'a#1', 'b#0']);
  });

  it('lets a close keyword candidate that the dense ranking prefers move up, but not a far one', () => {
    const dense = [{ id: 'a#1', score: 0.8 }, { id: 'b#0', score: 0.7 }, { id: 'c#0', score: 0.1 }];
    // a#1: 0.9 + w·1; a#0 (outside the dense hits, counts as the lowest cosine): 1 + 0; b#0: 0.5 + w·6/7.
    expect(scoreFusion(kw, dense, { denseWeight: 0.3, denseJoin: 0 })).toEqual(['a#1', 'a#0', 'b#0']);
  });

  it('adds dense-only hits only when asked to, below the keyword candidates they do not beat', () => {
    const dense = [{ id: 'c#0', score: 0.9 }, { id: 'a#0', score: 0.5 }, { id: 'z#9', score: 0.1 }];
    expect(scoreFusion(kw, dense, { denseWeight: 0.3, denseJoin: 0 })).not.toContain('c#0');
    const joined = scoreFusion(kw, dense, { denseWeight: 0.3, denseJoin: 1 });
    expect(joined).toContain('c#0');
    expect(joined.indexOf('c#0')).toBeGreaterThan(joined.indexOf('b#0'));
  });

  it('the default fusion is reciprocal-rank, with a dense weight below the keyword weight', () => {
    expect(DEFAULT_FUSION.method).toBe('rrf');
    expect(DEFAULT_FUSION.denseWeight).toBeGreaterThan(0);
    expect(DEFAULT_FUSION.denseWeight).toBeLessThan(1);
  });
});

describe('the dense ranking joins hybrid search only where the keyword ranking did not find the question', () => {
  const chunk = (id: string, indexText: string) => ({ id, indexText }) as Chunk;
  const chunks = new Map([
    ['a#0', chunk('a#0', 'Người lao động được hưởng trợ cấp thất nghiệp khi đã đóng bảo hiểm thất nghiệp đủ 12 tháng')],
    ['b#0', chunk('b#0', 'Ủy ban nhân dân cấp tỉnh có trách nhiệm báo cáo')],
  ]);
  const terms = questionTerms('điều kiện hưởng trợ cấp thất nghiệp', () => 1, STOP_FOLDED);

  it('keyword confidence is the best share of the question a first hit holds', () => {
    const high = keywordConfidence([{ id: 'b#0', score: 2 }, { id: 'a#0', score: 1 }], terms, (id) => chunks.get(id));
    const low = keywordConfidence([{ id: 'b#0', score: 2 }], terms, (id) => chunks.get(id));
    expect(high).toBeGreaterThan(0.5);
    expect(low).toBeLessThan(0.2); // "cấp" alone (of "cấp tỉnh")
    expect(keywordConfidence([], terms, (id) => chunks.get(id))).toBe(0);
    expect(DEFAULT_FUSION.denseBelow).toBeGreaterThan(low);
    expect(DEFAULT_FUSION.denseBelow).toBeLessThan(high);
  });

  const corpus = indexedCorpus('fusion', { laws: ['Luat-viec-lam-nam-2013-215628.txt', 'Luat-nguoi-khuyet-tat-2010-108081.txt'] });
  it('a question the keyword ranking finds word for word: hybrid returns the keyword ranking unchanged', async () => {
    for (const question of ['Điều kiện hưởng trợ cấp thất nghiệp là gì?', 'Hội đồng xác định mức độ khuyết tật do ai thành lập?']) {
      const ids = async (channels: 'bm25' | 'dense' | 'hybrid') => (await corpus.engine.searchPassages(question, 10, { channels })).map((p) => `${p.docId} ${p.section}`);
      const [bm25, dense, hybrid] = [await ids('bm25'), await ids('dense'), await ids('hybrid')];
      expect(hybrid, question).toEqual(bm25);
      // The dense ranking is another one: joined, it would have moved these hits.
      expect(dense, question).not.toEqual(bm25);
    }
  });
});
