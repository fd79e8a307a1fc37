// What the answerer knows about the corpus besides a question: names in English, term weights, the
// register, the corpus's places and issuers, links to the plan view. Built once per index version.
import type { Config } from '../config.ts';
import type { Understood } from '../retrieve/understand.ts';
import { placeKey } from '../retrieve/places.ts';
import { englishName, matchUnits } from '../register/index.ts';
import { terms } from '../store/bm25.ts';
import type { IndexSnapshot } from '../store/ports.ts';
import { viPhrasesToEnglish, type Glossary } from '../text/glossary.ts';
import { foldDiacritics, normalizeForMatch } from '../text/normalize.ts';
import { cueMatchers, dataFile } from '../text/cues.ts';
import { escapeRegExp } from '../text/strings.ts';
import type { Naming } from './compose.ts';
import type { AnswerContext, AnswerSettings } from './context.ts';

/** The first letter of each word with what precedes it, e.g. ` h` of `sở y tế hà nội`. */
const WORD_START_RE = /(^|\s)(\p{L})/gu;
/** One character of a word (a letter or digit, as the keyword index tokenises), e.g. `a` or `7`. */
const WORD_CHAR_RE = /[\p{L}\p{N}]/u;
/** Regex source: no word character just before, e.g. before `lao` in `bộ luật lao động` but not in `xlao`. */
const NO_WORD_BEFORE = '(?<![\\p{L}\\p{N}])';
/** Regex source: no word character just after, e.g. after `động` in `lao động.` but not in `độngx`. */
const NO_WORD_AFTER = '(?![\\p{L}\\p{N}])';

const fold = (s: string): string => foldDiacritics(normalizeForMatch(s));

/**
 * Does folded text `t` hold folded phrase `f` as whole words (no letter or digit glued to its ends)?
 * @example holdsWords('so y te ha noi', 'y te') === true; holdsWords('quy tet', 'y te') === false
 */
export function holdsWords(t: string, f: string): boolean {
  const open = WORD_CHAR_RE.test(f[0] ?? '');
  const close = WORD_CHAR_RE.test(f[f.length - 1] ?? '');
  for (let i = t.indexOf(f); i >= 0; i = t.indexOf(f, i + 1)) {
    if (open && i > 0 && WORD_CHAR_RE.test(t[i - 1]!)) continue;
    if (close && WORD_CHAR_RE.test(t[i + f.length] ?? '')) continue;
    return true;
  }
  return false;
}
/** Document-type words (data/query-cues.json), for finding a document of an issuer mentioned in the text. */
const DOC_TYPES = cueMatchers(dataFile('query-cues.json')).docTypes!;

/** `BẮC NINH` → `Bắc Ninh` (headers write places in capitals). */
function titleCase(s: string): string {
  return s === s.toUpperCase() ? s.toLowerCase().replace(WORD_START_RE, (_, a: string, b: string) => a + b.toUpperCase()) : s;
}

/** Link to the plan view of a document filtered to a unit or a due date (parameters read by public/plan.js). */
export function planLink(docId: string, filter: { unit?: string; dueBefore?: string }): string {
  const p = new URLSearchParams();
  if (filter.unit) p.set('unit', filter.unit);
  if (filter.dueBefore) p.set('dueBefore', filter.dueBefore);
  const qs = p.toString();
  return `/plans/${encodeURIComponent(docId)}${qs ? `?${qs}` : ''}`;
}

export interface AnswerSupport {
  /** The answer context for one understood turn. */
  contextFor(u: Understood): AnswerContext;
}

/**
 * Builds the corpus-level part of every answer context once.
 * @example createAnswerSupport(snapshot, glossary, cfg.answer, understanding.places, understanding.knownNumbers).contextFor(u)
 */
export function createAnswerSupport(
  index: IndexSnapshot,
  glossary: Glossary,
  cfg: Config['answer'],
  places: ReadonlyArray<{ docId: string; place: string }>,
  knownNumbers: string[],
): AnswerSupport {
  const docs = index.documents;
  const metas = docs.metas();
  const N = index.keywords.size();
  const idf = (t: string) => {
    const df = index.keywords.docFreq(t);
    return Math.log(1 + (N - df + 0.5) / (df + 0.5));
  };
  // Folded chunk texts that can hold a phrase as whole words: where the keyword index can say, only the chunks
  // holding all its folded syllables and bigrams (read, folded and dropped); otherwise every chunk, folded once and
  // kept (a store without postings lookups keeps its chunks in memory anyway).
  let foldedChunks: string[] | null = null;
  const candidates = (phrase: string): Iterable<string> => {
    const keys = terms(phrase, true);
    if (index.keywords.chunksWith && keys.length) return index.keywords.chunksWith(keys).map((id) => fold(docs.chunk(id)?.text ?? ''));
    return (foldedChunks ??= metas.flatMap((m) => docs.chunksOf(m.id)).map((c) => fold(c.text)));
  };
  const dfCache = new Map<string, number>();
  const phraseDf = (phrase: string): number => {
    const f = fold(phrase);
    let n = dfCache.get(f);
    if (n === undefined) {
      n = 0;
      for (const t of candidates(f)) if (holdsWords(t, f)) n++;
      dfCache.set(f, n);
    }
    return n;
  };
  // Folded Vietnamese glossary phrase → English display name (first entry wins), built once.
  const glossaryEn = new Map<string, string>();
  // Lexicon terms (kind `term`) translate question words only: answers keep naming what the glossary names.
  for (const e of glossary.entries) if (e.kind !== 'term') for (const v of e.vi) if (!glossaryEn.has(fold(v))) glossaryEn.set(fold(v), e.en[0]!);
  const glossaryEnglish = (vi: string): string | null => glossaryEn.get(fold(vi)) ?? null;
  const naming: Naming = {
    english: (vi: string) => englishName(vi) ?? glossaryEnglish(vi),
    topicsEn: (text: string) => viPhrasesToEnglish(glossary, text, { kinds: ['policy'] }).map((x) => x.en),
  };
  const register = {
    englishName: (vi: string) => englishName(vi),
    unitsIn: (text: string) => [...new Set(matchUnits(text).map((m) => m.unit.vi))],
  };
  const corpusPlaces = [...new Map(places.map((p) => [placeKey(p.place), titleCase(p.place)])).values()];
  // Worked out on the first question, not when the index opens: English names need the unit tables, built on first use.
  let corpusIssuers: string[] | null = null;
  const issuersOfCorpus = () => (corpusIssuers ??= [...new Set(metas.flatMap((m) => (m.issuer ? [m.issuer, englishName(m.issuer) ?? ''] : [])).filter(Boolean))]);
  const obligations = index.register.obligations();
  const settings: AnswerSettings = {
    maxChars: cfg.maxChars,
    maxQuotes: cfg.maxQuotes,
    policy: { minCoverage: cfg.minCoverage, minCoverageCompare: cfg.minCoverageCompare, focusPassages: cfg.focusPassages },
  };
  // "Chỉ thị của Ban Bí thư" named inside a held plan: the corpus mentions a document of that issuer.
  const mentionCache = new Map<string, boolean>();
  const mentionsIssuedBy = (names: string[]): boolean => {
    const keys = names.map(fold).filter((k) => k.length >= 4);
    const key = keys.join('|');
    let hit = mentionCache.get(key);
    if (hit === undefined) {
      hit = keys.some((k) => {
        const re = new RegExp(`(?:${DOC_TYPES.source})[^.;\\n]{0,80}?${WORD_CHAR_RE.test(k[0]!) ? NO_WORD_BEFORE : ''}${escapeRegExp(k)}${WORD_CHAR_RE.test(k[k.length - 1]!) ? NO_WORD_AFTER : ''}`, 'u');
        for (const t of candidates(k)) if (re.test(t)) return true;
        return false;
      });
      mentionCache.set(key, hit);
    }
    return hit;
  };
  const placeOf = (docId: string) => places.find((p) => p.docId === docId)?.place ?? null;

  return {
    contextFor(u) {
      return {
        docs,
        obligations,
        register,
        naming,
        idf,
        phraseDf,
        expansion: u.expansion,
        weightedExpansion: u.weightedExpansion,
        englishTerms: u.englishTerms,
        focusGroups: u.focusGroups,
        askedKinds: u.askedKinds,
        relatedDocs: u.relatedDocs,
        placesAsked: u.placesAsked,
        localitiesAsked: u.localitiesAsked,
        corpusPlaces,
        placeOf,
        questionNumbers: u.questionNumbers,
        knownNumbers,
        unitsAsked: u.unitsAsked,
        issuersAsked: u.issuersAsked,
        corpusIssuers: issuersOfCorpus(),
        mentionsIssuedBy,
        planLink,
        settings,
      };
    },
  };
}
