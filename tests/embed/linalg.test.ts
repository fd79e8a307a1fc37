// Checks the training's linear algebra against properties that define it (eigen-equation, low-rank recovery).
import { describe, expect, it } from 'vitest';
import { randomizedSvd, seededRandom, symmetricEigen, type Csr } from '../../src/embed/linalg.ts';

describe('symmetricEigen', () => {
  it('solves A·v = λ·v with orthonormal vectors and ascending values', () => {
    const n = 40;
    const rand = seededRandom(7);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rand() - 0.5;
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      if (k > 0) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * vectors[j * n + k]!;
        expect(av).toBeCloseTo(values[k]! * vectors[i * n + k]!, 10);
      }
      for (let m = 0; m < n; m++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[i * n + k]! * vectors[i * n + m]!;
        expect(dot).toBeCloseTo(k === m ? 1 : 0, 10);
      }
    }
  });
});

describe('randomizedSvd', () => {
  it('recovers the singular values of a sparse matrix of known rank', () => {
    // A = 5·e0·(e1+e2)ᵀ/√2 + 2·e3·e4ᵀ: singular values 5 and 2, then zeros.
    const r = Math.SQRT1_2 * 5;
    const entries: Array<[number, number, number]> = [[0, 1, r], [0, 2, r], [3, 4, 2]];
    const n = 8;
    const rowPtr = new Int32Array(n + 1);
    for (const [row] of entries) rowPtr[row + 1]!++;
    for (let i = 0; i < n; i++) rowPtr[i + 1]! += rowPtr[i]!;
    const a: Csr = { rows: n, cols: n, rowPtr, colIdx: Int32Array.from(entries.map((e) => e[1])), vals: Float64Array.from(entries.map((e) => e[2])) };
    const { s, u, rank } = randomizedSvd(a, { rank: 3, oversample: 2, powerIterations: 1, seed: 1 });
    expect(rank).toBe(3);
    expect(s[0]).toBeCloseTo(5, 10);
    expect(s[1]).toBeCloseTo(2, 10);
    expect(s[2]).toBeCloseTo(0, 6);
    expect(Math.abs(u[0 * n + 0]!)).toBeCloseTo(1, 10); // first left vector is ±e0
    expect(Math.abs(u[1 * n + 3]!)).toBeCloseTo(1, 10); // second is ±e3
  });
});
