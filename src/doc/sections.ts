// Section paths of the outline (fixed paths, lookup, breadcrumbs, titles) and the short document label.
import { clipAtWord } from '../text/strings.ts';
import type { DocMeta, Section } from './types.ts';
import { parseVietDate } from './dates.ts';

/** Order of Vietnamese point letters: `đ` sorts after `d`. */
export const POINT_LETTERS = 'abcdđeghiklmnopqrstuvxy';

/** Fixed paths of the non-numbered top-level sections. */
export const HEADER_PATH = 'Phần đầu';
export const ATTACHED_HEADER_PATH = 'Văn bản kèm theo';
export const RECIPIENTS_PATH = 'Nơi nhận';
export const SIGNATURE_PATH = 'Phần ký';

/** A law's adoption formula (NFC), e.g. `Luật này đã được Quốc hội … khoá XI, kỳ họp thứ 10 thông qua ngày 29 tháng 11 năm 2006.` */
export const ADOPTION_RE = /^(?:\p{L}+\s+){1,3}này\s+(?:đã\s+)?được\s.*\bthông qua ngày\s+\d/u;
/** A person's name: 2–6 capitalised words (`Nguyễn Thị Kim Ngân`, `NGUYỄN VĂN AN`). */
export const PERSON_NAME_RE = /^(?:\p{Lu}[\p{L}]*\s+){1,5}\p{Lu}[\p{L}]*$/u;
/** A signed mark in a closing, e.g. `(Đã ký)`. */
export const SIGNED_MARK_RE = /^\(?Đã ký\)?$/iu;

/**
 * The signature block itself (capacity lines and the signer's name) inside a `Phần ký` section, which holds the
 * whole closing in reading order: a law's adoption sentence or the distribution list before the block, or the
 * list after it. Offsets into the document's text.
 * @example text.slice(...Object.values(signatureBlock(text, sections, sig))) // 'T/M BỘ CHÍNH TRỊ\n\nTrương Thị Mai'
 */
export function signatureBlock(text: string, sections: readonly Section[], sig: Section): { start: number; end: number } {
  let start = sig.start;
  let end = sig.end;
  for (const r of sections) {
    if (r.kind !== 'recipients' || r.end <= start || r.start >= end) continue;
    if (r.start <= start) start = r.end;
    else end = Math.min(end, r.start);
  }
  while (start < end && SPACE_RE.test(text[start]!)) start++;
  const nl = text.indexOf('\n', start);
  const firstLine = text.slice(start, nl < 0 || nl > end ? end : nl);
  if (ADOPTION_RE.test(firstLine.normalize('NFC').trim()) && nl >= 0 && nl < end) start = nl + 1;
  while (start < end && SPACE_RE.test(text[start]!)) start++;
  while (end > start && SPACE_RE.test(text[end - 1]!)) end--;
  return { start, end };
}

/** One white-space character, e.g. a tab. */
const SPACE_RE = /\s/;
/** The date after `thông qua` in an adoption sentence, e.g. `ngày 29 tháng 11 năm 2006.` */
const ADOPTED_ON_RE = /\bthông qua\s+(ngày\s+.*)$/u;

/**
 * A law's adoption sentence where its closing holds one: its offsets, the date it states (ISO) and the closing's path, or null.
 * @example adoptionOf(text, sections)?.date // '2006-11-29'
 */
export function adoptionOf(text: string, sections: readonly Section[]): { start: number; end: number; date: string | null; section: string } | null {
  for (const sig of sections) {
    if (sig.kind !== 'signature') continue;
    const block = signatureBlock(text, sections, sig);
    if (block.start <= sig.start) continue;
    let end = block.start;
    while (end > sig.start && SPACE_RE.test(text[end - 1]!)) end--;
    const line = text.slice(sig.start, end).normalize('NFC').trim();
    if (!ADOPTION_RE.test(line) || line.includes('\n')) continue;
    const on = ADOPTED_ON_RE.exec(line);
    return { start: sig.start, end, date: on ? parseVietDate(on[1]!) : null, section: sig.path };
  }
  return null;
}

/** Sections that carry citable content (not the distribution list or the signature). */
export function isContentSection(s: Section): boolean {
  return s.kind !== 'recipients' && s.kind !== 'signature';
}

/** The deepest section containing [start, end), preferring numbered sections over bullets. */
export function sectionAt(sections: Section[], start: number, end: number): Section | undefined {
  let best: Section | undefined;
  for (const s of sections) {
    if (s.kind === 'bullet') continue;
    if (s.start <= start && end <= s.end + 1 && (!best || s.depth >= best.depth)) best = s;
  }
  return best;
}

/**
 * Breadcrumb: `III. TỔ CHỨC THỰC HIỆN > 3. Bộ trưởng, … > d)` built from the section's ancestors.
 * @param byPath the sections by path, when the caller has it (building it is linear in the sections, per call)
 */
export function breadcrumb(sections: Section[], path: string, maxHeading = 90, byPath: ReadonlyMap<string, Section> = new Map(sections.map((s) => [s.path, s]))): string {
  const parts: string[] = [];
  let cur = byPath.get(path);
  while (cur) {
    if (cur.kind !== 'bullet') parts.unshift(sectionTitle(cur, maxHeading));
    cur = cur.parent ? byPath.get(cur.parent) : undefined;
  }
  return parts.join(' > ');
}

/** Short human title of one section: `3. Thực hiện chính sách …`. */
export function sectionTitle(s: Section, maxHeading = 90): string {
  const h = clipAtWord(s.heading, maxHeading, '…');
  switch (s.kind) {
    case 'part':
    case 'item':
    case 'subitem':
      return `${s.label}. ${h}`;
    case 'point':
      return `${s.label}) ${h}`;
    case 'article':
      return `Điều ${s.label}. ${h}`.trim();
    case 'appendix':
      return `Phụ lục ${s.label} ${h}`.trim();
    case 'row':
      return `${s.label}: ${h}`;
    case 'division':
      return `${s.path.split('/').pop()} ${h}`.trim();
    default:
      return s.path;
  }
}

/** A run of white space, e.g. the double space in `Kế hoạch  số 19`. */
const SPACE_RUN_RE = /\s+/g;

/** Short label of a document used in every chunk's indexed text: type, number, issuer, place, what it implements. */
export function docLabel(meta: DocMeta): string {
  const place = meta.dateRaw ? meta.dateRaw.split(',')[0]!.trim() : '';
  const parts = [meta.type ?? '', meta.number ?? '', meta.issuer ? `của ${meta.issuer}` : '', place];
  if (meta.implements.length) parts.push(`thực hiện ${meta.implements.join(', ')}`);
  return parts.filter(Boolean).join(' ').replace(SPACE_RUN_RE, ' ').trim();
}
