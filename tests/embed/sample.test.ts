import { describe, expect, it } from 'vitest';
import { trainingSample } from '../../src/embed/index.ts';

describe('trainingSample', () => {
  const texts = Array.from({ length: 100 }, (_, i) => `doc${String(i).padStart(3, '0')}x `.repeat(10)); // 80 chars each

  it('keeps every text when the corpus is within the cap', () => {
    expect(trainingSample(texts, 8000)).toBe(texts);
    expect(trainingSample(texts, 1e9)).toBe(texts);
  });

  it('takes an evenly spread, ordered, deterministic subset of about the cap beyond it', () => {
    const s = trainingSample(texts, 2000); // a quarter of the 8,000 characters
    expect(s.length).toBe(25);
    const chars = s.reduce((a, t) => a + t.length, 0);
    expect(chars).toBeLessThanOrEqual(2000);
    const ids = s.map((t) => Number(t.slice(3, 6)));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // spread over the whole corpus, not the first files: gaps of 4, first in the first stride, last in the last
    expect(ids[0]).toBeLessThan(4);
    expect(ids.at(-1)).toBeGreaterThanOrEqual(96);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! - ids[i - 1]!).toBe(4);
    expect(trainingSample(texts, 2000)).toEqual(s);
  });

  it('returns at least one text and rejects a non-positive cap', () => {
    expect(trainingSample(texts, 1).length).toBe(1);
    expect(() => trainingSample(texts, 0)).toThrow(/positive/);
    expect(trainingSample([], 10)).toEqual([]);
  });
});
