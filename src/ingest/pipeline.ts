// Ingest: corpus files → documents, sections, metadata, chunks → BM25 + embeddings + HNSW + task register → index/.
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STATIC_MODEL_ID, type Config } from '../config.ts';
import { embedStatic, openEmbedder, trainStaticModel, trainingSample, type Embedder, type TrainedStaticModel } from '../embed/index.ts';
import { AppError } from '../errors.ts';
import { buildLineage, extractObligations } from '../register/index.ts';
import { glossaryAliases, loadGlossary } from '../text/glossary.ts';
import { describeTarget, postgresStoreFor } from '../store/postgres/index.ts';
import { openLocalSnapshot, readManifest, sha256, writeLocalIndex, type FileEntry, type LocalSnapshot } from '../store/index-store.ts';
import type { LineageEdge, StoredDoc } from '../store/ports.ts';
import type { Chunk, Obligation } from '../doc/types.ts';
import { chunkDocument } from './chunk.ts';
import { listCorpusFiles, loadFile } from './load.ts';
import { applySidecar, extractMetadata, inferIdentities } from './metadata.ts';
import { parseOutline } from './outline.ts';
import { createProgress, type ProgressSink } from './progress.ts';

/** A source or data file whose content goes into the register fingerprint, e.g. `extract.ts` or `units.json`. */
const CODE_OR_DATA_FILE_RE = /\.(ts|json)$/;
/** The extension of a corpus document, e.g. `.docx` of `ke-hoach.docx`. */
const DOCUMENT_EXTENSION_RE = /\.(txt|md|docx|pdf)$/i;
/** A run of characters a document id does not keep, e.g. the spaces and `(` of `Kế hoạch (bản 2)`. */
const NOT_ID_CHARS_RE = /[^\p{L}\p{N}._-]+/gu;

/** Chunks handed to the embedder per call (progress is reported per call). */
export const EMBED_BATCH = 256;
/**
 * Share of documents added, changed or removed up to which the corpus-trained static model of the previous
 * build is kept (so unchanged chunks keep their vectors and the vector graph is updated, not rebuilt). Above it,
 * or with `rebuild`, the model is retrained from the whole corpus. Range 0 (always retrain) – 1.
 */
export const STATIC_RETRAIN_FRACTION = 0.2;

export interface IngestReport {
  indexed: string[];
  reused: string[];
  failed: Array<{ file: string; reason: string }>;
  chunks: number;
  obligations: number;
  seconds: number;
}

export interface IngestOptions {
  /**
   * Where a progress bar is drawn when it is a terminal (default: process.stderr). Otherwise progress goes to
   * `log` as plain lines.
   */
  tty?: { isTTY?: boolean; write(s: string): unknown } | null;
  /** Ignore the previous build's parses and parse every file again (benchmarks). */
  rebuild?: boolean;
  /** Overrides {@link STATIC_RETRAIN_FRACTION}. */
  staticRetrainFraction?: number;
}

/**
 * Builds or incrementally updates the index. Files whose content hash is unchanged reuse their parsed
 * form; bad files are reported by name and skipped. Throws only when nothing could be indexed.
 */
export async function runIngest(cfg: Config, log: (msg: string) => void = () => {}, opts: IngestOptions = {}): Promise<IngestReport> {
  const t0 = performance.now();
  const tty = opts.tty === undefined ? process.stderr : opts.tty;
  const progress: ProgressSink = createProgress(tty, log);
  const bar = !!tty?.isTTY;
  /** Per-file lines are the progress when there is no bar. */
  const fileLog = (msg: string) => (bar ? undefined : log(msg));
  const timings: string[] = [];
  let tPhase = performance.now();
  let cpuPhase = process.cpuUsage();
  /** Wall and CPU (user + system, all threads) seconds of each phase: wall alone hides a busy machine. */
  const phaseDone = (name: string) => {
    const t = performance.now();
    const cpu = process.cpuUsage(cpuPhase);
    timings.push(`${name} ${((t - tPhase) / 1000).toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)})`);
    tPhase = t;
    cpuPhase = process.cpuUsage();
  };
  if (!existsSync(cfg.corpusDir)) throw new AppError('ingest_failed', `corpus folder ${cfg.corpusDir} does not exist`);
  const files = await listCorpusFiles(cfg.corpusDir);
  if (files.length === 0) throw new AppError('ingest_failed', `no .txt, .md, .docx or .pdf files in ${cfg.corpusDir}`);

  // DATABASE_URL: the build goes to Postgres as a new version (an unreachable database fails here, in one line).
  const pg = cfg.databaseUrl ? await postgresStoreFor(cfg.databaseUrl) : null;
  const parser = await parserFingerprint();
  const registerCode = await registerFingerprint();
  let reusable: StoredDoc[] = [];
  let previous: LocalSnapshot | null = null;
  try {
    const m = await readManifest(cfg.indexDir);
    if (m && m.parser === parser && !opts.rebuild) {
      // Opening validates the previous build (shape and checksums) before any of its parses is trusted.
      previous = await openLocalSnapshot(cfg.indexDir);
      reusable = previous.documents.metas().map((meta) => previous!.documents.get(meta.id)!);
    }
  } catch {
    reusable = []; // a corrupt or old index is simply rebuilt
    previous = null;
  }
  if (pg) {
    // The database keeps the versions: parses come from its active one; no local build is reused.
    previous = null;
    reusable = await pg.reusableDocuments(parser).catch(() => []);
  }
  /** What each previous document was before this run (its record is shared with `reusable`, which is updated). */
  const before = new Map(reusable.map((d) => [d.meta.id, { hash: d.hash, number: d.meta.number }]));
  const previousObligations = new Map<string, Obligation[]>();
  const registerReusable = previous !== null && previous.manifest.registerCode === registerCode;
  if (registerReusable) {
    for (const o of previous!.register.obligations()) (previousObligations.get(o.docId) ?? previousObligations.set(o.docId, []).get(o.docId)!).push(o);
  }
  const prevByHash = new Map<string, StoredDoc>(reusable.map((d) => [d.hash, d]));

  const report: IngestReport = { indexed: [], reused: [], failed: [], chunks: 0, obligations: 0, seconds: 0 };
  const docs: StoredDoc[] = [];
  const fileEntries: Record<string, FileEntry> = {};
  const projectRoot = path.dirname(cfg.corpusDir);
  const docIds = new Set<string>();
  if (bar) progress.start('parsed', files.length, 'documents');
  for (const [i, abs] of files.entries()) {
    if (bar) progress.tick(i, `${docs.length} indexed`);
    const rel = path.relative(projectRoot, abs);
    const bytes = await readFile(abs);
    const sidecarPath = `${abs}.meta.json`;
    const sidecar = existsSync(sidecarPath) ? await readFile(sidecarPath, 'utf8') : '';
    const hash = sha256(Buffer.concat([bytes, Buffer.from(sidecar)]));
    const prev = prevByHash.get(hash);
    if (prev && prev.meta.file === rel) {
      docs.push(prev);
      docIds.add(prev.meta.id);
      fileEntries[rel] = { hash, docId: prev.meta.id };
      report.reused.push(rel);
      fileLog(`[${i + 1}/${files.length}] ${rel}: unchanged`);
      continue;
    }
    try {
      const loaded = await loadFile(abs);
      const id = docIdFor(rel, docIds);
      const sections = parseOutline(loaded.text);
      let meta = extractMetadata({ id, file: rel, text: loaded.text, sections });
      if (sidecar) {
        try {
          meta = applySidecar(meta, JSON.parse(sidecar) as Record<string, unknown>);
        } catch (e) {
          throw new Error(`bad sidecar ${path.basename(sidecarPath)}: ${(e as Error).message}`);
        }
      }
      docs.push({ meta, text: loaded.text, sections, hash });
      docIds.add(id);
      fileEntries[rel] = { hash, docId: id };
      report.indexed.push(rel);
      const warnings = [...loaded.warnings, ...(meta.warnings ?? [])];
      const line = `[${i + 1}/${files.length}] ${rel}: ${sections.length} sections${warnings.length ? ` (${warnings.join('; ')})` : ''}`;
      // Warnings are shown even under the progress bar.
      if (warnings.length) log(line);
      else fileLog(line);
    } catch (e) {
      const reason = (e as Error).message;
      fileEntries[rel] = { hash, docId: null, error: reason };
      report.failed.push({ file: rel, reason });
      log(`[${i + 1}/${files.length}] ${rel}: SKIPPED — ${reason}`);
    }
  }
  if (bar) {
    progress.tick(files.length, `${docs.length} indexed`);
    progress.end();
  }
  phaseDone('parse');
  if (docs.length === 0) throw new AppError('ingest_failed', `nothing could be indexed: ${report.failed.map((f) => `${f.file} (${f.reason})`).join('; ')}`);

  // Identities revealed by other documents (re-run every time: a new file may reveal an old one's number).
  for (const d of docs) if (d.meta.numberInferred) { d.meta.number = null; d.meta.numberInferred = null; }
  for (const d of docs) if (d.meta.dateInferred) { d.meta.date = null; d.meta.dateInferred = null; }
  inferIdentities(docs);

  phaseDone('identities');
  const chunks: Chunk[] = docs.flatMap((d) => chunkDocument(d.meta, d.text, d.sections));
  log(`chunks: ${chunks.length}`);
  phaseDone('chunk');

  // Task records: a document with the same bytes and the same number keeps its records (same extraction code).
  const obligations: Obligation[] = [];
  let extracted = 0;
  for (const d of docs) {
    const was = before.get(d.meta.id);
    if (registerReusable && was && was.hash === d.hash && was.number === d.meta.number) {
      obligations.push(...(previousObligations.get(d.meta.id) ?? []));
      continue;
    }
    extracted++;
    obligations.push(...extractObligations({ docId: d.meta.id, docNumber: d.meta.number, text: d.text, sections: d.sections }));
  }
  phaseDone('register records');
  const lineage: LineageEdge[] = buildLineage(docs.map((d) => d.meta), new Map(docs.map((d) => [d.meta.id, d.text]))).edges;
  if (extracted < docs.length) log(`task register: records of ${docs.length - extracted} unchanged documents kept`);
  log(`task register: ${obligations.length} records, lineage: ${lineage.length} links`);
  phaseDone('lineage');

  // Embeddings: the static model is retrained from the corpus; a configured real model is used as is.
  const stage = path.join(cfg.indexDir, `.models-${process.pid}.tmp`);
  const removed = [...before.keys()].filter((id) => !docIds.has(id)).length;
  const changed = report.indexed.length + removed;
  const keepModel =
    cfg.embedModel === STATIC_MODEL_ID &&
    previous?.modelsDir !== undefined &&
    previous.info.embedder.id === STATIC_MODEL_ID &&
    previous.info.embedder.dim === cfg.embedDim &&
    changed <= (opts.staticRetrainFraction ?? STATIC_RETRAIN_FRACTION) * docs.length;
  let trained: TrainedStaticModel | null = null;
  if (keepModel) {
    await cp(path.join(previous!.modelsDir!, STATIC_MODEL_ID), path.join(stage, 'models', STATIC_MODEL_ID), { recursive: true });
    log(`static embedding model kept from the previous build (${changed} of ${docs.length} documents changed; a rebuild retrains it)`);
  } else if (cfg.embedModel === STATIC_MODEL_ID) {
    const glossary = loadGlossary();
    const tm = performance.now();
    const texts = trainingSample(docs.map((d) => d.text));
    if (texts.length < docs.length) log(`static embedding model: training on ${texts.length} of ${docs.length} documents, spread evenly (text cap)`);
    const r = (trained = await trainStaticModel({
      texts,
      outDir: path.join(stage, 'models', STATIC_MODEL_ID),
      dim: cfg.embedDim,
      modelId: STATIC_MODEL_ID,
      aliases: glossaryAliases(glossary),
    }));
    log(`static embedding model trained: ${r.vocabSize} tokens × ${r.dim} dims in ${((performance.now() - tm) / 1000).toFixed(1)} s`);
    phaseDone('train');
  }
  const embedder = await openEmbedder(cfg, stage);
  const dim = embedder.dim;
  const vectors = new Float32Array(chunks.length * dim);
  // Chunks whose indexed text is unchanged keep their vectors when the model is the same as the previous build's.
  const previousOrdinal = new Int32Array(chunks.length).fill(-1);
  const copied = new Uint8Array(chunks.length);
  const sameModel =
    previous !== null &&
    previous.info.embedder.id === embedder.id &&
    previous.info.embedder.dim === dim &&
    previous.info.embedder.passagePrefix === (embedder.passagePrefix ?? '') &&
    (cfg.embedModel !== STATIC_MODEL_ID || keepModel);
  if (sameModel) {
    try {
      const old = await previous!.readVectors();
      const byText = new Map<string, number>();
      for (let o = 0; o < previous!.documents.chunkCount(); o++) byText.set(previous!.documents.chunkAt(o).indexText, o);
      const used = new Set<number>();
      chunks.forEach((c, i) => {
        const o = byText.get(c.indexText);
        if (o === undefined) return;
        vectors.set(old.subarray(o * dim, (o + 1) * dim), i * dim);
        copied[i] = 1;
        // Two new chunks with the same text share a vector but not a graph point.
        if (!used.has(o)) previousOrdinal[i] = o;
        used.add(o);
      });
    } catch {
      previousOrdinal.fill(-1);
      copied.fill(0);
    }
  }
  const todo = chunks.map((_, i) => i).filter((i) => !copied[i]);
  if (todo.length < chunks.length) log(`embeddings: ${chunks.length - todo.length} unchanged chunks keep their vectors`);
  progress.start('embedded', todo.length, 'chunks');
  for (let b = 0; b < todo.length; b += EMBED_BATCH) {
    const idx = todo.slice(b, b + EMBED_BATCH);
    const texts = idx.map((i) => chunks[i]!.indexText);
    // The static model just trained gives in process the vectors of its ONNX graph (tests/embed), much faster.
    if (trained) {
      const vecs = embedStatic(trained, texts);
      idx.forEach((i, j) => vectors.set(vecs.subarray(j * dim, (j + 1) * dim), i * dim));
    } else (await embedder.embedDocuments(texts)).forEach((v, j) => vectors.set(v, idx[j]! * dim));
    progress.tick(Math.min(b + EMBED_BATCH, todo.length));
  }
  progress.end();
  phaseDone('embed');

  if (pg) {
    const embedderInfo = { id: embedder.id, dim, queryPrefix: embedder.queryPrefix ?? '', passagePrefix: embedder.passagePrefix ?? '' };
    const modelsDir = cfg.embedModel === STATIC_MODEL_ID ? path.join(stage, 'models') : undefined;
    const version = await pg.write({ docs, chunks, vectors, obligations, lineage, embedder: embedderInfo, modelsDir, files: fileEntries, parser }, log);
    await rm(stage, { recursive: true, force: true });
    Object.assign(report, { chunks: chunks.length, obligations: obligations.length, seconds: (performance.now() - t0) / 1000 });
    log(`index written: version ${version} in the database at ${describeTarget(pg.url)} (${docs.length} documents, ${chunks.length} chunks) in ${report.seconds.toFixed(1)} s`);
    return report;
  }
  const manifest = await writeLocalIndex(
    cfg.indexDir,
    {
      docs, chunks, vectors, obligations, lineage,
      embedder: { id: embedder.id, dim, queryPrefix: embedder.queryPrefix ?? '', passagePrefix: embedder.passagePrefix ?? '' },
      modelsDir: cfg.embedModel === STATIC_MODEL_ID ? path.join(stage, 'models') : undefined,
    },
    { files: fileEntries, parser, registerCode, log, vectorReuse: sameModel && todo.length < chunks.length ? { previous: previous!, previousOrdinal } : undefined },
  );
  await rm(stage, { recursive: true, force: true });
  phaseDone('write');
  log(`phases: ${timings.join(', ')}`);
  report.chunks = chunks.length;
  report.obligations = obligations.length;
  report.seconds = (performance.now() - t0) / 1000;
  log(`index written: ${path.join(cfg.indexDir, manifest.dataDir)} (${docs.length} documents, ${chunks.length} chunks) in ${report.seconds.toFixed(1)} s`);
  return report;
}

/** sha256 over the code and data that extract task records (src/register, src/text, src/doc, data/). */
async function registerFingerprint(): Promise<string> {
  const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const files: string[] = [];
  for (const dir of [path.join(src, 'register'), path.join(src, 'text'), path.join(src, 'doc'), path.join(src, '..', 'data')]) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const n of names.sort()) if (CODE_OR_DATA_FILE_RE.test(n)) files.push(path.join(dir, n));
  }
  const parts = await Promise.all(files.map((f) => readFile(f).catch(() => Buffer.from(f))));
  return sha256(Buffer.concat(parts)).slice(0, 16);
}

/** Modules whose code decides a file's parsed form (text, sections, metadata). */
const PARSER_MODULES = ['ingest/load.ts', 'text/normalize.ts', 'ingest/outline.ts', 'ingest/metadata.ts', 'doc/numbers.ts', 'doc/dates.ts', 'doc/sections.ts', 'doc/doctypes.ts', '../data/doc-types.json', '../data/issuer-levels.json'];

/** sha256 over the parsing modules' source: a changed parser re-parses every file on the next ingest. */
async function parserFingerprint(): Promise<string> {
  const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const parts = await Promise.all(PARSER_MODULES.map((f) => readFile(path.join(src, f)).catch(() => Buffer.from(f))));
  return sha256(Buffer.concat(parts)).slice(0, 16);
}

/** Document id = file name without extension, made unique. */
function docIdFor(rel: string, taken: Set<string>): string {
  const base = path.basename(rel).replace(DOCUMENT_EXTENSION_RE, '').replace(NOT_ID_CHARS_RE, '-');
  let id = base;
  let n = 2;
  while (taken.has(id)) id = `${base}-${n++}`;
  return id;
}
