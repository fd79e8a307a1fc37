// Small string helpers every layer uses the same way: escaping for RegExp, cutting at a word, collapsing spaces.

/** Characters with a meaning in a RegExp source, e.g. the `.` and `(` of `Điều 5.(a)`. */
const REGEXP_SPECIALS_RE = /[.*+?^${}()|[\]\\]/g;
/** A trailing partial word with the space before it, e.g. ` Thương b` at the end of `Bộ Lao động - Thương b`. */
const TRAILING_PARTIAL_WORD_RE = /\s+\S*$/u;
/** A run of white space, line breaks and tabs included, e.g. `" \n\t "`. */
const SPACE_RUN_RE = /\s+/g;

/**
 * Escapes a literal for use inside a RegExp source.
 * @example new RegExp(escapeRegExp('42-NQ/TW (2018)')).test('Nghị quyết 42-NQ/TW (2018)') === true
 */
export function escapeRegExp(s: string): string {
  return s.replace(REGEXP_SPECIALS_RE, '\\$&');
}

/**
 * Cuts `s` to at most `max` characters at a word boundary and appends `mark` when it was cut.
 * @example clipAtWord('Bộ Lao động - Thương binh và Xã hội', 20, '…') === 'Bộ Lao động -…'
 */
export function clipAtWord(s: string, max: number, mark = ' …'): string {
  return s.length <= max ? s : `${s.slice(0, max).replace(TRAILING_PARTIAL_WORD_RE, '')}${mark}`;
}

/**
 * Collapses every run of white space to one space and trims the ends (one line for display).
 * @example oneLine('Điều 5.\n  Trách   nhiệm ') === 'Điều 5. Trách nhiệm'
 */
export function oneLine(s: string): string {
  return s.replace(SPACE_RUN_RE, ' ').trim();
}
