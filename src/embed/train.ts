// Trains the offline static embedding model (PPMI over syllable co-occurrence → truncated SVD) and writes it as a Transformers.js model folder.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { STATIC_MODEL_ID } from '../config.ts';
import { foldDiacritics, tokenize } from '../text/normalize.ts';
import { randomizedSvd, type Csr } from './linalg.ts';
import { writeModelFolder } from './model-files.ts';

/**
 * Syllables on each side counted as context (Vietnamese words are 1–3 syllables). On the gold questions 2–4
 * scored alike and wider windows (6, 10) retrieved worse.
 */
export const DEFAULT_WINDOW = 3;
/** Corpus syllables seen fewer times than this are left out (→ [UNK]); 1 keeps every syllable. */
export const DEFAULT_MIN_COUNT = 1;
/** Context-distribution smoothing exponent for PMI (Levy et al. 2015: 0.75); 1 = plain PMI. */
const CONTEXT_ALPHA = 0.75;
/** Singular-value weighting of the word vectors, U·Σ^p; 0.5 is the symmetric split, 1 = plain LSA. */
const EIGEN_WEIGHT = 0.5;
/** Extra random directions in the randomized SVD beyond the wanted dimension. */
const SVD_OVERSAMPLE = 10;
/** Power iterations in the randomized SVD; 2 is plenty for the fast-decaying PPMI spectrum. */
const SVD_POWER_ITERATIONS = 2;
/** Fixed seed: the same corpus always gives byte-identical model files. */
const SVD_SEED = 0x5eed;
/** Special tokens, ids 0–3, all with zero vectors so they never move a mean-pooled embedding. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'] as const;
/** English function words that carry no meaning of their own in glossary terms ("right to work"). */
const ALIAS_STOPWORDS = new Set([
  'a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'the', 'to', 'with', 's',
]);

/** Options of {@link trainStaticModel}. */
export interface TrainStaticModelOptions {
  /** Corpus texts (whole documents); any Unicode form, any case. */
  texts: string[];
  /** Model folder to write (created if missing): config.json, tokenizer*.json, onnx/model.onnx, plancite-model.json. */
  outDir: string;
  /** Embedding dimension. */
  dim: number;
  /** Recorded in plancite-model.json; defaults to the built-in static model id. */
  modelId?: string;
  /** Co-occurrence window (syllables each side); default {@link DEFAULT_WINDOW}. */
  window?: number;
  /** Minimum corpus count of a syllable; default {@link DEFAULT_MIN_COUNT}. */
  minCount?: number;
  /** Bilingual glossary: each word of `term` gets the mean vector of the syllables of `target`. */
  aliases?: Array<{ term: string; target: string }>;
}

/**
 * Trains a static word-embedding model from corpus text and writes it in Transformers.js layout, so that
 * `createEmbedder` loads it like any other model. Deterministic: the same input gives the same files
 * (except `trainedAt` in plancite-model.json).
 * @example await trainStaticModel({ texts: [docText], outDir: 'index/models/plancite-static', dim: 256 })
 */
export async function trainStaticModel(opts: TrainStaticModelOptions): Promise<{ vocabSize: number; dim: number }> {
  const dim = opts.dim;
  const window = opts.window ?? DEFAULT_WINDOW;
  const minCount = opts.minCount ?? DEFAULT_MIN_COUNT;
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`trainStaticModel: dim must be a positive integer, got ${dim}`);
  if (!Number.isInteger(window) || window < 1) throw new Error(`trainStaticModel: window must be a positive integer, got ${window}`);
  if (!Number.isInteger(minCount) || minCount < 1) throw new Error(`trainStaticModel: minCount must be a positive integer, got ${minCount}`);
  if (!Array.isArray(opts.texts)) throw new Error('trainStaticModel: texts must be an array of strings');

  // 1. Syllable counts and the corpus vocabulary (frequent first, ties by code point: deterministic).
  const docs = opts.texts.map((t) => tokenize(String(t)));
  const counts = new Map<string, number>();
  for (const toks of docs) for (const t of toks) counts.set(t, (counts.get(t) ?? 0) + 1);
  const corpusVocab = [...counts.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([t]) => t);
  if (corpusVocab.length === 0) throw new Error('trainStaticModel: the texts contain no syllable that reaches minCount');
  const n = corpusVocab.length;
  const idOf = new Map(corpusVocab.map((t, i) => [t, i]));

  // 2. Co-occurrence within the window, weighted 1/distance, then PPMI.
  const ppmi = buildPpmi(docs, idOf, n, window);

  // 3. Truncated SVD → word vectors U·Σ^p, centred (removes the direction every syllable shares) and unit length.
  const { u, s, rank } = randomizedSvd(ppmi, {
    rank: Math.min(dim, n),
    oversample: SVD_OVERSAMPLE,
    powerIterations: SVD_POWER_ITERATIONS,
    seed: SVD_SEED,
  });
  const corpusVecs = new Float64Array(n * dim);
  for (let c = 0; c < rank; c++) {
    const w = Math.pow(s[c]!, EIGEN_WEIGHT);
    for (let r = 0; r < n; r++) corpusVecs[r * dim + c] = u[c * n + r]! * w;
  }
  // Unit length first so the centring is not dominated by the long vectors of frequent syllables.
  for (let r = 0; r < n; r++) normalise(corpusVecs.subarray(r * dim, (r + 1) * dim));
  centre(corpusVecs, corpusVocab.map((t) => counts.get(t)!), n, dim);
  for (let r = 0; r < n; r++) normalise(corpusVecs.subarray(r * dim, (r + 1) * dim));
  const vecOf = (t: string): Float64Array | undefined => {
    const i = idOf.get(t);
    return i === undefined ? undefined : corpusVecs.subarray(i * dim, (i + 1) * dim);
  };

  // 4. Diacritic-folded forms: frequency-weighted mean of every syllable that folds to the same form. A plain
  //    syllable that is also the folded form of accented ones ("xa" / "xã") takes the mixture too, because
  //    unaccented queries are common and the mixture is dominated by the more frequent reading.
  const folded = new Map<string, { sum: Float64Array; members: number }>();
  for (const t of corpusVocab) {
    const f = foldDiacritics(t);
    let g = folded.get(f);
    if (!g) folded.set(f, (g = { sum: new Float64Array(dim), members: 0 }));
    addScaled(g.sum, vecOf(t)!, counts.get(t)!);
    g.members++;
  }
  const extra = new Map<string, Float64Array>(); // tokens beyond the corpus vocabulary, in insertion order
  for (const [f, g] of folded) {
    if (g.members === 1 && idOf.has(f)) continue; // plain syllable with no accented twin
    normalise(g.sum);
    const own = vecOf(f);
    if (own) own.set(g.sum);
    else extra.set(f, g.sum);
  }
  const known = (t: string): Float64Array | undefined => vecOf(t) ?? extra.get(t);

  // 5. Glossary aliases: each (non-function) word of the term gets the mean vector of the target's syllables,
  //    averaged over the entries it appears in. Corpus syllables and folded forms keep their own vectors.
  const aliasSums = new Map<string, { sum: Float64Array; entries: number }>();
  for (const { term, target } of opts.aliases ?? []) {
    const targetVec = new Float64Array(dim);
    let found = 0;
    for (const syl of tokenize(target)) {
      const v = known(syl) ?? known(foldDiacritics(syl));
      if (v) {
        addScaled(targetVec, v, 1);
        found++;
      }
    }
    if (found === 0) continue;
    normalise(targetVec);
    for (const word of new Set(tokenize(term))) {
      if (ALIAS_STOPWORDS.has(word) || known(word)) continue;
      let a = aliasSums.get(word);
      if (!a) aliasSums.set(word, (a = { sum: new Float64Array(dim), entries: 0 }));
      addScaled(a.sum, targetVec, 1);
      a.entries++;
    }
  }
  const aliasWords = [...aliasSums.keys()].sort();
  for (const w of aliasWords) {
    const v = aliasSums.get(w)!.sum;
    normalise(v);
    extra.set(w, v);
  }

  // 6. Final table: specials (zero rows), corpus syllables, folded forms, alias words.
  const vocab: string[] = [...SPECIAL_TOKENS, ...corpusVocab, ...extra.keys()];
  const table = new Float32Array(vocab.length * dim);
  table.set(Float32Array.from(corpusVecs), SPECIAL_TOKENS.length * dim);
  let row = SPECIAL_TOKENS.length + n;
  for (const v of extra.values()) table.set(v, row++ * dim);

  const modelId = opts.modelId ?? STATIC_MODEL_ID;
  await mkdir(path.join(opts.outDir, 'onnx'), { recursive: true });
  await writeModelFolder(opts.outDir, { vocab, table, dim });
  await writeFile(
    path.join(opts.outDir, 'plancite-model.json'),
    JSON.stringify(
      {
        modelId,
        dim,
        vocabSize: vocab.length,
        trainedAt: new Date().toISOString(),
        kind: 'static-ppmi-svd',
        corpusSyllables: n,
        foldedForms: extra.size - aliasWords.length,
        aliasWords: aliasWords.length,
        window,
        minCount,
      },
      null,
      2,
    ) + '\n',
  );
  return { vocabSize: vocab.length, dim };
}

/** Weighted co-occurrence counts (1/distance within the window) turned into a PPMI matrix with smoothed contexts. */
function buildPpmi(docs: string[][], idOf: Map<string, number>, n: number, window: number): Csr {
  const cooc = new Map<number, number>(); // key = row * n + col
  const add = (a: number, b: number, w: number): void => {
    const k = a * n + b;
    cooc.set(k, (cooc.get(k) ?? 0) + w);
  };
  for (const toks of docs) {
    const ids = toks.map((t) => idOf.get(t) ?? -1);
    for (let i = 0; i < ids.length; i++) {
      const a = ids[i]!;
      if (a < 0) continue;
      for (let d = 1; d <= window && i + d < ids.length; d++) {
        const b = ids[i + d]!;
        if (b < 0) continue;
        add(a, b, 1 / d);
        add(b, a, 1 / d);
      }
    }
  }
  const rowSum = new Float64Array(n);
  const colSum = new Float64Array(n);
  for (const [k, v] of cooc) {
    rowSum[Math.floor(k / n)]! += v;
    colSum[k % n]! += v;
  }
  let smoothedTotal = 0;
  const colSmoothed = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    colSmoothed[j] = Math.pow(colSum[j]!, CONTEXT_ALPHA);
    smoothedTotal += colSmoothed[j]!;
  }
  // PMI(w, c) = log( X(w,c) · Σc'^α / (X(w,·) · X(·,c)^α) ); keep the positive part only.
  const entries: Array<[number, number, number]> = [];
  for (const [k, v] of cooc) {
    const r = Math.floor(k / n);
    const c = k % n;
    const pmi = Math.log((v * smoothedTotal) / (rowSum[r]! * colSmoothed[c]!));
    if (pmi > 0) entries.push([r, c, pmi]);
  }
  const rowPtr = new Int32Array(n + 1);
  for (const [r] of entries) rowPtr[r + 1]!++;
  for (let r = 0; r < n; r++) rowPtr[r + 1]! += rowPtr[r]!;
  const fill = rowPtr.slice(0, n);
  const colIdx = new Int32Array(entries.length);
  const vals = new Float64Array(entries.length);
  for (const [r, c, v] of entries) {
    const p = fill[r]!++;
    colIdx[p] = c;
    vals[p] = v;
  }
  return { rows: n, cols: n, rowPtr, colIdx, vals };
}

/** Subtracts the count-weighted mean row, so vectors differ by meaning rather than all pointing one way. */
function centre(m: Float64Array, weights: number[], rows: number, dim: number): void {
  const mean = new Float64Array(dim);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const w = weights[r]!;
    total += w;
    for (let c = 0; c < dim; c++) mean[c]! += w * m[r * dim + c]!;
  }
  if (total === 0) return;
  for (let c = 0; c < dim; c++) mean[c]! /= total;
  for (let r = 0; r < rows; r++) for (let c = 0; c < dim; c++) m[r * dim + c]! -= mean[c]!;
}

/** Scales a vector to unit length in place; a zero vector stays zero. */
function normalise(v: Float64Array): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  if (s === 0) return;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
}

function addScaled(into: Float64Array, v: Float64Array, w: number): void {
  for (let i = 0; i < into.length; i++) into[i]! += w * v[i]!;
}
