// Trains the offline static embedding model (PPMI over syllable co-occurrence → truncated SVD) and writes it as a Transformers.js model folder.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { STATIC_MODEL_ID } from '../config.ts';
import { cueList, dataFile } from '../text/cues.ts';
import { foldDiacritics, tokenize } from '../text/normalize.ts';
import { randomizedSvd, seededRandom, type Csr } from './linalg.ts';
import { writeModelFolder } from './model-files.ts';

/** The ellipsis that ends a clipped breadcrumb part, e.g. the `…` of `Nhiệm vụ và giải…`. */
const TRAILING_ELLIPSIS_RE = /…$/;

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
/** English function words that carry no meaning of their own in glossary terms ("right to work"; data/embed-words.json). */
const ALIAS_STOPWORDS: ReadonlySet<string> = new Set(cueList(dataFile('embed-words.json'), 'aliasFunctionWords'));

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
  /**
   * The corpus's own (short text → passage) pairs for contrastive fine-tuning, e.g. a section heading → the
   * section's text, an article title → the article body (see {@link corpusPairs}). None: the PPMI/SVD vectors
   * are written as they are.
   */
  pairs?: TrainingPair[];
  /**
   * Weight rows by smooth inverse frequency (frequent syllables move a pooled text less). Default false: the
   * fine-tuned model (with `pairs`) improved dense-only recall but changed answers on the five plans, so ingest
   * does not switch it on yet (`search --channels dense` measures it).
   */
  sif?: boolean;
  /** Passes over the pairs; default {@link DEFAULT_EPOCHS}. */
  epochs?: number;
  /** Most optimisation steps (batches) in all; a larger corpus is subsampled to fit. Default {@link DEFAULT_MAX_STEPS}. */
  maxSteps?: number;
}

/** A short text (heading, title, English term) and the passage it stands for. */
export interface TrainingPair {
  query: string;
  passage: string;
  /** Pairs of one group (a document) are also batched together, as each other's hard negatives. */
  group?: string;
}

/**
 * Trains a static word-embedding model from corpus text and writes it in Transformers.js layout, so that
 * `createEmbedder` loads it like any other model. Deterministic: the same input gives the same files
 * (except `trainedAt` in plancite-model.json).
 * @example await trainStaticModel({ texts: [docText], outDir: 'index/models/plancite-static', dim: 256 })
 */
export async function trainStaticModel(opts: TrainStaticModelOptions): Promise<TrainedStaticModel> {
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
  // 4b. Row length = how much a token moves a pooled text: frequent syllables ("của", "và") little, rare ones
  //     much (smooth inverse frequency). A folded form weighs by the count of all its members.
  const totalCount = docs.reduce((a, d) => a + d.length, 0);
  const sif = (count: number): number => (opts.sif ? SIF_A / (SIF_A + count / totalCount) : 1);
  const groupCount = new Map<string, number>();
  for (const t of corpusVocab) groupCount.set(foldDiacritics(t), (groupCount.get(foldDiacritics(t)) ?? 0) + counts.get(t)!);
  const mixed = (t: string): boolean => (folded.get(t)?.members ?? 0) > 1 || !idOf.has(t);
  for (let r = 0; r < n; r++) {
    const t = corpusVocab[r]!;
    scale(corpusVecs.subarray(r * dim, (r + 1) * dim), sif(mixed(t) ? groupCount.get(t) ?? counts.get(t)! : counts.get(t)!));
  }
  for (const [f, v] of extra) scale(v, sif(groupCount.get(f) ?? 0));
  const known = (t: string): Float64Array | undefined => vecOf(t) ?? extra.get(t);

  // 5. Glossary aliases: each (non-function) word of the term gets the direction of the target's embedding
  //    (weighted syllable sum), averaged over the entries it appears in, at unit length. Corpus syllables and folded forms keep their own vectors.
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

  // 8. Contrastive fine-tuning on the corpus's own pairs (and the glossary's English → Vietnamese pairs).
  let fineTune: FineTuneReport | null = null;
  if (opts.pairs && opts.pairs.length > 0) {
    const idOfVocab = new Map(vocab.map((t, i) => [t, i]));
    const glossaryPairs: TrainingPair[] = (opts.aliases ?? []).map((a) => ({ query: a.term, passage: a.target }));
    fineTune = fineTuneTable(table, dim, idOfVocab, [...opts.pairs, ...glossaryPairs], opts.epochs ?? DEFAULT_EPOCHS, opts.maxSteps ?? DEFAULT_MAX_STEPS);
  }

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
        kind: fineTune ? 'static-ppmi-svd-contrastive' : 'static-ppmi-svd',
        ...(fineTune ? { fineTune } : {}),
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
  return { vocabSize: vocab.length, dim, vocab, table };
}

/** The trained model in memory: what the written folder holds. */
export interface TrainedStaticModel {
  vocabSize: number;
  dim: number;
  /** Token strings; index = row of `table`. */
  vocab: string[];
  /** vocab.length × dim, row-major (the ONNX graph's lookup table). */
  table: Float32Array;
}

/**
 * Embeds texts with a trained static model in process — the same numbers Transformers.js computes from the
 * written folder (token rows summed, unit length; no known token → zeros), without the ONNX runtime.
 * @example const v = embedStatic(model, ['bảo hiểm xã hội'])
 */
export function embedStatic(model: Pick<TrainedStaticModel, 'vocab' | 'table' | 'dim'>, texts: string[]): Float32Array {
  const { dim, table } = model;
  let idOf = idCache.get(model.vocab);
  if (!idOf) idCache.set(model.vocab, (idOf = new Map(model.vocab.map((t, i) => [t, i]))));
  const out = new Float32Array(texts.length * dim);
  const acc = new Float64Array(dim);
  texts.forEach((text, r) => {
    acc.fill(0);
    for (const t of tokenize(text)) {
      const id = idOf!.get(t);
      if (id === undefined) continue;
      for (let k = 0; k < dim; k++) acc[k]! += table[id * dim + k]!;
    }
    let s = 0;
    for (let k = 0; k < dim; k++) s += acc[k]! * acc[k]!;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < dim; k++) out[r * dim + k] = acc[k]! * inv;
  });
  return out;
}
const idCache = new WeakMap<string[], Map<string, number>>();

/** Smooth-inverse-frequency constant a in a/(a + p(w)) (Arora et al. 2017 use 1e-3 to 1e-4). */
const SIF_A = 1e-3;
/** Passes over the training pairs. */
export const DEFAULT_EPOCHS = 2;
/** Step budget of fine-tuning: bounds its time on a large corpus (≈ 0.1 s per step on one core). */
export const DEFAULT_MAX_STEPS = 400;
/** Pairs per step; the other passages of the batch are each pair's negatives. */
const BATCH = 64;
/** Inverse softmax temperature of the contrastive loss (cosines × scale). */
const SCALE = 20;
/** Adagrad learning rate of the token rows. */
const LEARNING_RATE = 0.05;
/** Syllables of a passage used in training (the beginning: heading and first sentences). */
const MAX_PASSAGE_TOKENS = 96;
/** Syllables of a query side used in training. */
const MAX_QUERY_TOKENS = 32;
/** Share of query sides trained without diacritics (questions are often typed that way). */
const FOLD_SHARE = 0.3;
/** Characters of a heading compared with a chunk's first line to tell that the chunk opens with it. */
const HEADING_PREFIX = 40;
/** Seed of the pair shuffling. */
const SHUFFLE_SEED = 0x7a11;

/** What fine-tuning did (recorded in plancite-model.json). */
interface FineTuneReport {
  pairs: number;
  epochs: number;
  steps: number;
  firstLoss: number;
  lastLoss: number;
  seconds: number;
}

/**
 * Contrastive fine-tuning of the token table in place (symmetric InfoNCE with in-batch negatives, row-wise
 * Adagrad). The encoder is the one Transformers.js runs: sum (= mean up to scale) of the token rows, then unit
 * length. Unknown syllables are skipped, as [UNK] has a zero row.
 */
function fineTuneTable(table: Float32Array, dim: number, idOf: Map<string, number>, pairs: TrainingPair[], epochs: number, maxSteps: number): FineTuneReport {
  const t0 = performance.now();
  const rand = seededRandom(SHUFFLE_SEED);
  const ids = (text: string, max: number, fold: boolean): Int32Array => {
    const out: number[] = [];
    for (const t of tokenize(text)) {
      const id = idOf.get(fold ? foldDiacritics(t) : t);
      if (id !== undefined && id >= SPECIAL_TOKENS.length) out.push(id);
      if (out.length >= max) break;
    }
    return Int32Array.from(out);
  };
  let data: Array<{ q: Int32Array; p: Int32Array; group: string }> = [];
  for (const pr of pairs) {
    const q = ids(pr.query, MAX_QUERY_TOKENS, rand() < FOLD_SHARE);
    const p = ids(pr.passage, MAX_PASSAGE_TOKENS, false);
    if (q.length > 0 && p.length > 0) data.push({ q, p, group: pr.group ?? '' });
  }
  const rows = table.length / dim;
  const accum = new Float32Array(rows); // row-wise Adagrad: one squared-gradient sum per token
  const grad = new Float32Array(table.length);
  const touched = new Uint8Array(rows);
  const Q = new Float64Array(BATCH * dim);
  const P = new Float64Array(BATCH * dim);
  const qn = new Float64Array(BATCH);
  const pn = new Float64Array(BATCH);
  const S = new Float64Array(BATCH * BATCH);
  const dQ = new Float64Array(BATCH * dim);
  const dP = new Float64Array(BATCH * dim);
  let steps = 0;
  let firstLoss = NaN;
  let lastLoss = NaN;
  const shuffle = <T>(xs: T[]): T[] => {
    // Fisher–Yates with the seeded generator: deterministic order.
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  // Within the step budget: fewer passes, then a (seeded) sample of the pairs.
  const budget = maxSteps * BATCH;
  const passes = Math.max(1, Math.min(epochs, Math.floor(budget / Math.max(1, data.length))));
  if (passes * data.length > budget) data = shuffle(data).slice(0, Math.floor(budget / passes));
  for (let epoch = 0; epoch < passes; epoch++) {
    shuffle(data);
    // Odd epochs batch each group's pairs together (hard negatives from the same document); the rest mixed.
    let batches: Array<typeof data> = [];
    if (epoch % 2 === 1) {
      const byGroup = new Map<string, typeof data>();
      for (const d of data) (byGroup.get(d.group) ?? byGroup.set(d.group, []).get(d.group)!).push(d);
      const rest: typeof data = [];
      for (const g of byGroup.values()) {
        let i = 0;
        for (; i + BATCH <= g.length; i += BATCH) batches.push(g.slice(i, i + BATCH));
        rest.push(...g.slice(i));
      }
      for (let i = 0; i < rest.length; i += BATCH) batches.push(rest.slice(i, i + BATCH));
      shuffle(batches);
    } else {
      for (let i = 0; i < data.length; i += BATCH) batches.push(data.slice(i, i + BATCH));
    }
    batches = batches.filter((x) => x.length > 1);
    for (const batch of batches) {
      const b = batch.length;
      // Forward: pooled sums and their lengths.
      Q.fill(0);
      P.fill(0);
      for (let i = 0; i < b; i++) {
        for (const id of batch[i]!.q) for (let k = 0; k < dim; k++) Q[i * dim + k]! += table[id * dim + k]!;
        for (const id of batch[i]!.p) for (let k = 0; k < dim; k++) P[i * dim + k]! += table[id * dim + k]!;
        qn[i] = Math.sqrt(dotAt(Q, i, Q, i, dim)) || 1;
        pn[i] = Math.sqrt(dotAt(P, i, P, i, dim)) || 1;
      }
      for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) S[i * b + j] = (SCALE * dotAt(Q, i, P, j, dim)) / (qn[i]! * pn[j]!);
      // Symmetric cross-entropy: rows (query → its passage) and columns (passage → its query).
      let loss = 0;
      const dS = new Float64Array(b * b);
      for (let i = 0; i < b; i++) {
        let mx = -Infinity;
        for (let j = 0; j < b; j++) mx = Math.max(mx, S[i * b + j]!);
        let z = 0;
        for (let j = 0; j < b; j++) z += Math.exp(S[i * b + j]! - mx);
        loss += -(S[i * b + i]! - mx - Math.log(z));
        for (let j = 0; j < b; j++) dS[i * b + j]! += (Math.exp(S[i * b + j]! - mx) / z - (i === j ? 1 : 0)) / (2 * b);
      }
      for (let j = 0; j < b; j++) {
        let mx = -Infinity;
        for (let i = 0; i < b; i++) mx = Math.max(mx, S[i * b + j]!);
        let z = 0;
        for (let i = 0; i < b; i++) z += Math.exp(S[i * b + j]! - mx);
        loss += -(S[j * b + j]! - mx - Math.log(z));
        for (let i = 0; i < b; i++) dS[i * b + j]! += (Math.exp(S[i * b + j]! - mx) / z - (i === j ? 1 : 0)) / (2 * b);
      }
      loss /= 2 * b;
      if (steps === 0) firstLoss = loss;
      lastLoss = loss;
      // Backward to the unit vectors, then through the normalisation to the pooled sums.
      dQ.fill(0);
      dP.fill(0);
      for (let i = 0; i < b; i++) {
        for (let j = 0; j < b; j++) {
          const g = (SCALE * dS[i * b + j]!) / (qn[i]! * pn[j]!);
          if (g === 0) continue;
          for (let k = 0; k < dim; k++) {
            dQ[i * dim + k]! += g * P[j * dim + k]!;
            dP[j * dim + k]! += g * Q[i * dim + k]!;
          }
        }
      }
      // d(x/|x|) = (I − u uᵀ) / |x|; the unnormalised products above already carry 1/(|q||p|).
      for (let i = 0; i < b; i++) {
        projectOut(dQ, Q, i, dim, qn[i]!);
        projectOut(dP, P, i, dim, pn[i]!);
      }
      // Scatter to the token rows (a token's gradient is its text's pooled gradient) and step.
      for (let i = 0; i < b; i++) {
        for (const id of batch[i]!.q) {
          touched[id] = 1;
          for (let k = 0; k < dim; k++) grad[id * dim + k]! += dQ[i * dim + k]!;
        }
        for (const id of batch[i]!.p) {
          touched[id] = 1;
          for (let k = 0; k < dim; k++) grad[id * dim + k]! += dP[i * dim + k]!;
        }
      }
      for (let id = 0; id < rows; id++) {
        if (!touched[id]) continue;
        touched[id] = 0;
        let g2 = 0;
        for (let k = 0; k < dim; k++) g2 += grad[id * dim + k]! * grad[id * dim + k]!;
        accum[id]! += g2 / dim;
        const lr = LEARNING_RATE / Math.sqrt(accum[id]! + 1e-8);
        for (let k = 0; k < dim; k++) {
          table[id * dim + k]! -= lr * grad[id * dim + k]!;
          grad[id * dim + k] = 0;
        }
      }
      steps++;
    }
  }
  return { pairs: data.length, epochs: passes, steps, firstLoss: round4(firstLoss), lastLoss: round4(lastLoss), seconds: round4((performance.now() - t0) / 1000) };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function dotAt(a: Float64Array, i: number, b: Float64Array, j: number, dim: number): number {
  let s = 0;
  const ai = i * dim;
  const bj = j * dim;
  for (let k = 0; k < dim; k++) s += a[ai + k]! * b[bj + k]!;
  return s;
}

/** g_i ← (g_i − x̂ (x̂·g_i)) where g_i already holds ∂L/∂x̂ / |x|: the gradient with respect to the unnormalised x_i. */
function projectOut(g: Float64Array, x: Float64Array, i: number, dim: number, norm: number): void {
  let d = 0;
  for (let k = 0; k < dim; k++) d += g[i * dim + k]! * x[i * dim + k]!;
  const c = d / (norm * norm);
  for (let k = 0; k < dim; k++) g[i * dim + k]! -= c * x[i * dim + k]!;
}

/**
 * Training pairs from the chunks of an index build: the heading a chunk sits under (its breadcrumb, the
 * article or item title) → the chunk's text, and the document's title → its first chunk. No pair for chunks
 * without a heading.
 * @example corpusPairs([{ breadcrumb: 'Điều 25. Thời gian thử việc', text: 'Thời gian thử việc … không quá 60 ngày …' }])
 */
export function corpusPairs(chunks: Array<{ breadcrumb: string; text: string; docId?: string }>): TrainingPair[] {
  const out: TrainingPair[] = [];
  for (const c of chunks) {
    let segs = c.breadcrumb.split(' > ').map((x) => x.replace(TRAILING_ELLIPSIS_RE, '').trim()).filter(Boolean);
    let passage = c.text;
    // A chunk that opens with its own heading: the pair is heading → the rest (else the pair is trivial).
    const firstLine = c.text.split('\n', 1)[0]!;
    const own = segs[segs.length - 1];
    if (own && firstLine.startsWith(own.slice(0, HEADING_PREFIX))) {
      const rest = c.text.slice(firstLine.length).trim();
      if (rest) passage = rest;
      else segs = segs.slice(0, -1);
    }
    const query = segs.slice(-2).join(' ');
    if (query && passage.trim()) out.push({ query, passage, group: c.docId });
  }
  return out;
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

function scale(v: Float64Array, w: number): void {
  for (let i = 0; i < v.length; i++) v[i]! *= w;
}

function addScaled(into: Float64Array, v: Float64Array, w: number): void {
  for (let i = 0; i < into.length; i++) into[i]! += w * v[i]!;
}
