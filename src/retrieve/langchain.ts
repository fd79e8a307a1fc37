// plancite's hybrid retrieval as a LangChain `BaseRetriever`, for use in LangChain / LangGraph chains.
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { DocumentStore } from '../store/ports.ts';
import type { QueryAnalysis } from './query.ts';
import type { Retriever } from './retriever.ts';

/** Passages a LangChain retriever returns unless told otherwise. */
export const LANGCHAIN_DEFAULT_K = 5;

/** Metadata of each returned LangChain document. */
export interface PlanciteDocumentMetadata {
  chunkId: string;
  docId: string;
  docNumber: string | null;
  docTitle: string;
  section: string;
  breadcrumb: string;
  /** Offsets of `pageContent` in the document's text (quotes are verbatim slices). */
  start: number;
  end: number;
  score: number;
}

export interface PlanciteRetrieverInput extends BaseRetrieverInput {
  retriever: Retriever;
  /** Turns a question into the analysis the retriever ranks with (the engine's `analyze`). */
  analyze: (question: string) => QueryAnalysis;
  documents: DocumentStore;
  k?: number;
}

/**
 * Hybrid BM25 ⊕ dense retrieval with document and section boosts, returning chunks as LangChain documents.
 * @example
 * const r = toLangChainRetriever(engine);
 * const chain = r.pipe((docs) => docs.map((d) => d.pageContent).join('\n\n'));
 * await chain.invoke('Ai báo cáo kết quả thực hiện Nghị quyết 42?');
 */
export class PlanciteRetriever extends BaseRetriever<PlanciteDocumentMetadata> {
  override lc_namespace = ['plancite', 'retrievers'];
  static override lc_name(): string {
    return 'PlanciteRetriever';
  }
  private readonly inner: Retriever;
  private readonly analyze: (question: string) => QueryAnalysis;
  private readonly documents: DocumentStore;
  readonly k: number;

  constructor(fields: PlanciteRetrieverInput) {
    super(fields);
    this.inner = fields.retriever;
    this.analyze = fields.analyze;
    this.documents = fields.documents;
    this.k = fields.k ?? LANGCHAIN_DEFAULT_K;
  }

  override async _getRelevantDocuments(query: string): Promise<Document<PlanciteDocumentMetadata>[]> {
    const hits = await this.inner.retrieve(this.analyze(query), this.k);
    return hits.map(({ chunk, score }) => {
      const meta = this.documents.get(chunk.docId)?.meta;
      return new Document<PlanciteDocumentMetadata>({
        id: chunk.id,
        pageContent: chunk.text,
        metadata: {
          chunkId: chunk.id,
          docId: chunk.docId,
          docNumber: meta?.number ?? null,
          docTitle: meta?.title ?? '',
          section: chunk.section,
          breadcrumb: chunk.breadcrumb,
          start: chunk.start,
          end: chunk.end,
          score,
        },
      });
    });
  }
}

/** Wraps a loaded engine's retrieval (anything with `retriever`, `analyze` and `index.documents`) as a LangChain retriever. */
export function toLangChainRetriever(engine: { retriever: Retriever; analyze: (q: string) => QueryAnalysis; index: { documents: DocumentStore } }, k = LANGCHAIN_DEFAULT_K): PlanciteRetriever {
  return new PlanciteRetriever({ retriever: engine.retriever, analyze: engine.analyze, documents: engine.index.documents, k });
}
