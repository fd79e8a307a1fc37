// BM25 keyword index over syllables + syllable bigrams, with a diacritic-folded twin field.
import { foldDiacritics, tokenize } from '../text/normalize.ts';

/** BM25 term-frequency saturation; typical range 1.2–2.0. */
export const BM25_K1 = 1.2;
/** BM25 length normalisation; 0 = none, 1 = full. */
export const BM25_B = 0.6;
/** Weight of a bigram match relative to a syllable match (bigrams carry word meaning in Vietnamese). */
export const BIGRAM_WEIGHT = 1.5;
/** Weight of the diacritic-folded field when the query itself has diacritics (it then only adds recall). */
export const FOLDED_WEIGHT_WITH_DIACRITICS = 0.3;

export const BM25_FORMAT_VERSION = 1;

/** Serialised BM25 index: postings per field as term → [docIndex, tf][] */
export interface Bm25Data {
  version: number;
  docCount: number;
  fields: {
    exact: { lengths: number[]; postings: Record<string, Array<[number, number]>> };
    folded: { lengths: number[]; postings: Record<string, Array<[number, number]>> };
  };
}

/** Syllables and adjacent-syllable bigrams (`bảo_hiểm`) of a text. */
export function terms(text: string, fold = false): string[] {
  let toks = tokenize(text);
  if (fold) toks = toks.map((t) => foldDiacritics(t));
  const out = [...toks];
  for (let i = 0; i + 1 < toks.length; i++) out.push(`${toks[i]}_${toks[i + 1]}`);
  return out;
}

function buildField(texts: string[], fold: boolean): Bm25Data['fields']['exact'] {
  const lengths: number[] = [];
  const postings: Record<string, Array<[number, number]>> = Object.create(null);
  texts.forEach((t, i) => {
    const tf = new Map<string, number>();
    const ts = terms(t, fold);
    for (const term of ts) tf.set(term, (tf.get(term) ?? 0) + 1);
    lengths.push(ts.length);
    for (const [term, n] of tf) (postings[term] ??= []).push([i, n]);
  });
  return { lengths, postings };
}

/** Builds the index from the texts to be searched (chunk `indexText`s). */
export function buildBm25(texts: string[]): Bm25Data {
  return {
    version: BM25_FORMAT_VERSION,
    docCount: texts.length,
    fields: { exact: buildField(texts, false), folded: buildField(texts, true) },
  };
}

/** Pure BM25 score contribution of one term. */
export function bm25Term(tf: number, df: number, docLen: number, avgLen: number, n: number): number {
  const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  return (idf * tf * (BM25_K1 + 1)) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * docLen) / avgLen));
}

export interface QueryTerm {
  term: string;
  weight: number;
}

function scoreField(field: Bm25Data['fields']['exact'], n: number, qterms: QueryTerm[], weight: number, acc: Float64Array): void {
  const avg = field.lengths.reduce((a, b) => a + b, 0) / Math.max(1, field.lengths.length);
  for (const { term, weight: w } of qterms) {
    const plist = field.postings[term];
    if (!plist) continue;
    for (const [doc, tf] of plist) {
      acc[doc]! += weight * w * bm25Term(tf, plist.length, field.lengths[doc]!, avg, n);
    }
  }
}

/**
 * Scores every indexed text for a query given as weighted syllables/bigrams. When the query has no
 * diacritics only the folded field is used; otherwise the exact field leads and the folded one adds recall.
 */
export function searchBm25(index: Bm25Data, query: { exact: QueryTerm[]; folded: QueryTerm[]; diacritics: boolean }): Float64Array {
  const acc = new Float64Array(index.docCount);
  if (query.diacritics) {
    scoreField(index.fields.exact, index.docCount, query.exact, 1, acc);
    scoreField(index.fields.folded, index.docCount, query.folded, FOLDED_WEIGHT_WITH_DIACRITICS, acc);
  } else {
    scoreField(index.fields.folded, index.docCount, query.folded, 1, acc);
  }
  return acc;
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
