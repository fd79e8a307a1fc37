// Normalisation for matching only: quotes always keep the original text.

/** Old-style → new-style tone placement on the oa/oe/uy diphthongs (hoá → hóa, uỷ → ủy). */
const TONES: Record<string, string> = {
  'oà': 'òa', 'oá': 'óa', 'oả': 'ỏa', 'oã': 'õa', 'oạ': 'ọa',
  'oè': 'òe', 'oé': 'óe', 'oẻ': 'ỏe', 'oẽ': 'õe', 'oẹ': 'ọe',
  'uỳ': 'ùy', 'uý': 'úy', 'uỷ': 'ủy', 'uỹ': 'ũy', 'uỵ': 'ụy',
};
const TONE_RE = new RegExp(Object.keys(TONES).join('|'), 'g');
const DASH_RE = /[\u2010-\u2015\u2212]/g;

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
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Removes Vietnamese diacritics (đ → d) from an already lower-cased or any string.
 * @example foldDiacritics('báo cáo kết quả') === 'bao cao ket qua'
 */
export function foldDiacritics(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

/** True when the text carries no Vietnamese diacritics at all (typed without accents, or English). */
export function hasNoDiacritics(s: string): boolean {
  return foldDiacritics(s) === s.normalize('NFC');
}

/**
 * Per-character normalisation that keeps length 1:1 with the NFC input, so offsets found in the
 * normalised string map back to the original. Used to locate quotes in original text.
 */
export function normalizeCharwise(nfc: string): string {
  let out = '';
  for (const ch of nfc) {
    let c = ch.toLowerCase();
    if (/[\u2010-\u2015\u2212]/.test(c)) c = '-';
    else if (/\s/.test(c)) c = ' ';
    // toLowerCase never changes length for Vietnamese letters; guard anyway.
    if (c.length !== ch.length) c = ch;
    out += c;
  }
  return out;
}

/** Syllable tokens for lexical matching: normalised, split on non-letters/digits. */
export function tokenize(s: string): string[] {
  const n = normalizeForMatch(s);
  return n.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}

/** A normalised string plus, for each of its characters, the original [start, end) it came from. */
export interface MappedText {
  norm: string;
  starts: number[];
  ends: number[];
}

/**
 * Matching form with an offset map: NFC per character cluster, lower case, new-style tones, ASCII dashes
 * with no spaces around them, `&`/`và` kept, whitespace collapsed, markdown `*` dropped.
 * Works on non-NFC input (one corpus file is NFD) because clusters are composed one at a time.
 */
export function normalizeWithMap(text: string): MappedText {
  const chars: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    let j = i + (cp > 0xffff ? 2 : 1);
    while (j < text.length && /[\u0300-\u036f]/.test(text[j]!)) j++;
    let c = text.slice(i, j).normalize('NFC').toLowerCase();
    if (/^[\u2010-\u2015\u2212]$/.test(c)) c = '-';
    else if (/^\s$/u.test(c) || c === '\u00a0') c = ' ';
    else if (c === '*') c = '';
    for (const ch of c) {
      if (ch === ' ' && (chars.length === 0 || chars[chars.length - 1] === ' ' || chars[chars.length - 1] === '-')) {
        i = j;
        continue;
      }
      if (ch === '-' && chars[chars.length - 1] === ' ') {
        chars.pop();
        starts.pop();
        ends.pop();
      }
      chars.push(ch);
      starts.push(i);
      ends.push(j);
    }
    i = j;
  }
  if (chars[chars.length - 1] === ' ') {
    chars.pop();
    starts.pop();
    ends.pop();
  }
  // Tone swaps keep the length, so the maps stay valid.
  const norm = chars.join('').replace(TONE_RE, (m) => TONES[m] ?? m);
  return { norm, starts, ends };
}
