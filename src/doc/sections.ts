// Section paths of the outline (fixed paths, lookup, breadcrumbs, titles) and the short document label.
import { clipAtWord } from '../text/strings.ts';
import type { DocMeta, Section } from './types.ts';

/** Order of Vietnamese point letters: `đ` sorts after `d`. */
export const POINT_LETTERS = 'abcdđeghiklmnopqrstuvxy';

/** Fixed paths of the non-numbered top-level sections. */
export const HEADER_PATH = 'Phần đầu';
export const ATTACHED_HEADER_PATH = 'Văn bản kèm theo';
export const RECIPIENTS_PATH = 'Nơi nhận';
export const SIGNATURE_PATH = 'Phần ký';

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
