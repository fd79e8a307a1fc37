// Score-level fusion of the keyword and dense rankings (measured by bench/dense-val.ts): dense re-orders BM25's candidates.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FUSION, scoreFusion } from '../../src/retrieve/retriever.ts';

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
