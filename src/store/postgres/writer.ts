// Writes one index build into Postgres as a new version and makes it the active one in the same transaction.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Chunk, LineageEdge, Obligation, StoredDoc } from '../../doc/types.ts';
import { foldDiacritics, normalizeForMatch } from '../../text/normalize.ts';
import { terms } from '../bm25.ts';
import { inTransaction } from './connect.ts';
import { ensureSchema, SCHEMA, vectorIndexDdl, versionTables, versionTablesDdl, WRITER_LOCK_KEY } from './schema.ts';

/** Rows sent per INSERT … SELECT FROM unnest(…): large enough to amortise round trips, small enough for memory. */
export const INSERT_BATCH = 2000;
/**
 * A replaced version stays readable this long (s) before garbage collection drops it, so a server that has
 * not yet noticed the switch (it polls every few seconds) finishes its questions on the version it loaded.
 */
export const RETIRED_GRACE_S = 600;

/** What ingest hands to the store: one complete build. */
export interface VersionBuild {
  /** ISO time of the build; now when omitted. */
  builtAt?: string;
  embedder: { id: string; dim: number; queryPrefix: string; passagePrefix: string };
  /** Per corpus file: content hash and what became of it (ingest's manifest entries). */
  files?: Record<string, unknown>;
  /** Fingerprint of the parsing code (parses are reused only under the same one). */
  parser?: string;
  docs: StoredDoc[];
  chunks: Chunk[];
  /** Row-major chunk embeddings, `chunks.length × embedder.dim`. */
  vectors: Float32Array;
  obligations: Obligation[];
  lineage: LineageEdge[];
  /** Folder holding the embedding model trained for this build; its files are stored with the version. */
  modelsDir?: string;
}

export interface WriteOptions {
  url: string;
  /** Called between steps (progress lines). */
  log?: (msg: string) => void;
  /** Called inside the open transaction before the switch (tests use it to kill a writer midway). */
  beforeSwitch?: () => Promise<void>;
}

/** Field numbers of the keyword term table. */
export const FIELD_EXACT = 0;
export const FIELD_FOLDED = 1;

interface TermRows {
  field: number[];
  term: string[];
  df: number[];
  ords: string[];
  tfs: string[];
}

/** Inverts one keyword field: term → postings (chunk ordinals ascending, term frequencies). */
function invert(texts: string[], fold: boolean, field: number, rows: TermRows): number[] {
  const postings = new Map<string, { ords: number[]; tfs: number[] }>();
  const lengths: number[] = [];
  texts.forEach((text, ord) => {
    const ts = terms(text, fold);
    lengths.push(ts.length);
    const tf = new Map<string, number>();
    for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let p = postings.get(t);
      if (!p) postings.set(t, (p = { ords: [], tfs: [] }));
      p.ords.push(ord);
      p.tfs.push(n);
    }
  });
  for (const [t, p] of postings) {
    rows.field.push(field);
    rows.term.push(t);
    rows.df.push(p.ords.length);
    rows.ords.push(`{${p.ords.join(',')}}`);
    rows.tfs.push(`{${p.tfs.join(',')}}`);
  }
  return lengths;
}

/** pgvector's text form of one vector. */
function vectorLiteral(v: Float32Array): string {
  return `[${Array.from(v).join(',')}]`;
}

async function insertColumns(client: pg.PoolClient, sql: string, columns: unknown[][], n: number): Promise<void> {
  for (let i = 0; i < n; i += INSERT_BATCH) {
    await client.query(sql, columns.map((c) => c.slice(i, i + INSERT_BATCH)));
  }
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(abs, base)));
    else out.push(path.relative(base, abs));
  }
  return out;
}

/**
 * Writes a build as a new version and switches the active version to it, all in ONE transaction: a reader
 * sees the old version or the new one, never a mix, and a writer killed midway leaves the previous version
 * active (Postgres rolls the transaction back, DDL included). Old versions are then garbage-collected.
 * Returns the new version id.
 */
export async function writeVersion(pool: pg.Pool, build: VersionBuild, opts: WriteOptions): Promise<string> {
  const log = opts.log ?? (() => {});
  const { dim } = build.embedder;
  if (build.vectors.length !== build.chunks.length * dim) throw new Error(`writeVersion: ${build.vectors.length} vector values for ${build.chunks.length} chunks × ${dim}`);

  const rows: TermRows = { field: [], term: [], df: [], ords: [], tfs: [] };
  const texts = build.chunks.map((c) => c.indexText);
  const lenExact = invert(texts, false, FIELD_EXACT, rows);
  const lenFolded = invert(texts, true, FIELD_FOLDED, rows);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const keywordStats = { docCount: build.chunks.length, avgExact: mean(lenExact), avgFolded: mean(lenFolded) };

  const t0 = performance.now();
  const version = await inTransaction(pool, async (client) => {
    // Bulk statements of a large corpus (the HNSW build above all) outlast the pool's per-statement limit.
    await client.query('SET LOCAL statement_timeout = 0');
    await ensureSchema(client, { rebuild: true, url: opts.url });
    // One writer at a time: a second ingest waits here until the first commits or dies.
    await client.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK_KEY + 1]);
    const v = await client.query<{ id: string }>(
      `INSERT INTO ${SCHEMA}.versions (built_at, embedder, counts, files, parser, keyword_stats) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id`,
      [
        build.builtAt ?? new Date().toISOString(),
        JSON.stringify(build.embedder),
        JSON.stringify({ documents: build.docs.length, chunks: build.chunks.length, obligations: build.obligations.length }),
        JSON.stringify(build.files ?? {}),
        build.parser ?? null,
        JSON.stringify(keywordStats),
      ],
    );
    const id = v.rows[0]!.id;
    const t = versionTables(id);
    await client.query(versionTablesDdl(id, dim));

    await insertColumns(
      client,
      `INSERT INTO ${SCHEMA}.documents (version, ord, doc_id, file, number, hash, meta, body)
       SELECT ${id}, * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[])`,
      [
        build.docs.map((_, i) => i),
        build.docs.map((d) => d.meta.id),
        build.docs.map((d) => d.meta.file),
        build.docs.map((d) => d.meta.number),
        build.docs.map((d) => d.hash),
        build.docs.map((d) => JSON.stringify(d.meta)),
        build.docs.map((d) => d.text),
      ],
      build.docs.length,
    );
    const secs = build.docs.flatMap((d) => d.sections.map((s, ord) => ({ docId: d.meta.id, ord, s })));
    await insertColumns(
      client,
      `INSERT INTO ${SCHEMA}.sections (version, doc_id, ord, path, kind, label, heading, start_offset, end_offset, depth, parent, children, header, cells)
       SELECT ${id}, d, o, p, k, l, h, s, e, dp, pa, ch::text[], hd::text[], ce::text[]
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::int[], $10::text[], $11::jsonb[], $12::jsonb[], $13::jsonb[])
         AS x(d, o, p, k, l, h, s, e, dp, pa, chj, hdj, cej),
       LATERAL (SELECT ARRAY(SELECT jsonb_array_elements_text(chj)) AS ch,
                       CASE WHEN hdj IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(hdj)) END AS hd,
                       CASE WHEN cej IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(cej)) END AS ce) arr`,
      [
        secs.map((x) => x.docId),
        secs.map((x) => x.ord),
        secs.map((x) => x.s.path),
        secs.map((x) => x.s.kind),
        secs.map((x) => x.s.label),
        secs.map((x) => x.s.heading),
        secs.map((x) => x.s.start),
        secs.map((x) => x.s.end),
        secs.map((x) => x.s.depth),
        secs.map((x) => x.s.parent),
        secs.map((x) => JSON.stringify(x.s.children)),
        secs.map((x) => (x.s.header ? JSON.stringify(x.s.header) : null)),
        secs.map((x) => (x.s.cells ? JSON.stringify(x.s.cells) : null)),
      ],
      secs.length,
    );
    log(`database: ${build.docs.length} documents, ${secs.length} sections`);

    const ch = build.chunks;
    await insertColumns(
      client,
      `INSERT INTO ${t.chunks} (ord, id, doc_id, section, breadcrumb, body, start_offset, end_offset, index_text, folded, len_exact, len_folded, embedding)
       SELECT o, i, d, s, b, x, st, en, it, f, le, lf, emb::vector
       FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[], $10::text[], $11::int[], $12::int[], $13::text[])
         AS u(o, i, d, s, b, x, st, en, it, f, le, lf, emb)`,
      [
        ch.map((_, i) => i),
        ch.map((c) => c.id),
        ch.map((c) => c.docId),
        ch.map((c) => c.section),
        ch.map((c) => c.breadcrumb),
        ch.map((c) => c.text),
        ch.map((c) => c.start),
        ch.map((c) => c.end),
        ch.map((c) => c.indexText),
        ch.map((c) => foldDiacritics(normalizeForMatch(c.indexText))),
        lenExact,
        lenFolded,
        ch.map((_, i) => vectorLiteral(build.vectors.subarray(i * dim, (i + 1) * dim))),
      ],
      ch.length,
    );
    await client.query(vectorIndexDdl(id));
    log(`database: ${ch.length} chunks with embeddings (HNSW index built)`);

    await insertColumns(
      client,
      `INSERT INTO ${t.terms} (field, term, df, ords, tfs)
       SELECT f, w, d, o::int[], tf::int[] FROM unnest($1::smallint[], $2::text[], $3::int[], $4::text[], $5::text[]) AS u(f, w, d, o, tf)`,
      [rows.field, rows.term, rows.df, rows.ords, rows.tfs],
      rows.term.length,
    );
    log(`database: ${rows.term.length} keyword terms`);

    const obs = build.obligations;
    await insertColumns(
      client,
      `INSERT INTO ${SCHEMA}.obligations (version, ord, id, doc_id, kind, record) SELECT ${id}, * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`,
      [obs.map((_, i) => i), obs.map((o) => o.id), obs.map((o) => o.docId), obs.map((o) => o.kind), obs.map((o) => JSON.stringify(o))],
      obs.length,
    );
    const lin = build.lineage;
    await insertColumns(
      client,
      `INSERT INTO ${SCHEMA}.lineage (version, ord, from_id, to_id, evidence, evidence_doc_id) SELECT ${id}, * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [lin.map((_, i) => i), lin.map((e) => e.from), lin.map((e) => e.to), lin.map((e) => e.evidence), lin.map((e) => e.evidenceDocId)],
      lin.length,
    );
    if (build.modelsDir) {
      for (const rel of await listFiles(build.modelsDir)) {
        const data = await readFile(path.join(build.modelsDir, rel));
        await client.query(`INSERT INTO ${SCHEMA}.model_files (version, path, data) VALUES ($1, $2, $3)`, [id, rel.split(path.sep).join('/'), data]);
      }
    }
    await opts.beforeSwitch?.();
    // The switch: retire the active version and make this one active.
    await client.query(`UPDATE ${SCHEMA}.versions SET retired_at = now() WHERE id = (SELECT version FROM ${SCHEMA}.active_version) AND id <> $1`, [id]);
    await client.query(
      `INSERT INTO ${SCHEMA}.active_version (singleton, version, activated_at) VALUES (true, $1, now())
       ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version, activated_at = EXCLUDED.activated_at`,
      [id],
    );
    await client.query(`SELECT pg_notify('plancite_version', $1)`, [id]);
    return id;
  });
  log(`database: version ${version} written and active in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const dropped = await collectGarbage(pool);
  if (dropped.length) log(`database: dropped old versions ${dropped.join(', ')}`);
  return version;
}

/**
 * Drops versions that are neither active nor the most recently retired one and were retired more than
 * {@link RETIRED_GRACE_S} ago. Returns the dropped version ids.
 */
export async function collectGarbage(pool: pg.Pool, graceS = RETIRED_GRACE_S): Promise<string[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK_KEY + 1]);
    const r = await client.query<{ id: string }>(
      `SELECT id::text AS id FROM ${SCHEMA}.versions v
       WHERE v.id <> (SELECT version FROM ${SCHEMA}.active_version)
         AND v.retired_at IS NOT NULL AND v.retired_at < now() - make_interval(secs => $1)
         AND v.id <> (SELECT id FROM ${SCHEMA}.versions WHERE retired_at IS NOT NULL ORDER BY retired_at DESC, id DESC LIMIT 1)`,
      [graceS],
    );
    for (const { id } of r.rows) {
      const t = versionTables(id);
      await client.query(`DROP TABLE IF EXISTS ${t.chunks}, ${t.terms}`);
      await client.query(`DELETE FROM ${SCHEMA}.versions WHERE id = $1`, [id]);
    }
    return r.rows.map((x) => x.id);
  });
}
