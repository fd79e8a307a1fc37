// BM25 over syllables + syllable bigrams, with a diacritic-folded twin field: terms, query terms and the score.
import { foldDiacritics, tokenize } from '../text/normalize.ts';
import type { QueryTerm } from './ports.ts';

export type { QueryTerm };

/** BM25 term-frequency saturation; typical range 1.2–2.0. */
export const BM25_K1 = 1.2;
/** BM25 length normalisation; 0 = none, 1 = full. */
export const BM25_B = 0.6;
/** Weight of a bigram match relative to a syllable match (bigrams carry word meaning in Vietnamese). */
export const BIGRAM_WEIGHT = 1.5;
/** Weight of the diacritic-folded field when the query itself has diacritics (it then only adds recall). */
export const FOLDED_WEIGHT_WITH_DIACRITICS = 0.3;

/** Syllables and adjacent-syllable bigrams (`bảo_hiểm`) of a text. */
export function terms(text: string, fold = false): string[] {
  let toks = tokenize(text);
  if (fold) toks = toks.map((t) => foldDiacritics(t));
  const out = [...toks];
  for (let i = 0; i + 1 < toks.length; i++) out.push(`${toks[i]}_${toks[i + 1]}`);
  return out;
}

/** Pure BM25 score contribution of one term. */
export function bm25Term(tf: number, df: number, docLen: number, avgLen: number, n: number): number {
  const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  return (idf * tf * (BM25_K1 + 1)) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * docLen) / avgLen));
}

/** Weighted query terms: syllables (weight 1) and bigrams (BIGRAM_WEIGHT), without stopwords. */
export function queryTerms(text: string, fold: boolean, stop: Set<string>, weight = 1): QueryTerm[] {
  let toks = tokenize(text);
  if (fold) toks = toks.map((t) => foldDiacritics(t));
  const out: QueryTerm[] = [];
  for (const t of toks) if (!stop.has(t)) out.push({ term: t, weight });
  for (let i = 0; i + 1 < toks.length; i++) {
    const a = toks[i]!;
    const b = toks[i + 1]!;
    if (stop.has(a) && stop.has(b)) continue;
    out.push({ term: `${a}_${b}`, weight: weight * BIGRAM_WEIGHT });
  }
  return out;
}
