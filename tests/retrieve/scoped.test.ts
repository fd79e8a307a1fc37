// Scoped keyword ranking inside the documents a question references, and the spread of a several-document
// question over its documents.
import { describe, expect, it } from 'vitest';
import { ScopedTerms, scopedRanking } from '../../src/retrieve/scoped.ts';
import { referencedGroups, spreadOverDocuments } from '../../src/retrieve/retriever.ts';
import { queryTerms } from '../../src/store/bm25.ts';
import { STOP_FOLDED } from '../../src/text/stopwords.ts';
import type { Chunk } from '../../src/doc/types.ts';

const chunk = (docId: string, n: number, text: string): Chunk => ({ id: `${docId}#${n}`, docId, section: `${n}`, start: 0, end: text.length, text, indexText: text } as unknown as Chunk);
const docs: Record<string, Chunk[]> = {
  plan: [
    chunk('plan', 0, 'Sở Lao động chủ trì tổng hợp, báo cáo kết quả thực hiện trước ngày 15 tháng 12 hằng năm'),
    chunk('plan', 1, 'Tuyên truyền, phổ biến kế hoạch đến cán bộ'),
  ],
  law: [chunk('law', 0, 'Kiểm toán nhà nước công khai báo cáo kết quả kiểm toán năm')],
};

describe('scoped ranking', () => {
  const stats = new ScopedTerms((id) => docs[id] ?? []);
  const q = queryTerms('Đơn vị nào báo cáo kết quả thực hiện hằng năm?', true, STOP_FOLDED);
  const df = (t: string) => (t.includes('_') ? 100 : 1000);

  it('ranks only the chunks of the documents given, best match first', () => {
    expect(scopedRanking(stats, ['plan'], q, df, 40_000, 10)).toEqual(['plan#0']);
    expect(scopedRanking(stats, ['plan', 'law'], q, df, 40_000, 10)[0]).toBe('plan#0');
    expect(scopedRanking(stats, ['law'], q, df, 40_000, 10)).toEqual(['law#0']);
    expect(scopedRanking(stats, ['missing'], q, df, 40_000, 10)).toEqual([]);
  });

  it('keeps each document’s term statistics once (the same object on the second question)', () => {
    expect(stats.of('plan')).toBe(stats.of('plan'));
  });
});

describe('spread over the referenced documents', () => {
  const r = (docId: string, n: number) => ({ chunk: { docId, id: `${docId}#${n}` } });
  const ranked = [r('a', 0), r('a', 1), r('a', 2), r('a', 3), r('a', 4), r('law', 0), r('b', 7), r('b', 8)];

  it('moves the best chunk of a referenced document missing from the first hits up, keeping the order otherwise', () => {
    const out = spreadOverDocuments(ranked, ['a', 'b'], 5);
    expect(out.slice(0, 5).map((x) => x.chunk.id)).toEqual(['a#0', 'a#1', 'a#2', 'a#3', 'b#7']);
    expect(out.length).toBe(ranked.length);
    expect(new Set(out)).toEqual(new Set(ranked));
  });

  it('changes nothing when every referenced document is already among the first hits', () => {
    expect(spreadOverDocuments(ranked, ['a', 'law'], 6)).toEqual(ranked);
  });

  it('groups are the named documents of each reference, else its implementers or place documents, once each', () => {
    const ref = (docIds: string[], implementerIds: string[]) => ({ raw: '', docIds, implementerIds, candidates: [], ambiguous: false, chosen: null });
    expect(referencedGroups({ docRefs: [ref(['qd'], ['x']), ref([], ['bn']), ref([], ['bn']), ref([], [])] })).toEqual([['qd'], ['bn']]);
  });
});
