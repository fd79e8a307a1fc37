// Query understanding over one corpus: what a turn asks (after the conversation so far), which documents,
// places, units, issuers and policy phrases it names. The engine wires it; the answerer reads its result.
import type { ChatTurn } from '../doc/types.ts';
import { findNumberRefs, numberKey } from '../doc/numbers.ts';
import { implementersOf as registerImplementersOf, loadUnits, matchUnits, type Lineage } from '../register/index.ts';
import type { DocumentStore } from '../store/ports.ts';
import { cueMatchers, dataFile } from '../text/cues.ts';
import { detectLanguage, expandQuery, viPhrasesToEnglish, type Glossary } from '../text/glossary.ts';
import { foldDiacritics, normalizeForMatch } from '../text/normalize.ts';
import { resolveTurn } from './conversation.ts';
import { findIssuersNamed, type IssuerNamed } from './issuers.ts';
import { findPlacesAsked, placeKey } from './places.ts';
import { analyzeQuery, docPlace, type QueryAnalysis } from './query.ts';
import { askedKinds } from './retriever.ts';

/** An upper-case first letter, e.g. the `B` of `Bắc Ninh`. */
const UPPER_FIRST_RE = /^\p{Lu}/u;
/** Only the word province or city, e.g. `Tỉnh` or `thành phố`. */
const PROVINCE_WORD_ONLY_RE = /^(?:tỉnh|thành phố)$/iu;
/** The English word province or city, e.g. `Province` of `Bac Ninh Province`. */
const PROVINCE_WORD_EN_RE = /\b(?:province|city)\b/i;

/** What one turn asks, resolved against the conversation and the corpus. */
export interface Understood {
  /** The resolved analysis; its `question` is the retrieval text (the turn plus any inherited topic). */
  q: QueryAnalysis;
  /** The turn as asked. */
  own: string;
  /** Vietnamese phrases the glossary adds for the retrieval text. */
  expansion: string[];
  /** The same phrases, each weighted by its share of the English term it translates (1/√ of that term's phrases). */
  weightedExpansion: Array<{ vi: string; weight: number }>;
  /** English terms the glossary found in the retrieval text, each with the phrases it gave. */
  englishTerms: Array<{ asked: string; vi: string[] }>;
  /** Policy phrases named, each with its other spellings. */
  focusGroups: string[][];
  /** Task kinds asked about (report, issue-plan, …). */
  askedKinds: string[];
  /** Corpus documents named (or implementing those named), narrowed by a named issuer. */
  relatedDocs: string[];
  /** Places named (glossary places and localities). */
  placesAsked: string[];
  /** Places named that are provinces, cities or regions (gazetteer, glossary, or written after an administrative word). */
  localitiesAsked: string[];
  /** Document numbers written in full in the turn. */
  questionNumbers: string[];
  /** Units named in the turn (canonical Vietnamese names). */
  unitsAsked: string[];
  /** Bodies named as a document's issuer. */
  issuersAsked: IssuerNamed[];
}

/**
 * Units an English question names by an English name the glossary knows ("the Directorate of Vocational Education
 * and Training" → Tổng cục Giáo dục nghề nghiệp): a glossary phrase that is a unit's name as a whole.
 */
function unitsNamedInEnglish(matched: ReadonlyArray<{ vi: string[] }>): string[] {
  return matched.flatMap((m) => m.vi.flatMap((p) => matchUnits(p).filter((u) => u.start === 0 && u.end >= p.trim().length).map((u) => u.unit.vi)));
}

export interface QueryUnderstanding {
  /** One question on its own (no conversation). */
  analyze(question: string): QueryAnalysis;
  /** A turn with the conversation so far. */
  understand(question: string, history?: ChatTurn[]): Understood;
  /** Every document number the corpus holds or cites. */
  readonly knownNumbers: string[];
  /** The province, city or region each document belongs to, from its header. */
  readonly places: ReadonlyArray<{ docId: string; place: string }>;
}

const CUES = cueMatchers(dataFile('query-cues.json'));
/** An administrative prefix of a province-level unit name (`Tỉnh Bắc Giang`, `Thành phố Đà Nẵng`). */
const PROVINCE_NAME_RE = /^(?:(?:[Tt]ỉnh|[Tt]hành phố)\s+)?(\p{Lu}\p{L}*(?:[\s-]+\p{Lu}\p{L}*)*)$/u;
/** English administrative words around a place name (`Bac Ninh province`). */
const EN_ADMIN_WORD_RE = /\s+(?:province|city)$/i;
/** Vietnamese administrative words before a place name (`tỉnh Bắc Ninh`). */
const VI_ADMIN_WORD_RE = /^(?:tỉnh|thành phố)\s+/iu;

/** Glossary matching without the lexicon's terms, for what a question names (see {@link expandQuery}). */
const NAMES_ONLY = { terms: false } as const;

/** Most numbers whose implementing documents are remembered between questions. */
const IMPLEMENTERS_MEMO = 10_000;

const fold = (s: string): string => foldDiacritics(normalizeForMatch(s));

/** Creates the query understanding of one corpus version. */
export function createQueryUnderstanding(docs: DocumentStore, lineage: Lineage, glossary: Glossary): QueryUnderstanding {
  const metas = docs.metas();
  const docIds = new Set(metas.map((m) => m.id));
  const knownNumbers = [...new Set(metas.flatMap((m) => [m.number, ...m.cites, ...m.implements]).filter((n): n is string => !!n))];

  /** Corpus documents that implement a number, directly or transitively (from the register's lineage); once per number. */
  const implementers = new Map<string, string[]>();
  const implementersOf = (num: string): string[] => {
    let out = implementers.get(num);
    if (out) return out;
    const key = numberKey(num);
    const inCorpus = metas.find((m) => m.number && numberKey(m.number) === key);
    const node = inCorpus ? inCorpus.id : lineage.edges.flatMap((e) => [e.from, e.to]).find((n) => numberKey(n) === key) ?? num;
    out = registerImplementersOf(node, lineage).filter((id) => docIds.has(id));
    // Questions name the corpus's own numbers: the map stays as small as the corpus's list of numbers.
    if (implementers.size < IMPLEMENTERS_MEMO) implementers.set(num, out);
    return out;
  };
  // From each document's head (its opening up to the end of the header block): no document is loaded.
  const places = metas
    .map((m) => ({ docId: m.id, head: docs.head(m.id) ?? '' }))
    .map((d) => ({ docId: d.docId, place: docPlace(d.head, d.head.length) }))
    .filter((x): x is { docId: string; place: string } => x.place !== null);
  const localities = knownLocalities(glossary, places.map((p) => p.place));
  const analyze = (question: string) =>
    analyzeQuery(question, { metas, allNumbers: knownNumbers, implementersOf, detectLanguage, places, phrases: (t) => (detectLanguage(t) === 'en' ? expandQuery(glossary, t, NAMES_ONLY).vi : []), translate: (t) => expandQuery(glossary, t).vi });

  /**
   * "The Politburo plan on Resolution 42": of the documents a reference selects, those whose issuer the
   * question names. Left as is when the question names no issuer of them.
   */
  const narrowByIssuer = (ids: string[], question: string, expansion: string[]): string[] => {
    const asked = ` ${[question, ...expansion].map(fold).join(' ; ')} `;
    const named = ids.filter((id) => {
      const issuer = docs.get(id)?.meta.issuer;
      return issuer ? asked.includes(` ${fold(issuer)}`) : false;
    });
    return named.length ? named : ids;
  };
  /** Provinces, cities and regions named by the question: glossary places spelled as proper names. */
  const glossaryPlaces = (question: string, lang: 'vi' | 'en', matched: Array<{ en: string; vi: string[] }>): string[] => {
    const isPlace = (vi: string, kind: string | undefined) => kind === 'place' && UPPER_FIRST_RE.test(vi) && !CUES.notLocality!.test(fold(vi));
    if (lang === 'vi') return viPhrasesToEnglish(glossary, question, { kinds: ['place'] }).filter((x) => isPlace(x.vi, x.kind)).map((x) => x.vi);
    return matched
      .filter((m) => isPlace(m.vi[0] ?? '', glossary.entries.find((e) => e.en.some((t) => t.toLowerCase() === m.en.toLowerCase()))?.kind))
      .map((m) => m.vi[0]!);
  };
  /**
   * Policy phrases named by the question (English via the glossary, Vietnamese as written). An English term
   * counts only when the question spells it (or its plural): "100 years of age" names no "ageing" topic.
   */
  const focusGroups = (question: string, lang: 'vi' | 'en', matched: Array<{ en: string; vi: string[]; asWritten: boolean }>): string[][] => {
    // Each phrase with the other spellings of its glossary entry (the text may use another one).
    if (lang === 'vi') return viPhrasesToEnglish(glossary, question, { kinds: ['policy'] }).map((x) => [x.vi, ...(glossary.entries.find((e) => e.en[0] === x.en)?.vi ?? [])]);
    return matched
      .filter((m) => m.asWritten && glossary.entries.find((e) => e.en.some((t) => t.toLowerCase() === m.en.toLowerCase()))?.kind === 'policy')
      .map((m) => m.vi)
      .filter((g) => g.length > 0);
  };

  return {
    analyze,
    knownNumbers,
    places,
    understand(question, history) {
      // The glossary expansion of each text is worked out once per turn. What the turn names (documents, places,
      // topics, issuers, kinds of duty) is read without the lexicon's terms; the answer's expansion has them.
      const memo = new Map<string, ReturnType<typeof expandQuery>>();
      const expand = (t: string) => {
        let e = memo.get(t);
        if (!e) memo.set(t, (e = expandQuery(glossary, t, NAMES_ONLY)));
        return e;
      };
      const turn = resolveTurn(question, history, analyze, metas, (t) => expand(t).vi);
      const q = turn.analysis;
      const text = q.question;
      // A named place narrows the documents that answer (the province's own plan).
      const placeDocs = q.docRefs.filter((r) => r.via === 'place').flatMap((r) => r.implementerIds);
      const related = [...new Set(q.docRefs.flatMap((r) => [...r.docIds, ...r.implementerIds]))];
      const exp = expand(text);
      // Places: those the turn names, else those the conversation named before.
      const ownNames = findPlacesAsked(turn.own, localities).length > 0 || glossaryPlaces(turn.own, q.language, expand(turn.own).matched).length > 0;
      const placeText = ownNames ? turn.own : text;
      const localitiesAsked = findPlacesAsked(placeText, localities);
      const namedPlaces = glossaryPlaces(placeText, q.language, expand(placeText).matched);
      return {
        q,
        own: turn.own,
        ...(({ vi, weighted, matched }) => ({ expansion: vi, weightedExpansion: weighted, englishTerms: matched }))(expandQuery(glossary, text)),
        focusGroups: focusGroups(text, q.language, exp.matched),
        askedKinds: askedKinds(text, exp.vi),
        relatedDocs: narrowByIssuer(placeDocs.length ? placeDocs : related, text, exp.vi),
        placesAsked: mergePlaces(namedPlaces, localitiesAsked),
        localitiesAsked,
        questionNumbers: findNumberRefs(turn.own).map((r) => r.number),
        unitsAsked: [...new Set([...matchUnits(turn.own).map((m) => m.unit.vi), ...(q.language === 'en' ? unitsNamedInEnglish(expand(turn.own).matched) : [])])],
        issuersAsked: findIssuersNamed(turn.own, q.language),
      };
    },
  };
}

/**
 * Place names known as provinces or cities, in any spelling: province-level gazetteer entries that are a
 * place name (not a body of it), glossary places named as a province or city, the corpus's own places.
 */
function knownLocalities(g: Glossary, corpus: string[]): Array<{ name: string; canonical: string }> {
  const out: Array<{ name: string; canonical: string }> = corpus.map((p) => ({ name: p, canonical: p }));
  for (const u of loadUnits()) {
    if (u.level !== 'province') continue;
    const m = PROVINCE_NAME_RE.exec(u.vi);
    if (!m || PROVINCE_WORD_ONLY_RE.test(m[1]!)) continue;
    for (const n of [m[1]!, ...u.variants, u.en.replace(EN_ADMIN_WORD_RE, '')]) out.push({ name: n, canonical: m[1]! });
  }
  for (const e of g.entries) {
    if (e.kind !== 'place' || !e.en.some((t) => PROVINCE_WORD_EN_RE.test(t))) continue;
    const canonical = e.vi[0]!.replace(VI_ADMIN_WORD_RE, '');
    for (const n of [...e.vi, ...e.en]) out.push({ name: n.replace(EN_ADMIN_WORD_RE, '').replace(VI_ADMIN_WORD_RE, ''), canonical });
  }
  return out;
}

/** Places named either way, once each (by spelling-independent key). */
function mergePlaces(a: string[], b: string[]): string[] {
  const out = new Map<string, string>();
  for (const p of [...a, ...b]) if (!out.has(placeKey(p))) out.set(placeKey(p), p);
  return [...out.values()];
}
