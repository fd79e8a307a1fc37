// Hybrid retrieval: BM25 ⊕ dense (reciprocal-rank fusion, or dense re-scoring the keyword candidates), boosted by document and section references.
import type { Embedder } from '../embed/index.ts';
import { ATTACHED_HEADER_PATH, HEADER_PATH, RECIPIENTS_PATH, SIGNATURE_PATH } from '../doc/sections.ts';
import { queryTerms } from '../store/bm25.ts';
import { findNumberRefs, numberKey } from '../doc/numbers.ts';
import type { ChunkId, Hit, IndexSnapshot } from '../store/ports.ts';
import type { Channels, Chunk, DocMeta, Obligation } from '../doc/types.ts';
import { expandQuery, type Glossary } from '../text/glossary.ts';
import type { QueryAnalysis } from './query.ts';
import { coverage, foldedTerms, questionTerms } from './signals.ts';
import { STOP_EXACT, STOP_FOLDED } from '../text/stopwords.ts';
import { kindsInQuestion } from '../register/kinds.ts';
import { ScopedTerms, scopedRanking } from './scoped.ts';
import { asksForList, mergeRowRuns, rowOf, rowRangeChunk, rowsAsked, tablesOf, type EnglishTerm, type Table } from './rows.ts';
import { matchUnits } from '../register/index.ts';

/** A run of digits, e.g. `2025` of `the 2025 plan`. */
const DIGIT_RUN_RE = /\d+/g;

/** Reciprocal-rank-fusion constant: larger flattens the rank curve (typical 10–60). */
export const RRF_K = 20;
/** Fusion weight of the keyword ranking. */
export const BM25_WEIGHT = 1.0;
/** Fusion weight of the dense ranking in reciprocal-rank fusion (`FusionSettings.method` 'rrf'). */
export const DENSE_WEIGHT = 0.35;
/** Candidates taken from each ranking before fusion. */
export const CANDIDATES = 60;

/** How the keyword and dense rankings are combined in hybrid search. */
export interface FusionSettings {
  /**
   * `rrf`: reciprocal-rank fusion of both rankings. `score`: the keyword candidates are re-ordered by their
   * max-normalised BM25 score plus `denseWeight` × their cosine min-max-normalised over them (see {@link scoreFusion}),
   * and the new order is given reciprocal-rank values, so boosts and scoped rankings work as with `rrf`.
   */
  method: 'rrf' | 'score';
  /** Weight of the dense ranking (rrf) or of the normalised cosine (score). */
  denseWeight: number;
  /** Dense hits fetched (score): a keyword candidate outside them counts as the lowest cosine among them. */
  denseCandidates: number;
  /** Dense hits that may join the keyword candidates (score); 0 = dense only re-orders them. */
  denseJoin: number;
  /**
   * Keyword confidence (the share of the question's weight the best of BM25's first hits holds, see
   * {@link keywordConfidence}) from which the dense ranking is left out: the keyword ranking found the question's
   * words, and the dense one would only push its hits down. Absent: the dense ranking always joins.
   */
  denseBelow?: number;
}

/**
 * Keyword confidence from which hybrid search leaves the dense ranking out ({@link FusionSettings.denseBelow}).
 * Sweep over the four eval sets (search recall@5 / MRR@10 at 213 documents: plan gold · blind plan dev · law gold ·
 * blind law dev): dense always joining .95/.83 · .98/.82 · 1.00/.85 · .93/.72; BM25 alone .95/.86 · .98/.86 ·
 * 1.00/.88 · .93/.73; below 0.4 .95/.86 · .98/.85 · 1.00/.88 · .93/.74; below 0.5 (weight 0.5, 0.1 above) .95/.87 ·
 * .98/.84 · 1.00/.86 · .90/.74; below 0.6 .95/.85 · .98/.83 · 1.00/.88 · .93/.72. Five documents (plan gold · dev):
 * always 1.00/.86 · .98/.84, below 0.4 1.00/.88 · .98/.86; answers unchanged there.
 */
export const DENSE_BELOW_CONFIDENCE = 0.4;
/**
 * The fusion in use: reciprocal-rank fusion. `score` is measured by `bench/dense-val.ts` (article heading → the
 * article's chunks with headings removed, 43 held-out laws; Vietnamese headings and their glossary English names)
 * and is not the default: with the contrastive model at weight 0.2 it beat RRF there (Vietnamese recall@5 .725 /
 * MRR .590 vs BM25 .715 / .583; English equal to BM25) but at 213 documents it lowered the blind plan set
 * (recall@5 .85 → .81) and on the five plans changed one cross-document answer.
 */
export const DEFAULT_FUSION: FusionSettings = { method: 'rrf', denseWeight: DENSE_WEIGHT, denseCandidates: CANDIDATES, denseJoin: 0, denseBelow: DENSE_BELOW_CONFIDENCE };
/** Multiplier for chunks of a document the question names (`QĐ 1240`). */
export const DOC_BOOST = 1.8;
/** Multiplier for chunks of documents implementing a named resolution. */
export const IMPLEMENTER_BOOST = 1.35;
/** Multiplier for chunks under a named section (`Phụ lục II`, `Điều 3`). */
export const SECTION_BOOST = 1.5;
/** Multiplier for header and closing passages (signature, distribution list) on metadata questions. */
export const METADATA_BOOST = 1.6;
/**
 * Multiplier for the closing passage (signature with the adoption sentence or the distribution list) of the
 * documents a question about the closing points at, on top of METADATA_BOOST: above their header (1–1.5).
 */
export const CLOSING_BOOST = 1.25;
/**
 * Multiplier for closing passages on any other question (0–1): a distribution list names many agencies and answers
 * no question about duties, where it would otherwise stand among the answers to "which agencies …?".
 */
export const CLOSING_DEMOTE = 0.5;
/** Multiplier for chunks holding a task-register record, on who/when questions. */
export const OBLIGATION_BOOST = 1.3;
/** Further multiplier when the record's kind is the action the question asks about (report, issue a plan…). */
export const OBLIGATION_KIND_BOOST = 1.3;
/** Further multiplier when that record names, as its object, the document the question names (`báo cáo … việc thực hiện Nghị quyết số 42-NQ/TW`). */
export const OBLIGATION_OBJECT_BOOST = 1.3;
/** Weight of glossary expansions relative to the question's own words. */
export const EXPANSION_WEIGHT = 0.8;
/**
 * Fusion weight of each keyword ranking inside the documents one reference of the question selects: a chunk of
 * those documents scores at least this share of its rank there (RRF), so a passage of the named documents is not
 * buried under laws that share the question's words. Sweep at 213 documents (search recall@5 / MRR@10, plan gold ·
 * blind plan dev · law gold · blind law dev): missed chunks only, after the whole-index candidates (before) .93/.79 ·
 * .88/.73 · 1.00/.82 · .85/.66; 0.5 the same; 0.75 .95/.80 · .88/.73 · 1.00/.82 · .85/.66; 1.0 .95/.78 · .88/.71 ·
 * 1.00/.81 · .85/.64. Five documents: unchanged at every weight.
 */
export const SCOPED_WEIGHT = 0.75;
/** Chunks taken from each scoped ranking. */
export const SCOPED_CANDIDATES = 20;
/** References whose documents get a scoped ranking (the first ones written). */
export const SCOPED_GROUPS = 4;
/** Documents of a question naming several ones that are each given a place among the first hits (their best chunk). */
export const SPREAD_DOCS = 4;
/** The first hits where each document of a question naming several ones has its best chunk. */
export const SPREAD_HITS = 5;
/** Multiplier for chunks of a document the question names by its issuer and type (`kế hoạch của Bộ Chính trị`), on top of any other. */
export const ISSUER_BOOST = 1.35;
/** Hits whose coverage makes the retrieval confidence (the best of them counts). */
export const CONFIDENCE_HITS = 5;


export interface Retrieved {
  chunk: Chunk;
  score: number;
  /** Share of the question's informative weight this chunk holds (with its headings and document header), 0–1. */
  coverage?: number;
  /** The row chunks a passage over a range of table rows is made of (list questions; see rows.ts). */
  parts?: Chunk[];
  /** A table row the list question asks for (see rows.ts rowsAsked). */
  asked?: boolean;
}

/** One retrieval with the signals the answer layer decides on. */
export interface RetrievalResult {
  hits: Retrieved[];
  /**
   * Retrieval confidence in [0, 1]: the largest share of the question's informative weight (idf of its
   * folded syllables and bigrams; for English, of its glossary expansion) that one of the top hits holds.
   * Low when the question's subject is not in the corpus even if some passage shares a few of its words.
   */
  confidence: number;
  /** Per ambiguous document reference of the question: the other numbers of the same family it could mean. */
  collisions: Array<{ raw: string; chosen: string | null; others: string[] }>;
}

/** Options of one retrieval. */
export interface RetrieveOptions {
  /** `bm25` or `dense` alone (ablation), or both fused (default). */
  channels?: Channels;
}

export interface Retriever {
  retrieve(q: QueryAnalysis, k: number, opts?: RetrieveOptions): Promise<Retrieved[]>;
  /** The same ranking with the retrieval confidence and the number collisions. */
  search(q: QueryAnalysis, k: number, opts?: RetrieveOptions): Promise<RetrievalResult>;
}

/** Creates a retriever over one version of the index. */
export function createRetriever(index: IndexSnapshot, embedder: Embedder, glossary: Glossary, fusion: FusionSettings = DEFAULT_FUSION): Retriever {
  const metas = new Map<string, DocMeta>(index.documents.metas().map((m) => [m.id, m]));
  const obligationsByDoc = new Map<string, Obligation[]>();
  for (const o of index.register.obligations()) (obligationsByDoc.get(o.docId) ?? obligationsByDoc.set(o.docId, []).get(o.docId)!).push(o);
  const recordsOf = obligationRecords(index, obligationsByDoc);
  const tables = tableFinder(index);
  const inferred = new Map<string, ChunkId[]>();
  /** Chunks of other documents holding the passages a document's inferred number and date were read from. */
  const inferredPassages = (docId: string): ChunkId[] => {
    let out = inferred.get(docId);
    if (!out) inferred.set(docId, (out = passagesIdentifying(index, docId)));
    return out;
  };
  const chunkCount = index.documents.chunkCount();
  const scopedTerms = new ScopedTerms((id) => index.documents.chunksOf(id));
  const n = index.keywords.size();
  const idf = (t: string): number => {
    const df = index.keywords.docFreq(t);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
  const retriever: Retriever = {
    async retrieve(q, k, opts = {}) {
      return (await retriever.search(q, k, opts)).hits;
    },
    async search(q, k, opts = {}) {
      const channels = opts.channels ?? 'hybrid';
      const expanded = expandQuery(glossary, q.question);
      const expansion = expanded.vi;
      const expText = expansion.join(' ; ');
      // Each phrase on its own (no bigram across two phrases), weighted by its share of the English term it translates.
      const exact = [...queryTerms(q.question, false, STOP_EXACT), ...expanded.weighted.flatMap((p) => queryTerms(p.vi, false, STOP_EXACT, EXPANSION_WEIGHT * p.weight))];
      const folded = [...queryTerms(q.question, true, STOP_FOLDED), ...expanded.weighted.flatMap((p) => queryTerms(p.vi, true, STOP_FOLDED, EXPANSION_WEIGHT * p.weight))];
      // English questions bring accented Vietnamese through the glossary: search the exact field then.
      const diacritics = q.diacritics || (q.language === 'en' && expansion.length > 0);
      const bmHits = channels === 'dense' ? [] : await index.keywords.search({ exact, folded, diacritics }, CANDIDATES);
      const bmRank = bmHits.map((h) => h.id);
      const qTerms = questionTerms(q.language === 'en' ? `${expText} ${q.question.match(DIGIT_RUN_RE)?.join(' ') ?? ''}` : `${q.question} ${expText}`, idf, STOP_FOLDED);
      // Hybrid: the dense ranking joins when the keyword ranking did not find the question's words.
      const denseJoins = channels === 'dense' || (channels === 'hybrid' && (fusion.denseBelow === undefined || keywordConfidence(bmHits, qTerms, (id) => index.documents.chunk(id)) < fusion.denseBelow));

      let denseHits: Hit[] = [];
      if (denseJoins && chunkCount > 0) {
        const qv = await embedder.embedQuery(expText ? `${q.question} ; ${expText}` : q.question);
        // A question with no known word embeds to the zero vector: cosine ranks would be noise.
        if (qv.some((x) => x !== 0)) denseHits = await index.vectors.search(qv, Math.min(channels === 'dense' ? CANDIDATES : fusion.denseCandidates, chunkCount));
      }
      const denseRank = denseHits.slice(0, CANDIDATES).map((h) => h.id);

      const fused = new Map<ChunkId, number>();
      if (channels === 'hybrid' && fusion.method === 'score') {
        scoreFusion(bmHits, denseHits, fusion).forEach((ci, r) => fused.set(ci, BM25_WEIGHT / (RRF_K + r + 1)));
      } else {
        bmRank.forEach((ci, r) => fused.set(ci, (fused.get(ci) ?? 0) + BM25_WEIGHT / (RRF_K + r + 1)));
      }
      if (channels !== 'dense') {
        // Chunks of the referenced documents score at least their rank in a ranking of those documents alone.
        for (const group of referencedGroups(q).slice(0, SCOPED_GROUPS)) {
          (index.keywords.searchWithin?.(folded, group, SCOPED_CANDIDATES) ?? scopedRanking(scopedTerms, group, folded, (t) => index.keywords.docFreq(t), n, SCOPED_CANDIDATES))
            .forEach((ci, r) => fused.set(ci, Math.max(fused.get(ci) ?? 0, SCOPED_WEIGHT / (RRF_K + r + 1))));
        }
      }

      if (channels === 'dense' || fusion.method === 'rrf') denseRank.forEach((ci, r) => fused.set(ci, (fused.get(ci) ?? 0) + fusion.denseWeight / (RRF_K + r + 1)));

      const named = new Set(q.docRefs.flatMap((r) => r.docIds));
      // The kinds of duty asked are named by the glossary's words, as in query understanding (not the lexicon's).
      const kindsAsked = askedKinds(q.question, expandQuery(glossary, q.question, { terms: false }).vi);
      const implementers = new Set(q.docRefs.flatMap((r) => (r.via === 'issuer' ? [] : r.implementerIds)));
      const refKeys = [...new Set(q.docRefs.flatMap((r) => (r.chosen ? [numberKey(r.chosen)] : [])))];
      const byIssuer = new Set(q.docRefs.flatMap((r) => (r.via === 'issuer' ? r.implementerIds : [])));
      // A document whose number or date is blank is identified by another document's passage: on a metadata
      // question that passage stands in for its header (it ranks with the header's fused score).
      const identifying = new Set<ChunkId>();
      if (q.intent === 'metadata') {
        for (const id of new Set([...named, ...implementers, ...byIssuer])) {
          for (const at of inferredPassages(id)) {
            const header = index.documents.chunksOf(id).find((c) => c.section.startsWith(HEADER_PATH));
            const stand = header ? fused.get(header.id) : undefined;
            identifying.add(at);
            if (stand !== undefined) fused.set(at, Math.max(fused.get(at) ?? 0, stand));
          }
        }
      }
      // "Who signed X?", "When was X adopted?": X's closing answers by its place in the text, whatever words it shares
      // with the question (a signer's name and capacity are few words): it scores at least the best of X's passages.
      const closings = new Set<ChunkId>();
      if (q.closing) {
        const targets = closingTargets(named, byIssuer, implementers);
        let best = 0;
        for (const [ci, v] of fused) if (targets.has(index.documents.chunk(ci)?.docId ?? '')) best = Math.max(best, v);
        // None of them among the candidates: their closing goes with the best candidate.
        if (best === 0) best = Math.max(0, ...fused.values());
        for (const id of targets) {
          for (const c of index.documents.chunksOf(id)) {
            if (!isClosing(c.section)) continue;
            closings.add(c.id);
            fused.set(c.id, Math.max(fused.get(c.id) ?? 0, best));
          }
        }
      }
      const out: Retrieved[] = [];
      for (const [ci, base] of fused) {
        const chunk = index.documents.chunk(ci);
        if (!chunk) continue;
        let s = base;
        if (named.has(chunk.docId)) s *= DOC_BOOST;
        else if (implementers.has(chunk.docId)) s *= IMPLEMENTER_BOOST;
        if (q.sectionRefs.some((r) => chunk.section === r.prefix || chunk.section.startsWith(`${r.prefix}/`) || chunk.section.startsWith(`${r.prefix}.`))) s *= SECTION_BOOST;
        if (q.intent === 'who' || q.intent === 'when' || q.intent === 'who+when') {
          const rec = recordsOf(chunk);
          if (rec) {
            s *= OBLIGATION_BOOST;
            if (kindsAsked.some((k) => rec.kinds.has(k))) s *= OBLIGATION_KIND_BOOST;
            // "Who reports on Resolution 42?": the duty of that kind whose object is the document named.
            if (kindsAsked.some((k) => refKeys.some((n) => rec.objects.has(`${k}|${n}`)))) s *= OBLIGATION_OBJECT_BOOST;
          }
        }
        if (q.intent === 'metadata' && ([HEADER_PATH, ATTACHED_HEADER_PATH].some((p) => chunk.section.startsWith(p)) || isClosing(chunk.section) || identifying.has(ci))) s *= METADATA_BOOST;
        if (closings.has(ci)) s *= CLOSING_BOOST;
        else if (q.intent !== 'metadata' && isClosing(chunk.section)) s *= CLOSING_DEMOTE;
        if (byIssuer.has(chunk.docId)) s *= ISSUER_BOOST;
        if (!metas.has(chunk.docId)) continue;
        out.push({ chunk, score: s });
      }
      out.sort((a, b) => b.score - a.score);
      const groups = referencedGroups(q);
      let ranked = groups.length >= 2 ? spreadOverDocuments(out, [...new Set(groups.flat())].slice(0, SPREAD_DOCS), SPREAD_HITS) : out;
      // A list question over a table: the rows it asks for lead, in row order, and row hits merge into row ranges.
      if (asksForList(q.question)) ranked = mergeRowRuns(rowsFirst(q, ranked, k, expanded.matched, named, implementers, byIssuer), k, tables.locate, tables.build);
      const hits = ranked.slice(0, k);
      for (const h of hits.slice(0, CONFIDENCE_HITS)) h.coverage = coverage(qTerms, foldedTerms(h.chunk.indexText));
      const confidence = Math.max(0, ...hits.slice(0, CONFIDENCE_HITS).map((h) => h.coverage ?? 0));
      const collisions = q.docRefs.filter((r) => r.ambiguous).map((r) => ({ raw: r.raw, chosen: r.chosen, others: r.candidates.filter((c) => c !== r.chosen) }));
      return { hits, confidence, collisions };
    },
  };

  /**
   * The ranking with the table rows a list question asks for (rows.ts rowsAsked: a unit or period, or the whole table,
   * in a named table of the documents named, else of the best hit's document) moved to the front in row order, at the
   * best score.
   */
  function rowsFirst(q: QueryAnalysis, ranked: Retrieved[], k: number, english: readonly EnglishTerm[], ...docSets: Array<Set<string>>): Retrieved[] {
    if (q.sectionRefs.length === 0 || ranked.length === 0) return ranked;
    let docIds = [...new Set(docSets.flatMap((s) => [...s]))];
    if (docIds.length === 0) {
      const under = ranked.slice(0, k).find((r) => q.sectionRefs.some((ref) => r.chunk.section.startsWith(`${ref.prefix}/`)));
      docIds = under ? [under.chunk.docId] : [];
    }
    const asked = rowsAsked(q, [...new Set(matchUnits(q.question).map((m) => m.unit.vi))], docIds, (id) => obligationsByDoc.get(id) ?? [], (id) => index.documents.get(id), english);
    if (!asked) return ranked;
    const top = ranked[0]!.score;
    const front: Retrieved[] = [];
    for (const o of asked.rows) {
      // The row's own chunks; a small table is chunked with its section, so then the chunk holding the row.
      const chunks = index.documents.chunksOf(o.docId);
      let own = chunks.filter((c) => c.section === o.section);
      if (own.length === 0) {
        const at = index.documents.get(o.docId)?.text.indexOf(o.evidence) ?? -1;
        own = chunks.filter((c) => c.start <= at && at < c.end).slice(0, 1);
      }
      for (const c of own) if (!front.some((f) => f.chunk.id === c.id)) front.push({ chunk: c, score: top, asked: true });
    }
    const ids = new Set(front.map((f) => f.chunk.id));
    return [...front, ...ranked.filter((r) => !ids.has(r.chunk.id))];
  }
  return retriever;
}

/**
 * The tables of documents (from their chunks, worked out once per document the first time one of its rows is hit):
 * `locate` gives a row chunk's table and row index, `build` the passage over a range of its rows.
 */
function tableFinder(index: IndexSnapshot): { locate: (c: Chunk) => { table: Table; index: number } | null; build: (t: Table, lo: number, hi: number) => Chunk } {
  const byDoc = new Map<string, Map<string, { table: Table; index: number }>>();
  return {
    locate(c) {
      if (!rowOf(c.section)) return null;
      let rows = byDoc.get(c.docId);
      if (!rows) {
        rows = new Map();
        for (const t of tablesOf(index.documents.chunksOf(c.docId))) t.rows.forEach((r, i) => rows!.set(r.section, { table: t, index: i }));
        byDoc.set(c.docId, rows);
      }
      return rows.get(c.section) ?? null;
    },
    build(t, lo, hi) {
      return rowRangeChunk(t, lo, hi, index.documents.get(t.docId)?.text ?? '');
    },
  };
}

/**
 * How well the keyword ranking found the question: the largest share of the question's weighted terms that one of
 * its first {@link CONFIDENCE_HITS} hits holds (the measure of {@link RetrievalResult.confidence}, before boosts).
 * @example keywordConfidence([{ id: 'a#0', score: 3 }], questionTerms('bảo hiểm thất nghiệp', idf, STOP_FOLDED), chunkOf) // 1 when a#0 says it
 */
export function keywordConfidence(hits: readonly Hit[], qTerms: ReturnType<typeof questionTerms>, chunkOf: (id: ChunkId) => Chunk | null | undefined): number {
  let best = 0;
  for (const h of hits.slice(0, CONFIDENCE_HITS)) {
    const c = chunkOf(h.id);
    if (c) best = Math.max(best, coverage(qTerms, foldedTerms(c.indexText)));
  }
  return best;
}

/**
 * Score-level fusion: keyword candidates (and the first `denseJoin` dense hits) ordered by BM25 / best BM25 +
 * weight × the cosine min-max-normalised over the keyword candidates (a candidate outside the dense hits counts
 * as the lowest). Candidates scoring 0 are dropped.
 * @example scoreFusion([{ id: 'a#1', score: 9 }, { id: 'a#2', score: 8 }], [{ id: 'a#2', score: 0.8 }, { id: 'b#0', score: 0.5 }], DEFAULT_FUSION)
 */
export function scoreFusion(keyword: Hit[], dense: Hit[], f: Pick<FusionSettings, 'denseWeight' | 'denseJoin'>): ChunkId[] {
  const bmMax = Math.max(0, ...keyword.map((h) => h.score));
  const cos = new Map(dense.map((h) => [h.id, h.score]));
  const floor = dense[dense.length - 1]?.score ?? 0;
  const pool = keyword.map((h) => cos.get(h.id) ?? floor);
  const lo = Math.min(floor, ...pool);
  const hi = Math.max(lo, ...pool);
  const norm = (id: ChunkId): number => (hi > lo ? Math.min(1, ((cos.get(id) ?? floor) - lo) / (hi - lo)) : 0);
  const score = new Map<ChunkId, number>();
  for (const h of keyword) score.set(h.id, (bmMax > 0 ? h.score / bmMax : 0) + f.denseWeight * norm(h.id));
  for (const h of dense.slice(0, f.denseJoin)) if (!score.has(h.id)) score.set(h.id, f.denseWeight * norm(h.id));
  return [...score].filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

/**
 * The documents each reference of the question selects, once per distinct set: the documents it names, else
 * those implementing it or belonging to the place it names.
 * @example referencedGroups(analyze('So sánh kế hoạch tỉnh Bắc Ninh với Quyết định 1240')) // [['qd-1240…'], ['kh-bac-ninh…']]
 */
export function referencedGroups(q: Pick<QueryAnalysis, 'docRefs'> & Partial<Pick<QueryAnalysis, 'intent'>>): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  // Documents named by issuer make a group only when nothing else names documents (they then add to those), or
  // when the question compares: "the Government's programme and the Bắc Ninh plan" names two sides.
  const refs = q.intent !== 'compare' && q.docRefs.some((r) => r.via !== 'issuer') ? q.docRefs.filter((r) => r.via !== 'issuer') : q.docRefs;
  for (const r of refs) {
    const ids = r.docIds.length ? r.docIds : r.implementerIds;
    const key = [...ids].sort().join('|');
    if (!ids.length || seen.has(key)) continue;
    seen.add(key);
    out.push(ids);
  }
  return out;
}

/** A closing passage: the signature section (with the adoption sentence or the list next to it), or a list alone. */
function isClosing(section: string): boolean {
  return section.startsWith(SIGNATURE_PATH) || section.startsWith(RECIPIENTS_PATH);
}

/**
 * The documents whose closing a question about the closing asks for: those it names; else those it names by issuer
 * (among the implementers of a resolution it names, when some are); else the implementers of what it names.
 */
function closingTargets(named: ReadonlySet<string>, byIssuer: ReadonlySet<string>, implementers: ReadonlySet<string>): Set<string> {
  if (named.size) return new Set(named);
  if (byIssuer.size) {
    const both = [...byIssuer].filter((id) => implementers.has(id));
    return new Set(both.length ? both : byIssuer);
  }
  return new Set(implementers);
}

/**
 * A question that points at several documents (two plans to compare, a plan and a province) gets the best
 * chunk of each among its first `top` hits: the ranking is kept, and the best chunk of a document not yet
 * placed moves up when only as many places are left as documents missing.
 * @example spreadOverDocuments(ranked, ['qd-1240', 'kh-bac-ninh'], 5) // both documents among the first five
 */
export function spreadOverDocuments<T extends { chunk: { docId: string } }>(ranked: T[], docIds: string[], top: number): T[] {
  const best = new Map<string, T>();
  for (const r of ranked) if (docIds.includes(r.chunk.docId) && !best.has(r.chunk.docId)) best.set(r.chunk.docId, r);
  const owed = new Set(best.values());
  const head: T[] = [];
  const rest = [...ranked];
  while (head.length < top && rest.length) {
    const missing = [...owed].filter((r) => !head.includes(r));
    const next = missing.length >= top - head.length ? missing[0]! : rest[0]!;
    head.push(next);
    rest.splice(rest.indexOf(next), 1);
  }
  return [...head, ...rest];
}

/**
 * The chunks holding the passages another document identifies this one by, when its own number or date is
 * blank (`Kế hoạch số 19-KH/TW ngày 27/11/2023 của Bộ Chính trị` in a plan that implements it).
 */
function passagesIdentifying(index: IndexSnapshot, docId: string): ChunkId[] {
  const meta = index.documents.get(docId)?.meta;
  const out = new Set<ChunkId>();
  for (const inf of [meta?.numberInferred, meta?.dateInferred]) {
    if (!inf) continue;
    const at = index.documents.get(inf.fromDocId)?.text.indexOf(inf.evidence) ?? -1;
    if (at < 0) continue;
    const chunk = index.documents.chunksOf(inf.fromDocId).find((c) => c.start <= at && at < c.end);
    if (chunk) out.add(chunk.id);
  }
  return [...out];
}

/**
 * Task-register records located in a chunk (by the record's verbatim evidence): their kinds, and each kind with
 * the document numbers its record names (`report|42-NQ/TW`: a duty to report on Resolution 42). Worked out for a
 * document the first time one of its chunks is asked about, so opening an index reads no document text.
 */
function obligationRecords(index: IndexSnapshot, byDoc: ReadonlyMap<string, Obligation[]>): (chunk: Chunk) => { kinds: Set<string>; objects: Set<string> } | undefined {
  const perDoc = new Map<string, Map<ChunkId, { kinds: Set<string>; objects: Set<string> }>>();
  return (chunk) => {
    let out = perDoc.get(chunk.docId);
    if (!out) {
      out = new Map();
      const recs = byDoc.get(chunk.docId) ?? [];
      const text = recs.length ? index.documents.get(chunk.docId)?.text : undefined;
      const chunks = text === undefined ? [] : index.documents.chunksOf(chunk.docId);
      for (const o of recs) {
        const at = text?.indexOf(o.evidence) ?? -1;
        if (at < 0) continue;
        for (const c of chunks) {
          if (c.start < at + o.evidence.length && at < c.end) {
            const rec = out.get(c.id) ?? out.set(c.id, { kinds: new Set(), objects: new Set() }).get(c.id)!;
            rec.kinds.add(o.kind);
            for (const r of findNumberRefs(o.evidence)) rec.objects.add(`${o.kind}|${numberKey(r.number)}`);
          }
        }
      }
      perDoc.set(chunk.docId, out);
    }
    return out.get(chunk.id);
  };
}

/** Task kinds a question asks about, from its verbs (Vietnamese, unaccented or via the glossary). */
export function askedKinds(question: string, expansion: string[]): string[] {
  // The same cue words the register classifies records by (data/task-kinds.json).
  return kindsInQuestion(`${question} ${expansion.join(' ')}`);
}
