// The local vector index: an HNSW graph (hnswlib, cosine) whose labels are chunk ordinals.
import hnswlib from 'hnswlib-node';
import type { OrdinalHit } from './keyword.ts';

/** HNSW graph degree (higher = better recall, more memory); 8–48. */
export const HNSW_M = 16;
/** HNSW build-time candidate list size; 100–400. */
export const HNSW_EF_CONSTRUCTION = 200;
/**
 * HNSW query-time candidate list size; ≥ k. Measured (`npm run bench -- --hnsw`, 213 documents, 42,351 chunks,
 * 197 queries, recall of the 60 retrieval candidates against exact cosine search): M=16/efConstruction=200 gives
 * 0.976 at ef 60, 0.991 at ef 100, 0.998 at ef 200, all under 1 ms per query; efConstruction 100 or M=12 lose
 * 0.5–1 point at ef 100 without building measurably faster.
 */
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

/** Reads a graph written by {@link buildHnsw} (or updated by {@link updateHnsw}). */
export function readHnsw(file: string, dim: number, allowReplaceDeleted = false): hnswlib.HierarchicalNSW {
  const index = new hnswlib.HierarchicalNSW('cosine', dim);
  index.readIndexSync(file, allowReplaceDeleted);
  index.setEf(HNSW_EF_SEARCH);
  return index;
}

/**
 * Updates a previous build's graph in place of building a new one: points of chunks that are gone are marked
 * deleted, new chunks are added (taking deleted slots). Returns the graph label of every chunk of the new build.
 * @param previousLabel for each new chunk, the label of the same vector in the old graph, or -1 when it is new
 */
export function updateHnsw(graph: hnswlib.HierarchicalNSW, oldLabels: Uint32Array, previousLabel: Int32Array, vectors: Float32Array, dim: number): Uint32Array {
  const kept = new Set<number>();
  for (const l of previousLabel) if (l >= 0) kept.add(l);
  for (const l of oldLabels) if (!kept.has(l)) graph.markDelete(l);
  let next = 0;
  for (const l of oldLabels) next = Math.max(next, l + 1);
  const labels = new Uint32Array(previousLabel.length);
  const added = previousLabel.filter((l) => l < 0).length;
  const free = graph.getMaxElements() - graph.getCurrentCount() + (oldLabels.length - kept.size);
  if (added > free) graph.resizeIndex(graph.getMaxElements() + added - free);
  previousLabel.forEach((l, i) => {
    if (l >= 0) {
      labels[i] = l;
      return;
    }
    labels[i] = next;
    graph.addPoint(Array.from(vectors.subarray(i * dim, (i + 1) * dim)), next++, true);
  });
  return labels;
}

/** Map from graph label to chunk ordinal (-1 for labels of deleted points). */
export function ordinalsByLabel(labels: Uint32Array): Int32Array {
  let max = -1;
  for (const l of labels) max = Math.max(max, l);
  const out = new Int32Array(max + 1).fill(-1);
  labels.forEach((l, o) => (out[l] = o));
  return out;
}

/** Nearest neighbours by cosine similarity (1 − cosine distance), best first. */
export function hnswSearch(index: hnswlib.HierarchicalNSW, ordinalOf: Int32Array, count: number, vector: ArrayLike<number>, k: number): OrdinalHit[] {
  const n = Math.min(k, count);
  if (n <= 0) return [];
  const r = index.searchKnn(Array.from(vector), n);
  const out: OrdinalHit[] = [];
  r.neighbors.forEach((label, i) => {
    const ordinal = ordinalOf[label] ?? -1;
    if (ordinal >= 0) out.push({ ordinal, score: 1 - r.distances[i]! });
  });
  return out;
}
