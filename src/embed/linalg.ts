// Small dense/sparse linear algebra for training the static embedding model: seeded RNG, CSR products, randomized SVD.

/**
 * Deterministic 32-bit PRNG (mulberry32): same seed, same stream on every platform.
 * @example const r = seededRandom(1); r() // → a number in [0, 1)
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source (Box–Muller). */
function gaussian(rand: () => number): number {
  const u1 = 1 - rand(); // (0, 1]: log stays finite
  const u2 = rand();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A sparse matrix in compressed-sparse-row form. */
export interface Csr {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  vals: Float64Array;
}

/**
 * Dense matrices here are stored column by column: column j of an n×k matrix is `m.subarray(j*n, (j+1)*n)`.
 * That keeps the dot products of Gram–Schmidt contiguous.
 */
type Cols = Float64Array;

/** out = A · Y, Y given as k columns of length A.cols. */
function csrTimes(a: Csr, y: Cols, k: number): Cols {
  const out = new Float64Array(a.rows * k);
  const { rowPtr, colIdx, vals } = a;
  for (let j = 0; j < k; j++) {
    const yj = y.subarray(j * a.cols, (j + 1) * a.cols);
    const base = j * a.rows;
    for (let r = 0; r < a.rows; r++) {
      let s = 0;
      for (let p = rowPtr[r]!; p < rowPtr[r + 1]!; p++) s += vals[p]! * yj[colIdx[p]!]!;
      out[base + r] = s;
    }
  }
  return out;
}

/** out = Aᵀ · Y, Y given as k columns of length A.rows. */
function csrTransposeTimes(a: Csr, y: Cols, k: number): Cols {
  const out = new Float64Array(a.cols * k);
  const { rowPtr, colIdx, vals } = a;
  for (let j = 0; j < k; j++) {
    const base = j * a.cols;
    const yBase = j * a.rows;
    for (let r = 0; r < a.rows; r++) {
      const yr = y[yBase + r]!;
      if (yr === 0) continue;
      for (let p = rowPtr[r]!; p < rowPtr[r + 1]!; p++) out[base + colIdx[p]!]! += vals[p]! * yr;
    }
  }
  return out;
}

/** In-place modified Gram–Schmidt on k columns of length n; dependent columns become zero. */
function orthonormalize(m: Cols, n: number, k: number): void {
  for (let j = 0; j < k; j++) {
    const cj = m.subarray(j * n, (j + 1) * n);
    let before = 0;
    for (let r = 0; r < n; r++) before += cj[r]! * cj[r]!;
    for (let i = 0; i < j; i++) {
      const ci = m.subarray(i * n, (i + 1) * n);
      let d = 0;
      for (let r = 0; r < n; r++) d += ci[r]! * cj[r]!;
      if (d !== 0) for (let r = 0; r < n; r++) cj[r]! -= d * ci[r]!;
    }
    let norm = 0;
    for (let r = 0; r < n; r++) norm += cj[r]! * cj[r]!;
    // A column that lost almost all of its length is numerically dependent: drop it rather than amplify noise.
    if (norm <= 1e-20 * Math.max(before, 1e-300)) {
      cj.fill(0);
      continue;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let r = 0; r < n; r++) cj[r]! *= inv;
  }
}

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major), by Householder tridiagonalisation and the
 * implicit QL algorithm (the classic tred2/tql2 pair from EISPACK/JAMA). Eigenvalues ascending; eigenvector j
 * is column j of `vectors` (row-major n×n).
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const V = Float64Array.from(matrix);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const at = (i: number, j: number): number => V[i * n + j]!;
  const set = (i: number, j: number, x: number): void => {
    V[i * n + j] = x;
  };
  if (n === 0) return { values: d, vectors: V };

  // tred2: reduce to tridiagonal form, accumulating the transformations in V.
  for (let j = 0; j < n; j++) d[j] = at(n - 1, j);
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = at(i - 1, j);
        set(i, j, 0);
        set(j, i, 0);
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        set(j, i, f);
        g = e[j]! + at(j, j) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += at(k, j) * d[k]!;
          e[k]! += at(k, j) * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) set(k, j, at(k, j) - (f * e[k]! + g * d[k]!));
        d[j] = at(i - 1, j);
        set(i, j, 0);
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    set(n - 1, i, at(i, i));
    set(i, i, 1);
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = at(k, i + 1) / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += at(k, i + 1) * at(k, j);
        for (let k = 0; k <= i; k++) set(k, j, at(k, j) - g * d[k]!);
      }
    }
    for (let k = 0; k <= i; k++) set(k, i + 1, 0);
  }
  for (let j = 0; j < n; j++) {
    d[j] = at(n - 1, j);
    set(n - 1, j, 0);
  }
  set(n - 1, n - 1, 1);
  e[0] = 0;

  // tql2: implicit QL iterations on the tridiagonal matrix.
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 100) throw new Error('symmetricEigen: QL iteration did not converge');
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            h = at(k, i + 1);
            set(k, i + 1, s * at(k, i) + c * h);
            set(k, i, c * at(k, i) - s * h);
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  // Selection sort, ascending, moving the eigenvectors along.
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = at(j, i);
        set(j, i, at(j, k));
        set(j, k, t);
      }
    }
  }
  return { values: d, vectors: V };
}

export interface SvdOptions {
  /** Number of singular triplets wanted. */
  rank: number;
  /** Extra random directions beyond `rank` (Halko et al. suggest 5–10). */
  oversample: number;
  /** Power iterations that sharpen the spectrum (1–3 are typical). */
  powerIterations: number;
  seed: number;
}

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011) of a sparse matrix. Returns the left singular
 * vectors as `rank` columns (column-major, length `a.rows`) and the singular values, largest first. Columns past
 * the numerical rank are zero.
 */
export function randomizedSvd(a: Csr, opts: SvdOptions): { u: Float64Array; s: Float64Array; rank: number } {
  const rank = Math.max(0, Math.min(opts.rank, a.rows, a.cols));
  const l = Math.min(rank + opts.oversample, a.rows, a.cols);
  const rand = seededRandom(opts.seed);
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(rand);

  let q = csrTimes(a, omega, l);
  orthonormalize(q, a.rows, l);
  // When the sample is as wide as the matrix, Q already spans its whole range: power iterations add nothing.
  const iterations = l >= Math.min(a.rows, a.cols) ? 0 : opts.powerIterations;
  for (let it = 0; it < iterations; it++) {
    // Re-orthonormalising once per A·Aᵀ step (not after each half) is enough for a few iterations and halves the cost.
    q = csrTimes(a, csrTransposeTimes(a, q, l), l);
    orthonormalize(q, a.rows, l);
  }
  // B = Qᵀ A; its left singular vectors come from the eigenvectors of B Bᵀ = Zᵀ Z with Z = Aᵀ Q.
  const z = csrTransposeTimes(a, q, l);
  const gram = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    const zi = z.subarray(i * a.cols, (i + 1) * a.cols);
    for (let j = i; j < l; j++) {
      const zj = z.subarray(j * a.cols, (j + 1) * a.cols);
      let dot = 0;
      for (let r = 0; r < a.cols; r++) dot += zi[r]! * zj[r]!;
      gram[i * l + j] = dot;
      gram[j * l + i] = dot;
    }
  }
  const { values, vectors } = symmetricEigen(gram, l);
  const u = new Float64Array(a.rows * rank);
  const s = new Float64Array(rank);
  for (let c = 0; c < rank; c++) {
    const src = l - 1 - c; // eigenvalues ascend: take from the end
    const lambda = values[src]!;
    s[c] = lambda > 0 ? Math.sqrt(lambda) : 0;
    if (s[c] === 0) continue;
    const out = u.subarray(c * a.rows, (c + 1) * a.rows);
    for (let i = 0; i < l; i++) {
      const w = vectors[i * l + src]!;
      if (w === 0) continue;
      const qi = q.subarray(i * a.rows, (i + 1) * a.rows);
      for (let r = 0; r < a.rows; r++) out[r]! += w * qi[r]!;
    }
  }
  return { u, s, rank };
}
