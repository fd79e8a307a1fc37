// The engine: a loaded index with its embedder, retriever and answerers, behind the `Engine` interface.
import { loadConfig, type Config } from '../config.ts';
import type { Embedder } from '../embed/index.ts';
import { AppError } from '../errors.ts';
import { foldDiacritics, normalizeForMatch } from '../text/normalize.ts';
import { numberKey } from '../doc/numbers.ts';
import { citationLabel } from '../doc/label.ts';
import { openEmbedderIn } from '../embed/index.ts';
import { englishName, filterObligations, implementersOf as registerImplementersOf, matchUnits } from '../register/index.ts';
import { detectLanguage, expandQuery, loadGlossary, viPhrasesToEnglish } from '../text/glossary.ts';
import { analyzeQuery, docPlace, type QueryAnalysis } from '../retrieve/query.ts';
import { askedKinds, createRetriever, type Retrieved, type Retriever } from '../retrieve/retriever.ts';
import { openSnapshot } from '../store/index-store.ts';
import { postgresStoreFor, type PostgresStore } from '../store/postgres/index.ts';
import type { IndexSnapshot } from '../store/ports.ts';
import type { AskOptions, AskResult, ChatTurn, Engine, ObligationFilter, Passage } from '../doc/types.ts';
import { answerExtractive, PASSAGES_RETURNED, toPassages, type AnswerContext, type AnswerSettings } from './extractive.ts';
import type { Naming } from './compose.ts';
import { resolveTurn } from '../retrieve/conversation.ts';
import { findPlacesAsked, placeKey } from '../retrieve/places.ts';
import { findIssuersNamed } from '../retrieve/issuers.ts';
import { findNumberRefs } from '../doc/numbers.ts';
import { loadUnits } from '../register/index.ts';
import type { Glossary } from '../text/glossary.ts';
import { answerWithLlm, type LlmSource } from './llm.ts';

/** Glossary places that are not a province, city or region of the country (they never narrow an answer). */
const NOT_A_LOCALITY = new Set(['Việt Nam', 'ASEAN-4', 'G20']);

export interface LoadedEngine extends Engine {
  readonly index: IndexSnapshot;
  /** The hybrid retriever over this index (e.g. for `toLangChainRetriever`). */
  readonly retriever: Retriever;
  /** Passages for a question (used by `search --json`). */
  searchPassages(query: string, k?: number): Promise<Passage[]>;
  analyze(question: string): QueryAnalysis;
}

/**
 * Opens an index folder and returns a ready engine. Throws AppError('index_missing' | 'index_corrupt' |
 * 'index_mismatch') with a one-line message saying to run `ingest`.
 * @example const engine = await openEngine('index'); await engine.ask('Ai báo cáo kết quả thực hiện Nghị quyết 42?')
 */
export async function openEngine(indexDir?: string, cfg: Config = loadConfig(), opts: { postgres?: PostgresStore } = {}): Promise<LoadedEngine> {
  const dir = indexDir ?? cfg.indexDir;
  // DATABASE_URL selects the Postgres store (the active version); otherwise the index folder.
  const index = opts.postgres || cfg.databaseUrl
    ? await (opts.postgres ?? (await postgresStoreFor(cfg.databaseUrl!))).snapshot({ embedderId: cfg.embedModel })
    : await openSnapshot(dir, { embedderId: cfg.embedModel });
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
  const retriever = createRetriever(index, embedder, glossary);
  const docs = index.documents;
  const metas = docs.metas();
  const docIds = new Set(metas.map((m) => m.id));
  const allNumbers = [...new Set([...metas.flatMap((m) => [m.number, ...m.cites, ...m.implements]).filter((n): n is string => !!n)])];
  const N = index.keywords.size();
  const idf = (t: string) => {
    const df = index.keywords.docFreq(t);
    return Math.log(1 + (N - df + 0.5) / (df + 0.5));
  };

  /** Corpus documents that implement a number, directly or transitively (from the register's lineage). */
  const lineage = { edges: index.register.lineage() };
  const implementersOf = (num: string): string[] => {
    const key = numberKey(num);
    const inCorpus = metas.find((m) => m.number && numberKey(m.number) === key);
    const node = inCorpus ? inCorpus.id : lineage.edges.flatMap((e) => [e.from, e.to]).find((n) => numberKey(n) === key) ?? num;
    return registerImplementersOf(node, lineage).filter((id) => docIds.has(id));
  };

  let foldedChunks: string[] | null = null;
  const dfCache = new Map<string, number>();
  const phraseDf = (phrase: string): number => {
    const f = foldDiacritics(normalizeForMatch(phrase));
    let n = dfCache.get(f);
    if (n === undefined) {
      foldedChunks ??= metas.flatMap((m) => docs.chunksOf(m.id)).map((c) => foldDiacritics(normalizeForMatch(c.text)));
      n = foldedChunks.filter((t) => t.includes(f)).length;
      dfCache.set(f, n);
    }
    return n;
  };
  /**
   * "The Politburo plan on Resolution 42": of the documents a reference selects, those whose issuer the
   * question names. Left as is when the question names no issuer of them.
   */
  const narrowByIssuer = (docIds: string[], question: string, expansion: string[]): string[] => {
    const asked = ` ${[question, ...expansion].map((x) => foldDiacritics(normalizeForMatch(x))).join(' ; ')} `;
    const named = docIds.filter((id) => {
      const issuer = docs.get(id)?.meta.issuer;
      return issuer ? asked.includes(` ${foldDiacritics(normalizeForMatch(issuer))}`) : false;
    });
    return named.length ? named : docIds;
  };
  /** Provinces, cities and regions named by the question: glossary places spelled as proper names. */
  const placesAsked = (question: string, lang: 'vi' | 'en', matched: Array<{ en: string; vi: string[] }>): string[] => {
    const isPlace = (vi: string, kind: string | undefined) => kind === 'place' && /^\p{Lu}/u.test(vi) && !NOT_A_LOCALITY.has(vi);
    if (lang === 'vi') return viPhrasesToEnglish(glossary, question, { kinds: ['place'] }).filter((x) => isPlace(x.vi, x.kind)).map((x) => x.vi);
    return matched
      .filter((m) => isPlace(m.vi[0] ?? '', glossary.entries.find((e) => e.en.some((t) => t.toLowerCase() === m.en.toLowerCase()))?.kind))
      .map((m) => m.vi[0]!);
  };
  /** Policy phrases named by the question (English via the glossary, Vietnamese as written). */
  const focusGroups = (question: string, lang: 'vi' | 'en', matched: Array<{ en: string; vi: string[] }>): string[][] => {
    // Each phrase with the other spellings of its glossary entry (the text may use another one).
    if (lang === 'vi') return viPhrasesToEnglish(glossary, question, { kinds: ['policy'] }).map((x) => [x.vi, ...(glossary.entries.find((e) => e.en[0] === x.en)?.vi ?? [])]);
    return matched
      .filter((m) => glossary.entries.find((e) => e.en.some((t) => t.toLowerCase() === m.en.toLowerCase()))?.kind === 'policy')
      .map((m) => m.vi)
      .filter((g) => g.length > 0);
  };

  const places = metas
    .map((m) => docs.get(m.id)!)
    .map((d) => ({ docId: d.meta.id, place: docPlace(d.text, d.sections.find((x) => x.kind === 'header')?.end ?? 0) }))
    .filter((x): x is { docId: string; place: string } => x.place !== null);
  const analyze = (question: string) => analyzeQuery(question, { metas, allNumbers, implementersOf, detectLanguage, places });
  const register = {
    englishName: (vi: string) => englishName(vi),
    unitsIn: (text: string) => [...new Set(matchUnits(text).map((m) => m.unit.vi))],
  };

  const localities = knownLocalities(glossary, places.map((p) => p.place));
  const corpusIssuers = [...new Set(metas.flatMap((m) => (m.issuer ? [m.issuer, englishName(m.issuer) ?? ''] : [])).filter(Boolean))];
  const corpusPlaces = [...new Map(places.map((p) => [placeKey(p.place), titleCase(p.place)])).values()];
  const naming: Naming = {
    english: (vi: string) => englishName(vi) ?? glossaryEnglish(glossary, vi),
    topicsEn: (text: string) => viPhrasesToEnglish(glossary, text, { kinds: ['policy'] }).map((x) => x.en),
  };
  const settings: AnswerSettings = {
    maxChars: cfg.answer.maxChars,
    maxQuotes: cfg.answer.maxQuotes,
    policy: { minCoverage: cfg.answer.minCoverage, minCoverageCompare: cfg.answer.minCoverageCompare, focusPassages: cfg.answer.focusPassages },
  };

  async function retrieveFor(question: string, history?: ChatTurn[]): Promise<{ q: QueryAnalysis; retrieved: Retrieved[]; ctx: AnswerContext }> {
    const turn = resolveTurn(question, history, analyze, metas, (t) => expandQuery(glossary, t).vi);
    const q = turn.analysis;
    const retrievalQuestion = q.question;
    // A named place narrows the documents that answer (the province's own plan).
    const placeDocs = q.docRefs.filter((r) => r.candidates.length === 0 && r.raw !== '').flatMap((r) => r.implementerIds);
    const related = [...new Set(q.docRefs.flatMap((r) => [...r.docIds, ...r.implementerIds]))];
    const retrieved = await retriever.retrieve(q, Math.max(PASSAGES_RETURNED, 10));
    const exp = expandQuery(glossary, retrievalQuestion);
    // Places: those the turn names, else those the conversation named before.
    const placeText = findPlacesAsked(turn.own, localities).length || placesAsked(turn.own, q.language, expandQuery(glossary, turn.own).matched).length ? turn.own : retrievalQuestion;
    const localitiesAsked = findPlacesAsked(placeText, localities);
    const glossaryPlaces = placesAsked(placeText, q.language, expandQuery(glossary, placeText).matched);
    const ctx: AnswerContext = {
      docs,
      obligations: index.register.obligations(),
      register,
      naming,
      idf,
      expansion: exp.vi,
      focusGroups: focusGroups(retrievalQuestion, q.language, exp.matched),
      phraseDf,
      askedKinds: askedKinds(retrievalQuestion, exp.vi),
      relatedDocs: narrowByIssuer(placeDocs.length ? placeDocs : related, retrievalQuestion, exp.vi),
      placesAsked: mergePlaces(glossaryPlaces, localitiesAsked),
      localitiesAsked,
      corpusPlaces,
      placeOf: (docId: string) => places.find((p) => p.docId === docId)?.place ?? null,
      questionNumbers: findNumberRefs(turn.own).map((r) => r.number),
      knownNumbers: allNumbers,
      unitsAsked: [...new Set(matchUnits(turn.own).map((m) => m.unit.vi))],
      issuersAsked: findIssuersNamed(turn.own, q.language),
      corpusIssuers,
      planLink: (docId, filter) => {
        const p = new URLSearchParams();
        if (filter.unit) p.set('unit', filter.unit);
        if (filter.dueBefore) p.set('dueBefore', filter.dueBefore);
        return `/plans/${encodeURIComponent(docId)}${p.size ? `?${p.toString()}` : ''}`;
      },
      settings,
    };
    return { q, retrieved, ctx };
  }

  const engine: LoadedEngine = {
    index,
    retriever,
    analyze,
    async ask(question: string, opts: AskOptions = {}): Promise<AskResult> {
      const { q, retrieved, ctx } = await retrieveFor(question, opts.history);
      const ext = answerExtractive({ q, retrieved, ctx });
      ext.question = question;
      const mode = opts.mode ?? cfg.answerMode;
      if (mode === 'llm' && !ext.refused) {
        const llmCfg = cfg.llm;
        if (llmCfg) {
          const sources: LlmSource[] = retrieved.slice(0, 6).map((r, i) => {
            const d = docs.get(r.chunk.docId)!;
            return { n: i + 1, docId: d.meta.id, docNumber: d.meta.number, docTitle: d.meta.title, section: r.chunk.section, label: citationLabel(d.meta, r.chunk.section, q.language), file: d.meta.file, text: r.chunk.text };
          });
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
    async search(query: string, k = PASSAGES_RETURNED) {
      return engine.searchPassages(query, k);
    },
    async searchPassages(query: string, k = PASSAGES_RETURNED) {
      const q = analyze(query);
      const retrieved = await retriever.retrieve(q, k);
      return toPassages(retrieved, docs).slice(0, k);
    },
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
  return engine;
}

/** Vietnamese name of a document type or policy phrase → its English glossary name. */
function glossaryEnglish(g: Glossary, vi: string): string | null {
  const f = foldDiacritics(normalizeForMatch(vi));
  const e = g.entries.find((x) => x.vi.some((v) => foldDiacritics(normalizeForMatch(v)) === f));
  return e?.en[0] ?? null;
}

/** An administrative prefix of a province-level unit name (`Tỉnh Bắc Giang`, `Thành phố Đà Nẵng`). */
const PROVINCE_NAME_RE = /^(?:(?:[Tt]ỉnh|[Tt]hành phố)\s+)?(\p{Lu}\p{L}*(?:[\s-]+\p{Lu}\p{L}*)*)$/u;

/**
 * Place names the system knows as provinces or cities, in any spelling: province-level gazetteer entries
 * that are a place name (not a body of it), glossary places named as a province or city, the corpus's places.
 */
function knownLocalities(g: Glossary, corpus: string[]): Array<{ name: string; canonical: string }> {
  const out: Array<{ name: string; canonical: string }> = corpus.map((p) => ({ name: p, canonical: p }));
  for (const u of loadUnits()) {
    if (u.level !== 'province') continue;
    const m = PROVINCE_NAME_RE.exec(u.vi);
    if (!m || /^(?:tỉnh|thành phố)$/iu.test(m[1]!)) continue;
    for (const n of [m[1]!, ...u.variants, u.en.replace(/\s+(?:province|city)$/i, '')]) out.push({ name: n, canonical: m[1]! });
  }
  for (const e of g.entries) {
    if (e.kind !== 'place' || !e.en.some((t) => /\b(?:province|city)\b/i.test(t))) continue;
    const canonical = e.vi[0]!.replace(/^(?:tỉnh|thành phố)\s+/iu, '');
    for (const n of [...e.vi, ...e.en]) out.push({ name: n.replace(/\s+(?:province|city)$/i, '').replace(/^(?:tỉnh|thành phố)\s+/iu, ''), canonical });
  }
  return out;
}

/** Places named either way, once each (by spelling-independent key). */
function mergePlaces(a: string[], b: string[]): string[] {
  const out = new Map<string, string>();
  for (const p of [...a, ...b]) if (!out.has(placeKey(p))) out.set(placeKey(p), p);
  return [...out.values()];
}

/** `BẮC NINH` → `Bắc Ninh` (headers write places in capitals). */
function titleCase(s: string): string {
  return s === s.toUpperCase() ? s.toLowerCase().replace(/(^|\s)(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase()) : s;
}
