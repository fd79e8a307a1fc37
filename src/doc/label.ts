// Citation labels as a person writes them: "điểm a khoản 1 Điều 35 Bộ luật Lao động số 45/2019/QH14" / "Labour Code No. 45/2019/QH14, Article 35(1)(a)".
import { loadGlossary, type Glossary } from '../text/glossary.ts';
import { normalizeForMatch } from '../text/normalize.ts';
import { docType } from './doctypes.ts';
import { ATTACHED_HEADER_PATH, HEADER_PATH, RECIPIENTS_PATH, SIGNATURE_PATH } from './sections.ts';
import type { DocMeta } from './types.ts';

export type LabelLanguage = 'vi' | 'en';

/** A law section path: `Điều 35`, `Điều 35.1`, `Điều 35.1.a`. */
const ARTICLE_PATH_RE = /^Điều\s+(\d+\p{L}?)(?:\.(\d+\p{L}?))?(?:\.([\p{Ll}]))?/u;
/** A table row path: `Phụ lục II/STT 8`, `IV/Bảng 1/TT 3`. */
const ROW_PATH_RE = /^(.*?)\/?(?:Bảng \d+\/)?(STT|TT)\s+(\S+)$/u;
/** An appendix path: `Phụ lục II`, `Phụ lục II/…`. */
const APPENDIX_PATH_RE = /^Phụ lục\s+(\S+)(?:\/(.*))?$/u;
/** A footnote path: `Chú thích 3`. */
const FOOTNOTE_PATH_RE = /^Chú thích\s+(\d+)$/u;

type GlossaryEntry = Glossary['entries'][number];
/** The glossary's entries by each normalised Vietnamese spelling, in glossary order (built once: labels are made per hit). */
let byVi: Map<string, GlossaryEntry[]> | null = null;
function entriesNamed(vi: string): GlossaryEntry[] {
  if (!byVi) {
    byVi = new Map();
    for (const e of loadGlossary().entries) {
      // Lexicon terms translate question words; they name no document, unit or subject in a label.
      if (e.kind === 'term') continue;
      for (const v of new Set(e.vi.map(normalizeForMatch))) (byVi.get(v) ?? byVi.set(v, []).get(v)!).push(e);
    }
  }
  return byVi.get(normalizeForMatch(vi)) ?? [];
}

/** English display name of a Vietnamese phrase the glossary knows exactly (`Chính phủ` → `Government`). */
function english(vi: string | null | undefined, kinds?: string[]): string | null {
  if (!vi) return null;
  const e = entriesNamed(vi).find((x) => !kinds || (x.kind && kinds.includes(x.kind)));
  return e ? e.en[0]! : null;
}

/**
 * Other names of a document title the glossary lists (`Luật Việc làm` → `Law on Employment`, `Employment Law`, …).
 * @example documentAliases('Luật Việc làm').includes('Employment Law')
 */
export function documentAliases(title: string): string[] {
  return entriesNamed(title).filter((x) => x.kind === 'document').flatMap((x) => x.en);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * English name of a law or code: the glossary's name of the title, else built from the type and the
 * glossary's word for its subject, else null.
 */
export function englishTitle(meta: DocMeta): string | null {
  const whole = english(meta.title, ['document']);
  if (whole) return whole;
  const t = docType(meta.type);
  const subject = english(meta.name ?? null);
  if (!t || !subject) return null;
  return t.nameFirst ? `${capitalise(subject)} ${t.en}` : `${t.en} on ${capitalise(subject)}`;
}

/** The section part in Vietnamese: `điểm a khoản 1 Điều 35`, `mục III.3.d`, `STT 8 Phụ lục II`. */
function sectionVi(path: string): string {
  let m: RegExpExecArray | null;
  if ((m = ARTICLE_PATH_RE.exec(path))) return [m[3] && `điểm ${m[3]}`, m[2] && `khoản ${m[2]}`, `Điều ${m[1]}`].filter(Boolean).join(' ');
  if ((m = ROW_PATH_RE.exec(path)) && m[1]) return `${m[2]} ${m[3]} ${sectionVi(m[1])}`;
  if ((m = APPENDIX_PATH_RE.exec(path))) return m[2] ? `${sectionVi(m[2])} Phụ lục ${m[1]}` : `Phụ lục ${m[1]}`;
  if ((m = FOOTNOTE_PATH_RE.exec(path))) return `chú thích ${m[1]}`;
  if (path === HEADER_PATH) return 'phần đầu';
  if (path === ATTACHED_HEADER_PATH) return 'phần đầu văn bản kèm theo';
  if (path === SIGNATURE_PATH) return 'phần ký';
  if (path === RECIPIENTS_PATH) return 'nơi nhận';
  if (!path) return '';
  return `mục ${path}`;
}

/** The section part in English: `Article 35(1)(a)`, `III.3.d`, `Appendix II, item 8`. */
function sectionEn(path: string): string {
  let m: RegExpExecArray | null;
  if ((m = ARTICLE_PATH_RE.exec(path))) return `Article ${m[1]}${m[2] ? `(${m[2]})` : ''}${m[3] ? `(${m[3]})` : ''}`;
  if ((m = ROW_PATH_RE.exec(path)) && m[1]) return `${sectionEn(m[1])}, item ${m[3]}`;
  if ((m = APPENDIX_PATH_RE.exec(path))) return m[2] ? `Appendix ${m[1]}, ${sectionEn(m[2])}` : `Appendix ${m[1]}`;
  if ((m = FOOTNOTE_PATH_RE.exec(path))) return `footnote ${m[1]}`;
  if (path === HEADER_PATH) return 'opening';
  if (path === ATTACHED_HEADER_PATH) return 'opening of the attached document';
  if (path === SIGNATURE_PATH) return 'signature';
  if (path === RECIPIENTS_PATH) return 'recipients';
  return path;
}

/**
 * A section as a person names it, without its document: `STT 8 Phụ lục II` / `Appendix II, item 8`.
 * @example sectionName('Phụ lục II', 'en') === 'Appendix II'
 */
export function sectionName(path: string, lang: LabelLanguage): string {
  return lang === 'en' ? sectionEn(path) : sectionVi(path);
}

/** The document part in Vietnamese: `Bộ luật Lao động số 45/2019/QH14`, `Chương trình hành động ban hành kèm theo Nghị quyết số 68/NQ-CP`. */
export function documentVi(meta: DocMeta): string {
  const type = meta.type ?? 'Văn bản';
  if (meta.name) return `${type} ${meta.name}${meta.number ? ` số ${meta.number}` : ''}`;
  const withNumber = meta.issuedWith?.number ?? (meta.issuedWith ? meta.number : null);
  if (meta.issuedWith?.type && withNumber) return `${type} ban hành kèm theo ${meta.issuedWith.type} số ${withNumber}`;
  if (meta.number) return `${type} số ${meta.number}`;
  if (meta.issuer) return `${type} của ${meta.issuer}`;
  return meta.title;
}

/** The document part in English: `Labour Code No. 45/2019/QH14`, `Government Action Programme (Resolution 68/NQ-CP)`. */
export function documentEn(meta: DocMeta): string {
  const t = docType(meta.type);
  const typeEn = t?.en ?? 'Document';
  if (meta.name) {
    const title = englishTitle(meta);
    const no = meta.number ? ` No. ${meta.number}` : '';
    return title ? `${title}${no}` : `${typeEn}${no} (${meta.title})`;
  }
  const issuerEn = english(meta.issuer, ['agency']);
  const withNumber = meta.issuedWith?.number ?? (meta.issuedWith ? meta.number : null);
  const withType = docType(meta.issuedWith?.type ?? null)?.en;
  if (withType && withNumber) return `${issuerEn ? `${issuerEn} ` : ''}${typeEn} (${withType} ${withNumber})`;
  if (meta.number) return `${typeEn} No. ${meta.number}`;
  if (issuerEn) return `${issuerEn} ${typeEn}`;
  return meta.issuer ? `${typeEn} of ${meta.issuer}` : typeEn;
}

/**
 * The citation as a person writes it, in the answer's language. A pure function of the document's
 * metadata and the section path.
 * @example citationLabel(labourCode, 'Điều 35.1.a', 'vi') // 'điểm a khoản 1 Điều 35 Bộ luật Lao động số 45/2019/QH14'
 * @example citationLabel(labourCode, 'Điều 35.1.a', 'en') // 'Labour Code No. 45/2019/QH14, Article 35(1)(a)'
 */
export function citationLabel(meta: DocMeta, section: string, lang: LabelLanguage): string {
  if (lang === 'en') {
    const s = sectionEn(section);
    return s ? `${documentEn(meta)}, ${s}` : documentEn(meta);
  }
  const s = sectionVi(section);
  return s ? `${s} ${documentVi(meta)}` : documentVi(meta);
}
