// The store interfaces: everything retrieval and answering need from an index, with no storage detail.
// Implementations: the local file store (default) and Postgres + pgvector (DATABASE_URL). One contract
// suite (tests/store/contract.ts) runs on every implementation.
import type { Chunk, DocMeta, LineageEdge, Obligation, StoredDoc } from '../doc/types.ts';

export type { Chunk, LineageEdge, StoredDoc };

/**
 * Stable string id of a chunk: `<docId>#<n>` where n counts the document's chunks from 0. It does not
 * depend on the chunk's position in the whole corpus, so adding a document never renames another's chunks.
 * @example chunkIdOf('kh-bac-ninh', 3) === 'kh-bac-ninh#3'
 */
export type ChunkId = string;

/** Builds a chunk id from its document and its ordinal inside that document. */
export function chunkIdOf(docId: string, ordinal: number): ChunkId {
  return `${docId}#${ordinal}`;
}

/**
 * A document's opening up to the end of its header block (the `header` section: issuer, number, place and date
 * above the title); '' when it has none.
 * @example headOf(doc) === doc.text.slice(0, doc.sections.find((s) => s.kind === 'header')!.end)
 */
export function headOf(doc: StoredDoc): string {
  return doc.text.slice(0, doc.sections.find((s) => s.kind === 'header')?.end ?? 0);
}

/** One scored hit of a keyword or vector search. */
export interface Hit {
  id: ChunkId;
  score: number;
}

/** A weighted query term of the keyword index: a syllable or a syllable bigram (`bảo_hiểm`). */
export interface QueryTerm {
  term: string;
  weight: number;
}

/** A keyword query: exact-spelling terms, diacritic-folded terms, and whether the question had diacritics. */
export interface KeywordQuery {
  exact: QueryTerm[];
  folded: QueryTerm[];
  diacritics: boolean;
}

/** Documents, their sections and chunks. Reads are synchronous: implementations keep them in memory per version. */
export interface DocumentStore {
  /** Every document's metadata, in corpus order. */
  metas(): DocMeta[];
  /** One document with its text and sections; null when unknown. */
  get(docId: string): StoredDoc | null;
  /** A document's opening up to the end of its header block ({@link headOf}), without loading the document; null when unknown. */
  head(docId: string): string | null;
  /** One chunk; null when unknown. */
  chunk(id: ChunkId): Chunk | null;
  /** The chunks of one document, in document order. */
  chunksOf(docId: string): Chunk[];
  /** Number of chunks in the whole store. */
  chunkCount(): number;
}

/** The keyword (BM25) index over chunk `indexText`s. */
export interface KeywordIndex {
  /** Top-k chunks by BM25 score (only chunks with a score > 0). */
  search(query: KeywordQuery, k: number): Promise<Hit[]>;
  /** Number of chunks whose folded field holds `term` (for idf weighting of answer sentences). */
  docFreq(term: string): number;
  /**
   * Ids of the chunks whose folded field holds every one of `terms` (folded syllables and `a_b` bigrams), in corpus
   * order; none when `terms` is empty. Optional: a store without it makes callers read every chunk instead.
   */
  chunksWith?(terms: string[]): ChunkId[];
  /** Number of indexed chunks. */
  size(): number;
  /**
   * The k best chunks of some documents for folded query terms, ranked as `scopedRanking` (retrieve/scoped.ts)
   * ranks them (BM25 with the index-wide document frequencies and the documents' own average length; chunks
   * scoring > 0; ties in the order of the documents given), read from the index's own postings. Optional: a
   * store without it is ranked by `scopedRanking` over the documents' chunks.
   */
  searchWithin?(query: QueryTerm[], docIds: string[], k: number): ChunkId[];
}

/** The dense vector index over chunk embeddings (cosine). */
export interface VectorIndex {
  readonly dim: number;
  /** Nearest chunks to a query vector; score is cosine similarity (higher is better). */
  search(vector: ArrayLike<number>, k: number): Promise<Hit[]>;
}

/** The task register and the implements-lineage between documents. */
export interface RegisterStore {
  obligations(): Obligation[];
  lineage(): LineageEdge[];
}

/** What a build records about itself. */
export interface IndexInfo {
  formatVersion: number;
  builtAt: string;
  /** Version id of this build (a folder name locally, a version row in Postgres). */
  version: string;
  embedder: { id: string; dim: number; queryPrefix: string; passagePrefix: string };
  counts: { documents: number; chunks: number; obligations: number };
}

/** One consistent, read-only version of the index: what the engine is built from. */
export interface IndexSnapshot {
  info: IndexInfo;
  documents: DocumentStore;
  keywords: KeywordIndex;
  vectors: VectorIndex;
  register: RegisterStore;
  /** Folder with the embedding model trained for this build (static model), when there is one. */
  modelsDir?: string;
  /** Releases file handles or connections held by this snapshot. */
  close?(): Promise<void>;
}

/**
 * Everything one ingest run produces, handed to a store to persist as one new version. Chunks come in corpus
 * order (a document's chunks contiguous, ids `<docId>#<n>`), each chunk's `text` a slice of its document's text.
 */
export interface IndexBuild {
  docs: StoredDoc[];
  chunks: Chunk[];
  /** Row-major chunk embeddings: chunks.length × embedder.dim, unit length (or zero). */
  vectors: Float32Array;
  obligations: Obligation[];
  lineage: LineageEdge[];
  embedder: IndexInfo['embedder'];
  /** Folder with the embedding model trained for this build; the store takes it over (moves it). */
  modelsDir?: string;
}
