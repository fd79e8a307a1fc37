// Reads the active version of the Postgres store as an IndexSnapshot: documents, chunks and the register in
// memory (the ports' reads are synchronous), keyword (BM25 in SQL) and vector (pgvector HNSW) search in Postgres.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { createHash } from 'node:crypto';
import type { Chunk, DocMeta, LineageEdge, Obligation, Section, StoredDoc } from '../../doc/types.ts';
import { AppError } from '../../errors.ts';
import { BM25_B, BM25_K1, FOLDED_WEIGHT_WITH_DIACRITICS } from '../bm25.ts';
import { headOf, type ChunkId, type DocumentStore, type Hit, type IndexSnapshot, type KeywordIndex, type KeywordQuery, type RegisterStore, type VectorIndex } from '../ports.ts';
import { describeTarget, isUnavailable, PG_HNSW_EF_SEARCH, unavailableError } from './connect.ts';
import { SCHEMA, SCHEMA_VERSION, schemaMismatch, storedSchemaVersion, versionTables } from './schema.ts';
import { FIELD_EXACT, FIELD_FOLDED } from './writer.ts';

/** What a version row records. */
export interface VersionRow {
  id: string;
  builtAt: string;
  embedder: { id: string; dim: number; queryPrefix: string; passagePrefix: string };
  counts: { documents: number; chunks: number; obligations: number };
  files: Record<string, unknown>;
  parser: string | null;
  keywordStats: { docCount: number; avgExact: number; avgFolded: number };
}

/** The active version id; null when no build was ever written. Rejects AppError('db_unavailable') when unreachable. */
export async function activeVersion(pool: pg.Pool, url: string): Promise<string | null> {
  try {
    const found = await storedSchemaVersion(pool);
    if (found === null) return null;
    if (found !== SCHEMA_VERSION) throw schemaMismatch(url, found);
    const r = await pool.query<{ v: string }>(`SELECT version::text AS v FROM ${SCHEMA}.active_version`);
    return r.rows[0]?.v ?? null;
  } catch (e) {
    if (isUnavailable(e)) throw unavailableError(url, e);
    throw e;
  }
}

/** Reads one version row. */
export async function readVersion(db: pg.Pool | pg.PoolClient, id: string): Promise<VersionRow | null> {
  const r = await db.query(
    `SELECT id::text AS id, built_at, embedder, counts, files, parser, keyword_stats FROM ${SCHEMA}.versions WHERE id = $1`,
    [id],
  );
  const row = r.rows[0] as
    | { id: string; built_at: Date; embedder: VersionRow['embedder']; counts: VersionRow['counts']; files: VersionRow['files']; parser: string | null; keyword_stats: VersionRow['keywordStats'] }
    | undefined;
  if (!row) return null;
  return { id: row.id, builtAt: row.built_at.toISOString(), embedder: row.embedder, counts: row.counts, files: row.files, parser: row.parser, keywordStats: row.keyword_stats };
}

/** Reads a version's documents with their sections, in corpus order. */
export async function readDocuments(db: pg.Pool | pg.PoolClient, id: string): Promise<StoredDoc[]> {
  const docs = await db.query<{ doc_id: string; hash: string; meta: DocMeta; body: string }>(
    `SELECT doc_id, hash, meta, body FROM ${SCHEMA}.documents WHERE version = $1 ORDER BY ord`,
    [id],
  );
  const secs = await db.query<{
    doc_id: string; path: string; kind: Section['kind']; label: string; heading: string; start_offset: number; end_offset: number;
    depth: number; parent: string | null; children: string[]; header: string[] | null; cells: string[] | null;
  }>(
    `SELECT doc_id, path, kind, label, heading, start_offset, end_offset, depth, parent, children, header, cells
     FROM ${SCHEMA}.sections WHERE version = $1 ORDER BY doc_id, ord`,
    [id],
  );
  const byDoc = new Map<string, Section[]>();
  for (const s of secs.rows) {
    const sec: Section = { path: s.path, kind: s.kind, label: s.label, heading: s.heading, start: s.start_offset, end: s.end_offset, depth: s.depth, parent: s.parent, children: s.children };
    if (s.header) sec.header = s.header;
    if (s.cells) sec.cells = s.cells;
    (byDoc.get(s.doc_id) ?? byDoc.set(s.doc_id, []).get(s.doc_id)!).push(sec);
  }
  return docs.rows.map((d) => ({ meta: d.meta, text: d.body, sections: byDoc.get(d.doc_id) ?? [], hash: d.hash }));
}

/**
 * Scores of the keyword query: the same BM25 as the local store (src/store/bm25.ts), computed in SQL. Each
 * query term's weight × idf is worked out once per term, then spread over its postings; all arithmetic is
 * float8 (numeric would be an order of magnitude slower).
 */
const KEYWORD_SQL = (terms: string, chunks: string) => `
WITH q AS (
  SELECT * FROM unnest($1::smallint[], $2::text[], $3::float8[]) AS q(field, term, w)
), qt AS (
  SELECT q.field, q.w * ln(1::float8 + ($4::float8 - t.df::float8 + 0.5::float8) / (t.df::float8 + 0.5::float8)) AS wi, t.ords, t.tfs
  FROM q JOIN ${terms} t ON t.field = q.field AND t.term = q.term
), hits AS (
  SELECT p.ord, qt.field, qt.wi, p.tf::float8 AS tf
  FROM qt CROSS JOIN LATERAL unnest(qt.ords, qt.tfs) AS p(ord, tf)
)
SELECT c.id, sum(
  h.wi * h.tf * ($5::float8 + 1::float8)
  / (h.tf + $5::float8 * (1::float8 - $6::float8 + $6::float8 *
      CASE WHEN h.field = ${FIELD_EXACT} THEN c.len_exact::float8 / $7::float8 ELSE c.len_folded::float8 / $8::float8 END))
) AS score
FROM hits h JOIN ${chunks} c ON c.ord = h.ord
GROUP BY c.ord, c.id
ORDER BY score DESC, c.ord
LIMIT $9`;

export interface PostgresSnapshotOptions {
  url: string;
  /** Version to open; the active one by default. */
  version?: string;
  /** Refuse a build made with another embedder. */
  embedderId?: string;
  /** Where model files stored with a version are unpacked; a per-database folder under the OS temp dir by default. */
  cacheDir?: string;
}

/** Runs a search query, turning a lost connection into AppError('db_unavailable'). */
async function query<T extends pg.QueryResultRow>(pool: pg.Pool, url: string, sql: string, params: unknown[]): Promise<pg.QueryResult<T>> {
  try {
    return await pool.query<T>(sql, params);
  } catch (e) {
    if (isUnavailable(e)) throw unavailableError(url, e);
    throw e;
  }
}

/**
 * Opens a version (the active one by default) as a snapshot. Throws AppError 'index_missing' when the
 * database holds no build, 'index_mismatch' for another schema version or embedder, 'db_unavailable' when
 * the database cannot be reached — each with a one-line message.
 * @example const snap = await openPostgresSnapshot(pool, { url }); snap.documents.metas().length
 */
export async function openPostgresSnapshot(pool: pg.Pool, opts: PostgresSnapshotOptions): Promise<IndexSnapshot> {
  const { url } = opts;
  const where = describeTarget(url);
  const id = opts.version ?? (await activeVersion(pool, url));
  if (!id) throw new AppError('index_missing', `no index in the database at ${where} — run \`npm run cli -- ingest\` with the same DATABASE_URL first`);
  let loaded: { row: VersionRow; docs: StoredDoc[]; chunks: Chunk[]; obligations: Obligation[]; lineage: LineageEdge[]; folded: Map<string, number> };
  try {
    loaded = await loadVersion(pool, id);
  } catch (e) {
    if (isUnavailable(e)) throw unavailableError(url, e);
    if (e instanceof AppError) throw e;
    throw new AppError('index_corrupt', `version ${id} in the database at ${where} cannot be read (${(e as Error).message}) — run \`npm run cli -- ingest\``, { cause: e });
  }
  const { row, docs, chunks, obligations, lineage, folded } = loaded;
  if (opts.embedderId && row.embedder.id !== opts.embedderId) {
    throw new AppError('index_mismatch', `the database at ${where} was built with embedder "${row.embedder.id}" but EMBED_MODEL is "${opts.embedderId}" — run \`npm run cli -- ingest\` to rebuild`);
  }
  const modelsDir = await unpackModels(pool, url, row, opts.cacheDir);
  const t = versionTables(id);
  const byId = new Map<ChunkId, Chunk>(chunks.map((c) => [c.id, c]));
  const byDoc = new Map<string, Chunk[]>();
  for (const c of chunks) (byDoc.get(c.docId) ?? byDoc.set(c.docId, []).get(c.docId)!).push(c);
  const docsById = new Map(docs.map((d) => [d.meta.id, d]));
  const metas = docs.map((d) => d.meta);
  const stats = row.keywordStats;

  const documents: DocumentStore = {
    metas: () => metas,
    get: (docId) => docsById.get(docId) ?? null,
    head: (docId) => {
      const d = docsById.get(docId);
      return d ? headOf(d) : null;
    },
    chunk: (cid) => byId.get(cid) ?? null,
    chunksOf: (docId) => byDoc.get(docId) ?? [],
    chunkCount: () => chunks.length,
  };
  const keywordSql = KEYWORD_SQL(t.terms, t.chunks);
  const keywords: KeywordIndex = {
    async search(q: KeywordQuery, k: number): Promise<Hit[]> {
      const fields: number[] = [];
      const termList: string[] = [];
      const weights: number[] = [];
      const add = (field: number, list: KeywordQuery['exact'], scale: number) => {
        for (const x of list) {
          fields.push(field);
          termList.push(x.term);
          weights.push(x.weight * scale);
        }
      };
      if (q.diacritics) {
        add(FIELD_EXACT, q.exact, 1);
        add(FIELD_FOLDED, q.folded, FOLDED_WEIGHT_WITH_DIACRITICS);
      } else {
        add(FIELD_FOLDED, q.folded, 1);
      }
      if (termList.length === 0 || k <= 0) return [];
      const r = await query<{ id: string; score: number }>(pool, url, keywordSql, [
        fields, termList, weights, stats.docCount, BM25_K1, BM25_B, stats.avgExact || 1, stats.avgFolded || 1, k,
      ]);
      return r.rows.filter((x) => x.score > 0).map((x) => ({ id: x.id, score: x.score }));
    },
    docFreq: (term) => folded.get(term) ?? 0,
    size: () => chunks.length,
  };
  // The HNSW scan returns at most hnsw.ef_search rows; a larger k ranks exactly (the `+ 0` keeps the index out).
  const vectorSql = `SELECT id, 1 - (embedding <=> $1::vector) AS score FROM ${t.chunks} ORDER BY embedding <=> $1::vector LIMIT $2`;
  const exactVectorSql = `SELECT id, 1 - (embedding <=> $1::vector) AS score FROM ${t.chunks} ORDER BY (embedding <=> $1::vector) + 0, ord LIMIT $2`;
  const vectors: VectorIndex = {
    dim: row.embedder.dim,
    async search(vector, k): Promise<Hit[]> {
      const n = Math.min(k, chunks.length);
      if (n <= 0) return [];
      const lit = `[${Array.from(vector).join(',')}]`;
      const r = await query<{ id: string; score: number }>(pool, url, n <= PG_HNSW_EF_SEARCH ? vectorSql : exactVectorSql, [lit, n]);
      return r.rows.map((x) => ({ id: x.id, score: x.score }));
    },
  };
  const register: RegisterStore = { obligations: () => obligations, lineage: () => lineage };
  return {
    info: { formatVersion: SCHEMA_VERSION, builtAt: row.builtAt, version: id, embedder: row.embedder, counts: row.counts },
    documents,
    keywords,
    vectors,
    register,
    modelsDir,
  };
}

async function loadVersion(pool: pg.Pool, id: string) {
  const client = await pool.connect();
  try {
    // One snapshot of the database for the whole load (a version's rows never change, but GC may drop it).
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const row = await readVersion(client, id);
    if (!row) throw new AppError('index_missing', `version ${id} is not in the database (replaced and dropped) — retry, or run \`npm run cli -- ingest\``);
    const t = versionTables(id);
    const docs = await readDocuments(client, id);
    const ch = await client.query<{ id: string; doc_id: string; section: string; breadcrumb: string; start_offset: number; end_offset: number; index_text: string }>(
      `SELECT id, doc_id, section, breadcrumb, start_offset, end_offset, index_text FROM ${t.chunks} ORDER BY ord`,
    );
    // A chunk's text is a slice of its document's text: sliced from it (V8 shares the characters) rather than read again.
    const texts = new Map(docs.map((d) => [d.meta.id, d.text]));
    const chunks: Chunk[] = ch.rows.map((c) => ({ id: c.id, docId: c.doc_id, section: c.section, breadcrumb: c.breadcrumb, text: (texts.get(c.doc_id) ?? '').slice(c.start_offset, c.end_offset), start: c.start_offset, end: c.end_offset, indexText: c.index_text }));
    const ob = await client.query<{ record: Obligation }>(`SELECT record FROM ${SCHEMA}.obligations WHERE version = $1 ORDER BY ord`, [id]);
    const li = await client.query<{ from_id: string; to_id: string; evidence: string; evidence_doc_id: string }>(
      `SELECT from_id, to_id, evidence, evidence_doc_id FROM ${SCHEMA}.lineage WHERE version = $1 ORDER BY ord`,
      [id],
    );
    const tf = await client.query<{ term: string; df: number }>(`SELECT term, df FROM ${t.terms} WHERE field = ${FIELD_FOLDED}`);
    await client.query('COMMIT');
    return {
      row,
      docs,
      chunks,
      obligations: ob.rows.map((r) => r.record),
      lineage: li.rows.map((e) => ({ from: e.from_id, to: e.to_id, evidence: e.evidence, evidenceDocId: e.evidence_doc_id })),
      folded: new Map(tf.rows.map((r) => [r.term, r.df])),
    };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * Unpacks the model files stored with a version into a local folder (once per database and version) and
 * returns the folder holding them; undefined when the version stored none.
 */
async function unpackModels(pool: pg.Pool, url: string, row: VersionRow, cacheDir?: string): Promise<string | undefined> {
  const id = row.id;
  const count = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${SCHEMA}.model_files WHERE version = $1`, [id]);
  if (!count.rows[0]?.n) return undefined;
  // Keyed by database, version and build time: a recreated database reuses version ids, never a build time.
  const key = createHash('sha256').update(`${describeTarget(url)}\n${id}\n${row.builtAt}\n${row.embedder.id}`).digest('hex').slice(0, 16);
  const root = cacheDir ?? path.join(os.tmpdir(), 'plancite-models');
  const dir = path.join(root, key, 'models');
  if (existsSync(dir)) return dir;
  const stage = path.join(root, `.${key}-${process.pid}-${Date.now().toString(36)}.tmp`);
  const files = await pool.query<{ path: string; data: Buffer }>(`SELECT path, data FROM ${SCHEMA}.model_files WHERE version = $1`, [id]);
  for (const f of files.rows) {
    const target = path.join(stage, 'models', ...f.path.split('/'));
    if (!target.startsWith(stage + path.sep)) throw new AppError('index_corrupt', `model file path "${f.path}" leaves its folder`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.data);
  }
  await mkdir(path.join(root, key), { recursive: true });
  try {
    await rename(path.join(stage, 'models'), dir);
  } catch (e) {
    // Another process unpacked the same version first: use theirs.
    if (!existsSync(dir)) throw e;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
  return dir;
}
