// Ranking signals beyond the two channels: how much of a question a passage holds (retrieval confidence),
// which documents a question's number could mean within one family of documents (collisions).
import { numberKey } from '../doc/numbers.ts';
import { foldDiacritics, tokenize } from '../text/normalize.ts';

/**
 * The informative content of a question: diacritic-folded syllables and syllable bigrams that are not stop
 * words, each weighted by its inverse document frequency in the index. Terms the index does not hold weigh
 * the most (a subject the corpus lacks).
 */
export interface WeightedTerms {
  terms: Map<string, number>;
  total: number;
}

/** Folded form of each syllable seen (a bounded vocabulary; cleared if it ever grows past FOLDS_MAX). */
const FOLDS = new Map<string, string>();
const FOLDS_MAX = 200_000;

/** foldDiacritics of one syllable, remembered (passages are folded on every search). */
function foldSyllable(t: string): string {
  let f = FOLDS.get(t);
  if (f === undefined) {
    if (FOLDS.size >= FOLDS_MAX) FOLDS.clear();
    FOLDS.set(t, (f = foldDiacritics(t)));
  }
  return f;
}

/** Folded syllables of a text and their bigrams (`bao_hiem`), as the keyword index writes them. */
export function foldedTerms(text: string): Set<string> {
  const toks = tokenize(text).map(foldSyllable);
  const out = new Set(toks);
  for (let i = 0; i + 1 < toks.length; i++) out.add(`${toks[i]}_${toks[i + 1]}`);
  return out;
}

/**
 * Weighs the content terms of a question (for an English question, of its Vietnamese glossary expansion and
 * its numbers: English words are not in the documents).
 * @example questionTerms('bảo hiểm thất nghiệp', (t) => 2, new Set(['la'])) // syllables and bigrams, weight 2 each
 */
export function questionTerms(text: string, idf: (term: string) => number, stop: Set<string>): WeightedTerms {
  const toks = tokenize(text).map(foldSyllable);
  const terms = new Map<string, number>();
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (!stop.has(t)) terms.set(t, idf(t));
    const next = toks[i + 1];
    // A bigram counts when one of its syllables carries meaning ("bảo hiểm", not "của các").
    if (next !== undefined && !(stop.has(t) && stop.has(next))) terms.set(`${t}_${next}`, idf(`${t}_${next}`));
  }
  let total = 0;
  for (const w of terms.values()) total += w;
  return { terms, total };
}

/**
 * Share of the question's weight that one passage holds, in [0, 1]: 1 = every informative syllable and
 * bigram of the question occurs in the passage (with its heading and document header).
 * @example coverage(questionTerms('thời gian thử việc', idf, stop), foldedTerms(chunk.indexText))
 */
export function coverage(q: WeightedTerms, passage: Set<string>): number {
  if (q.total <= 0) return 0;
  let held = 0;
  for (const [t, w] of q.terms) if (passage.has(t)) held += w;
  return held / q.total;
}

/**
 * Families of document numbers, by the Vietnamese numbering conventions: Party documents are numbered
 * `N-TYPE/ISSUER` (`42-NQ/TW`, `42-KL/TU`, `19-KH/TW`); laws and codes `N/YEAR/QHn` (`45/2019/QH14`); other
 * state documents `N/TYPE-ISSUER` (`68/NQ-CP`, `1240/QĐ-LĐTBXH`).
 */
export type NumberFamily = 'party' | 'law' | 'state';

/** `42-NQ/TW`: numeral, hyphen, type, slash, issuer — the Party's way of numbering. */
const PARTY_NUMBER = /^\d+-[A-Z]+\/[A-Z0-9]+/;
/** `45/2019/QH14`: numeral, year, National Assembly term — laws, codes and Assembly resolutions. */
const LAW_NUMBER = /^\d+\/\d{4}\/QH\d+/;

/** @example numberFamily('42-KL/TU') // 'party'  ·  numberFamily('42/2019/QH14') // 'law' */
export function numberFamily(num: string): NumberFamily {
  const k = numberKey(num);
  if (PARTY_NUMBER.test(k)) return 'party';
  if (LAW_NUMBER.test(k)) return 'law';
  return 'state';
}

/**
 * The numbers a reference could also mean, for an ambiguity note: those of the chosen number's family only
 * (a Party resolution against a Party conclusion), never a list of laws that happen to share the numeral.
 * @example collisionSet('42-NQ/TW', ['42-NQ/TW', '42-KL/TU', '42/2019/QH14']) // ['42-KL/TU']
 */
export function collisionSet(chosen: string, sameNumeral: string[]): string[] {
  const fam = numberFamily(chosen);
  const key = numberKey(chosen);
  const seen = new Set<string>([key]);
  const out: string[] = [];
  for (const n of sameNumeral) {
    const k = numberKey(n);
    if (seen.has(k) || numberFamily(n) !== fam) continue;
    seen.add(k);
    out.push(n);
  }
  return out;
}
