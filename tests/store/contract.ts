// The store contract: every implementation of the ports (local files, Postgres) must pass these checks.
// Usage: runStoreContract('local', { open: async (build) => snapshot, cleanup })
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bm25Term, FOLDED_WEIGHT_WITH_DIACRITICS, queryTerms, terms } from '../../src/store/bm25.ts';
import { chunkIdOf, type IndexBuild, type IndexSnapshot, type KeywordQuery } from '../../src/store/ports.ts';
import { STOP_EXACT, STOP_FOLDED } from '../../src/text/stopwords.ts';
import { ScopedTerms, scopedRanking } from '../../src/retrieve/scoped.ts';
import { fixtureBuild, fixtureVector } from './fixture-build.ts';

export interface StoreUnderTest {
  /** Persists a build as a new version and opens it. */
  open(build: IndexBuild): Promise<IndexSnapshot>;
  /** Removes whatever open() created. */
  cleanup?(): Promise<void>;
}

type FieldTfs = Array<{ m: Map<string, number>; len: number }>;
const tfCache = new WeakMap<IndexBuild, { exact: FieldTfs; folded: FieldTfs }>();

/** Exhaustive BM25 over the build's chunks, written independently of any store (the reference ranking). */
function referenceScores(build: IndexBuild, q: KeywordQuery): Map<string, number> {
  let cached = tfCache.get(build);
  if (!cached) {
    const tfsOf = (fold: boolean): FieldTfs =>
      build.chunks.map((c) => {
        const m = new Map<string, number>();
        const ts = terms(c.indexText, fold);
        for (const t of ts) m.set(t, (m.get(t) ?? 0) + 1);
        return { m, len: ts.length };
      });
    cached = { exact: tfsOf(false), folded: tfsOf(true) };
    tfCache.set(build, cached);
  }
  const out = new Map<string, number>();
  const field = (tfs: FieldTfs, qterms: KeywordQuery['exact'], weight: number) => {
    const n = tfs.length;
    const avg = tfs.reduce((a, b) => a + b.len, 0) / Math.max(1, n);
    for (const { term, weight: w } of qterms) {
      const df = tfs.filter((x) => x.m.has(term)).length;
      tfs.forEach((x, i) => {
        const tf = x.m.get(term);
        if (!tf) return;
        const id = build.chunks[i]!.id;
        out.set(id, (out.get(id) ?? 0) + weight * w * bm25Term(tf, df, x.len, avg, n));
      });
    }
  };
  if (q.diacritics) {
    field(cached.exact, q.exact, 1);
    field(cached.folded, q.folded, FOLDED_WEIGHT_WITH_DIACRITICS);
  } else field(cached.folded, q.folded, 1);
  return out;
}

const kq = (text: string, diacritics: boolean): KeywordQuery => ({ exact: queryTerms(text, false, STOP_EXACT), folded: queryTerms(text, true, STOP_FOLDED), diacritics });

export function runStoreContract(name: string, impl: StoreUnderTest): void {
  describe(`store contract: ${name}`, () => {
    let build: IndexBuild;
    let snap: IndexSnapshot;
    beforeAll(async () => {
      build = await fixtureBuild();
      snap = await impl.open(build);
    }, 120_000);
    afterAll(async () => {
      await snap?.close?.();
      await impl.cleanup?.();
    });

    it('records its version: format, build time, version id, embedder and counts', () => {
      expect(snap.info.formatVersion).toEqual(expect.any(Number));
      expect(snap.info.version).toMatch(/\S/);
      expect(Number.isNaN(Date.parse(snap.info.builtAt))).toBe(false);
      expect(snap.info.embedder).toEqual(build.embedder);
      expect(snap.info.counts).toEqual({ documents: build.docs.length, chunks: build.chunks.length, obligations: build.obligations.length });
    });

    it('returns every document with its text, sections and hash, in corpus order', () => {
      expect(snap.documents.metas()).toEqual(build.docs.map((d) => d.meta));
      for (const d of build.docs) expect(snap.documents.get(d.meta.id)).toEqual(d);
      for (const id of ['nope', 'constructor', '__proto__', 'toString', '']) expect(snap.documents.get(id)).toBeNull();
    });

    it("gives each document's head: its text up to the end of its header section", () => {
      for (const d of build.docs) {
        const header = d.sections.find((s) => s.kind === 'header');
        expect(snap.documents.head(d.meta.id)).toBe(d.text.slice(0, header?.end ?? 0));
      }
      expect(build.docs.some((d) => (snap.documents.head(d.meta.id) ?? '').length > 0)).toBe(true);
      for (const id of ['nope', 'constructor', '']) expect(snap.documents.head(id)).toBeNull();
    });

    it('returns chunks by their string id and per document, text a verbatim slice', () => {
      expect(snap.documents.chunkCount()).toBe(build.chunks.length);
      for (const c of build.chunks) {
        const got = snap.documents.chunk(c.id);
        expect(got).toEqual(c);
        // A copy of a chunk (sent to a worker, spread into another object) holds its text and indexed text too.
        expect(JSON.parse(JSON.stringify(got))).toEqual(c);
        expect({ ...got }).toEqual(c);
        expect(build.docs.find((d) => d.meta.id === c.docId)!.text.slice(got!.start, got!.end)).toBe(got!.text);
      }
      for (const d of build.docs) {
        const own = build.chunks.filter((c) => c.docId === d.meta.id);
        expect(snap.documents.chunksOf(d.meta.id)).toEqual(own);
        expect(own.map((c, i) => c.id)).toEqual(own.map((_, i) => chunkIdOf(d.meta.id, i)));
      }
      const first = build.docs[0]!.meta.id;
      for (const id of [`${first}#999999`, `${first}#-1`, `${first}#x`, 'nope#0', 'constructor#0', first, '']) expect(snap.documents.chunk(id)).toBeNull();
      expect(snap.documents.chunksOf('nope')).toEqual([]);
    });

    it('ranks keyword hits as exhaustive BM25 does (with and without diacritics)', async () => {
      const queries = [
        kq('báo cáo kết quả thực hiện nghị quyết', true),
        kq('bao cao ket qua thuc hien nghi quyet', false),
        kq('bảo hiểm thất nghiệp', true),
        kq('chuyen doi so', false),
        kq('Sở Lao động - Thương binh và Xã hội chủ trì', true),
      ];
      for (const q of queries) {
        const refMap = referenceScores(build, q);
        const ref = [...refMap].filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]);
        const hits = await snap.keywords.search(q, 10);
        expect(hits.length).toBe(Math.min(10, ref.length));
        hits.forEach((h, i) => {
          expect(h.score).toBeCloseTo(ref[i]![1], 6);
          expect(h.score).toBeCloseTo(refMap.get(h.id) ?? -1, 6);
          if (i > 0) expect(h.score).toBeLessThanOrEqual(hits[i - 1]!.score);
        });
      }
      expect(await snap.keywords.search(kq('bảo hiểm', true), 3)).toHaveLength(3);
      expect(await snap.keywords.search(kq('zzzqqq', false), 10)).toEqual([]);
    });

    it('ranks inside some documents as the scoped ranking over their chunks does, when it can', () => {
      const within = snap.keywords.searchWithin?.bind(snap.keywords);
      if (!within) return;
      const stats = new ScopedTerms((id) => snap.documents.chunksOf(id));
      const ids = build.docs.map((d) => d.meta.id);
      const groups = [[ids[0]!], ids, [ids[1] ?? ids[0]!, 'nope', ids[0]!, ids[1] ?? ids[0]!], ['nope'], []];
      let ranked = 0;
      for (const text of ['báo cáo kết quả thực hiện nghị quyết', 'bao hiem that nghiep', 'Sở Lao động chủ trì, phối hợp', 'zzzqqq']) {
        const q = queryTerms(text, true, STOP_FOLDED);
        for (const group of groups) {
          for (const k of [1, 5, 40]) {
            const want = scopedRanking(stats, group, q, (t) => snap.keywords.docFreq(t), snap.keywords.size(), k);
            expect(within(q, group, k)).toEqual(want);
            ranked += want.length;
          }
        }
      }
      expect(ranked).toBeGreaterThan(50);
    });

    it('treats words that name Object.prototype members as ordinary words', async () => {
      for (const w of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        const hits = await snap.keywords.search(kq(w, false), 5);
        expect(hits.map((h) => h.id.split('#')[0])).toEqual(['proto-words']);
        for (const t of terms(w, true)) expect(snap.keywords.docFreq(t)).toBe(1);
      }
      expect(await snap.keywords.search(kq('valueOf isPrototypeOf', false), 5)).toEqual([]);
    });

    it('gives document frequencies of folded terms and the index size', () => {
      expect(snap.keywords.size()).toBe(build.chunks.length);
      const df = (t: string) => build.chunks.filter((c) => terms(c.indexText, true).includes(t)).length;
      for (const t of ['bao', 'bao_cao', 'nghi_quyet', 'that_nghiep', 'khong-co-tu-nay']) expect(snap.keywords.docFreq(t)).toBe(df(t));
    });

    it('lists the chunks holding every one of some folded terms, in corpus order (when the store can)', () => {
      const withTerms = snap.keywords.chunksWith;
      if (!withTerms) return;
      const held = build.chunks.map((c) => new Set(terms(c.indexText, true)));
      const expected = (ts: string[]) => build.chunks.filter((_, i) => ts.every((t) => held[i]!.has(t))).map((c) => c.id);
      for (const ts of [['bao'], ['bao', 'cao', 'bao_cao'], ['nghi_quyet', 'thuc'], ['that_nghiep', 'bao'], ['khong-co-tu-nay'], ['bao', 'khong-co-tu-nay']]) {
        const want = expected(ts);
        expect(withTerms(ts)).toEqual(want);
        expect(want.length > 0 || ts.includes('khong-co-tu-nay')).toBe(true);
      }
      expect(withTerms([])).toEqual([]);
    });

    it('finds nearest chunks by cosine similarity, best first', async () => {
      expect(snap.vectors.dim).toBe(build.embedder.dim);
      for (const c of [build.chunks[0]!, build.chunks[Math.floor(build.chunks.length / 2)]!, build.chunks[build.chunks.length - 1]!]) {
        const hits = await snap.vectors.search(fixtureVector(c.indexText), 5);
        expect(hits).toHaveLength(5);
        expect(hits[0]!.score).toBeCloseTo(1, 4);
        // The best hit is this chunk or one with the same vector.
        const best = build.chunks.findIndex((x) => x.id === hits[0]!.id);
        expect(Array.from(build.vectors.subarray(best * build.embedder.dim, (best + 1) * build.embedder.dim)).map((x) => x.toFixed(5))).toEqual(Array.from(fixtureVector(c.indexText)).map((x) => x.toFixed(5)));
        for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score + 1e-6);
      }
      expect(await snap.vectors.search(fixtureVector('bảo hiểm thất nghiệp'), build.chunks.length + 10)).toHaveLength(build.chunks.length);
    });

    it('returns the task register and the lineage as built', () => {
      expect(build.obligations.length).toBeGreaterThan(10);
      expect(build.lineage.length).toBeGreaterThan(0);
      expect(snap.register.obligations()).toEqual(build.obligations);
      expect(snap.register.lineage()).toEqual(build.lineage);
    });
  });
}
