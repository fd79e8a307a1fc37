// English names of laws the glossary does not list ("the Law on Marriage and Family", "the Civil Code", "the 2020
// Law on Residence"): the words around "Law" / "Code" are translated through the glossary and its lexicon, and a law
// whose name's words are all among the translations is the one named. Written here because no library maps English
// law names to Vietnamese ones; the glossary lists the names of a few laws only.
import type { DocMeta } from '../doc/types.ts';
import type { DocRef } from './doc-ref.ts';
import { foldDiacritics, normalizeForMatch, tokenize } from '../text/normalize.ts';
import { STOP_FOLDED } from '../text/stopwords.ts';

/** "law" or "code" in an English question, with up to five name words before it or after "on"/"of" (folded text). */
const LAW_WORD_RE = /\b(law|code)\b/g;
/** The words of a name: letters, with "and", "on", "of" between them; stops at punctuation. */
const NAME_WORDS_BEFORE_RE = /((?:[a-z]+\s+){1,5})$/;
const NAME_WORDS_AFTER_RE = /^\s+(?:on|of)\s+(?:the\s+)?((?:[a-z]+(?:\s+|$)){1,6})/;
/** A year written before or after the name, e.g. `2014` of `the 2014 Law on …` or `Law on Residence 2020`. */
const YEAR_NEAR_RE = /\b((?:19|20)\d{2})\b/g;
/** A run of characters other than letters, digits and spaces (folded text), e.g. the `(` of `(Law 68/2020/QH14)`. */
const PUNCT_RUN_RE = /[^a-z0-9\s]+/g;
/** A run of spaces between words. */
const SPACES_RE = /\s+/;
/** Types of laws and the English word that names each. */
const LAW_TYPES: Record<string, Array<'law' | 'code'>> = { luat: ['law'], 'bo luat': ['code', 'law'] };
/** Words that end a name read backwards from "Law" (`under the`, `what does the`). */
const NOT_NAME_WORDS = new Set(['the', 'under', 'in', 'by', 'does', 'do', 'what', 'which', 'how', 'of', 'to', 'per', 'a', 'an', 'this', 'that', 'current', 'new', 'revised', 'amended']);

const fold = (s: string) => foldDiacritics(normalizeForMatch(s));

/** Content syllables of a law's name (`hôn nhân và gia đình` → hon, nhan, gia, dinh), once per document. */
const CORE = new WeakMap<DocMeta, string[]>();
function core(meta: DocMeta): string[] {
  let c = CORE.get(meta);
  if (!c) CORE.set(meta, (c = tokenize(fold(meta.name ?? '')).filter((t) => !STOP_FOLDED.has(t))));
  return c;
}


/**
 * Laws an English question names by an English name the glossary does not list: each span of words next to
 * "Law"/"Code" (`Marriage and Family` of `the Law on Marriage and Family`, `Civil` of `the Civil Code`) is
 * translated with `translate` (the glossary and lexicon phrases of a text); a law whose name's content syllables are
 * all among the translation's, of a type that English word names, is referred to. Among several, the longest name
 * wins, then a year written next to the name, then the latest.
 * @example findEnglishLawRefs('What does the Civil Code say about interest?', metas, expand) // [{ raw: 'civil code', docIds: ['Bo-luat-dan-su-2015-…'], … }]
 */
export function findEnglishLawRefs(question: string, metas: readonly DocMeta[], translate: (text: string) => string[]): DocRef[] {
  const q = fold(question).replace(PUNCT_RUN_RE, ' ; ');
  const laws = metas.filter((m) => m.name && m.type && LAW_TYPES[fold(m.type)]);
  const out: DocRef[] = [];
  for (const m of q.matchAll(LAW_WORD_RE)) {
    const word = m[1] as 'law' | 'code';
    const before = NAME_WORDS_BEFORE_RE.exec(q.slice(0, m.index))?.[1]?.trim().split(SPACES_RE) ?? [];
    while (before.length && NOT_NAME_WORDS.has(before[0]!)) before.shift();
    const after = NAME_WORDS_AFTER_RE.exec(q.slice(m.index + word.length))?.[1]?.trim() ?? '';
    // The name is the words next to "law": those before it back to the first, those after "on" from the first.
    const spans = [...before.map((_, i) => before.slice(i).join(' ')), ...after.split(SPACES_RE).map((_, i, w) => w.slice(0, i + 1).join(' '))].filter(Boolean);
    let found: { span: string; hits: DocMeta[]; size: number } | null = null;
    const nBefore = before.length;
    for (const [i, span] of spans.entries()) {
      const covered = new Set(translate(span).flatMap((p) => tokenize(fold(p))));
      const hits = laws.filter((l) => LAW_TYPES[fold(l.type!)]!.includes(word) && core(l).length > 0 && core(l).every((t) => covered.has(t)));
      if (!hits.length) continue;
      const size = Math.max(...hits.map((l) => core(l).length));
      // The longest name, then the fewest words for it.
      const named = i < nBefore ? `${span} ${word}` : `${word} on ${span}`;
      if (!found || size > found.size || (size === found.size && named.length < found.span.length)) found = { span: named, hits: hits.filter((l) => core(l).length === size), size };
    }
    if (found) {
      const { span } = found;
      let best = found.hits;
      const years = [...q.matchAll(YEAR_NEAR_RE)].map((y) => y[1]!);
      const sameYear = best.filter((l) => years.some((y) => (l.date ?? '').startsWith(y) || (l.number ?? '').includes(`/${y}/`)));
      if (sameYear.length) best = sameYear;
      best = [...best].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
      const chosen = best[0]!;
      if (out.some((r) => r.docIds.includes(chosen.id))) continue;
      out.push({ raw: span, docIds: [chosen.id], implementerIds: [], candidates: best.map((l) => l.number ?? l.id), ambiguous: false, chosen: chosen.number });
    }
  }
  return out;
}
