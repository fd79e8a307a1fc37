// Section-aware chunking: chunks never straddle two sections of the same level; tables keep their header.
import type { Chunk, DocMeta, Section } from '../doc/types.ts';
import { breadcrumb, docLabel, isContentSection } from '../doc/sections.ts';
import { isPageMark } from '../text/sentences.ts';

/** A section whose whole span is at most this many characters becomes one chunk (range 600–3000). */
export const MAX_CHUNK_CHARS = 1400;
/** Target size of windows when a long body without sub-sections is split (range 400–1500). */
export const WINDOW_CHARS = 900;
/** Paragraphs repeated at the start of the next window, so a sentence near a cut is in both (0–2). */
export const OVERLAP_PARAGRAPHS = 1;

interface Para {
  start: number;
  end: number;
}

/** One white-space character, e.g. a tab. */
const SPACE_RE = /\s/;

/**
 * Paragraphs of text[start, end), re-joining paragraphs broken by a page break in mid-sentence
 * (`tổng\n\nhợp tình hình`: the first does not end a sentence and the next starts in lower case).
 */
export function paragraphs(text: string, start: number, end: number): Para[] {
  const out: Para[] = [];
  let pos = start;
  while (pos < end) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > end) nl = end;
    const line = text.slice(pos, nl);
    // A page number between two paragraphs is skipped, so a sentence cut by the page break is re-joined.
    if (line.trim().length > 0 && !isPageMark(line)) {
      let s = pos;
      while (SPACE_RE.test(text[s]!) && s < nl) s++;
      let e = nl;
      while (e > s && SPACE_RE.test(text[e - 1]!)) e--;
      const prev = out[out.length - 1];
      if (prev && continuesPrevious(text.slice(prev.start, prev.end), text.slice(s, e))) prev.end = e;
      else out.push({ start: s, end: e });
    }
    pos = nl + 1;
  }
  return out;
}

/** A line that ends a sentence, list item or emphasis, e.g. `… năm 2025;`. */
const TERMINAL_PUNCT_RE = /[.;:!?…)”"*]$/u;
/** A bullet line, e.g. `- Sở Y tế …`. */
const BULLET_START_RE = /^[-–•+]\s/u;
/** A numbered line, e.g. `2. ` or `3)`. */
const NUMBERED_START_RE = /^\d+[.)]/u;
/** A point line, e.g. `đ) `. */
const POINT_START_RE = /^[a-zđ]\)/u;
/** A line that starts in lower case (it continues the one before), e.g. `và các tỉnh`. */
const LOWER_START_RE = /^[\p{Ll}]/u;

function continuesPrevious(prev: string, next: string): boolean {
  if (TERMINAL_PUNCT_RE.test(prev.trimEnd())) return false;
  if (BULLET_START_RE.test(next) || NUMBERED_START_RE.test(next) || POINT_START_RE.test(next)) return false;
  return LOWER_START_RE.test(next);
}

/** Tabs between table cells, e.g. `\t\t`. */
const TAB_RUN_RE = /\t+/g;

/**
 * Builds the chunks of one document. Every chunk's `text` is a verbatim slice of the original text;
 * `indexText` prefixes the document label and the section breadcrumb.
 */
export function chunkDocument(meta: DocMeta, text: string, sections: Section[]): Chunk[] {
  const chunks: Chunk[] = [];
  const byPath = new Map(sections.map((s) => [s.path, s]));
  const label = docLabel(meta);
  // One breadcrumb per section (a long article gives many windows): built from byPath, not a new map per chunk.
  const crumbs = new Map<string, string>();
  const crumbOf = (s: Section): string => crumbs.get(s.path) ?? crumbs.set(s.path, breadcrumb(sections, s.path, undefined, byPath)).get(s.path)!;

  function push(section: Section, start: number, end: number, note?: string): void {
    while (start < end && SPACE_RE.test(text[start]!)) start++;
    while (end > start && SPACE_RE.test(text[end - 1]!)) end--;
    if (end - start < 2) return;
    const body = text.slice(start, end);
    const crumb = section.kind === 'header' ? `${section.path}` : crumbOf(section);
    let prefix = `${label}\n${crumb}${note ? ` — ${note}` : ''}`;
    if (section.kind === 'row' && section.header) prefix += `\n${section.header.join(' | ')}`;
    chunks.push({
      id: `${meta.id}#${chunks.length}`,
      docId: meta.id,
      section: section.path,
      breadcrumb: crumb,
      text: body,
      start,
      end,
      indexText: `${prefix}\n${section.kind === 'row' ? body.replace(TAB_RUN_RE, ' | ') : body}`,
    });
  }

  function windows(section: Section, start: number, end: number): void {
    const paras = paragraphs(text, start, end);
    if (paras.length === 0) return;
    let i = 0;
    while (i < paras.length) {
      const wStart = paras[i]!.start;
      let j = i;
      while (j + 1 < paras.length && paras[j + 1]!.end - wStart <= WINDOW_CHARS) j++;
      push(section, wStart, paras[j]!.end);
      if (j + 1 >= paras.length) break;
      i = Math.max(i + 1, j + 1 - OVERLAP_PARAGRAPHS);
    }
  }

  function visit(s: Section): void {
    // The closing is one metadata passage (who signed, in what capacity, when a law was adopted, who it went to):
    // the signature section holds it in reading order; a distribution list without a signature stands alone.
    if (s.kind === 'signature') return push(s, s.start, s.end, 'Người ký văn bản (chữ ký, thay mặt)');
    if (s.kind === 'recipients') {
      if (!sections.some((g) => g.kind === 'signature' && g.start <= s.start && s.end <= g.end)) push(s, s.start, s.end, 'Nơi nhận, lưu văn bản');
      return;
    }
    if (!isContentSection(s)) return;
    // A division (Chương, Mục) spans articles that are chunked on their own; its heading is not content.
    if (s.kind === 'division') return;
    const kids = s.children.map((c) => byPath.get(c)!).filter((c) => c && c.kind !== 'bullet' && c.kind !== 'footnote');
    const span = s.end - s.start;
    if (s.kind === 'table') {
      // The header row on its own is not useful; rows carry it in their indexed text.
      for (const k of kids) visit(k);
      return;
    }
    if (span <= MAX_CHUNK_CHARS || kids.length === 0) {
      if (span <= MAX_CHUNK_CHARS) push(s, s.start, s.end);
      else windows(s, s.start, s.end);
      return;
    }
    // Own text before the first structural child (heading + intro), then each child.
    const firstKid = kids[0]!;
    if (firstKid.start > s.start) {
      const intro = firstKid.start - s.start;
      if (intro <= MAX_CHUNK_CHARS) push(s, s.start, firstKid.start);
      else windows(s, s.start, firstKid.start);
    }
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      visit(k);
      // Body text between this child's end and the next child (or the parent's end) that no child owns.
      const nextStart = i + 1 < kids.length ? kids[i + 1]!.start : s.end;
      const gapText = text.slice(k.end, nextStart);
      if (gapText.trim().length > 0) windows(s, k.end, nextStart);
    }
  }

  for (const s of sections) if (s.parent === null) visit(s);
  // Footnotes are content too, but sit inside other sections' spans.
  for (const s of sections) if (s.kind === 'footnote') push(s, s.start, s.end);
  return chunks;
}
