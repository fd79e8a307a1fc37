// Places a question names (provinces, cities): known names from the gazetteer and glossary, and any
// proper name written after an administrative word ("tỉnh Bắc Giang", "Da Nang city").
import { foldDiacritics, normalizeForMatch } from '../text/normalize.ts';

/** Anything but a folded letter or digit, e.g. the space of `bac ninh`. */
const NOT_ALNUM_RE = /[^a-z0-9]/g;
/** A run of characters that are not letters or digits, e.g. the `, ` of `Bắc Ninh, Hà Nội`. */
const NOT_WORD_RUN_RE = /[^\p{L}\p{N}]+/gu;
/** The space between two words, e.g. the space of `Bac Ninh`. */
const WORD_GAP_RE = /\s+/;
/** A possessive that ends a word, e.g. the `'s` of `Hanoi's`. */
const POSSESSIVE_END_RE = /'s$/;

/** A proper name after a Vietnamese administrative word: `tỉnh Bắc Giang`, `thành phố Đà Nẵng`, `TP. Hồ Chí Minh`, `vùng Tây Nguyên`. */
const VI_ADMIN_NAME_RE = /(?<![\p{L}\p{N}])(?:[Tt]ỉnh|[Tt]hành phố|TP\.?|[Vv]ùng)\s+(\p{Lu}[\p{L}]*(?:[\s-]+\p{Lu}[\p{L}]*){0,3})/gu;
/** A proper name before or after an English administrative word: `Bac Giang province`, `province of Bac Giang`, `Ho Chi Minh City`. */
const EN_ADMIN_NAME_RE = /(\p{Lu}[\p{L}]*(?:[\s-]+\p{Lu}[\p{L}]*){0,3})\s+(?:[Pp]rovince|[Cc]ity|[Mm]unicipality)\b|\b(?:[Pp]rovince|[Cc]ity) of (\p{Lu}[\p{L}]*(?:[\s-]+\p{Lu}[\p{L}]*){0,3})/gu;
/** Capitalised words that start a sentence or name a body, not a place (`Which`, `People's`). */
const NOT_PLACE_WORD_RE = /^(?:which|what|the|does|do|is|in|of|for|how|and|provincial|people|peoples|party)$/i;

/** Folded, space-separated form of each known name (names repeat across questions). */
const foldedNames = new Map<string, string>();

/** Key for comparing place names across spellings: folded, no spaces or dashes (`Hà Nội` = `Hanoi`). */
export function placeKey(name: string): string {
  return foldDiacritics(normalizeForMatch(name)).replace(NOT_ALNUM_RE, '');
}

/**
 * Places a question names, as written. `known` are place names the system knows in any spelling
 * (gazetteer, glossary, the corpus's own places); they are found in unaccented or lower-case text too.
 * Any other capitalised name after `tỉnh` / `thành phố` / `province` / `city` counts as a place as well.
 * @example findPlacesAsked('Kế hoạch của tỉnh Bắc Giang có gì?', []) // ['Bắc Giang']
 */
export function findPlacesAsked(question: string, known: Array<{ name: string; canonical: string }>): string[] {
  const out = new Map<string, string>();
  const words = ` ${foldDiacritics(normalizeForMatch(question)).replace(NOT_WORD_RUN_RE, ' ')} `;
  for (const k of known) {
    let f = foldedNames.get(k.name);
    if (f === undefined) {
      f = foldDiacritics(normalizeForMatch(k.name)).replace(NOT_WORD_RUN_RE, ' ').trim();
      foldedNames.set(k.name, f);
    }
    if (f.length >= 3 && words.includes(` ${f} `)) out.set(placeKey(k.canonical), k.canonical);
  }
  const add = (raw: string | undefined) => {
    if (!raw) return;
    const parts = raw.trim().split(WORD_GAP_RE);
    while (parts.length && NOT_PLACE_WORD_RE.test(parts[0]!.replace(POSSESSIVE_END_RE, ''))) parts.shift();
    const name = parts.join(' ');
    if (name.length < 3) return;
    const key = placeKey(name);
    // A longer known spelling already found covers it ("Bắc Ninh" for "tỉnh Bắc Ninh").
    if (![...out.keys()].some((x) => x === key || x.includes(key) || key.includes(x))) out.set(key, name);
  };
  for (const m of question.matchAll(VI_ADMIN_NAME_RE)) add(m[1]);
  for (const m of question.matchAll(EN_ADMIN_NAME_RE)) add(m[1] ?? m[2]);
  return [...out.values()];
}
