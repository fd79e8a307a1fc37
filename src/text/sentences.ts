// Sentence segmentation with offsets into the original text, and sentence scoring against a question.
import { foldDiacritics, tokenize } from './normalize.ts';

/** A form feed or a digit, which every page mark holds, e.g. the `1` of `- 12 -` (a cheap pre-check). */
const FORM_FEED_OR_DIGIT_RE = /[\f\d]/u;

export interface Sentence {
  /** Offsets into the document's original text. */
  start: number;
  end: number;
  text: string;
}

/**
 * A line that only marks a page break: a form feed, a page number (`12`, `- 12 -`, `– 12 –`, `Trang 12`,
 * `Trang 12/45`, `12/45`). Not content: it never opens a section and a sentence or a list continues across it.
 * @example PAGE_MARK_RE.test('\f- 12 -') === true
 */
export const PAGE_MARK_RE = /^[\s\f]*(?:[-–]\s*\d{1,3}\s*[-–]|(?:Trang|trang|Page|page)\s+\d{1,3}(?:\s*\/\s*\d{1,3})?|\d{1,3}(?:\s*\/\s*\d{1,3})?)?[\s\f]*$/u;

/** Does the line only mark a page break (and hold a mark: a form feed or a page number)? */
export function isPageMark(line: string): boolean {
  return FORM_FEED_OR_DIGIT_RE.test(line) && PAGE_MARK_RE.test(line);
}

/** Sentences shorter than this are merged into the next one (headings like `a) Về y tế`). */
export const MIN_SENTENCE_CHARS = 25;
/** Sentences longer than this are cut at `;` when possible so quotes stay readable. */
export const MAX_SENTENCE_CHARS = 600;

/**
 * A sentence break: line breaks, or the space after `.`/`;`/`?`/`!` before a capital, dash bullet, bracket or
 * quote, e.g. the space in `… hằng năm. Bộ Tài chính …`. A line that starts with a tab continues the table row
 * above it (`\tTrong đó …\t%\t35-40`), so that line break is no break.
 */
const SENTENCE_BREAK_RE = /\n+(?!\t)|(?<=[.;?!])\s+(?=[\p{Lu}\-–(“"])/gu;
/** A break at a full stop only (a `;` list stays whole), not after `v.v.`, e.g. the space in `A làm x. B làm y.`. */
const FULL_STOP_BREAK_RE = /(?<=(?<!v\.v)\.)(?:\/\.)?\s+(?=\p{Lu})/gu;
/** {@link FULL_STOP_BREAK_RE} or a line break, e.g. the `\n` of `Điều 5. Hiệu lực\nLuật này …`. */
const LINE_OR_FULL_STOP_BREAK_RE = /\n+|(?<=(?<!v\.v)\.)(?:\/\.)?\s+(?=\p{Lu})/gu;
/** White space at a sentence edge, e.g. the tab in `\tTrong đó`. */
const SPACE_RE = /\s/;
/** Ends like a sentence or a heading with its stop, e.g. `a) Về y tế:`. */
const STOP_END_RE = /[.;:!?]$/;
/** Where a long sentence may be cut: `;` and the space after it, e.g. `; ` in `a; b`. */
const SEMICOLON_BREAK_RE = /;\s+/g;

/** A piece that goes on in lower case after a page break, e.g. `ngày làm việc;`. */
const LOWER_START_RE = /^\s*\p{Ll}/u;
/** A piece that already ends its clause, e.g. `… như sau:`. */
const CLAUSE_END_RE = /[.;:!?]\s*$/u;

/**
 * Splits text[start,end) of a document into sentences: at line breaks, and after `.`/`;`/`?`/`!`
 * followed by a space and an upper-case letter or a dash bullet. Offsets refer to the original text.
 */
export function splitSentences(text: string, start: number, end: number): Sentence[] {
  const raw = spansBetween(text, start, end, SENTENCE_BREAK_RE);
  // A page-break mark between two pieces is dropped; a piece that goes on in lower case after it continues
  // the sentence the page break cut (`… nghỉ 03\n\f3\nngày làm việc;`).
  const joined: Array<[number, number]> = [];
  let afterMark = false;
  for (const [a0, b0] of raw) {
    const piece = text.slice(a0, b0);
    if (isPageMark(piece)) {
      afterMark = joined.length > 0;
      continue;
    }
    const prev = joined[joined.length - 1];
    if (afterMark && prev && LOWER_START_RE.test(piece) && !CLAUSE_END_RE.test(text.slice(prev[0], prev[1]))) prev[1] = b0;
    else joined.push([a0, b0]);
    afterMark = false;
  }
  const out: Sentence[] = [];
  let pending: [number, number] | null = null;
  for (const [a0, b0] of joined) {
    let a = a0;
    let b = b0;
    while (a < b && SPACE_RE.test(text[a]!)) a++;
    while (b > a && SPACE_RE.test(text[b - 1]!)) b--;
    if (b <= a) continue;
    if (pending) {
      a = pending[0];
      pending = null;
    }
    if (b - a < MIN_SENTENCE_CHARS && !STOP_END_RE.test(text.slice(a, b))) {
      pending = [a, b];
      continue;
    }
    out.push({ start: a, end: b, text: text.slice(a, b) });
  }
  if (pending) out.push({ start: pending[0], end: pending[1], text: text.slice(pending[0], pending[1]) });
  return out.flatMap((se) => (se.text.length > MAX_SENTENCE_CHARS ? cutLong(text, se) : [se]));
}

function cutLong(text: string, se: Sentence): Sentence[] {
  const parts: Sentence[] = [];
  let a = se.start;
  const re = new RegExp(SEMICOLON_BREAK_RE.source, SEMICOLON_BREAK_RE.flags);
  const body = text.slice(0, se.end);
  re.lastIndex = se.start;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    if (m.index + 1 - a >= MIN_SENTENCE_CHARS * 4) {
      parts.push({ start: a, end: m.index + 1, text: text.slice(a, m.index + 1) });
      a = m.index + m[0].length;
    }
  }
  if (se.end > a) parts.push({ start: a, end: se.end, text: text.slice(a, se.end) });
  return parts;
}

/** Folded syllables and bigrams of a sentence, for overlap scoring. */
export function sentenceTerms(s: string): Set<string> {
  const toks = tokenize(s).map((t) => foldDiacritics(t));
  const set = new Set(toks);
  for (let i = 0; i + 1 < toks.length; i++) set.add(`${toks[i]}_${toks[i + 1]}`);
  return set;
}

/**
 * Sentence boundaries inside one paragraph: `. ` followed by a capital, not after `v.v.` — offsets into `text`.
 * Used where a task must be cut at full stops only (a `;` list stays one task); `atLines` breaks at line
 * breaks too (sentences of a whole document).
 * @example splitAtFullStops('A làm x. B làm y.', 0, 17).length === 2
 */
export function splitAtFullStops(text: string, start: number, end: number, opts: { atLines?: boolean } = {}): Array<{ start: number; end: number }> {
  return spansBetween(text, start, end, opts.atLines ? LINE_OR_FULL_STOP_BREAK_RE : FULL_STOP_BREAK_RE)
    .map(([s, e]) => ({ start: s, end: e }))
    .filter((x) => x.end > x.start);
}

/**
 * The one boundary scanner: [start, end) pieces of text[start, end) between the matches of a global `re`
 * (a break's characters belong to neither side). Both splitters above differ only in their break.
 */
function spansBetween(text: string, start: number, end: number, re: RegExp): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let s = start;
  const scan = new RegExp(re.source, re.flags);
  scan.lastIndex = start;
  const slice = text.slice(0, end);
  let m: RegExpExecArray | null;
  while ((m = scan.exec(slice)) && m.index < end) {
    out.push([s, m.index]);
    s = m.index + m[0].length;
  }
  out.push([s, end]);
  return out;
}

/** How far around a span {@link sentenceAround} reaches when the line is long (characters). */
export const AROUND_CHARS = 220;

/**
 * The sentence (or line) around text[start, end), cut at word boundaries and at most AROUND_CHARS either side,
 * as verbatim evidence of a reference.
 * @example sentenceAround(text, ref.start, ref.end)
 */
export function sentenceAround(text: string, start: number, end: number): string {
  const lineStart = text.lastIndexOf('\n', start) + 1;
  let s = Math.max(lineStart, start - AROUND_CHARS);
  // Start at a word boundary so the evidence reads cleanly and stays verbatim.
  if (s > lineStart) s = text.indexOf(' ', s) + 1 || s;
  let e = text.indexOf('\n', end);
  if (e < 0 || e - end > AROUND_CHARS) e = Math.min(text.length, end + 160);
  return text.slice(s, e).trim();
}
