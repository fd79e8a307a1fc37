// The Postgres schema: versioned index builds (one active), shared server state, and the schema's own version.
import type pg from 'pg';
import { AppError } from '../../errors.ts';
import { describeTarget } from './connect.ts';

/** A version id, digits only, e.g. `17`. */
const VERSION_ID_RE = /^\d+$/;

/** Version of the table layout below; a database with another one is refused with a message to run ingest. */
export const SCHEMA_VERSION = 1;
/** Every table lives in this schema, so plancite can share a database with other applications. */
export const SCHEMA = 'plancite';
/** Advisory-lock key serialising schema changes and index writers (any constant unlikely to collide). */
export const WRITER_LOCK_KEY = 0x706c_6369;

/** A table of rows belonging to one index version (its key starts with the version; dropped with it). */
function versioned(name: string, columns: string, key: string): string {
  return `CREATE TABLE IF NOT EXISTS ${SCHEMA}.${name} (
  version bigint NOT NULL REFERENCES ${SCHEMA}.versions (id) ON DELETE CASCADE,${columns},
  PRIMARY KEY (version, ${key})
);`;
}

/**
 * Tables shared by all versions. A version's chunks (with their embeddings and HNSW index) and keyword
 * terms live in their own tables, `chunks_<v>` and `terms_<v>` (see {@link versionTables}): a query never
 * filters an approximate index by version, and dropping an old version is a DROP TABLE.
 */
const DDL = `
CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_info (
  key text PRIMARY KEY,
  value text NOT NULL
);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.versions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  built_at timestamptz NOT NULL,
  embedder jsonb NOT NULL,
  counts jsonb NOT NULL,
  files jsonb NOT NULL,
  parser text,
  -- BM25 statistics of the version: chunk count and mean field lengths (exact, folded).
  keyword_stats jsonb NOT NULL,
  -- Set when another version becomes active; garbage collection drops versions retired long enough ago.
  retired_at timestamptz
);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.active_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version bigint NOT NULL REFERENCES ${SCHEMA}.versions (id),
  activated_at timestamptz NOT NULL DEFAULT now()
);
${versioned('documents', `
  ord int NOT NULL,
  doc_id text NOT NULL,
  file text NOT NULL,
  number text,
  hash text NOT NULL,
  meta jsonb NOT NULL,
  body text NOT NULL`, 'doc_id')}
${versioned('sections', `
  doc_id text NOT NULL,
  ord int NOT NULL,
  path text NOT NULL,
  kind text NOT NULL,
  label text NOT NULL,
  heading text NOT NULL,
  start_offset int NOT NULL,
  end_offset int NOT NULL,
  depth int NOT NULL,
  parent text,
  children text[] NOT NULL,
  header text[],
  cells text[]`, 'doc_id, ord')}
${versioned('obligations', `
  ord int NOT NULL,
  id text NOT NULL,
  doc_id text NOT NULL,
  kind text NOT NULL,
  record jsonb NOT NULL`, 'ord')}
${versioned('lineage', `
  ord int NOT NULL,
  from_id text NOT NULL,
  to_id text NOT NULL,
  evidence text NOT NULL,
  evidence_doc_id text NOT NULL`, 'ord')}
-- Files of the embedding model trained from the corpus for a version (servers on other machines need it).
${versioned('model_files', `
  path text NOT NULL,
  data bytea NOT NULL`, 'path')}
-- Shared state of the servers (not versioned).
CREATE TABLE IF NOT EXISTS ${SCHEMA}.rate_buckets (
  key text PRIMARY KEY,
  tokens float8 NOT NULL,
  at_ms bigint NOT NULL,
  allowed boolean NOT NULL
);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.histories (
  key text PRIMARY KEY,
  turns jsonb NOT NULL,
  at_ms bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.nonces (
  key text PRIMARY KEY,
  expires_ms bigint NOT NULL
);
`;

/** Names of the per-version tables of version `v`. */
export function versionTables(v: string | number | bigint): { chunks: string; terms: string } {
  const id = String(v);
  if (!VERSION_ID_RE.test(id)) throw new Error(`bad version id "${id}"`);
  return { chunks: `${SCHEMA}.chunks_${id}`, terms: `${SCHEMA}.terms_${id}` };
}

/** Per-version tables: chunks with their folded text, field lengths and embedding; keyword terms with postings. */
export function versionTablesDdl(v: string | number | bigint, dim: number): string {
  const t = versionTables(v);
  return `
CREATE TABLE ${t.chunks} (
  ord int PRIMARY KEY,
  id text NOT NULL UNIQUE,
  doc_id text NOT NULL,
  section text NOT NULL,
  breadcrumb text NOT NULL,
  body text NOT NULL,
  start_offset int NOT NULL,
  end_offset int NOT NULL,
  index_text text NOT NULL,
  -- indexText with diacritics folded (đ → d, tones removed), as the keyword field 'folded' sees it.
  folded text NOT NULL,
  len_exact int NOT NULL,
  len_folded int NOT NULL,
  embedding vector(${dim}) NOT NULL
);
-- One row per (field, term): field 0 = exact spelling, 1 = diacritic-folded; a term is a syllable or a
-- bigram 'a_b'. Postings are parallel arrays of chunk ordinals and term frequencies.
CREATE TABLE ${t.terms} (
  field smallint NOT NULL,
  term text NOT NULL,
  df int NOT NULL,
  ords int[] NOT NULL,
  tfs int[] NOT NULL,
  PRIMARY KEY (field, term)
);`;
}

/** Creates the HNSW index of a version's embeddings (after its rows are in: faster than growing it row by row). */
export function vectorIndexDdl(v: string | number | bigint): string {
  const t = versionTables(v);
  return `CREATE INDEX ON ${t.chunks} USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 200)`;
}

/** The schema version recorded in the database; null when plancite never wrote there. */
export async function storedSchemaVersion(db: pg.Pool | pg.PoolClient): Promise<number | null> {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('${SCHEMA}.schema_info')::text AS t`);
  if (!exists.rows[0]?.t) return null;
  const r = await db.query<{ value: string }>(`SELECT value FROM ${SCHEMA}.schema_info WHERE key = 'schema_version'`);
  return r.rows[0] ? Number(r.rows[0].value) : null;
}

/**
 * Creates the schema when absent (inside the caller's transaction). A database holding another schema
 * version is rebuilt only when `rebuild` is set (ingest); otherwise it is refused.
 */
export async function ensureSchema(client: pg.PoolClient, opts: { rebuild: boolean; url: string }): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK_KEY]);
  const found = await storedSchemaVersion(client);
  if (found !== null && found !== SCHEMA_VERSION) {
    if (!opts.rebuild) throw schemaMismatch(opts.url, found);
    await client.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
  }
  await client.query(DDL);
  await client.query(`INSERT INTO ${SCHEMA}.schema_info (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO NOTHING`, [String(SCHEMA_VERSION)]);
}

/** The error for a database written by another plancite version. */
export function schemaMismatch(url: string, found: number): AppError {
  return new AppError(
    'index_mismatch',
    `the database at ${describeTarget(url)} holds plancite schema ${found}, this version reads ${SCHEMA_VERSION} — run \`npm run cli -- ingest\` with the same DATABASE_URL to rebuild it`,
  );
}
