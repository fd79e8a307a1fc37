// The local keyword index: BM25 over columnar postings (term table → doc ordinals + term frequencies), two fields.
import { BM25_B, BM25_K1, bm25Term, FOLDED_WEIGHT_WITH_DIACRITICS, terms } from '../bm25.ts';
import { foldDiacritics, tokenize } from '../../text/normalize.ts';
import type { KeywordQuery, QueryTerm } from '../ports.ts';

/** Finds a term's row in a field's term table; never consults an object prototype. */
export interface TermTable {
  /** Row of a term, or -1 when the field does not hold it. */
  find(term: string): number;
  readonly size: number;
}

/** The postings of one term: chunk ordinals (ascending) and the term's frequency in each (saturated at 65,535). */
export interface Postings {
  docs: Uint32Array;
  tfs: Uint16Array;
}

/**
 * One field of the keyword index, as typed arrays: postings of term t are rows offsets[t] … offsets[t+1]-1 of
 * the field's posting columns, which {@link KeywordField.postings} reads (from memory, or from the build file).
 */
export interface KeywordField {
  terms: TermTable;
  /** Length termCount + 1. */
  offsets: Uint32Array;
  /** The postings of term row t. */
  postings(t: number): Postings;
  /** Number of terms in each chunk's field. */
  lengths: Uint32Array;
  /** Per term, an upper bound of its BM25 contribution to any chunk (for MaxScore pruning). */
  maxImpact: Float32Array;
}

/** A field as built in memory, with its term list and posting columns (what the writer stores). */
export type BuiltField = KeywordField & { termList: string[]; docs: Uint32Array; tfs: Uint16Array };

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

/**
 * Builds both fields from the texts to be searched (chunk `indexText`s) with one tokenisation per text and one
 * diacritic folding per distinct syllable; the same fields as {@link buildKeywordField} on each.
 */
export function buildKeywordFields(texts: Iterable<string>): { exact: BuiltField; folded: BuiltField } {
  const foldCache = new Map<string, string>();
  const fold = (t: string) => {
    let f = foldCache.get(t);
    if (f === undefined) foldCache.set(t, (f = foldDiacritics(t)));
    return f;
  };
  const exact = new FieldBuilder();
  const folded = new FieldBuilder();
  for (const text of texts) {
    const toks = tokenize(text);
    exact.add(toks);
    folded.add(toks.map(fold));
  }
  return { exact: exact.finish(), folded: folded.finish() };
}

/** Builds one field from the texts to be searched (chunk `indexText`s), terms in first-seen order. */
export function buildKeywordField(texts: Iterable<string>, fold: boolean): BuiltField {
  const builder = new FieldBuilder();
  for (const text of texts) {
    const toks = tokenize(text);
    builder.add(fold ? toks.map((t) => foldDiacritics(t)) : toks);
  }
  return builder.finish();
}

/** Term rows of a field stay below this, so a bigram is keyed by the number rowA × span + rowB (below 2^53). */
const BIGRAM_SPAN = 2 ** 26;

/** A typed array twice as long (at least `need`), holding the old one's elements. */
function grown<T extends Uint32Array | Uint16Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const out = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  out.set(a);
  return out;
}

/**
 * Builds one field chunk by chunk from each chunk's syllables (its terms are the syllables then the bigrams, as
 * `terms` gives them): each chunk's distinct term rows and frequencies go into flat typed arrays, and the
 * postings are laid out term by term once all chunks are in — no per-term or per-chunk collections, so memory
 * stays a few bytes per posting on large corpora. A bigram is looked up by its two syllables' rows; its string
 * is made once, when first seen.
 */
class FieldBuilder {
  private readonly rows = new Map<string, number>();
  private readonly bigrams = new Map<number, number>();
  private readonly termList: string[] = [];
  private df = new Uint32Array(1024);
  /** Per chunk, its distinct term rows (ascending) and their frequencies; chunk c holds [ends[c-1], ends[c]). */
  private flatRows = new Uint32Array(1 << 16);
  private flatTfs = new Uint16Array(1 << 16);
  private used = 0;
  private ends = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  private chunks = 0;
  private scratch = new Uint32Array(1024);

  private newRow(t: string): number {
    const r = this.termList.length;
    if (r >= BIGRAM_SPAN) throw new Error(`a keyword field holds more than ${BIGRAM_SPAN} terms`);
    this.rows.set(t, r);
    this.termList.push(t);
    this.df = grown(this.df, r + 1);
    return r;
  }

  /** Adds the next chunk, given its syllables. */
  add(toks: string[]): void {
    const n = toks.length;
    const count = n + Math.max(0, n - 1);
    this.scratch = grown(this.scratch, count);
    for (let i = 0; i < n; i++) this.scratch[i] = this.rows.get(toks[i]!) ?? this.newRow(toks[i]!);
    for (let i = 0; i + 1 < n; i++) {
      const key = this.scratch[i]! * BIGRAM_SPAN + this.scratch[i + 1]!;
      let r = this.bigrams.get(key);
      if (r === undefined) {
        const t = `${toks[i]}_${toks[i + 1]}`;
        r = this.rows.get(t) ?? this.newRow(t);
        this.bigrams.set(key, r);
      }
      this.scratch[n + i] = r;
    }
    const part = this.scratch.subarray(0, count).sort();
    this.flatRows = grown(this.flatRows, this.used + part.length);
    this.flatTfs = grown(this.flatTfs, this.used + part.length);
    for (let i = 0; i < part.length; ) {
      let j = i + 1;
      while (j < part.length && part[j] === part[i]) j++;
      this.flatRows[this.used] = part[i]!;
      this.flatTfs[this.used] = Math.min(j - i, 65535);
      this.df[part[i]!]!++;
      this.used++;
      i = j;
    }
    this.ends = grown(this.ends, this.chunks + 1);
    this.lengths = grown(this.lengths, this.chunks + 1);
    this.ends[this.chunks] = this.used;
    this.lengths[this.chunks] = count;
    this.chunks++;
  }

  finish(): BuiltField {
    const nTerms = this.termList.length;
    const offsets = new Uint32Array(nTerms + 1);
    for (let r = 0; r < nTerms; r++) offsets[r + 1] = offsets[r]! + this.df[r]!;
    const docs = new Uint32Array(this.used);
    const tfs = new Uint16Array(this.used);
    const next = offsets.slice(0, nTerms);
    let p = 0;
    for (let c = 0; c < this.chunks; c++) {
      for (const end = this.ends[c]!; p < end; p++) {
        const r = this.flatRows[p]!;
        docs[next[r]!] = c;
        tfs[next[r]!++] = this.flatTfs[p]!;
      }
    }
    const base = { offsets, postings: memoryPostings(offsets, docs, tfs), lengths: this.lengths.slice(0, this.chunks) };
    return { ...base, docs, tfs, terms: new MapTermTable(this.rows), termList: this.termList, maxImpact: maxImpacts(base) };
  }
}

/** {@link KeywordField.postings} over posting columns in memory. */
export function memoryPostings(offsets: Uint32Array, docs: Uint32Array, tfs: Uint16Array): (t: number) => Postings {
  return (t) => ({ docs: docs.subarray(offsets[t]!, offsets[t + 1]!), tfs: tfs.subarray(offsets[t]!, offsets[t + 1]!) });
}

/** Upper bounds of each term's contribution, rounded up to float32 so they stay bounds. */
export function maxImpacts(field: Omit<KeywordField, 'terms' | 'maxImpact'>): Float32Array {
  const nTerms = field.offsets.length - 1;
  const n = field.lengths.length;
  const avg = averageLength(field);
  const out = new Float32Array(nTerms);
  for (let t = 0; t < nTerms; t++) {
    const { docs, tfs } = field.postings(t);
    let best = 0;
    for (let p = 0; p < docs.length; p++) best = Math.max(best, bm25Term(tfs[p]!, docs.length, field.lengths[docs[p]!]!, avg, n));
    out[t] = best * (1 + 1e-6);
  }
  return out;
}

/** Mean field length (the BM25 length-normalisation pivot), summed in chunk order. */
export function averageLength(field: { lengths: Uint32Array }): number {
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
    const { docs, tfs } = field.postings(t);
    const df = docs.length;
    for (let p = 0; p < df; p++) {
      const doc = docs[p]!;
      if (acc[doc] === 0) touched.push(doc);
      acc[doc]! += weight * w * bm25Term(tfs[p]!, df, field.lengths[doc]!, avg, n);
    }
  }
}

/** Chunks taken at a time by {@link LocalKeywordScorer.topK} (the bound accumulator's length; measured: 512–8,192 perform alike on 42,000 chunks). */
export const TOPK_WINDOW = 2048;
/** log2 of the chunks per range whose best contribution of a term is remembered (128). */
export const RANGE_SHIFT = 7;
/**
 * Ranges of chunks scored in full before the walk, those where the query's range bounds sum highest: their chunks
 * fill the top-k with good scores at once, so the walk starts with a cutoff near its final value (measured on the
 * 213-document index: the gold questions' look-ups fall from 60,000 to about 9,000 with a perfect start).
 */
export const SEED_RANGES = 8;
/** Most bytes of remembered range bounds (terms are added as queries use them; all dropped past this). */
export const RANGE_BOUNDS_BUDGET = 64 * 1048576;

/** Relative slack on pruning decisions, so float rounding in the bound sums never drops a true top-k chunk. */
const PRUNE_MARGIN = 1e-9;

/**
 * One posting list while scoring: a term of one field, with every query term that names it (a word of the
 * question and of its expansion share one cursor but keep their own weight and their place in the sum).
 */
interface ScoringList {
  /** The list's field ('e' exact, 'f' folded) and row there, naming its range bounds in the cache. */
  key: string;
  docs: Uint32Array;
  tfs: Uint16Array;
  /** Per chunk, the length part of the BM25 denominator. */
  norm: Float64Array;
  idf: number;
  /** Field weight × query-term weight of each query term on this list. */
  W: number[];
  /** Position of each of those query terms in the query (exact field first), the order scores are summed in. */
  order: number[];
  from: number;
  to: number;
  /** Upper bound of the list's contribution (sum of W × the term's bound). */
  ub: number;
}

/** Per chunk, the length part of the BM25 denominator, computed exactly as in bm25Term. */
function lengthNorms(field: KeywordField, avgLen: number): Float64Array {
  const out = new Float64Array(field.lengths.length);
  for (let d = 0; d < out.length; d++) out[d] = BM25_K1 * (1 - BM25_B + (BM25_B * field.lengths[d]!) / avgLen);
  return out;
}

/** First position in docs[from, to) holding a value ≥ target (galloping, then binary search). */
function seek(docs: Uint32Array, from: number, to: number, target: number): number {
  if (from >= to || docs[from]! >= target) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < to && docs[hi]! < target) {
    lo = hi;
    step *= 2;
    hi = Math.min(to, hi + step);
  }
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The k best (ordinal, score) pairs: ranked by score, then by lower ordinal. A binary heap with the worst on top. */
class TopK {
  private readonly ords: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly k: number) {}
  get full(): boolean {
    return this.ords.length >= this.k;
  }
  minScore(): number {
    return this.scores[0]!;
  }
  /** Would (ordinal, score) enter the k best? Ties go to the lower ordinal, whatever order chunks come in. */
  admits(ordinal: number, score: number): boolean {
    if (!this.full) return true;
    const s = this.scores[0]!;
    return score > s || (score === s && ordinal < this.ords[0]!);
  }
  /** a is worse than b. */
  private worse(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa < sb || (sa === sb && this.ords[a]! > this.ords[b]!);
  }
  private swap(a: number, b: number): void {
    [this.ords[a], this.ords[b]] = [this.ords[b]!, this.ords[a]!];
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
  }
  push(ordinal: number, score: number): void {
    this.ords.push(ordinal);
    this.scores.push(score);
    let i = this.ords.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(i, p)) break;
      this.swap(i, p);
      i = p;
    }
    if (this.ords.length > this.k) this.popWorst();
  }
  private popWorst(): void {
    const last = this.ords.length - 1;
    this.swap(0, last);
    this.ords.pop();
    this.scores.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < this.ords.length && this.worse(l, w)) w = l;
      if (r < this.ords.length && this.worse(r, w)) w = r;
      if (w === i) break;
      this.swap(i, w);
      i = w;
    }
  }
  sorted(): OrdinalHit[] {
    return this.ords.map((ordinal, i) => ({ ordinal, score: this.scores[i]! })).sort((a, b) => b.score - a.score || a.ordinal - b.ordinal);
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
  private readonly normExact: Float64Array;
  private readonly normFolded: Float64Array;
  private readonly window: number;
  private readonly rangeShift: number;
  private readonly seedRanges: number;
  /** Per term list in use, its best contribution in each range of chunks (see {@link rangeBounds}). */
  private readonly ranges = new Map<string, Float32Array>();
  private rangeBytes = 0;
  constructor(
    readonly exact: KeywordField,
    readonly folded: KeywordField,
    /** Window and range sizes and the ranges scored first (tests make them small to cross their edges on a small index). */
    opts: { window?: number; rangeShift?: number; seedRanges?: number } = {},
  ) {
    this.window = opts.window ?? TOPK_WINDOW;
    this.rangeShift = opts.rangeShift ?? RANGE_SHIFT;
    this.seedRanges = opts.seedRanges ?? SEED_RANGES;
    this.avgExact = averageLength(exact);
    this.avgFolded = averageLength(folded);
    this.normExact = lengthNorms(exact, this.avgExact);
    this.normFolded = lengthNorms(folded, this.avgFolded);
  }

  get size(): number {
    return this.folded.lengths.length;
  }

  /**
   * A term list's best contribution (before query weights) in each range of 2^rangeShift chunks, rounded up
   * like {@link maxImpacts}: a bound far tighter than the term's overall best for most chunks. Worked out when
   * a query first needs it and remembered within a byte budget.
   */
  private rangeBounds(q: ScoringList): Float32Array {
    let r = this.ranges.get(q.key);
    if (r) return r;
    r = new Float32Array((this.size >>> this.rangeShift) + 1);
    const { docs, tfs, norm, idf, to } = q;
    for (let p = q.from; p < to; p++) {
      const d = docs[p]!;
      const tf = tfs[p]!;
      const c = ((idf * tf * (BM25_K1 + 1)) / (tf + norm[d]!)) * (1 + 1e-6);
      const g = d >>> this.rangeShift;
      if (c > r[g]!) r[g] = c;
    }
    if (this.rangeBytes + r.byteLength > RANGE_BOUNDS_BUDGET) {
      this.ranges.clear();
      this.rangeBytes = 0;
    }
    this.ranges.set(q.key, r);
    this.rangeBytes += r.byteLength;
    return r;
  }

  /**
   * Top-k chunk ordinals by score (> 0), ties by ordinal, by exhaustive scoring (the reference for {@link topK}).
   * When the query has no diacritics only the folded field is used; otherwise the exact field leads and the
   * folded one adds recall.
   */
  topKExhaustive(query: KeywordQuery, k: number): OrdinalHit[] {
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

  /**
   * The same top-k as {@link topKExhaustive} (same scores to the bit, same order), found with MaxScore
   * (Turtle & Flood 1995): terms whose bounds together cannot reach the current k-th score (non-essential)
   * no longer propose candidates; the essential ones are walked a window of chunks at a time into a bound per
   * chunk, and a chunk that even with the best possible contribution of its remaining terms cannot beat the
   * k-th score is skipped. A term named twice (by the question and by its expansion) is walked once. Cost per
   * query grows with the essential postings, not with the number of query terms times the chunks visited.
   * Before the walk, the {@link SEED_RANGES} ranges whose bounds sum highest are scored in full (and then
   * skipped): the walk starts with a cutoff near the final one instead of filling the top-k from the corpus's
   * first chunks, which on the 213-document index halves the time per question.
   */
  topK(query: KeywordQuery, k: number): OrdinalHit[] {
    const n = this.size;
    const lists: ScoringList[] = [];
    let terms = 0;
    /** The list of each query term, by its place in the query (the order exhaustive scoring sums in). */
    const termList: ScoringList[] = [];
    const termW: number[] = [];
    const add = (field: KeywordField, norm: Float64Array, qterms: QueryTerm[], weight: number, tag: string) => {
      const byRow = new Map<number, ScoringList>();
      for (const { term, weight: w } of qterms) {
        const t = field.terms.find(term);
        if (t < 0) continue;
        const W = weight * w;
        const order = terms++;
        termW.push(W);
        const known = byRow.get(t);
        if (known) {
          termList.push(known);
          known.W.push(W);
          known.order.push(order);
          known.ub += W * field.maxImpact[t]!;
          continue;
        }
        const { docs, tfs } = field.postings(t);
        const df = docs.length;
        // The same expression as bm25Term, so scores match exhaustive scoring to the bit.
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        const list: ScoringList = { key: `${tag}${t}`, docs, tfs, norm, idf, W: [W], order: [order], from: 0, to: df, ub: W * field.maxImpact[t]! };
        byRow.set(t, list);
        lists.push(list);
        termList.push(list);
      }
    };
    if (query.diacritics) {
      add(this.exact, this.normExact, query.exact, 1, 'e');
      add(this.folded, this.normFolded, query.folded, FOLDED_WEIGHT_WITH_DIACRITICS, 'f');
    } else {
      add(this.folded, this.normFolded, query.folded, 1, 'f');
    }
    if (k <= 0 || lists.length === 0) return [];
    const byUb = lists.sort((a, b) => a.ub - b.ub);
    const m = byUb.length;
    /** prefix[i] = sum of the bounds of byUb[0 … i-1]. */
    const prefix = new Float64Array(m + 1);
    for (let i = 0; i < m; i++) prefix[i + 1] = prefix[i]! + byUb[i]!.ub;
    /** Sum of each list's weights (its contribution to a chunk's bound, in any order of summation). */
    const wsum = Float64Array.from(byUb, (q) => q.W.reduce((a, b) => a + b, 0));
    /** Where each essential list's walk through the windows stands. */
    const walk = Int32Array.from(byUb, (q) => q.from);
    /** Where each list's look-ups stand (chunks are looked up in ascending order). */
    const pos = Int32Array.from(byUb, (q) => q.from);
    const contrib = new Float64Array(terms);
    const touched = new Int32Array(terms);
    const bound = new Float64Array(this.window);
    const heap = new TopK(k);
    let cutoff = -Infinity;
    /** byUb[0 … ess-1] are non-essential: their bounds together cannot beat the k-th score. */
    let ess = 0;
    const shift = this.rangeShift;
    /** Range bounds of byUb[0 … rbs.length-1], fetched when first needed. */
    const rbs: Float32Array[] = [];
    const rangeBoundsOf = (upTo: number): Float32Array[] => {
      for (let i = rbs.length; i < upTo; i++) rbs.push(this.rangeBounds(byUb[i]!));
      return rbs;
    };
    /** Per range, the sum of every list's best there (summed in byUb order): no chunk of the range scores more. */
    let rangeBest: Float64Array | null = null;
    const bestOf = (): Float64Array => {
      if (rangeBest) return rangeBest;
      const all = rangeBoundsOf(m);
      rangeBest = new Float64Array(all[0]!.length);
      for (let i = 0; i < m; i++) {
        const r = all[i]!;
        const w = wsum[i]!;
        for (let g = 0; g < rangeBest.length; g++) rangeBest[g]! += w * r[g]!;
      }
      return rangeBest;
    };
    // The ranges scored first (every chunk of them in full), then skipped by the walk.
    const seeded = this.seed(termList, termW, heap, bestOf);
    if (heap.full) {
      cutoff = heap.minScore() * (1 - PRUNE_MARGIN);
      while (ess < m && prefix[ess + 1]! < cutoff) ess++;
    }
    /** Records list i's contributions at posting p (chunk d) in query order; returns their sum. */
    const score = (i: number, p: number, d: number, nt: number): number => {
      const q = byUb[i]!;
      const tf = q.tfs[p]!;
      const base = (q.idf * tf * (BM25_K1 + 1)) / (tf + q.norm[d]!);
      let sum = 0;
      for (let j = 0; j < q.W.length; j++) {
        const c = q.W[j]! * base;
        contrib[q.order[j]!] = c;
        touched[nt + j] = q.order[j]!;
        sum += c;
      }
      return sum;
    };
    /** Scores list i at chunk d if it holds d (seeking forward); returns the number of contributions recorded. */
    const lookup = (i: number, d: number, nt: number): number => {
      const q = byUb[i]!;
      const p = seek(q.docs, pos[i]!, q.to, d);
      pos[i] = p;
      if (p >= q.to || q.docs[p] !== d) return 0;
      score(i, p, d, nt);
      return q.W.length;
    };
    const inRange = new Float64Array(m);
    const rangePrefix = new Float64Array(m + 1);
    // Chunks are taken a window at a time: the essential lists add their part of each chunk's score into a
    // bound (term at a time, no per-chunk bookkeeping); only chunks whose bound, with the non-essential lists'
    // best, can beat the k-th score are scored exactly.
    // Block-max: once the heap is full, a range of chunks where even the best of every list there cannot reach
    // the k-th score is dead: the essential lists jump over their postings in it.
    const dead = new Uint8Array((this.window >>> shift) + 2);
    for (let ws = 0; ws < n && ess < m; ws += this.window) {
      const we = Math.min(n, ws + this.window);
      const essW = ess;
      const g0 = ws >>> shift;
      let anyDead = false;
      if (heap.full || seeded) {
        const best = heap.full ? bestOf() : null;
        for (let g = g0; g <= (we - 1) >>> shift; g++) {
          let d = seeded?.[g] === 1;
          if (!d && best) d = best[g]! < cutoff;
          dead[g - g0] = d ? 1 : 0;
          anyDead ||= d;
        }
      }
      for (let i = essW; i < m; i++) {
        const q = byUb[i]!;
        const { docs, tfs, norm, idf, to } = q;
        const w = wsum[i]!;
        let p = walk[i]!;
        for (; p < to; p++) {
          const d = docs[p]!;
          if (d >= we) break;
          if (anyDead && dead[(d >>> shift) - g0] === 1) {
            p = seek(docs, p, to, Math.min(we, ((d >>> shift) + 1) << shift)) - 1;
            continue;
          }
          const tf = tfs[p]!;
          bound[d - ws]! += w * ((idf * tf * (BM25_K1 + 1)) / (tf + norm[d]!));
        }
        walk[i] = p;
      }
      // Range bounds of the non-essential lists (their best in the chunk's range), summed like prefix.
      const rb = rangeBoundsOf(essW);
      let range = -1;
      for (let d = ws; d < we; d++) {
        let approx = bound[d - ws]!;
        if (approx === 0) continue;
        bound[d - ws] = 0;
        const g = d >>> shift;
        if (g !== range) {
          range = g;
          for (let i = 0; i < essW; i++) {
            const c = wsum[i]! * rb[i]![g]!;
            inRange[i] = c;
            rangePrefix[i + 1] = rangePrefix[i]! + c;
          }
        }
        let nt = 0;
        let pruned = false;
        for (let i = essW - 1; i >= 0; i--) {
          if (approx + rangePrefix[i + 1]! < cutoff) {
            pruned = true;
            break;
          }
          if (inRange[i] === 0) continue;
          const had = nt;
          nt += lookup(i, d, nt);
          for (let j = had; j < nt; j++) approx += contrib[touched[j]!]!;
        }
        if (!pruned && approx >= cutoff) {
          for (let i = essW; i < m; i++) nt += lookup(i, d, nt);
          // The exact score: contributions summed in query order, as exhaustive scoring adds them (a term
          // that does not hold the chunk adds 0, which leaves a sum unchanged).
          let exact = 0;
          for (let j = 0; j < terms; j++) exact += contrib[j]!;
          if (exact > 0 && heap.admits(d, exact)) {
            heap.push(d, exact);
            if (heap.full) {
              cutoff = heap.minScore() * (1 - PRUNE_MARGIN);
              while (ess < m && prefix[ess + 1]! < cutoff) ess++;
            }
          }
        }
        for (let j = 0; j < nt; j++) contrib[touched[j]!] = 0;
      }
    }
    return heap.sorted();
  }

  /**
   * Scores every chunk of the ranges where the query's range bounds sum highest into the heap, term by term in
   * query order (so each sum is the exhaustive one to the bit); returns which ranges were scored (null: none).
   */
  private seed(termList: ScoringList[], termW: number[], heap: TopK, bestOf: () => Float64Array): Uint8Array | null {
    const shift = this.rangeShift;
    const nRanges = ((this.size - 1) >>> shift) + 1;
    if (this.seedRanges <= 0 || nRanges <= this.seedRanges) return null;
    const best = bestOf();
    // The seedRanges best ranges (ties: the lower range), kept sorted best first.
    const top: number[] = [];
    for (let g = 0; g < nRanges; g++) {
      const b = best[g]!;
      if (!(b > 0) || (top.length === this.seedRanges && b <= best[top[top.length - 1]!]!)) continue;
      let at = top.length;
      while (at > 0 && best[top[at - 1]!]! < b) at--;
      top.splice(at, 0, g);
      if (top.length > this.seedRanges) top.pop();
    }
    const picked = top.sort((a, b) => a - b);
    if (!picked.length) return null;
    const span = 1 << shift;
    const acc = new Float64Array(picked.length * span);
    for (let j = 0; j < termList.length; j++) {
      const { docs, tfs, norm, idf, to } = termList[j]!;
      const W = termW[j]!;
      let p = 0;
      for (let s = 0; s < picked.length; s++) {
        const lo = picked[s]! << shift;
        const hi = lo + span;
        p = seek(docs, p, to, lo);
        for (; p < to; p++) {
          const d = docs[p]!;
          if (d >= hi) break;
          const tf = tfs[p]!;
          acc[s * span + (d - lo)]! += W * ((idf * tf * (BM25_K1 + 1)) / (tf + norm[d]!));
        }
      }
    }
    const out = new Uint8Array(nRanges);
    for (let s = 0; s < picked.length; s++) {
      const lo = picked[s]! << shift;
      out[picked[s]!] = 1;
      for (let x = 0; x < span; x++) {
        const score = acc[s * span + x]!;
        if (score > 0 && heap.admits(lo + x, score)) heap.push(lo + x, score);
      }
    }
    return out;
  }

  /**
   * The k best chunk ordinals of some ranges of chunks for folded query terms: BM25 with the index-wide
   * document frequencies and the ranges' own average length, summed term by term in query order; chunks
   * scoring > 0, ties in the order of the ranges given (a range named twice counts twice). The same ranking as
   * `scopedRanking` over the ranges' chunks (retrieve/scoped.ts), from the folded postings instead of the texts.
   */
  topKWithin(query: QueryTerm[], ranges: ReadonlyArray<readonly [number, number]>, k: number): number[] {
    const f = this.folded;
    const base: number[] = [];
    let count = 0;
    let lenSum = 0;
    for (const [from, to] of ranges) {
      base.push(count);
      count += to - from;
      for (let o = from; o < to; o++) lenSum += f.lengths[o]!;
    }
    if (count === 0 || query.length === 0) return [];
    const avg = lenSum / count;
    const n = this.size;
    const acc = new Float64Array(count);
    for (const { term, weight } of query) {
      const t = f.terms.find(term);
      if (t < 0) continue;
      const { docs, tfs } = f.postings(t);
      const df = docs.length;
      ranges.forEach(([from, to], r) => {
        for (let p = seek(docs, 0, df, from); p < df && docs[p]! < to; p++) {
          const d = docs[p]!;
          acc[base[r]! + d - from]! += weight * bm25Term(tfs[p]!, df, f.lengths[d]!, avg, n);
        }
      });
    }
    const scored: Array<{ o: number; s: number }> = [];
    ranges.forEach(([from, to], r) => {
      for (let o = from; o < to; o++) {
        const s = acc[base[r]! + o - from]!;
        if (s > 0) scored.push({ o, s });
      }
    });
    scored.sort((a, b) => b.s - a.s);
    return scored.slice(0, k).map((x) => x.o);
  }

  docFreq(term: string): number {
    const t = this.folded.terms.find(term);
    return t < 0 ? 0 : this.folded.offsets[t + 1]! - this.folded.offsets[t]!;
  }

  /** Ordinals (ascending) of the chunks whose folded field holds every one of `terms`: postings intersected, rarest first. */
  chunksWithAll(terms: string[]): number[] {
    const rows = [...new Set(terms.map((t) => this.folded.terms.find(t)))];
    if (rows.length === 0 || rows.includes(-1)) return [];
    const df = (r: number) => this.folded.offsets[r + 1]! - this.folded.offsets[r]!;
    rows.sort((a, b) => df(a) - df(b));
    let out = Array.from(this.folded.postings(rows[0]!).docs);
    for (const r of rows.slice(1)) {
      if (out.length === 0) break;
      const docs = this.folded.postings(r).docs;
      // Both ascending: each kept ordinal is looked up from where the previous one was found.
      let lo = 0;
      out = out.filter((o) => {
        let hi = docs.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (docs[mid]! < o) lo = mid + 1;
          else hi = mid;
        }
        return lo < docs.length && docs[lo] === o;
      });
    }
    return out;
  }
}
