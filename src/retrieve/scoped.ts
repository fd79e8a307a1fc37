// Scoped keyword ranking: BM25 over the chunks of the documents one reference of the question selects
// (`Nghị quyết 42` → the programmes implementing it; `tỉnh Bắc Ninh` → the province's plan). Among hundreds
// of documents the global ranking may hold none of a named document's sections when laws share the
// question's words; ranking inside each referenced group gives every document the question points at its
// best sections (a comparison of two plans gets passages of both).
import { bm25Term, terms } from '../store/bm25.ts';
import type { ChunkId, QueryTerm } from '../store/ports.ts';
import type { Chunk } from '../doc/types.ts';

/** Term frequencies of one chunk's folded index text (syllables and bigrams) and its length. */
interface ChunkTerms {
  id: ChunkId;
  tf: Map<string, number>;
  len: number;
}

/** Documents whose chunk terms are kept between questions (a referenced law can hold thousands of chunks). */
export const SCOPED_CACHE_DOCS = 24;

/** Folded-term statistics of the chunks of documents, worked out once per document (bounded cache). */
export class ScopedTerms {
  private readonly cache = new Map<string, ChunkTerms[]>();
  constructor(private readonly chunksOf: (docId: string) => Chunk[]) {}

  of(docId: string): ChunkTerms[] {
    const hit = this.cache.get(docId);
    if (hit) {
      // Most recently used last.
      this.cache.delete(docId);
      this.cache.set(docId, hit);
      return hit;
    }
    const out = this.chunksOf(docId).map((c) => {
      const tf = new Map<string, number>();
      const ts = terms(c.indexText, true);
      for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
      return { id: c.id, tf, len: ts.length };
    });
    this.cache.set(docId, out);
    if (this.cache.size > SCOPED_CACHE_DOCS) this.cache.delete(this.cache.keys().next().value!);
    return out;
  }
}

/**
 * The top-k chunks of a group of documents for folded query terms, by BM25 with the index-wide document
 * frequencies (`df`, `n`) and the group's own average chunk length. Only chunks with a score > 0.
 * @example scopedRanking(stats, ['ctrhd-chinh-phu-nq42'], queryTerms('báo cáo kết quả', true, stop), df, n, 10)
 */
export function scopedRanking(stats: ScopedTerms, docIds: string[], query: QueryTerm[], df: (t: string) => number, n: number, k: number): ChunkId[] {
  const chunks = docIds.flatMap((d) => stats.of(d));
  if (!chunks.length || !query.length) return [];
  const avg = chunks.reduce((s, c) => s + c.len, 0) / chunks.length;
  const dfs = new Map<string, number>();
  for (const { term } of query) if (!dfs.has(term)) dfs.set(term, df(term));
  const scored: Array<{ id: ChunkId; s: number }> = [];
  for (const c of chunks) {
    let s = 0;
    for (const { term, weight } of query) {
      const tf = c.tf.get(term);
      if (tf) s += weight * bm25Term(tf, dfs.get(term)!, c.len, avg, n);
    }
    if (s > 0) scored.push({ id: c.id, s });
  }
  scored.sort((a, b) => b.s - a.s);
  return scored.slice(0, k).map((x) => x.id);
}
