// The local file store: each build is an immutable folder of binary bundles plus a manifest written last (with a
// format version and a sha256 per file), so readers never see half a build and a damaged one is refused.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type hnswlib from 'hnswlib-node';
import { z } from 'zod';
import type { DocMeta, LineageEdge, Obligation, Section } from '../../doc/types.ts';
import { AppError } from '../../errors.ts';
import { headOf, type ChunkId, type Hit, type IndexBuild, type IndexInfo, type IndexSnapshot, type KeywordIndex, type KeywordQuery, type QueryTerm, type RegisterStore, type VectorIndex } from '../ports.ts';
import { BundleStrings, encodeBundle, encodeStrings, encodeUtf16, FileStrings, LazyBundle } from './bundle.ts';
import { chunkColumns, LocalDocuments, type ChunkColumns, type DocSource } from './documents.ts';
import { CheckedFile, fileSums, type FileSums } from './files.ts';
import { buildKeywordFields, LocalKeywordScorer, type BuiltField, type KeywordField, type Postings } from './keyword.ts';
import { buildTermSlots, HashTermTable } from './terms.ts';
import { buildHnsw, hnswSearch, ordinalsByLabel, readHnsw, updateHnsw } from './vectors.ts';

/** A build or model folder left by an interrupted build, e.g. `.build-mxdharlu-4918.tmp`. */
const TEMP_BUILD_RE = /^\.(build|models)-.*\.tmp$/;

/**
 * Version of the local index layout; a build with another version is refused (re-ingest). 6: document texts in
 * UTF-16LE with a head table, block checksums, files read on demand.
 */
export const INDEX_FORMAT_VERSION = 6;

/** The data files of a build, each checksummed in the manifest. */
const DATA_FILES = ['docs.json', 'docs.bin', 'chunks.bin', 'keywords.bin', 'register.json', 'vectors.hnsw'] as const;

/** One corpus file as recorded in the manifest. */
export interface FileEntry {
  /** sha256 of the file bytes (+ sidecar). */
  hash: string;
  docId: string | null;
  /** Why it is not indexed, when it is not. */
  error?: string;
}

const fileEntrySchema = z.object({ hash: z.string(), docId: z.string().nullable(), error: z.string().optional() });
const manifestSchema = z.object({
  formatVersion: z.number().int(),
  builtAt: z.string(),
  dataDir: z.string().regex(/^build-[\w-]+$/),
  embedder: z.object({ id: z.string(), dim: z.number().int().positive(), queryPrefix: z.string(), passagePrefix: z.string() }),
  files: z.record(z.string(), fileEntrySchema),
  counts: z.object({ documents: z.number().int().nonnegative(), chunks: z.number().int().nonnegative(), obligations: z.number().int().nonnegative() }),
  parser: z.string().optional(),
  registerCode: z.string().optional(),
  /** Size and block checksums of each data file (see files.ts). */
  checksums: z.record(z.string(), z.object({ size: z.number().int().nonnegative(), blocks: z.string() })),
});

export type Manifest = z.infer<typeof manifestSchema>;

export function sha256(buf: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

const RUN_INGEST = 'run `npm run cli -- ingest`';

/** Reads only the manifest; null when there is none. Throws a one-line AppError when it is unreadable. */
export async function readManifest(indexDir: string): Promise<Manifest | null> {
  const file = path.join(indexDir, 'manifest.json');
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new AppError('index_corrupt', `index at ${indexDir} is corrupt (manifest.json unreadable) — ${RUN_INGEST}`, { cause: e });
  }
  const fv = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof fv === 'number' && fv !== INDEX_FORMAT_VERSION) {
    throw new AppError('index_mismatch', `index at ${indexDir} has format ${fv}, this version reads ${INDEX_FORMAT_VERSION} — ${RUN_INGEST} to rebuild`);
  }
  const r = manifestSchema.safeParse(raw);
  if (!r.success) throw new AppError('index_corrupt', `index at ${indexDir} is corrupt (manifest.json: ${r.error.issues[0]?.path.join('.') || 'shape'} invalid) — ${RUN_INGEST}`);
  return r.data;
}

/** What the local writer needs beyond the build itself. */
export interface LocalBuildExtras {
  files: Record<string, FileEntry>;
  /** Fingerprint of the parsing code (parses are reused only under the same one). */
  parser?: string;
  /** Fingerprint of the task-register code (records are reused only under the same one). */
  registerCode?: string;
  /** Receives the time each part of the write took. */
  log?: (msg: string) => void;
  /** Update the previous build's vector graph instead of building a new one. */
  vectorReuse?: VectorReuse;
}

/** What a new build keeps of the previous one's vectors. */
export interface VectorReuse {
  previous: LocalSnapshot;
  /** For each chunk of the new build, the ordinal in the previous build of a chunk with the same vector, or -1. */
  previousOrdinal: Int32Array;
}

/** Share of new vectors above which a fresh graph is built rather than the previous one updated. */
export const GRAPH_REBUILD_FRACTION = 0.3;

function fieldArrays(prefix: string, f: BuiltField): Record<string, Uint8Array | Uint16Array | Uint32Array | Float32Array> {
  const s = encodeStrings(f.termList);
  const slots = buildTermSlots(new BundleStrings(s.bytes, s.offsets));
  return {
    [`${prefix}.termBytes`]: s.bytes,
    [`${prefix}.termOffsets`]: s.offsets,
    [`${prefix}.termSlots`]: slots,
    [`${prefix}.offsets`]: f.offsets,
    [`${prefix}.docs`]: f.docs,
    [`${prefix}.tfs`]: f.tfs,
    [`${prefix}.lengths`]: f.lengths,
    [`${prefix}.maxImpact`]: f.maxImpact,
  };
}

/**
 * Writes a complete build into a fresh folder, then atomically replaces manifest.json. A crash before the
 * rename leaves the previous index usable; builds older than the previous one are removed.
 */
export async function writeLocalIndex(indexDir: string, build: IndexBuild, extras: LocalBuildExtras): Promise<Manifest> {
  const dim = build.embedder.dim;
  if (build.vectors.length !== build.chunks.length * dim) throw new Error(`vectors hold ${build.vectors.length / dim} rows for ${build.chunks.length} chunks`);
  await mkdir(indexDir, { recursive: true });
  const buildId = `build-${Date.now().toString(36)}-${process.pid}`;
  const tmp = path.join(indexDir, `.${buildId}.tmp`);
  await mkdir(tmp, { recursive: true });
  const checksums: Record<string, FileSums> = {};
  const times: string[] = [];
  let tLast = performance.now();
  let cpuLast = process.cpuUsage();
  const lap = (what: string) => {
    const t = performance.now();
    const cpu = process.cpuUsage(cpuLast);
    times.push(`${what} ${((t - tLast) / 1000).toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)})`);
    tLast = t;
    cpuLast = process.cpuUsage();
  };
  const put = async (name: string, bytes: Buffer | string) => {
    const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    checksums[name] = fileSums(buf);
    await writeFile(path.join(tmp, name), buf);
  };

  await put('docs.json', JSON.stringify({ metas: build.docs.map((d) => d.meta), hashes: build.docs.map((d) => d.hash) }));
  const texts = encodeUtf16(build.docs.map((d) => d.text));
  const sections = encodeStrings(build.docs.map((d) => JSON.stringify(d.sections)));
  const heads = encodeStrings(build.docs.map(headOf));
  await put('docs.bin', encodeBundle({ text: texts.units, textOffsets: texts.offsets, sections: sections.bytes, sectionOffsets: sections.offsets, head: heads.bytes, headOffsets: heads.offsets }));

  const cols = chunkColumns(build.docs, build.chunks);
  const strings = encodeStrings(cols.strings.list);
  lap('documents');
  const { exact, folded } = buildKeywordFields(build.chunks.map((c) => c.indexText));
  await put('keywords.bin', encodeBundle({ ...fieldArrays('exact', exact), ...fieldArrays('folded', folded) }));

  lap('keywords');
  await put('register.json', JSON.stringify({ obligations: build.obligations, lineage: build.lineage }));
  const n = build.chunks.length;
  const reuse = extras.vectorReuse;
  let labels: Uint32Array;
  const fresh = reuse ? reuse.previousOrdinal.filter((o) => o < 0).length : n;
  if (reuse && reuse.previous.info.embedder.dim === dim && fresh <= GRAPH_REBUILD_FRACTION * n) {
    const graph = readHnsw(path.join(reuse.previous.dir, 'vectors.hnsw'), dim, true);
    const oldLabels = reuse.previous.labels;
    const previousLabel = Int32Array.from(reuse.previousOrdinal, (o) => (o >= 0 ? oldLabels[o]! : -1));
    labels = updateHnsw(graph, oldLabels, previousLabel, build.vectors, dim);
    graph.writeIndexSync(path.join(tmp, 'vectors.hnsw'));
    extras.log?.(`vector graph updated: ${fresh} added, ${oldLabels.length - (n - fresh)} removed`);
  } else {
    labels = Uint32Array.from({ length: n }, (_, i) => i);
    buildHnsw(build.vectors, dim).writeIndexSync(path.join(tmp, 'vectors.hnsw'));
  }
  lap('graph');
  await put('vectors.bin', encodeBundle({ vectors: build.vectors }));
  await put('chunks.bin', encodeBundle({ doc: cols.doc, start: cols.start, end: cols.end, section: cols.section, crumb: cols.crumb, prefix: cols.prefix, kind: cols.kind, labels, stringBytes: strings.bytes, stringOffsets: strings.offsets }));
  checksums['vectors.hnsw'] = fileSums(await readFile(path.join(tmp, 'vectors.hnsw')));
  lap('vector and chunk files');
  extras.log?.(`write: ${times.join(', ')}`);

  if (build.modelsDir) {
    await rename(build.modelsDir, path.join(tmp, 'models'));
  }
  await rename(tmp, path.join(indexDir, buildId));
  const manifest: Manifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    builtAt: new Date().toISOString(),
    dataDir: buildId,
    embedder: build.embedder,
    files: extras.files,
    counts: { documents: build.docs.length, chunks: build.chunks.length, obligations: build.obligations.length },
    parser: extras.parser,
    registerCode: extras.registerCode,
    checksums,
  };
  const mtmp = path.join(indexDir, `.manifest.${process.pid}.tmp`);
  await writeFile(mtmp, JSON.stringify(manifest, null, 2));
  await rename(mtmp, path.join(indexDir, 'manifest.json'));
  // Keep the new build and the one before it (a server may still be loading it).
  const builds = (await readdir(indexDir)).filter((f) => f.startsWith('build-')).sort();
  const keep = new Set([buildId, builds.filter((b) => b !== buildId).pop()]);
  for (const b of builds) if (!keep.has(b)) await rm(path.join(indexDir, b), { recursive: true, force: true });
  // Leftovers of crashed builds.
  for (const f of await readdir(indexDir)) if (TEMP_BUILD_RE.test(f)) await rm(path.join(indexDir, f), { recursive: true, force: true });
  return manifest;
}

const docsJsonSchema = z.object({ metas: z.array(z.object({ id: z.string(), file: z.string() }).passthrough()), hashes: z.array(z.string()) });
const registerSchema = z.object({
  obligations: z.array(z.object({ id: z.string(), docId: z.string(), kind: z.string(), evidence: z.string() }).passthrough()),
  lineage: z.array(z.object({ from: z.string(), to: z.string() }).passthrough()),
});

/**
 * Bytes of posting lists per field kept in memory after a query read them: the lists used since they last
 * filled this much are kept, at most twice this much in all (256 MiB). The gold and blind questions' lists at
 * 2,130 documents take about 100 MiB a field; at 213 documents a whole field is 40 MiB.
 */
export const POSTINGS_CACHE_BYTES = 128 * 1048576;

/** A keyword field whose term table is in memory and whose postings are read from the build file when a query needs them. */
function readField(b: LazyBundle, prefix: string, chunks: number): KeywordField {
  const strings = new BundleStrings(b.u8(`${prefix}.termBytes`), b.u32(`${prefix}.termOffsets`));
  const offsets = b.u32(`${prefix}.offsets`);
  const postingCount = b.length(`${prefix}.docs`, 'u32');
  // Two generations of lists, each up to the budget: a list used again moves to the young one; when the young
  // one is full the old one is dropped. (No delete-and-set per use: that makes a large Map rehash.)
  let young = new Map<number, Postings>();
  let old = new Map<number, Postings>();
  let youngBytes = 0;
  const postings = (t: number): Postings => {
    let p = young.get(t);
    if (p) return p;
    p = old.get(t);
    if (!p) {
      const from = offsets[t]!;
      const to = offsets[t + 1]!;
      p = { docs: b.range(`${prefix}.docs`, 'u32', from, to), tfs: b.range(`${prefix}.tfs`, 'u16', from, to) };
    }
    young.set(t, p);
    youngBytes += p.docs.length * 6;
    if (youngBytes > POSTINGS_CACHE_BYTES) {
      old = young;
      young = new Map();
      youngBytes = 0;
    }
    return p;
  };
  const field: KeywordField = {
    terms: new HashTermTable(strings, b.u32(`${prefix}.termSlots`)),
    offsets,
    postings,
    lengths: b.u32(`${prefix}.lengths`),
    maxImpact: b.f32(`${prefix}.maxImpact`),
  };
  if (offsets.length !== strings.size + 1) throw new Error(`${prefix} postings offsets do not match its term table`);
  for (let t = 0; t < strings.size; t++) if (offsets[t + 1]! < offsets[t]!) throw new Error(`${prefix} postings offsets are not ascending`);
  if (offsets[offsets.length - 1] !== postingCount || b.length(`${prefix}.tfs`, 'u16') !== postingCount) throw new Error(`${prefix} postings are truncated`);
  if (field.maxImpact.length !== strings.size) throw new Error(`${prefix} term bounds do not match its term table`);
  if (field.lengths.length !== chunks) throw new Error(`${prefix} field covers ${field.lengths.length} chunks, the index has ${chunks}`);
  return field;
}

/** The open files of a build (closed by {@link LocalSnapshot.close}). */
interface BuildFiles {
  docs: CheckedFile;
  chunks: CheckedFile;
  keywords: CheckedFile;
  hnsw: CheckedFile;
}

/**
 * A loaded local build. Metadata, the chunk table's columns, term tables and the task register are in memory;
 * document texts and sections, chunk strings, posting lists and the vector graph are read from the build's
 * files when first needed.
 */
export class LocalSnapshot implements IndexSnapshot {
  readonly keywords: KeywordIndex;
  readonly vectors: VectorIndex;
  readonly register: RegisterStore;
  private graph: hnswlib.HierarchicalNSW | null = null;
  constructor(
    readonly info: IndexInfo,
    readonly manifest: Manifest,
    /** The build folder. */
    readonly dir: string,
    readonly documents: LocalDocuments,
    scorer: LocalKeywordScorer,
    private readonly files: BuildFiles,
    obligations: Obligation[],
    lineage: LineageEdge[],
    readonly modelsDir: string | undefined,
    /** Graph label of each chunk. */
    readonly labels: Uint32Array,
    private readonly damaged: (message: string) => Error,
  ) {
    const ordinalOf = ordinalsByLabel(labels);
    const docs = documents;
    this.keywords = {
      async search(query: KeywordQuery, k: number): Promise<Hit[]> {
        return scorer.topK(query, k).map((h) => ({ id: docs.idAt(h.ordinal), score: h.score }));
      },
      docFreq: (term: string) => scorer.docFreq(term),
      chunksWith: (terms: string[]) => scorer.chunksWithAll(terms).map((o) => docs.idAt(o)),
      size: () => scorer.size,
      searchWithin(query: QueryTerm[], docIds: string[], k: number): ChunkId[] {
        const ranges = docIds.map((id) => docs.ordinalRange(id)).filter((r): r is [number, number] => r !== null);
        return scorer.topKWithin(query, ranges, k).map((o) => docs.idAt(o));
      },
    };
    const count = documents.chunkCount();
    const graph = () => this.vectorGraph();
    this.vectors = {
      dim: info.embedder.dim,
      async search(vector: ArrayLike<number>, k: number): Promise<Hit[]> {
        return hnswSearch(graph(), ordinalOf, count, vector, k).map((h) => ({ id: docs.idAt(h.ordinal), score: h.score }));
      },
    };
    this.register = { obligations: () => obligations, lineage: () => lineage };
  }

  /** The vector graph, read (after checking its file) on the first vector search. */
  private vectorGraph(): hnswlib.HierarchicalNSW {
    if (this.graph) return this.graph;
    this.files.hnsw.checkAll();
    let g: hnswlib.HierarchicalNSW;
    try {
      g = readHnsw(this.files.hnsw.file, this.info.embedder.dim);
    } catch (e) {
      throw this.damaged(`vectors.hnsw cannot be read: ${(e as Error).message}`);
    }
    if (g.getCurrentCount() < this.documents.chunkCount()) throw this.damaged('vector labels do not match the chunk count');
    this.graph = g;
    return g;
  }

  async close(): Promise<void> {
    for (const f of Object.values(this.files)) f.close();
  }

  /** The build's chunk vectors (row-major, chunkCount × dim), read and checked against the manifest. */
  async readVectors(): Promise<Float32Array> {
    const sums = this.manifest.checksums['vectors.bin'];
    if (!sums) throw this.damaged('vectors.bin has no checksum');
    const file = new CheckedFile(path.join(this.dir, 'vectors.bin'), 'vectors.bin', sums, this.damaged);
    try {
      const v = LazyBundle.open(file, 'vectors.bin').f32('vectors');
      if (v.length !== this.documents.chunkCount() * this.info.embedder.dim) throw new Error('vectors.bin does not match the chunk count');
      return v;
    } finally {
      file.close();
    }
  }
}

/**
 * Opens the current build of a local index: reads what is kept in memory and checks it (shape and checksums);
 * the rest is checked block by block when first read. Missing, damaged or incompatible builds raise an AppError
 * whose one-line message says to run `ingest` (on open, or on the read that finds the damage).
 */
export async function openLocalSnapshot(indexDir: string, expect?: { embedderId: string }): Promise<LocalSnapshot> {
  const manifest = await readManifest(indexDir);
  if (!manifest) throw new AppError('index_missing', `no index at ${indexDir} — run \`npm run cli -- ingest\` first`);
  if (expect && manifest.embedder.id !== expect.embedderId) {
    throw new AppError('index_mismatch', `index at ${indexDir} was built with embedder "${manifest.embedder.id}" but EMBED_MODEL is "${expect.embedderId}" — ${RUN_INGEST} to rebuild`);
  }
  const dir = path.join(indexDir, manifest.dataDir);
  const damaged = (why: string) => new AppError('index_corrupt', `index at ${indexDir} is corrupt or incomplete (${why}) — ${RUN_INGEST}`);
  const opened: CheckedFile[] = [];
  const open = (name: (typeof DATA_FILES)[number]) => {
    const sums = manifest.checksums[name];
    if (!sums) throw new Error(`${name} has no checksum`);
    const f = new CheckedFile(path.join(dir, name), name, sums, damaged);
    opened.push(f);
    return f;
  };
  try {
    const files: BuildFiles = { docs: open('docs.bin'), chunks: open('chunks.bin'), keywords: open('keywords.bin'), hnsw: open('vectors.hnsw') };
    const docsJson = open('docs.json').readAll();
    const registerJson = open('register.json').readAll();
    const dj = docsJsonSchema.parse(JSON.parse(docsJson.toString('utf8')));
    const metas = dj.metas as unknown as DocMeta[];
    if (dj.hashes.length !== metas.length) throw new Error('docs.json hashes do not match its documents');
    const db = LazyBundle.open(files.docs, 'docs.bin');
    const textOffsets = db.u32('textOffsets');
    const sectionOffsets = db.u32('sectionOffsets');
    const heads = new BundleStrings(db.u8('head'), db.u32('headOffsets'));
    for (const o of [textOffsets, sectionOffsets]) {
      if (o.length !== metas.length + 1) throw new Error('docs.bin does not match docs.json');
      for (let i = 0; i < metas.length; i++) if (o[i + 1]! < o[i]!) throw new Error('docs.bin offsets are not ascending');
    }
    if (textOffsets[metas.length] !== db.length('text', 'u16') || sectionOffsets[metas.length] !== db.length('sections', 'u8') || heads.size !== metas.length) throw new Error('docs.bin does not match docs.json');
    const utf16 = (units: Uint16Array) => Buffer.from(units.buffer, units.byteOffset, units.byteLength).toString('utf16le');
    const src: DocSource = {
      metas,
      text: (i) => utf16(db.range('text', 'u16', textOffsets[i]!, textOffsets[i + 1]!)),
      textSlice: (i, start, end) => {
        const from = textOffsets[i]!;
        const to = textOffsets[i + 1]!;
        const a = Math.min(to, from + Math.max(0, start));
        return utf16(db.range('text', 'u16', a, Math.max(a, Math.min(to, from + end))));
      },
      sections: (i) => {
        const raw = db.range('sections', 'u8', sectionOffsets[i]!, sectionOffsets[i + 1]!);
        const s = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8')) as unknown;
        if (!Array.isArray(s)) throw damaged(`sections of ${metas[i]!.id} are not a list`);
        return s as Section[];
      },
      hash: (i) => dj.hashes[i]!,
      head: (i) => heads.get(i),
    };
    const cb = LazyBundle.open(files.chunks, 'chunks.bin');
    const cols: ChunkColumns = {
      doc: cb.u32('doc'),
      start: cb.u32('start'),
      end: cb.u32('end'),
      section: cb.u32('section'),
      crumb: cb.u32('crumb'),
      prefix: cb.u32('prefix'),
      kind: cb.u8('kind'),
      strings: new FileStrings(cb, 'stringBytes', cb.u32('stringOffsets')),
    };
    const n = cols.doc.length;
    if (n !== manifest.counts.chunks || metas.length !== manifest.counts.documents) throw new Error('counts do not match the manifest');
    for (const c of [cols.start, cols.end, cols.section, cols.crumb, cols.prefix, cols.kind]) if (c.length !== n) throw new Error('chunk columns differ in length');
    for (let i = 0; i < n; i++) {
      const d = cols.doc[i]!;
      if (d >= metas.length || (i > 0 && d < cols.doc[i - 1]!)) throw new Error('chunk table names documents out of order');
      if (cols.start[i]! > cols.end[i]! || cols.end[i]! > textOffsets[d + 1]! - textOffsets[d]!) throw new Error('chunk table has a span outside its document');
      if (cols.section[i]! >= cols.strings.size || cols.crumb[i]! >= cols.strings.size || cols.prefix[i]! >= cols.strings.size) throw new Error('chunk table has a row out of range');
    }
    const kb = LazyBundle.open(files.keywords, 'keywords.bin');
    const scorer = new LocalKeywordScorer(readField(kb, 'exact', n), readField(kb, 'folded', n));
    const reg = registerSchema.parse(JSON.parse(registerJson.toString('utf8')));
    const labels = cb.u32('labels');
    if (labels.length !== n) throw new Error('vector labels do not match the chunk count');
    for (const f of opened) if (!Object.values(files).includes(f)) f.close();
    const info: IndexInfo = {
      formatVersion: manifest.formatVersion,
      builtAt: manifest.builtAt,
      version: manifest.dataDir,
      embedder: manifest.embedder,
      counts: manifest.counts,
    };
    const models = path.join(dir, 'models');
    return new LocalSnapshot(info, manifest, dir, new LocalDocuments(src, cols), scorer, files, reg.obligations as unknown as Obligation[], reg.lineage as unknown as LineageEdge[], existsSync(models) ? models : undefined, labels, damaged);
  } catch (e) {
    for (const f of opened) f.close();
    if (e instanceof AppError) throw e;
    const why = e instanceof z.ZodError ? `bad shape at ${e.issues[0]?.path.join('.') ?? '?'}` : (e as Error).message;
    throw new AppError('index_corrupt', `index at ${indexDir} is corrupt or incomplete (${why}) — ${RUN_INGEST}`, { cause: e });
  }
}
