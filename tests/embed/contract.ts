// Shared contract every Embedder must pass (the langchainjs "standard tests" idea): run it once per model.
import { expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/index.ts';

export interface ContractCase {
  embedder: Embedder;
  /** Dimension the model was built with. */
  expectedDim: number;
  /** A real corpus passage about bảo hiểm xã hội. */
  insurancePassage: string;
  /** A real corpus passage on another topic (no bảo hiểm / xã hội). */
  unrelatedPassage: string;
}

export function cosine(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(v: number[]): number {
  return Math.sqrt(cosine(v, v));
}

/** Registers the contract tests; `get` is called inside each test (the case is built in beforeAll). */
export function embedderContract(get: () => ContractCase): void {
  it('loads through the real pipeline with the dimension it was built with', () => {
    const c = get();
    expect(c.embedder.dim).toBe(c.expectedDim);
    expect(c.embedder.id.length).toBeGreaterThan(0);
  });

  it('returns one unit-length vector of length dim per text, across batches', async () => {
    const c = get();
    const texts = [c.insurancePassage, c.unrelatedPassage, 'kế hoạch hành động', 'Bộ Chính trị', 'lao động việc làm'];
    const vecs = await c.embedder.embedDocuments(texts);
    expect(vecs).toHaveLength(texts.length);
    for (const v of vecs) {
      expect(v).toHaveLength(c.expectedDim);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    const q = await c.embedder.embedQuery('bảo hiểm thất nghiệp');
    expect(q).toHaveLength(c.expectedDim);
    expect(norm(q)).toBeCloseTo(1, 5);
  });

  it('is deterministic, and padding inside a batch does not change a vector', async () => {
    const c = get();
    const alone = await c.embedder.embedDocuments(['kế hoạch hành động']);
    const again = await c.embedder.embedDocuments(['kế hoạch hành động']);
    const batched = await c.embedder.embedDocuments([c.insurancePassage, 'kế hoạch hành động']);
    expect(again[0]).toEqual(alone[0]);
    for (let i = 0; i < c.expectedDim; i++) expect(batched[1]![i]).toBeCloseTo(alone[0]![i]!, 6);
  });

  it('puts an unaccented query nearer the matching passage than an unrelated one', async () => {
    const c = get();
    const [ins, other] = await c.embedder.embedDocuments([c.insurancePassage, c.unrelatedPassage]);
    const q = await c.embedder.embedQuery('bao hiem xa hoi');
    expect(cosine(q, ins!)).toBeGreaterThan(cosine(q, other!) + 0.1);
  });

  it('puts an English glossary term near the Vietnamese text', async () => {
    const c = get();
    const [ins, other] = await c.embedder.embedDocuments([c.insurancePassage, c.unrelatedPassage]);
    const q = await c.embedder.embedQuery('insurance');
    expect(cosine(q, ins!)).toBeGreaterThan(cosine(q, other!) + 0.1);
  });

  it('does not crash on unknown words, empty text or an empty batch', async () => {
    const c = get();
    for (const text of ['xyzzy qwertz plugh', '', '   ', '¿¡ ★ ✓ 😀']) {
      const v = await c.embedder.embedQuery(text);
      expect(v).toHaveLength(c.expectedDim);
      expect(v.every((x) => Number.isFinite(x))).toBe(true);
    }
    expect(await c.embedder.embedDocuments([])).toEqual([]);
  });

  it('rejects input that is not text', async () => {
    const c = get();
    await expect(c.embedder.embedQuery(42 as unknown as string)).rejects.toThrow(/expects a string/);
    await expect(c.embedder.embedDocuments(['ok', null as unknown as string])).rejects.toThrow(/array of strings/);
  });
}
