// The local keyword index: BM25 over columnar postings (term table → doc ordinals + term frequencies), two fields.
import { bm25Term, FOLDED_WEIGHT_WITH_DIACRITICS, terms } from '../bm25.ts';
import type { KeywordQuery, QueryTerm } from '../ports.ts';

/** Finds a term's row in a field's term table; never consults an object prototype. */
export interface TermTable {
  /** Row of a term, or -1 when the field does not hold it. */
  find(term: string): number;
  readonly size: number;
}

/** One field of the keyword index, as typed arrays: postings of term t are rows offsets[t] … offsets[t+1]-1. */
export interface KeywordField {
  terms: TermTable;
  /** Length termCount + 1. */
  offsets: Uint32Array;
  /** Chunk ordinals, ascending inside each term's postings. */
  docs: Uint32Array;
  /** Term frequency of each posting (saturated at 65,535). */
  tfs: Uint16Array;
  /** Number of terms in each chunk's field. */
  lengths: Uint32Array;
}

/** A term table over an in-memory Map (used while building and for small indexes). */
export class MapTermTable implements TermTable {
  constructor(private readonly map: Map<string, number>) {}
  find(term: string): number {
    return this.map.get(term) ?? -1;
  }
  get size(): number {
    return this.map.size;
  }
}

/** Builds one field from the texts to be searched (chunk `indexText`s), terms in first-seen order. */
export function buildKeywordField(texts: Iterable<string>, fold: boolean): KeywordField & { termList: string[] } {
  const rows = new Map<string, number>();
  const termList: string[] = [];
  const postDocs: number[][] = [];
  const postTfs: number[][] = [];
  const lengths: number[] = [];
  let i = 0;
  let total = 0;
  for (const text of texts) {
    const ts = terms(text, fold);
    lengths.push(ts.length);
    const tf = new Map<string, number>();
    for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let r = rows.get(t);
      if (r === undefined) {
        r = termList.length;
        rows.set(t, r);
        termList.push(t);
        postDocs.push([]);
        postTfs.push([]);
      }
      postDocs[r]!.push(i);
      postTfs[r]!.push(Math.min(n, 65535));
      total++;
    }
    i++;
  }
  const offsets = new Uint32Array(termList.length + 1);
  const docs = new Uint32Array(total);
  const tfs = new Uint16Array(total);
  let at = 0;
  for (let r = 0; r < termList.length; r++) {
    offsets[r] = at;
    docs.set(postDocs[r]!, at);
    tfs.set(postTfs[r]!, at);
    at += postDocs[r]!.length;
  }
  offsets[termList.length] = at;
  return { terms: new MapTermTable(rows), termList, offsets, docs, tfs, lengths: Uint32Array.from(lengths) };
}

/** Mean field length (the BM25 length-normalisation pivot), summed in chunk order. */
export function averageLength(field: KeywordField): number {
  let s = 0;
  for (let i = 0; i < field.lengths.length; i++) s += field.lengths[i]!;
  return s / Math.max(1, field.lengths.length);
}

/** Scores a query's terms on one field into acc (exhaustive, term at a time). */
function scoreField(field: KeywordField, avg: number, qterms: QueryTerm[], weight: number, acc: Float64Array, touched: number[]): void {
  const n = field.lengths.length;
  for (const { term, weight: w } of qterms) {
    const t = field.terms.find(term);
    if (t < 0) continue;
    const from = field.offsets[t]!;
    const to = field.offsets[t + 1]!;
    const df = to - from;
    for (let p = from; p < to; p++) {
      const doc = field.docs[p]!;
      if (acc[doc] === 0) touched.push(doc);
      acc[doc]! += weight * w * bm25Term(field.tfs[p]!, df, field.lengths[doc]!, avg, n);
    }
  }
}

/** A scored chunk ordinal. */
export interface OrdinalHit {
  ordinal: number;
  score: number;
}

/** Two-field BM25 over the same chunks (exact spelling and diacritic-folded). */
export class LocalKeywordScorer {
  private readonly avgExact: number;
  private readonly avgFolded: number;
  constructor(readonly exact: KeywordField, readonly folded: KeywordField) {
    this.avgExact = averageLength(exact);
    this.avgFolded = averageLength(folded);
  }

  get size(): number {
    return this.folded.lengths.length;
  }

  /**
   * Top-k chunk ordinals by score (> 0), ties by ordinal. When the query has no diacritics only the folded
   * field is used; otherwise the exact field leads and the folded one adds recall.
   */
  topK(query: KeywordQuery, k: number): OrdinalHit[] {
    const acc = new Float64Array(this.size);
    const touched: number[] = [];
    if (query.diacritics) {
      scoreField(this.exact, this.avgExact, query.exact, 1, acc, touched);
      scoreField(this.folded, this.avgFolded, query.folded, FOLDED_WEIGHT_WITH_DIACRITICS, acc, touched);
    } else {
      scoreField(this.folded, this.avgFolded, query.folded, 1, acc, touched);
    }
    const hits: OrdinalHit[] = [];
    for (const o of touched) if (acc[o]! > 0) hits.push({ ordinal: o, score: acc[o]! });
    hits.sort((a, b) => b.score - a.score || a.ordinal - b.ordinal);
    return hits.slice(0, k);
  }

  docFreq(term: string): number {
    const t = this.folded.terms.find(term);
    return t < 0 ? 0 : this.folded.offsets[t + 1]! - this.folded.offsets[t]!;
  }
}
