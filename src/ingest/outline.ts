// Outline parser: the section tree of a Vietnamese administrative document, with offsets into the original text.
import type { Section, SectionKind } from '../doc/types.ts';
import { ADOPTION_RE, ATTACHED_HEADER_PATH, HEADER_PATH, PERSON_NAME_RE, RECIPIENTS_PATH, SIGNATURE_PATH, SIGNED_MARK_RE } from '../doc/sections.ts';
import { isPageMark } from '../text/sentences.ts';


const ROMAN_RE = /^(?:\*\*)?([IVXL]+)\s*[.\-–]\s*(\S.*)$/u;
const SUBITEM_RE = /^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$/u;
const ITEM_RE = /^(\d{1,2})\.\s+(\S.*)$/u;
const POINT_RE = /^([a-zđ])\)\s+(\S.*)$/u;
const BULLET_RE = /^[-–•+]\s+\S/u;
const ARTICLE_RE = /^Điều\s+(\d+)\.?\s*(.*)$/u;
/** Divisions of a legal text above its articles: `Phần thứ nhất`, `Chương II`, `CHƯƠNG 1:`, `Mục 3. TRỢ CẤP …`, `Tiểu mục 1`. */
const DIVISION_RE = /^(Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Tiểu mục|TIỂU MỤC)\s+((?:thứ\s+)?[IVXLC]+|\d+|thứ\s+\p{L}+)\s*[.:]?\s*(.*)$/u;
/** Rank of each division word, outermost first. */
const DIVISION_RANK: Record<string, number> = { phần: 0, chương: 1, mục: 2, 'tiểu mục': 3 };
/** A text is legal (divisions are read) when it has at least this many article lines. */
const MIN_ARTICLES_FOR_DIVISIONS = 3;
const APPENDIX_RE = /^(?:\*\*)?(?:Phụ lục|PHỤ LỤC)\s+([IVXL]+|\d+)\b\s*(.*)$/u;
const RECIPIENTS_RE = /^\**\s*Nơi nhận\s*:/u;
/** Signature title lines: `T/M BAN CÁN SỰ ĐẢNG`, `KT. BỘ TRƯỞNG`, `TM. ỦY BAN NHÂN DÂN`, `Q. GIÁM ĐỐC`. */
const SIGN_TITLE_RE = /^\**\s*(?:T\/M|TM\.|KT\.|KT\/|TL\.|TUQ\.|Q\.)\s*\S/u;
const FOOTNOTE_RE = /^([¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*(\S.*)$/u;
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** Document-type title lines that open an attached document after a signature (QĐ → Kế hoạch kèm theo). */
const ATTACHED_TITLE_RE = /^(?:KẾ HOẠCH|CHƯƠNG TRÌNH|QUY CHẾ|QUY ĐỊNH|ĐỀ ÁN)\b/u;
/** Lines of a closing signature without a `TM.`/`KT.` title: capacity lines, the name and `(Đã ký)` (a law: 2). */
const CLOSING_BLOCK_LINES = 4;
/** Longest capacity line of such a closing (`CHỦ TỊCH QUỐC HỘI`); longer capitals are a heading. */
const CLOSING_TITLE_MAX = 60;
/** Longest signer's name line. */
const CLOSING_NAME_MAX = 40;


interface Line {
  start: number;
  end: number; // end of line content (excluding \n)
  raw: string;
  text: string; // trimmed, markdown emphasis stripped at the edges
}

/** A no-break space, e.g. the one in `Điều\u00a05`. */
const NBSP_RE = /\u00a0/g;

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let end = nl;
    if (end > pos && text[end - 1] === '\r') end--;
    const raw = text.slice(pos, end);
    // Matching runs on NFC (32 laws are not NFC); offsets stay those of the original text.
    lines.push({ start: pos, end, raw, text: raw.replace(NBSP_RE, ' ').normalize('NFC').trim() });
    if (nl >= text.length) break;
    pos = nl + 1;
  }
  return lines;
}

function superscriptToNumber(s: string): string {
  return [...s].map((c) => String(SUPERSCRIPT.indexOf(c))).join('');
}

function tableCells(raw: string): string[] {
  return raw.split('\t').map((c) => c.trim());
}

function isTableLine(raw: string): boolean {
  if (!raw.includes('\t')) return false;
  return tableCells(raw).filter((c) => c.length > 0).length >= 3;
}

/** Markdown stars around a heading, e.g. the `**` of `**Điều 5**`. */
const EDGE_STARS_RE = /^\*+|\*+$/g;

function stripEmphasis(s: string): string {
  return s.replace(EDGE_STARS_RE, '').trim();
}

/** One white-space character, e.g. a tab. */
const SPACE_RE = /\s/;
/** A line that starts with a slash, e.g. `/KH-UBND`. */
const SLASH_START_RE = /^\//;
/** A line that starts in bold, e.g. `**I. MỤC ĐÍCH**`. */
const BOLD_START_RE = /^\*\*/;
/** A row-number column header, e.g. `STT` or `Số TT`. */
const ROW_NUMBER_HEADER_RE = /^(STT|TT|Số TT)$/iu;
/** A whole number, e.g. `12`. */
const DIGITS_RE = /^\d+$/;
/** The short row-number header, e.g. `TT`. */
const TT_HEADER_RE = /^TT$/iu;
/** A letter, e.g. the `Đ` of `Điều`. */
const LETTER_RE = /\p{L}/u;
/** A bullet and its space, e.g. `- ` of `- Sở Y tế`. */
const BULLET_START_RE = /^[-–•+]\s+/u;

/**
 * Parses the section tree. Sections are returned in document order; every section's [start, end)
 * covers its heading line and body up to the next section of the same or a higher level.
 * @example parseOutline(text).find(s => s.path === 'III.3.d')?.heading
 */
export function parseOutline(text: string): Section[] {
  const lines = splitLines(text);
  const sections: Section[] = [];
  const byPath = new Map<string, Section>();
  // Open stack of structural levels (depth order).
  const stack: Section[] = [];
  let mode: 'content' | 'recipients' | 'signature' = 'content';
  let signatureLines = 0;
  let table: { section: Section; header: string[]; rowPrefix: string } | null = null;
  let bulletCount = new Map<string, number>();

  const legal = lines.filter((l) => ARTICLE_RE.test(l.text)).length >= MIN_ARTICLES_FOR_DIVISIONS;
  /** Division headings (`Chương II` + its title line) met on the way; turned into sections at the end. */
  const divisions: Array<{ rank: number; word: string; label: string; heading: string; start: number }> = [];
  const header = makeSection(HEADER_PATH, 'header', '', '', 0, text.length, 0, null);
  add(header);
  stack.push(header);

  function makeSection(
    path: string, kind: SectionKind, label: string, heading: string,
    start: number, end: number, depth: number, parent: string | null,
  ): Section {
    return { path, kind, label, heading, start, end, depth, parent, children: [] };
  }

  function add(s: Section): void {
    sections.push(s);
    byPath.set(s.path, s);
    if (s.parent) byPath.get(s.parent)?.children.push(s.path);
  }

  /** Close every open section at depth >= d at offset `at`. */
  function closeTo(depth: number, at: number): void {
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) {
      const s = stack.pop()!;
      s.end = trimEnd(at);
    }
  }

  function trimEnd(at: number): number {
    let e = at;
    while (e > 0 && SPACE_RE.test(text[e - 1]!)) e--;
    return e;
  }

  function top(): Section | undefined {
    return stack[stack.length - 1];
  }

  /** Nearest open ancestor of the given kinds. */
  function nearest(kinds: SectionKind[]): Section | undefined {
    for (let i = stack.length - 1; i >= 0; i--) if (kinds.includes(stack[i]!.kind)) return stack[i];
    return undefined;
  }

  function open(kind: SectionKind, label: string, heading: string, line: Line, parent: Section | undefined, depth: number, pathPart: string): Section | null {
    const parentPath = parent && parent.kind !== 'header' ? parent.path : null;
    const path = parentPath ? `${parentPath}${pathPart.startsWith('/') ? '' : '.'}${pathPart}` : pathPart.replace(SLASH_START_RE, '');
    if (byPath.has(path)) return null; // repeated number: treat the line as body text of the open section
    closeTo(depth, line.start);
    const s = makeSection(path, kind, label, heading, line.start, text.length, depth, parentPath ?? (kind === 'header' ? null : null));
    if (parentPath) s.parent = parentPath;
    add(s);
    stack.push(s);
    return s;
  }

  const DEPTH: Record<string, number> = { part: 1, article: 1, appendix: 1, footnote: 1, recipients: 1, signature: 1, item: 2, table: 2, subitem: 3, row: 3, point: 4, bullet: 5 };

  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    const t = stripEmphasis(line.text);
    if (t.length === 0) continue;
    // A page number or form feed between two points of a list is not content ("- 12 -" is no bullet).
    if (isPageMark(line.raw)) continue;

    // Distribution list and signature block: not content. An attached document may follow them.
    if (RECIPIENTS_RE.test(line.text)) {
      table = null;
      header.end = Math.min(header.end, line.start);
      openTop(RECIPIENTS_PATH, 'recipients', 'Nơi nhận:', line, 'Nơi nhận');
      mode = 'recipients';
      continue;
    }
    if (SIGN_TITLE_RE.test(line.text) || (mode === 'recipients' && BOLD_START_RE.test(line.text))) {
      openTop(SIGNATURE_PATH, 'signature', t, line);
      mode = 'signature';
      signatureLines = 0;
      continue;
    }
    if (mode !== 'content') {
      // The signature ends after the signer's name; the list ends where a document title starts.
      if (mode === 'signature') signatureLines++;
      const attached = ATTACHED_TITLE_RE.test(t) && (mode === 'signature' ? signatureLines > 1 : !BULLET_RE.test(t));
      if (attached) {
        openTop(ATTACHED_HEADER_PATH, 'header', t, line);
        mode = 'content';
      }
      continue;
    }

    // Tables: tab-separated rows; the first row is the header.
    if (isTableLine(line.raw)) {
      const cells = tableCells(line.raw);
      const first = cells[0] ?? '';
      const looksHeader = ROW_NUMBER_HEADER_RE.test(first) || (!table && !DIGITS_RE.test(first));
      if (looksHeader) {
        const container = nearest(['appendix', 'part', 'item', 'subitem', 'article']);
        const prefix = container ? container.path : '';
        const tableIndex = (container?.children.filter((c) => byPath.get(c)?.kind === 'table').length ?? 0) + 1;
        if (!table || table.header.join('\t') !== cells.join('\t')) {
          closeTo(DEPTH.table!, line.start);
          const path = `${prefix ? prefix + '/' : ''}Bảng ${tableIndex}`;
          const s = makeSection(path, 'table', `Bảng ${tableIndex}`, cells.join(' | '), line.start, text.length, DEPTH.table!, container?.path ?? null);
          s.header = cells;
          add(s);
          stack.push(s);
          table = { section: s, header: cells, rowPrefix: prefix };
        } else {
          // A repeated header row (page break): keep the same table.
          closeTo(DEPTH.row!, line.start);
        }
        continue;
      }
      if (table) {
        const label = `${TT_HEADER_RE.test(table.header[0] ?? '') ? 'TT' : 'STT'} ${first}`;
        if (DIGITS_RE.test(first)) {
          const path = `${table.rowPrefix ? table.rowPrefix + '/' : ''}${label}`;
          if (!byPath.has(path)) {
            closeTo(DEPTH.row!, line.start);
            const s = makeSection(path, 'row', label, cells[1] ?? '', line.start, text.length, DEPTH.row!, table.section.path);
            s.header = table.header;
            s.cells = cells;
            add(s);
            stack.push(s);
          }
        }
        // Rows without a number continue the previous row (e.g. `Trong đó …`).
        continue;
      }
    } else if (table && !line.raw.includes('\t')) {
      table = null;
    }

    let m: RegExpExecArray | null;
    if (legal && (m = DIVISION_RE.exec(t))) {
      // A division heading ends the article before it; its title is the next capitalised line when it has none.
      const word = m[1]!.toLowerCase();
      let heading = (m[3] ?? '').trim();
      if (!heading) {
        const next = lines.slice(li + 1).find((l) => l.text);
        if (next && next.text === next.text.toUpperCase() && LETTER_RE.test(next.text) && !ARTICLE_RE.test(next.text)) {
          heading = stripEmphasis(next.text);
          li = lines.indexOf(next);
        }
      }
      closeTo(1, line.start);
      table = null;
      divisions.push({ rank: DIVISION_RANK[word] ?? 1, word: m[1]!.charAt(0).toUpperCase() + m[1]!.slice(1).toLowerCase(), label: m[2]!, heading, start: line.start });
      continue;
    }
    if ((m = APPENDIX_RE.exec(t))) {
      const label = m[1]!;
      open('appendix', label, (m[2] ?? '').trim() || nextHeading(li), line, undefined, DEPTH.appendix!, `Phụ lục ${label}`);
      bulletCount = new Map();
      continue;
    }
    if ((m = ARTICLE_RE.exec(t))) {
      open('article', m[1]!, m[2] ?? '', line, undefined, DEPTH.article!, `Điều ${m[1]}`);
      continue;
    }
    if ((m = ROMAN_RE.exec(t)) && isUpperHeading(m[2]!)) {
      open('part', m[1]!, stripEmphasis(m[2]!), line, undefined, DEPTH.part!, m[1]!);
      continue;
    }
    if ((m = FOOTNOTE_RE.exec(t))) {
      // A page footnote sits inside the running section: record it without closing anything.
      const n = superscriptToNumber(m[1]!);
      const path = `Chú thích ${n}`;
      if (!byPath.has(path)) {
        add(makeSection(path, 'footnote', n, m[2]!, line.start, line.end, DEPTH.footnote!, null));
        continue;
      }
    }
    if ((m = SUBITEM_RE.exec(t))) {
      const parentItem = nearest(['item']);
      if (parentItem && parentItem.label === m[1]) {
        if (open('subitem', `${m[1]}.${m[2]}`, m[3]!, line, parentItem, DEPTH.subitem!, m[2]!)) continue;
      }
    }
    if ((m = ITEM_RE.exec(t))) {
      const parent = nearest(['part', 'article', 'appendix', 'header']);
      if (open('item', m[1]!, m[2]!, line, parent, DEPTH.item!, m[1]!)) continue;
    }
    if ((m = POINT_RE.exec(t))) {
      const parent = nearest(['subitem', 'item', 'part', 'article']);
      if (parent && open('point', m[1]!, m[2]!, line, parent, DEPTH.point!, m[1]!)) continue;
    }
    if (BULLET_RE.test(t)) {
      const parent = nearest(['point', 'subitem', 'item', 'part', 'article', 'appendix']);
      if (parent) {
        const n = (bulletCount.get(parent.path) ?? 0) + 1;
        bulletCount.set(parent.path, n);
        open('bullet', String(n), t.replace(BULLET_START_RE, ''), line, parent, DEPTH.bullet!, `•${n}`);
        continue;
      }
    }
    // Body text: belongs to whatever section is open.
  }
  closeTo(0, text.length);
  closings();
  // The header ends where the first structural section begins.
  const firstOther = sections.find((s) => s !== header);
  if (firstOther) header.end = trimEnd(Math.min(header.end, firstOther.start, divisions[0]?.start ?? text.length));
  addDivisions();
  return sections;

  /**
   * Divisions as sections of kind `division` (depth 0, so an article, clause or point is always the deeper,
   * cited section): path `Chương II`, `Chương II/Mục 3`; each runs to the next division of the same or outer rank.
   * Articles keep their own paths (`Điều 25`), which is how laws are cited.
   */
  function addDivisions(): void {
    const stack: Array<{ rank: number; s: Section }> = [];
    const contentEnd = sections.find((s) => s.kind === 'recipients' || s.kind === 'signature')?.start ?? text.length;
    for (const [i, d] of divisions.entries()) {
      while (stack.length && stack[stack.length - 1]!.rank >= d.rank) stack.pop();
      const parent = stack[stack.length - 1]?.s ?? null;
      let endAt = contentEnd;
      for (const n of divisions.slice(i + 1)) if (n.rank <= d.rank) { endAt = n.start; break; }
      const label = `${d.word} ${d.label}`;
      const path = uniquePath(parent ? `${parent.path}/${label}` : label);
      const s = makeSection(path, 'division', d.label, d.heading, d.start, trimEnd(endAt), 0, parent?.path ?? null);
      add(s);
      stack.push({ rank: d.rank, s });
    }
    sections.sort((a, b) => a.start - b.start || a.depth - b.depth);
  }

  /**
   * The closing of each signed text as one `Phần ký` section, in reading order: a law's closing (`CHỦ TỊCH QUỐC HỘI`
   * / name after its adoption sentence, or a name and `(Đã ký)` ending the text) becomes a signature section first;
   * then every signature section takes in the distribution list next to it and an adoption sentence just before it
   * (the sections that ran into it, the last article and its clauses, end before it).
   */
  function closings(): void {
    if (!sections.some((s) => s.kind === 'signature')) lawClosing();
    for (const sig of sections.filter((s) => s.kind === 'signature')) {
      for (const r of sections) {
        if (r.kind !== 'recipients') continue;
        if (r.end <= sig.start && text.slice(r.end, sig.start).trim() === '') sig.start = r.start;
        else if (r.start >= sig.end && text.slice(sig.end, r.start).trim() === '') sig.end = r.end;
      }
      // The adoption sentence is the closing's, not the last article's. Kept in both (measured at 213 documents), it
      // doubled the chunks holding `Quốc hội … thông qua` and a plan's duty to have laws passed lost a quote.
      const li = lineBefore(sig.start);
      if (li >= 0 && ADOPTION_RE.test(lines[li]!.text)) {
        const adoption = lines[li]!;
        for (const s of sections) if (s !== sig && s !== header && s.start < adoption.start && s.end > adoption.start && s.end <= sig.end) s.end = trimEnd(adoption.start);
        sig.start = adoption.start;
      }
    }
  }

  /** A law's signature: the lines after its last adoption sentence, or a closing that ends the text. */
  function lawClosing(): void {
    let block: [number, number] | null = null;
    let adoption = lines.length - 1;
    while (adoption >= 0 && !ADOPTION_RE.test(lines[adoption]!.text)) adoption--;
    if (adoption >= 0) block = signerAfter(adoption + 1);
    if (!block) {
      const tail: number[] = [];
      for (let li = lines.length - 1; li >= 0 && tail.length < CLOSING_BLOCK_LINES; li--) if (lines[li]!.text) tail.unshift(li);
      const end = tail[tail.length - 1];
      for (const li of tail) {
        const b = signerAfter(li);
        // Without an adoption sentence, a closing ends the text and has a capacity line or a signed mark.
        if (b && b[1] === end && (b[0] < nameLine(b) || SIGNED_MARK_RE.test(lines[b[1]]!.text))) {
          block = b;
          break;
        }
      }
    }
    if (!block) return;
    const first = lines[block[0]]!;
    const last = lines[block[1]]!;
    // Sections that ran into the signature (the last article and its clauses) end before it.
    for (const s of sections) if (s !== header && s.start < first.start && s.end > first.start && s.end <= last.end) s.end = trimEnd(first.start);
    add(makeSection(uniquePath(SIGNATURE_PATH), 'signature', '', stripEmphasis(first.text), first.start, last.end, DEPTH.signature!, null));
  }

  /** The line of the signer's name in a block from signerAfter (its last line but a signed mark). */
  function nameLine(b: [number, number]): number {
    return SIGNED_MARK_RE.test(lines[b[1]]!.text) ? lineBefore(lines[b[1]]!.start) : b[1];
  }

  /**
   * The signer's lines from line `from` (blank lines skipped): capacity lines in capitals, the name, an optional
   * `(Đã ký)`; [first, last] line, or null. A name in capitals is the last of the capital lines.
   */
  function signerAfter(from: number): [number, number] | null {
    const seen: number[] = [];
    let name = -1;
    for (let li = from; li < lines.length && seen.length < CLOSING_BLOCK_LINES; li++) {
      const t = stripEmphasis(lines[li]!.text);
      if (!t) continue;
      const kind = closingLine(t);
      if (kind === 'title' && name < 0) seen.push(li);
      else if (kind === 'name' && name < 0) {
        seen.push(li);
        name = li;
      } else if (kind === 'mark' && seen.length > 0) {
        return [seen[0]!, li];
      } else break;
    }
    if (name < 0 && seen.length >= 2 && PERSON_NAME_RE.test(stripEmphasis(lines[seen[seen.length - 1]!]!.text))) name = seen[seen.length - 1]!;
    return name >= 0 ? [seen[0]!, name] : null;
  }

  function lineBefore(at: number): number {
    for (let li = lines.length - 1; li >= 0; li--) if (lines[li]!.end <= at && lines[li]!.text) return li;
    return -1;
  }

  /** Opens a top-level, non-numbered section (list, signature, attached document header) at a line. */
  function openTop(path: string, kind: SectionKind, heading: string, line: Line, label = ''): void {
    closeTo(1, line.start);
    const s = makeSection(uniquePath(path), kind, label, heading, line.start, text.length, 1, null);
    add(s);
    stack.push(s);
  }

  function uniquePath(p: string): string {
    if (!byPath.has(p)) return p;
    let i = 2;
    while (byPath.has(`${p} ${i}`)) i++;
    return `${p} ${i}`;
  }

  function nextHeading(li: number): string {
    for (let j = li + 1; j < lines.length && j < li + 4; j++) {
      const t = stripEmphasis(lines[j]!.text);
      if (t) return t;
    }
    return '';
  }
}

/** A digit, e.g. the `1` of `Điều 1`. */
const DIGIT_RE = /\d/;

/** What a line of a closing without a `TM.` title is: a capacity line in capitals, a name, `(Đã ký)`, or other text. */
function closingLine(t: string): 'title' | 'name' | 'mark' | 'other' {
  if (SIGNED_MARK_RE.test(t)) return 'mark';
  const caps = LETTER_RE.test(t) && t === t.toUpperCase() && !DIGIT_RE.test(t);
  if (caps) return t.length <= CLOSING_TITLE_MAX ? 'title' : 'other';
  return t.length <= CLOSING_NAME_MAX && PERSON_NAME_RE.test(t) ? 'name' : 'other';
}

/** Anything but a letter, e.g. the `.` and digits of `1.2`. */
const NON_LETTER_RE = /[^\p{L}]/gu;

/** A roman-part heading is written in capitals (`II. NHIỆM VỤ`), which rules out sentences like `V. Lê`. */
function isUpperHeading(s: string): boolean {
  const letters = s.replace(NON_LETTER_RE, '');
  if (letters.length < 3) return false;
  return letters === letters.toUpperCase();
}
