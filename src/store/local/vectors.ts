// The local vector index: an HNSW graph (hnswlib, cosine) whose labels are chunk ordinals.
import hnswlib from 'hnswlib-node';
import type { OrdinalHit } from './keyword.ts';

/** HNSW graph degree (higher = better recall, more memory); 8–48. */
export const HNSW_M = 16;
/** HNSW build-time candidate list size; 100–400. */
export const HNSW_EF_CONSTRUCTION = 200;
/** HNSW query-time candidate list size; ≥ k. */
export const HNSW_EF_SEARCH = 100;

/** Builds an HNSW (cosine) graph over row-major vectors; labels are chunk ordinals. */
export function buildHnsw(vectors: Float32Array, dim: number): hnswlib.HierarchicalNSW {
  const n = vectors.length / dim;
  const index = new hnswlib.HierarchicalNSW('cosine', dim);
  index.initIndex(Math.max(1, n), HNSW_M, HNSW_EF_CONSTRUCTION, 42);
  for (let i = 0; i < n; i++) index.addPoint(Array.from(vectors.subarray(i * dim, (i + 1) * dim)), i);
  index.setEf(HNSW_EF_SEARCH);
  return index;
}

/** Reads a graph written by {@link buildHnsw}. */
export function readHnsw(file: string, dim: number): hnswlib.HierarchicalNSW {
  const index = new hnswlib.HierarchicalNSW('cosine', dim);
  index.readIndexSync(file);
  index.setEf(HNSW_EF_SEARCH);
  return index;
}

/** Nearest neighbours by cosine similarity (1 − cosine distance), best first. */
export function hnswSearch(index: hnswlib.HierarchicalNSW, count: number, vector: ArrayLike<number>, k: number): OrdinalHit[] {
  const n = Math.min(k, count);
  if (n <= 0) return [];
  const r = index.searchKnn(Array.from(vector), n);
  return r.neighbors.map((ordinal, i) => ({ ordinal, score: 1 - r.distances[i]! }));
}
