// Law clauses as answer units: the heading path a sentence sits under (Chương, Mục, Điều title, the khoản
// lead-in of a điểm), heading lines that state nothing, and the whole khoản a quote from a law shows.
import { sectionTitle } from '../doc/sections.ts';
import type { Section } from '../doc/types.ts';
import type { StoredDoc } from '../store/ports.ts';
import type { Sentence } from '../text/sentences.ts';

/** The label that opens a clause or point, if any, with its spaces, e.g. `2. ` of `2. Người lao động …` or `a) `. */
const CLAUSE_LABEL_RE = /^\s*(?:(?:\d+\p{L}?[.)]|\p{Ll}\))\s*)?/u;
/** One white-space character, e.g. the newline that ends a clause. */
const SPACE_RE = /\s/;

/** A khoản (with its điểm list) is quoted whole up to this many characters; a longer one keeps the quoted sentence. */
export const CLAUSE_QUOTE_MAX_CHARS = 700;

/** The khoản part of a law section path: `Điều 35.1` of `Điều 35.1.a` (a khoản is a numbered item of an article). */
const CLAUSE_PATH_RE = /^(Điều \d+\p{L}?\.\d+\p{L}?)(?:\.|$)/u;
/** The numbering label a khoản or điểm line starts with: `1. `, `2) `, `a) `, `đ) `. */
const LEADING_LABEL_RE = /^\s*(?:\d+\p{L}?[.)]|\p{Ll}\))\s*/u;
/** A sentence that is only a numbering or heading label: `1.`, `a)`, `IV.`, `Điều 105.`, `Chương II`. */
const LABEL_ONLY_RE = /^(?:(?:Điều|Chương|Mục|Phần|Tiểu mục)\s+[\p{L}\p{N}]+\.?|\d+(?:\.\d+)*[.)]?|[IVXLC]+[.)]?|\p{Ll}\))$/u;

/** A line that ends as a statement does (`… thi hành Quyết định này./.`): a decision's "Điều 3. …" line is its content,
 * a law's "Điều 98. Tiền lương làm thêm giờ" line is a title. */
const STATEMENT_END_RE = /[.;:!?]\s*(?:\/\.)?\s*$/u;

interface DocSections {
  byPath: Map<string, Section>;
  /** Sections whose first line is a heading, not a statement (articles, Chương/Mục/Phần). */
  headed: Section[];
}

const cache = new WeakMap<StoredDoc, DocSections>();
function sectionsOf(d: StoredDoc): DocSections {
  let hit = cache.get(d);
  if (!hit) {
    hit = { byPath: new Map(d.sections.map((s) => [s.path, s])), headed: d.sections.filter((s) => s.kind === 'division' || (s.kind === 'article' && !STATEMENT_END_RE.test(d.text.slice(s.start, firstLineEnd(d, s))))) };
    cache.set(d, hit);
  }
  return hit;
}

/** End of the first line of a section (its heading line). */
function firstLineEnd(d: StoredDoc, s: Section): number {
  const nl = d.text.indexOf('\n', s.start);
  return nl < 0 || nl > s.end ? s.end : nl;
}

/**
 * The sentence without a heading line it starts with (`Mức lương tối thiểu\n1. Mức lương tối thiểu là …` → the
 * statement), or null when it is all heading: a bare label (`1.`, `Điều 105.`) or the heading line of an article
 * or a Chương/Mục, with at most a label after it.
 */
export function withoutHeading(d: StoredDoc, s: Sentence): Sentence | null {
  if (LABEL_ONLY_RE.test(s.text.trim())) return null;
  const h = sectionsOf(d).headed.find((x) => x.start <= s.start && s.start < firstLineEnd(d, x));
  if (!h) return s;
  const lineEnd = firstLineEnd(d, h);
  if (s.end <= lineEnd) return null;
  let a = lineEnd;
  const rest = d.text.slice(a, s.end);
  const lead = CLAUSE_LABEL_RE.exec(rest)![0];
  a += lead.length;
  return a < s.end ? { start: a, end: s.end, text: d.text.slice(a, s.end) } : null;
}

/**
 * The headings a sentence sits under, outermost first: the Phần/Chương/Mục and the article title that hold it,
 * then the khoản lead-in of a điểm and any other enclosing item. Empty for a sentence outside numbered sections.
 * @example headingPath(labourCode, sentenceOf('Vào ngày nghỉ hằng tuần, ít nhất bằng 200%;'))
 * // → 'Chương VI TIỀN LƯƠNG > Điều 98. Tiền lương làm thêm giờ, … > 1. Người lao động làm thêm giờ được trả lương …'
 */
export function headingPath(d: StoredDoc, s: Sentence, deepest: Section | undefined): string {
  const { byPath, headed } = sectionsOf(d);
  const parts: string[] = [];
  for (const h of headed) if (h.kind === 'division' && h.start <= s.start && s.end <= h.end + 1) parts.push(sectionTitle(h, 200));
  const chain: string[] = [];
  // The sentence's own section heading is the sentence itself (or its first line): only its ancestors add context.
  let cur = deepest?.parent ? byPath.get(deepest.parent) : undefined;
  if (deepest && deepest.kind === 'article' && s.start > firstLineEnd(d, deepest)) cur = deepest;
  while (cur) {
    if (cur.kind !== 'bullet' && cur.kind !== 'division') chain.unshift(sectionTitle(cur, 200));
    cur = cur.parent ? byPath.get(cur.parent) : undefined;
  }
  return [...parts, ...chain].join(' > ');
}

/**
 * The span a quote from a law clause shows: the whole khoản with its điểm list (label left out) when it is
 * short enough, else the khoản lead-in down to the điểm quoted; an article without khoản shows its whole body.
 * Null when the sentence is not inside a law article or the clause is too long.
 * @example clauseSpan(labourCode, sentenceOf('b) Vào ngày nghỉ hằng tuần, ít nhất bằng 200%;'), section)
 * // → the span of 'Người lao động làm thêm giờ được trả lương … như sau:\na) …150%;\nb) …200%;\nc) …'
 */
export function clauseSpan(d: StoredDoc, s: Sentence, deepest: Section | undefined): { start: number; end: number } | null {
  if (!deepest) return null;
  const { byPath } = sectionsOf(d);
  const trimEnd = (a: number, b: number) => {
    while (b > a && SPACE_RE.test(d.text[b - 1]!)) b--;
    return b;
  };
  const bodyStart = (x: Section) => x.start + (LEADING_LABEL_RE.exec(d.text.slice(x.start, x.end))?.[0].length ?? 0);
  const fits = (a: number, b: number) => b - a <= CLAUSE_QUOTE_MAX_CHARS && a <= s.start && s.end <= b;
  const clausePath = CLAUSE_PATH_RE.exec(deepest.path)?.[1];
  if (clausePath) {
    const k = byPath.get(clausePath);
    if (!k) return null;
    const a = bodyStart(k);
    const whole = trimEnd(a, k.end);
    if (fits(a, whole)) return { start: a, end: whole };
    // A long khoản: its lead-in down to the điểm quoted reads as one statement.
    if (deepest !== k) {
      const upTo = trimEnd(a, deepest.end);
      if (fits(a, upTo)) return { start: a, end: upTo };
    }
    return null;
  }
  if (deepest.kind === 'article' && deepest.children.length === 0) {
    const a = firstLineEnd(d, deepest) + 1;
    const b = trimEnd(a, deepest.end);
    if (a < b && fits(a, b)) return { start: a, end: b };
  }
  return null;
}
