// The on-disk index: immutable build folders plus a manifest written last, so readers never see half a build.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { AppError } from '../errors.ts';
import type { Chunk, LineageEdge, Obligation, StoredDoc } from '../doc/types.ts';

export type { LineageEdge, StoredDoc };
import type { Bm25Data } from './bm25.ts';

/** Version of the index layout; an index with another version is refused. */
export const INDEX_FORMAT_VERSION = 3;
/** HNSW graph degree (higher = better recall, more memory); 8–48. */
export const HNSW_M = 16;
/** HNSW build-time candidate list size; 100–400. */
export const HNSW_EF_CONSTRUCTION = 200;
/** HNSW query-time candidate list size; ≥ k. */
export const HNSW_EF_SEARCH = 100;

export interface FileEntry {
  /** sha256 of the file bytes. */
  hash: string;
  docId: string | null;
  /** Why it is not indexed, when it is not. */
  error?: string;
}

export interface Manifest {
  formatVersion: number;
  builtAt: string;
  /** Folder (inside the index dir) holding this build's files. */
  dataDir: string;
  embedder: { id: string; dim: number; queryPrefix: string; passagePrefix: string };
  files: Record<string, FileEntry>;
  counts: { documents: number; chunks: number; obligations: number };
  /** Fingerprint of the code that turns a file into its parsed form; parses are reused only under the same one. */
  parser?: string;
}

export interface IndexData {
  manifest: Manifest;
  dir: string;
  docs: StoredDoc[];
  chunks: Chunk[];
  bm25: Bm25Data;
  vectors: Float32Array;
  hnsw: hnswlib.HierarchicalNSW;
  obligations: Obligation[];
  lineage: LineageEdge[];
}

export function sha256(buf: Buffer | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Builds an HNSW (cosine) graph over row-major vectors; labels are chunk positions. */
export function buildHnsw(vectors: Float32Array, dim: number): hnswlib.HierarchicalNSW {
  const n = vectors.length / dim;
  const index = new hnswlib.HierarchicalNSW('cosine', dim);
  index.initIndex(Math.max(1, n), HNSW_M, HNSW_EF_CONSTRUCTION, 42);
  for (let i = 0; i < n; i++) index.addPoint(Array.from(vectors.subarray(i * dim, (i + 1) * dim)), i);
  index.setEf(HNSW_EF_SEARCH);
  return index;
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, JSON.stringify(value));
}

/**
 * Writes a complete build into a fresh folder, then atomically replaces manifest.json.
 * A crash before the rename leaves the previous index usable; older build folders are removed.
 */
export async function saveIndex(
  indexDir: string,
  data: Omit<IndexData, 'dir' | 'manifest'> & { manifest: Omit<Manifest, 'dataDir'>; modelsStage?: string },
): Promise<Manifest> {
  await mkdir(indexDir, { recursive: true });
  const buildId = `build-${Date.now().toString(36)}-${process.pid}`;
  const tmp = path.join(indexDir, `.${buildId}.tmp`);
  await mkdir(tmp, { recursive: true });
  await writeJson(path.join(tmp, 'docs.json'), data.docs);
  await writeJson(path.join(tmp, 'chunks.json'), data.chunks);
  await writeJson(path.join(tmp, 'bm25.json'), data.bm25);
  await writeJson(path.join(tmp, 'obligations.json'), data.obligations);
  await writeJson(path.join(tmp, 'lineage.json'), data.lineage);
  await writeFile(path.join(tmp, 'vectors.f32'), Buffer.from(data.vectors.buffer, data.vectors.byteOffset, data.vectors.byteLength));
  data.hnsw.writeIndexSync(path.join(tmp, 'vectors.hnsw'));
  if (data.modelsStage) {
    await rename(data.modelsStage, path.join(tmp, 'models'));
    await rm(path.dirname(data.modelsStage), { recursive: true, force: true });
  }
  await rename(tmp, path.join(indexDir, buildId));
  const manifest: Manifest = { ...data.manifest, dataDir: buildId };
  const mtmp = path.join(indexDir, `.manifest.${process.pid}.tmp`);
  await writeFile(mtmp, JSON.stringify(manifest, null, 2));
  await rename(mtmp, path.join(indexDir, 'manifest.json'));
  // Keep the new build and the one before it (a server may still be loading it).
  const builds = (await readdir(indexDir)).filter((f) => f.startsWith('build-')).sort();
  const keep = new Set([buildId, builds.filter((b) => b !== buildId).pop()]);
  for (const b of builds) if (!keep.has(b)) await rm(path.join(indexDir, b), { recursive: true, force: true });
  // Leftovers of crashed builds.
  for (const f of await readdir(indexDir)) if (/^\.(build|models)-.*\.tmp$/.test(f)) await rm(path.join(indexDir, f), { recursive: true, force: true });
  return manifest;
}

/** Reads only the manifest; null when there is none. */
export async function readManifest(indexDir: string): Promise<Manifest | null> {
  const file = path.join(indexDir, 'manifest.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new AppError('index_corrupt', `index at ${indexDir} is corrupt (manifest.json unreadable) — run \`npm run cli -- ingest\``, { cause: e });
  }
}

/**
 * Loads a whole index into memory. Missing, corrupt or incompatible indexes raise an AppError whose
 * one-line message says to run `ingest`.
 */
export async function loadIndex(indexDir: string, expect?: { embedderId: string }): Promise<IndexData> {
  const manifest = await readManifest(indexDir);
  if (!manifest) throw new AppError('index_missing', `no index at ${indexDir} — run \`npm run cli -- ingest\` first`);
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new AppError('index_mismatch', `index at ${indexDir} has format ${manifest.formatVersion}, this version reads ${INDEX_FORMAT_VERSION} — run \`npm run cli -- ingest\` to rebuild`);
  }
  if (expect && manifest.embedder.id !== expect.embedderId) {
    throw new AppError('index_mismatch', `index at ${indexDir} was built with embedder "${manifest.embedder.id}" but EMBED_MODEL is "${expect.embedderId}" — run \`npm run cli -- ingest\` to rebuild`);
  }
  const dir = path.join(indexDir, manifest.dataDir);
  try {
    const [docs, chunks, bm25, obligations, lineage, vecBuf] = await Promise.all([
      readFile(path.join(dir, 'docs.json'), 'utf8').then((s) => JSON.parse(s) as StoredDoc[]),
      readFile(path.join(dir, 'chunks.json'), 'utf8').then((s) => JSON.parse(s) as Chunk[]),
      readFile(path.join(dir, 'bm25.json'), 'utf8').then((s) => JSON.parse(s) as Bm25Data),
      readFile(path.join(dir, 'obligations.json'), 'utf8').then((s) => JSON.parse(s) as Obligation[]),
      readFile(path.join(dir, 'lineage.json'), 'utf8').then((s) => JSON.parse(s) as LineageEdge[]),
      readFile(path.join(dir, 'vectors.f32')),
    ]);
    const vectors = new Float32Array(vecBuf.buffer.slice(vecBuf.byteOffset, vecBuf.byteOffset + vecBuf.byteLength));
    if (vectors.length !== chunks.length * manifest.embedder.dim) throw new Error('vector count does not match chunk count');
    const hnsw = new hnswlib.HierarchicalNSW('cosine', manifest.embedder.dim);
    hnsw.readIndexSync(path.join(dir, 'vectors.hnsw'));
    hnsw.setEf(HNSW_EF_SEARCH);
    return { manifest, dir, docs, chunks, bm25, vectors, hnsw, obligations, lineage };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('index_corrupt', `index at ${indexDir} is corrupt or incomplete (${(e as Error).message}) — run \`npm run cli -- ingest\``, { cause: e });
  }
}
