// Bench: the dense channel and its fusion with BM25 on a task the corpus yields itself — never on the gold
// questions. Article heading → the article's chunks with every heading line removed, over held-out documents of
// a built index (every fifth; the model trains without their heading → passage pairs), once with the heading as
// written (Vietnamese) and once as the English names the glossary gives its phrases. Prints recall@5 and MRR@10
// of BM25 alone, dense alone and each fusion setting.
// Run: `npx tsx bench/dense-val.ts [--pairs] [--sif] [--steps 400] [--queries 400] [--weights 0.1,0.2,0.3]`
// on an index built by `npm run cli -- ingest` (INDEX_DIR as in the environment).
import { parseArgs } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { corpusPairs, embedStatic, trainStaticModel, type TrainedStaticModel } from '../src/embed/index.ts';
import { openSnapshot } from '../src/store/index-store.ts';
import { bm25Term, queryTerms, terms } from '../src/store/bm25.ts';
import { DEFAULT_FUSION, EXPANSION_WEIGHT, CANDIDATES, RRF_K, scoreFusion, type FusionSettings } from '../src/retrieve/retriever.ts';
import { expandQuery, glossaryAliases, loadGlossary, viPhrasesToEnglish } from '../src/text/glossary.ts';
import { tokenize } from '../src/text/normalize.ts';
import { STOP_EXACT } from '../src/text/stopwords.ts';
import type { Chunk } from '../src/doc/types.ts';

/** Every HOLD_OUT-th document (corpus order) is held out. */
const HOLD_OUT = 5;
/** Headings shorter than this (syllables) say too little to be a query. */
const MIN_HEADING_SYLLABLES = 3;
/** English queries need at least this many glossary phrases. */
const MIN_ENGLISH_PHRASES = 2;
/** Chunks whose text (headings removed) is shorter than this are not targets. */
const MIN_TARGET_CHARS = 40;
/** Dense hits fetched for score fusion. */
const DENSE_HITS = 1000;
/** The ellipsis a shortened breadcrumb segment ends with, e.g. `Điều 5. Chính sách của Nhà nước về…`. */
const TRAILING_ELLIPSIS_RE = /…$/;

const { values } = parseArgs({
  options: {
    pairs: { type: 'boolean', default: false },
    sif: { type: 'boolean', default: false },
    steps: { type: 'string' },
    queries: { type: 'string', default: '400' },
    weights: { type: 'string', default: '0.1,0.2,0.3,0.5' },
  },
});

const cfg = loadConfig();
const index = await openSnapshot(cfg.indexDir, { embedderId: cfg.embedModel });
const metas = index.documents.metas();
const chunks: Chunk[] = metas.flatMap((m) => index.documents.chunksOf(m.id));
const held = new Set(metas.filter((_, i) => i % HOLD_OUT === 2).map((m) => m.id));
const glossary = loadGlossary();

const tmp = await mkdtemp(path.join(os.tmpdir(), 'plancite-dense-val-'));
const t0 = performance.now();
const model: TrainedStaticModel = await trainStaticModel({
  texts: metas.map((m) => index.documents.get(m.id)!.text),
  outDir: path.join(tmp, 'model'),
  dim: cfg.embedDim,
  aliases: glossaryAliases(glossary),
  pairs: values.pairs ? corpusPairs(chunks.filter((c) => !held.has(c.docId))) : undefined,
  sif: values.sif,
  maxSteps: values.steps ? Number(values.steps) : undefined,
});
await rm(tmp, { recursive: true, force: true });
console.log(`model: pairs ${values.pairs} sif ${values.sif}, trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

/** The chunk's text without the heading lines of its breadcrumb (else the heading finds its own article). */
function body(c: Chunk): string {
  let t = c.text;
  for (const seg of c.breadcrumb.split(' > ').map((x) => x.replace(TRAILING_ELLIPSIS_RE, '').trim()).filter(Boolean)) {
    const first = t.split('\n', 1)[0]!;
    if (first.includes(seg.slice(0, 30))) t = t.slice(first.length).trim();
  }
  return t;
}
const coll = chunks.filter((c) => held.has(c.docId));
const texts = coll.map(body);
const n = texts.length;
const tfs = texts.map((t) => {
  const m = new Map<string, number>();
  for (const x of terms(t)) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
});
const lens = texts.map((t) => terms(t).length);
const avgLen = lens.reduce((a, b) => a + b, 0) / Math.max(1, n);
const postings = new Map<string, Array<[number, number]>>();
tfs.forEach((m, i) => {
  for (const [t, tf] of m) (postings.get(t) ?? postings.set(t, []).get(t)!).push([i, tf]);
});
const dim = model.dim;
const vecs = embedStatic(model, texts);

type Item = { q: string; rel: Set<number> };
const items: Record<'vi' | 'en', Item[]> = { vi: [], en: [] };
for (const docId of held) {
  for (const s of index.documents.get(docId)!.sections) {
    if (s.kind !== 'article' || tokenize(s.heading).length < MIN_HEADING_SYLLABLES) continue;
    const rel = new Set<number>();
    coll.forEach((c, i) => {
      const inside = c.section === s.path || c.section.startsWith(`${s.path}.`) || c.section.startsWith(`${s.path}/`);
      if (c.docId === docId && inside && texts[i]!.length > MIN_TARGET_CHARS) rel.add(i);
    });
    if (!rel.size) continue;
    items.vi.push({ q: s.heading, rel });
    const en = viPhrasesToEnglish(glossary, s.heading).map((x) => x.en);
    if (en.length >= MIN_ENGLISH_PHRASES) items.en.push({ q: en.join(' '), rel });
  }
}

const weights = values.weights!.split(',').map(Number);
const fusions: Array<[string, FusionSettings]> = [
  [`rrf ${DEFAULT_FUSION.denseWeight}`, { ...DEFAULT_FUSION, method: 'rrf' }],
  ...weights.map((w): [string, FusionSettings] => [`score ${w}`, { method: 'score', denseWeight: w, denseCandidates: DENSE_HITS, denseJoin: 0 }]),
];
const top = (s: Float32Array, k: number): number[] => Array.from(s.keys()).sort((a, b) => s[b]! - s[a]!).slice(0, k);

for (const lang of ['vi', 'en'] as const) {
  const all = items[lang];
  const step = Math.max(1, Math.floor(all.length / Number(values.queries)));
  const sample = all.filter((_, i) => i % step === 0);
  const tally = new Map<string, { r5: number; mrr: number }>();
  const score = (name: string, ranked: number[], rel: Set<number>) => {
    const t = tally.get(name) ?? { r5: 0, mrr: 0 };
    const at = ranked.slice(0, 10).findIndex((x) => rel.has(x));
    if (at >= 0) {
      t.mrr += 1 / (at + 1);
      if (at < 5) t.r5++;
    }
    tally.set(name, t);
  };
  for (const it of sample) {
    // As the retriever does: the glossary expansion joins both channels' queries.
    const exp = expandQuery(glossary, it.q).vi.join(' ; ');
    const bs = new Float32Array(n);
    for (const { term, weight } of [...queryTerms(it.q, false, STOP_EXACT), ...queryTerms(exp, false, STOP_EXACT, EXPANSION_WEIGHT)]) {
      const p = postings.get(term);
      if (p) for (const [i, tf] of p) bs[i]! += weight * bm25Term(tf, p.length, lens[i]!, avgLen, n);
    }
    const bm = top(bs, CANDIDATES).filter((i) => bs[i]! > 0);
    const qv = embedStatic(model, [exp ? `${it.q} ; ${exp}` : it.q]);
    const ds = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += vecs[i * dim + k]! * qv[k]!;
      ds[i] = s;
    }
    const dense = top(ds, DENSE_HITS);
    score('bm25', bm, it.rel);
    score('dense', dense, it.rel);
    for (const [name, f] of fusions) {
      let ranked: number[];
      if (f.method === 'rrf') {
        const m = new Map<number, number>();
        bm.forEach((c, r) => m.set(c, (m.get(c) ?? 0) + 1 / (RRF_K + r + 1)));
        dense.slice(0, CANDIDATES).forEach((c, r) => m.set(c, (m.get(c) ?? 0) + f.denseWeight / (RRF_K + r + 1)));
        ranked = [...m].sort((a, b) => b[1] - a[1]).map(([c]) => c);
      } else {
        const hit = (i: number, s: Float32Array) => ({ id: String(i), score: s[i]! });
        ranked = scoreFusion(bm.map((i) => hit(i, bs)), dense.map((i) => hit(i, ds)), f).map(Number);
      }
      score(name, ranked, it.rel);
    }
  }
  console.log(`${lang}: ${sample.length} of ${all.length} headings (e.g. "${sample[1]?.q ?? ''}") over ${n} chunks of ${held.size} held-out documents`);
  for (const [name, t] of tally) console.log(`  ${name.padEnd(10)} recall@5 ${(t.r5 / sample.length).toFixed(3)}  mrr@10 ${(t.mrr / sample.length).toFixed(3)}`);
}
