// Document numbers and references in running text: `42-NQ/TW`, `68/NQ-CP`, `45/2019/QH14`, with their comparison keys.
import { foldDiacritics, normalizeForMatch } from '../text/normalize.ts';
import { escapeRegExp } from '../text/strings.ts';
import { parseVietDate } from './dates.ts';
import { docTypes } from './doctypes.ts';

/**
 * Each document type (data/doc-types.json, longest name first) as it ends the text before a number (normalised,
 * so trimmed), with or without `số`, e.g. `kế hoạch số` before `19-KH/TW` or `nghị quyết` before `68/NQ-CP`;
 * the first that matches names the type of the document cited.
 */
const TYPE_WORD_RES: ReadonlyArray<[RegExp, string]> = docTypes().map((t) => [new RegExp(`(?<!\\p{L})${escapeRegExp(normalizeForMatch(t.vi))}(?:\\s+số\\s*:?)?$`, 'u'), t.vi]);

/**
 * A document number as written in running text: `42-NQ/TW`, `68/NQ-CP`, `111/2024/QH15`, `1240/QĐ-LĐTBXH`.
 * The symbol part must start with an upper-case letter so dates like `27/11/2023` are not taken.
 */
export const DOC_NUMBER_RE = /(?<![\p{L}\d/])(\d{1,4})\s?((?:\/\d{4})?[-/])\s?((?:\p{Lu}[\p{L}\d]*)(?:[-/]\p{Lu}?[\p{L}\d]+)*)/gu;

/** A run of white space, e.g. the space in `568 -CTr/BCSD`. */
const SPACE_RUN_RE = /\s+/g;

/** Canonical form of a number for comparison: no spaces, upper case, folded. */
export function numberKey(n: string): string {
  return foldDiacritics(n.replace(SPACE_RUN_RE, '')).toUpperCase();
}

/** Markdown emphasis stars around a number, e.g. the `**` of `**568**-CTr/BCSD`. */
const MARKDOWN_STAR_RE = /\*/g;
/** A `Số:` value: digits, an optional separator, the symbol, e.g. `1240 QĐ-LĐT BXH`. */
const NUMBER_VALUE_RE = /^(\d{1,4})\s*([-/]?)\s*(.+)$/u;
/** Starts with a capital, e.g. `QĐ-LĐTBXH`. */
const UPPER_START_RE = /^\p{Lu}/u;
/** Starts with a year and a slash, e.g. `2019/QH14`. */
const YEAR_SLASH_START_RE = /^\d{4}\//;

/**
 * Normalises a `Số:` value: `568 -CTr/BCSD` → `568-CTr/BCSD`; `1240 QĐ-LĐT BXH` → `1240/QĐ-LĐTBXH`;
 * `   /KH-SLĐTBXH` → null (blank number).
 */
export function normalizeDocNumber(raw: string): string | null {
  const s = raw.replace(MARKDOWN_STAR_RE, '').replace(SPACE_RUN_RE, ' ').trim();
  const m = NUMBER_VALUE_RE.exec(s);
  if (!m) return null;
  const sep = m[2] || '/';
  const rest = m[3]!.replace(SPACE_RUN_RE, '');
  if (!UPPER_START_RE.test(rest) && !YEAR_SLASH_START_RE.test(rest)) return null;
  return `${m[1]}${sep}${rest}`;
}

export interface NumberRef {
  number: string;
  start: number;
  end: number;
  date: string | null;
  /** Document-type words just before (`Kế hoạch số 19-KH/TW`). */
  typeWord: string | null;
}

/** Two capitals in a row, as every document symbol has, e.g. the `NQ` of `NQ/TW`. */
const TWO_CAPITALS_RE = /\p{Lu}{2}/u;
/** Spaces and commas before a date, e.g. `, ` in `42-NQ/TW, ngày 10/02/2022`. */
const LEADING_COMMA_SPACE_RE = /^[\s,]+/;

/** Every document-number reference in a text, with its date and the type word before it. */
export function findNumberRefs(text: string): NumberRef[] {
  const refs: NumberRef[] = [];
  for (const m of text.matchAll(DOC_NUMBER_RE)) {
    const start = m.index;
    // A symbol has an upper-case abbreviation (NQ, KH, CTr) — this rules out `2030 - Bảo`.
    if (!TWO_CAPITALS_RE.test(m[3]!)) continue;
    const number = `${m[1]}${m[2]}${m[3]}`;
    const end = start + m[0].length;
    const after = text.slice(end, end + 40);
    const date = parseVietDate(after.replace(LEADING_COMMA_SPACE_RE, ''));
    const before = normalizeForMatch(text.slice(Math.max(0, start - 40), start));
    const typeWord = TYPE_WORD_RES.find(([re]) => re.test(before))?.[1] ?? null;
    refs.push({ number, start, end, date, typeWord });
  }
  return refs;
}
