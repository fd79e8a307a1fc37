// Normalisation for matching only: quotes always keep the original text.

/** Old-style → new-style tone placement on the oa/oe/uy diphthongs (hoá → hóa, uỷ → ủy). */
const TONES: Record<string, string> = {
  'oà': 'òa', 'oá': 'óa', 'oả': 'ỏa', 'oã': 'õa', 'oạ': 'ọa',
  'oè': 'òe', 'oé': 'óe', 'oẻ': 'ỏe', 'oẽ': 'õe', 'oẹ': 'ọe',
  'uỳ': 'ùy', 'uý': 'úy', 'uỷ': 'ủy', 'uỹ': 'ũy', 'uỵ': 'ụy',
};
/** Any old-style tone placement of {@link TONES}, e.g. `hoá` (matches `oá`). */
const TONE_RE = new RegExp(Object.keys(TONES).join('|'), 'g');
/** Unicode hyphens and dashes, e.g. the en dash in `Lao động – Thương binh`. */
const DASH_RE = /[\u2010-\u2015\u2212]/g;
/** Exactly one such dash (one character cluster of {@link normalizeWithMap}), e.g. `–`. */
const ONE_DASH_RE = /^[\u2010-\u2015\u2212]$/;
/** Exactly one white-space character, NBSP included, e.g. `\u00a0` or a tab. */
const ONE_SPACE_RE = /^\s$/u;
/** Combining diacritical marks, e.g. the U+0301 acute of an NFD `é` (`e` + U+0301). */
const COMBINING_MARK_RE = /[\u0300-\u036f]/;
/** Global variant of {@link COMBINING_MARK_RE} for stripping marks, e.g. from NFD `ế`. */
const COMBINING_MARKS_RE = /[\u0300-\u036f]/g;
/** A no-break space, e.g. the one in `Điều\u00a05`. */
const NBSP_RE = /\u00a0/g;
/** A run of white space, e.g. `"  \n\t"`. */
const SPACE_RUN_RE = /\s+/g;
/** A typographic double quote, e.g. `“` or `«`. */
const ONE_DOUBLE_QUOTE_RE = /^[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]$/;
/** A typographic single quote or apostrophe, e.g. `’`. */
const ONE_SINGLE_QUOTE_RE = /^[\u2018\u2019\u201a\u201b\u2032]$/;
/** An invisible character that varies between copies of a text: soft hyphen, zero-width space or joiner, word joiner, BOM. */
const INVISIBLE_RE = /[\u00ad\u200b-\u200d\u2060\ufeff]/;
/** A run of characters that are neither letters nor digits (token separators), e.g. `", "` or `"/"`. */
const NON_WORD_RUN_RE = /[^\p{L}\p{N}]+/u;

/**
 * Canonical form for matching: NFC, lower case, new-style tone placement, ASCII dashes,
 * NBSP → space, whitespace collapsed. Same definition as the reference scorer.
 * @example normalizeForMatch('Bộ Lao động – Thương binh') === 'bộ lao động - thương binh'
 */
export function normalizeForMatch(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(TONE_RE, (m) => TONES[m] ?? m)
    .replace(DASH_RE, '-')
    .replace(NBSP_RE, ' ')
    .replace(SPACE_RUN_RE, ' ')
    .trim();
}

/**
 * Removes Vietnamese diacritics (đ → d) from an already lower-cased or any string.
 * @example foldDiacritics('báo cáo kết quả') === 'bao cao ket qua'
 */
export function foldDiacritics(s: string): string {
  return s
    .normalize('NFD')
    .replace(COMBINING_MARKS_RE, '')
    .replaceAll('đ', 'd')
    .replaceAll('Đ', 'D')
    .normalize('NFC');
}

/** True when the text carries no Vietnamese diacritics at all (typed without accents, or English). */
export function hasNoDiacritics(s: string): boolean {
  return foldDiacritics(s) === s.normalize('NFC');
}

/** Syllable tokens for lexical matching: normalised, split on non-letters/digits. */
export function tokenize(s: string): string[] {
  const n = normalizeForMatch(s);
  return n.split(NON_WORD_RUN_RE).filter((t) => t.length > 0);
}

/** A normalised string plus, for each of its characters, the original [start, end) it came from. */
export interface MappedText {
  norm: string;
  starts: number[];
  ends: number[];
}

/** What {@link normalizeWithMap} is for. */
export interface MapOptions {
  /**
   * Finding a quote in its source (answer/verify.ts): typographic quotes straightened (`“` → `"`, `’` → `'`),
   * invisible characters (soft hyphen, zero-width space, BOM) dropped, `…` read as `...`; markdown `*` and the
   * spaces around a dash kept, as a quote copies them.
   */
  quotes?: boolean;
}

/**
 * Matching form with an offset map — the one offset-keeping normaliser: NFC per character cluster, lower
 * case, new-style tones, ASCII dashes with no spaces around them, whitespace (NBSP too) collapsed, markdown
 * `*` dropped (for quotes, see {@link MapOptions}). `starts[k]`/`ends[k]` give the original [start, end) of
 * `norm[k]` (UTF-16 units), so a span found in `norm` maps back to the text as written. Works on non-NFC input
 * (one corpus file is NFD) because clusters are composed one at a time.
 * @example normalizeWithMap('Lao động – Thương binh').norm === 'lao động-thương binh'
 * @example normalizeWithMap('“Lao động – Thương binh”', { quotes: true }).norm === '"lao động - thương binh"'
 */
export function normalizeWithMap(text: string, opts: MapOptions = {}): MappedText {
  const quotes = opts.quotes === true;
  const chars: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const drop = () => {
    const last = chars.pop()!;
    starts.length -= last.length;
    ends.length -= last.length;
  };
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    let j = i + (cp > 0xffff ? 2 : 1);
    while (j < text.length && COMBINING_MARK_RE.test(text[j]!)) j++;
    let c = text.slice(i, j).normalize('NFC').toLowerCase();
    if (ONE_DASH_RE.test(c)) c = '-';
    else if (ONE_SPACE_RE.test(c)) c = ' ';
    else if (!quotes && c === '*') c = '';
    else if (quotes && INVISIBLE_RE.test(c)) c = '';
    else if (quotes && ONE_DOUBLE_QUOTE_RE.test(c)) c = '"';
    else if (quotes && ONE_SINGLE_QUOTE_RE.test(c)) c = "'";
    else if (quotes && c === '…') c = '...';
    for (const ch of c) {
      const prev = chars[chars.length - 1];
      if (ch === ' ' && (prev === undefined || prev === ' ' || (!quotes && prev === '-'))) continue;
      if (!quotes && ch === '-' && prev === ' ') drop();
      chars.push(ch);
      // One map entry per UTF-16 unit, so indexes into `norm` (a JS string) stay valid for astral characters.
      for (let k = 0; k < ch.length; k++) {
        starts.push(i);
        ends.push(j);
      }
    }
    i = j;
  }
  if (chars[chars.length - 1] === ' ') drop();
  // Tone swaps keep the length, so the maps stay valid.
  const norm = chars.join('').replace(TONE_RE, (m) => TONES[m] ?? m);
  return { norm, starts, ends };
}
