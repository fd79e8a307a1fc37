// The engine: wires a loaded index, its embedder, the retriever, query understanding and the answerers
// behind the `Engine` interface. It decides nothing itself: query understanding is in retrieve/, answer
// composition and the refusal policy in answer/.
import { loadConfig, type Config } from '../config.ts';
import type { Embedder } from '../embed/index.ts';
import { AppError } from '../errors.ts';
import { openEmbedderIn } from '../embed/index.ts';
import { filterObligations, implementersOf as registerImplementersOf } from '../register/index.ts';
import { loadGlossary } from '../text/glossary.ts';
import type { QueryAnalysis } from '../retrieve/query.ts';
import { createRetriever, type Retriever } from '../retrieve/retriever.ts';
import { createQueryUnderstanding } from '../retrieve/understand.ts';
import { openSnapshot } from '../store/index-store.ts';
import { postgresStoreFor, type PostgresStore } from '../store/postgres/index.ts';
import type { IndexSnapshot } from '../store/ports.ts';
import type { AskOptions, AskResult, Engine, ObligationFilter, Passage, SearchOptions } from '../doc/types.ts';
import { answerExtractive, PASSAGES_RETURNED, toPassages } from './extractive.ts';
import { createAnswerSupport } from './support.ts';
import { answerWithLlm, llmSources } from './llm.ts';

export interface LoadedEngine extends Engine {
  readonly index: IndexSnapshot;
  /** The hybrid retriever over this index (e.g. for `toLangChainRetriever`). */
  readonly retriever: Retriever;
  /** Passages for a question (used by `search --json`). */
  searchPassages(query: string, k?: number, opts?: SearchOptions): Promise<Passage[]>;
  analyze(question: string): QueryAnalysis;
}

/** What the server answers from the index without answering questions: documents, sections, the task register, index facts. */
export type Catalog = Pick<Engine, 'documents' | 'document' | 'section' | 'obligations' | 'info'>;

/** Opens the current version of the configured store (the Postgres store with DATABASE_URL, else the index folder). */
async function openIndex(dir: string, cfg: Config, opts: { postgres?: PostgresStore }): Promise<IndexSnapshot> {
  return opts.postgres || cfg.databaseUrl
    ? await (opts.postgres ?? (await postgresStoreFor(cfg.databaseUrl!))).snapshot({ embedderId: cfg.embedModel })
    : await openSnapshot(dir, { embedderId: cfg.embedModel });
}

/**
 * Opens an index for its catalog only — no embedder, retriever or answer tables — for a process whose questions
 * are answered elsewhere (the server beside its answer workers). Same errors as {@link openEngine}.
 * @example const catalog = await openCatalog('index'); catalog.documents().length
 */
export async function openCatalog(indexDir?: string, cfg: Config = loadConfig(), opts: { postgres?: PostgresStore } = {}): Promise<Catalog & { readonly index: IndexSnapshot }> {
  const index = await openIndex(indexDir ?? cfg.indexDir, cfg, opts);
  return { index, ...createCatalog(index) };
}

/** The catalog of one index version. */
export function createCatalog(index: IndexSnapshot): Catalog {
  const docs = index.documents;
  const metas = docs.metas();
  const docIds = new Set(metas.map((m) => m.id));
  const lineage = { edges: index.register.lineage() };
  return {
    documents() {
      return metas;
    },
    document(id: string) {
      const d = docs.get(id);
      if (!d) return null;
      return {
        meta: d.meta,
        outline: d.sections,
        text: d.text,
        lineage: {
          implements: d.meta.implements,
          implementedBy: registerImplementersOf(d.meta.id, lineage).filter((x) => docIds.has(x)),
        },
      };
    },
    section(id: string, path: string) {
      const d = docs.get(id);
      const s = d?.sections.find((x) => x.path === path);
      if (!d || !s) return null;
      return { meta: d.meta, section: s, text: d.text.slice(s.start, s.end) };
    },
    obligations(filter: ObligationFilter = {}) {
      return filterObligations(index.register.obligations(), filter, { metas, lineage });
    },
    info() {
      return {
        documents: metas.length,
        chunks: docs.chunkCount(),
        embedder: index.info.embedder.id,
        dim: index.info.embedder.dim,
        builtAt: index.info.builtAt,
        formatVersion: index.info.formatVersion,
      };
    },
  };
}

/**
 * Opens an index folder and returns a ready engine. Throws AppError('index_missing' | 'index_corrupt' |
 * 'index_mismatch') with a one-line message saying to run `ingest`.
 * @example const engine = await openEngine('index'); await engine.ask('Ai báo cáo kết quả thực hiện Nghị quyết 42?')
 */
export async function openEngine(indexDir?: string, cfg: Config = loadConfig(), opts: { postgres?: PostgresStore } = {}): Promise<LoadedEngine> {
  const dir = indexDir ?? cfg.indexDir;
  // DATABASE_URL selects the Postgres store (the active version); otherwise the index folder.
  const index = await openIndex(dir, cfg, opts);
  const embedder: Embedder = await openEmbedderIn(
    { ...cfg, queryPrefix: cfg.queryPrefix ?? (index.info.embedder.queryPrefix || undefined), passagePrefix: cfg.passagePrefix ?? (index.info.embedder.passagePrefix || undefined) },
    index.modelsDir,
  );
  if (embedder.dim !== index.info.embedder.dim) {
    throw new AppError('index_mismatch', `embedder "${embedder.id}" has ${embedder.dim} dimensions but the index has ${index.info.embedder.dim} — run \`npm run cli -- ingest\``);
  }
  return createEngine(index, embedder, cfg);
}

/** Builds an engine from an already loaded index and embedder. */
export function createEngine(index: IndexSnapshot, embedder: Embedder, cfg: Config): LoadedEngine {
  const glossary = loadGlossary();
  const docs = index.documents;
  const lineage = { edges: index.register.lineage() };
  const retriever = createRetriever(index, embedder, glossary);
  const understanding = createQueryUnderstanding(docs, lineage, glossary);
  const support = createAnswerSupport(index, glossary, cfg.answer, understanding.places, understanding.knownNumbers);
  const analyze = understanding.analyze;

  const engine: LoadedEngine = {
    index,
    retriever,
    analyze,
    async ask(question: string, opts: AskOptions = {}): Promise<AskResult> {
      const u = understanding.understand(question, opts.history);
      const q = u.q;
      const retrieved = await retriever.retrieve(q, PASSAGES_RETURNED);
      const ext = answerExtractive({ q, retrieved, ctx: support.contextFor(u) });
      ext.question = question;
      const mode = opts.mode ?? cfg.answerMode;
      if (mode === 'llm' && !ext.refused) {
        const llmCfg = cfg.llm;
        if (llmCfg) {
          const sources = llmSources(retrieved, docs, q.language);
          try {
            const llm = await answerWithLlm({ question, language: q.language, sources, history: opts.history, config: llmCfg, onToken: opts.onToken, signal: opts.signal });
            if (llm) return { ...ext, answer: llm.answer, citations: llm.citations, flagged: llm.flagged, mode: 'llm' };
          } catch {
            // Unavailable, timed out or failed upstream: the extractive answer stands.
          }
        }
      }
      opts.onToken?.(ext.answer);
      return ext;
    },
    async search(query: string, k = PASSAGES_RETURNED, opts: SearchOptions = {}) {
      return engine.searchPassages(query, k, opts);
    },
    async searchPassages(query: string, k = PASSAGES_RETURNED, opts: SearchOptions = {}) {
      const q = opts.history?.length ? understanding.understand(query, opts.history).q : analyze(query);
      const retrieved = await retriever.retrieve(q, k, { channels: opts.channels });
      return toPassages(retrieved, docs).slice(0, k);
    },
    ...createCatalog(index),
  };
  return engine;
}
