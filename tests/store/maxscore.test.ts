// MaxScore top-k gives exactly the exhaustive top-k (same chunks, same order, same scores) on real text.
import { beforeAll, describe, expect, it } from 'vitest';
import { queryTerms } from '../../src/store/bm25.ts';
import { buildKeywordField, buildKeywordFields, LocalKeywordScorer } from '../../src/store/local/keyword.ts';
import type { KeywordQuery } from '../../src/store/ports.ts';
import { tokenize } from '../../src/text/normalize.ts';
import { STOP_EXACT, STOP_FOLDED } from '../../src/text/stopwords.ts';
import { fixtureBuild } from './fixture-build.ts';

let scorer: LocalKeywordScorer;
let texts: string[];

beforeAll(async () => {
  const build = await fixtureBuild();
  texts = build.chunks.map((c) => c.indexText);
  scorer = new LocalKeywordScorer(buildKeywordField(texts, false), buildKeywordField(texts, true));
}, 60_000);

/** Deterministic pseudo-random numbers. */
function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('building the keyword fields', () => {
  it('one tokenisation for both fields gives the same fields as building each on its own', () => {
    const both = buildKeywordFields(texts);
    for (const [built, fold] of [[both.exact, false], [both.folded, true]] as const) {
      const alone = buildKeywordField(texts, fold);
      expect(built.termList).toEqual(alone.termList);
      for (const k of ['offsets', 'docs', 'tfs', 'lengths', 'maxImpact'] as const) expect(Array.from(built[k])).toEqual(Array.from(alone[k]));
    }
  });
});

describe('MaxScore pruning', () => {
  it('returns the exhaustive top-k on 300 queries made of words from the chunks (with and without diacritics)', () => {
    const r = rng(42);
    // Scores the 3 best ranges of 4 chunks first, then walks the rest.
    const seeding = new LocalKeywordScorer(scorer.exact, scorer.folded, { rangeShift: 2, seedRanges: 3 });
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const src = tokenize(texts[Math.floor(r() * texts.length)]!);
      const start = Math.floor(r() * Math.max(1, src.length - 12));
      const words = src.slice(start, start + 2 + Math.floor(r() * 10)).join(' ');
      // A second, weaker part like the glossary's expansion, from another chunk.
      const other = tokenize(texts[Math.floor(r() * texts.length)]!).slice(0, 4).join(' ');
      const diacritics = r() < 0.5;
      const q: KeywordQuery = {
        exact: [...queryTerms(words, false, STOP_EXACT), ...queryTerms(other, false, STOP_EXACT, 0.8)],
        folded: [...queryTerms(words, true, STOP_FOLDED), ...queryTerms(other, true, STOP_FOLDED, 0.8)],
        diacritics,
      };
      for (const k of [1, 5, 10, 60]) {
        const fast = scorer.topK(q, k);
        const want = scorer.topKExhaustive(q, k);
        expect(fast).toEqual(want);
        expect(seeding.topK(q, k)).toEqual(want);
        compared += fast.length;
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('returns the exhaustive top-k with small windows and ranges, long queries and terms named twice', () => {
    // Windows and ranges of a few chunks cross their edges on this small index; long queries with repeated terms are
    // what a question with its glossary expansion gives (a term's postings are walked once for both).
    const r = rng(7);
    // [window, rangeShift, seedRanges]: the last two score the best ranges first (the default on large indexes).
    const scorers = [[3, 0, 0], [64, 2, 0], [5, 9, 0], [64, 2, 5], [16, 0, 40]].map(([window, rangeShift, seedRanges]) => new LocalKeywordScorer(scorer.exact, scorer.folded, { window, rangeShift, seedRanges }));
    let compared = 0;
    for (let i = 0; i < 60; i++) {
      const pick = () => {
        const src = tokenize(texts[Math.floor(r() * texts.length)]!);
        const start = Math.floor(r() * Math.max(1, src.length - 40));
        return src.slice(start, start + 10 + Math.floor(r() * 30)).join(' ');
      };
      const words = pick();
      const other = `${pick()} ${words.split(' ').slice(0, 5).join(' ')}`;
      const q: KeywordQuery = {
        exact: [...queryTerms(words, false, STOP_EXACT), ...queryTerms(other, false, STOP_EXACT, 0.8)],
        folded: [...queryTerms(words, true, STOP_FOLDED), ...queryTerms(other, true, STOP_FOLDED, 0.8)],
        diacritics: r() < 0.5,
      };
      for (const k of [1, 10, 60]) {
        const want = scorer.topKExhaustive(q, k);
        for (const s of [scorer, ...scorers]) expect(s.topK(q, k)).toEqual(want);
        compared += want.length;
      }
    }
    expect(compared).toBeGreaterThan(2_000);
  });

  it('breaks ties by the lower ordinal when the best ranges, scored first, hold later chunks', () => {
    // Equal chunks everywhere and stronger ones only at the end: the end's ranges are scored first, with copies
    // of the equal chunk that tie with the earlier copies, which must still win the places left.
    const plain = 'bảo hiểm xã hội';
    const strong = 'bảo hiểm xã hội bảo hiểm xã hội';
    const tied = Array.from({ length: 64 }, (_, i) => (i >= 56 && i % 2 === 0 ? strong : plain));
    const fields = buildKeywordFields(tied);
    const q: KeywordQuery = { exact: queryTerms(plain, false, STOP_EXACT), folded: queryTerms(plain, true, STOP_FOLDED), diacritics: false };
    const exhaustive = new LocalKeywordScorer(fields.exact, fields.folded).topKExhaustive(q, 6);
    expect(exhaustive.map((h) => h.ordinal)).toEqual([56, 58, 60, 62, 0, 1]);
    for (const seedRanges of [0, 1, 2]) expect(new LocalKeywordScorer(fields.exact, fields.folded, { window: 8, rangeShift: 2, seedRanges }).topK(q, 6)).toEqual(exhaustive);
  });

  it('handles ties, one-term queries, unknown terms and k beyond the hits', () => {
    const q = (s: string): KeywordQuery => ({ exact: queryTerms(s, false, STOP_EXACT), folded: queryTerms(s, true, STOP_FOLDED), diacritics: false });
    for (const s of ['nghi', 'bao cao', 'zzz', 'bảo hiểm xã hội bảo hiểm', '']) {
      for (const k of [0, 1, 3, 100000]) {
        expect(scorer.topK(q(s), k)).toEqual(scorer.topKExhaustive(q(s), k));
        expect(new LocalKeywordScorer(scorer.exact, scorer.folded, { window: 5, rangeShift: 1 }).topK(q(s), k)).toEqual(scorer.topKExhaustive(q(s), k));
        expect(new LocalKeywordScorer(scorer.exact, scorer.folded, { window: 5, rangeShift: 1, seedRanges: 4 }).topK(q(s), k)).toEqual(scorer.topKExhaustive(q(s), k));
      }
    }
  });
});
