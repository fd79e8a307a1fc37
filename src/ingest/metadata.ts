// Document metadata (type, number, date, issuer, signer, trích yếu, references) and cross-document identity inference.
import type { DocMeta, Section } from '../doc/types.ts';
import { PERSON_NAME_RE, SIGNED_MARK_RE, signatureBlock } from '../doc/sections.ts';
import { normalizeForMatch } from '../text/normalize.ts';
import { clipAtWord, escapeRegExp } from '../text/strings.ts';
import { splitAtFullStops } from '../text/sentences.ts';
import { docType, docTypes, issuerLevel, officialLetterMarker, typeAtLineStart, type DocType } from '../doc/doctypes.ts';
import { parseVietDate } from '../doc/dates.ts';
import { findNumberRefs, normalizeDocNumber, numberKey, type NumberRef } from '../doc/numbers.ts';

/** Minimum evidence score for accepting an identity that only another document reveals. */
export const INFERENCE_MIN_SCORE = 5;

/** Header lines read for the type and number (a law's title comes within the first dozen lines). */
const HEADER_SCAN_LINES = 30;
/** Characters read as the header when the outline found none. */
const DEFAULT_HEADER_CHARS = 3000;
/** Lines at the end of a text read for a signature without a `TM.`/`KT.` block (a law's closing). */
const CLOSING_SCAN_LINES = 6;

/** The number line: `Số: 45/2019/QH14`, `Bộ luật số: 45/2019/QH14`, `Luật số: 62/2006/QH 11`. */
const NUMBER_LINE_RE = /^(?:\p{L}+\s+){0,3}?số\s*:\s*(.*)$/iu;
/** The place-and-date line: `Hà Nội, ngày 20 tháng 11 năm 2019` (place, then the date). */
const PLACE_DATE_RE = /^([\p{L}][\p{L} .]*?),\s*(ngày\b.*)$/u;
/** Decorative rules under header lines: `QUỐC HỘI --------`, `*****`. */
const DECORATION_RE = /\s*(?:[-–_=*]{3,}|\*+)\s*/gu;
/** Lines of the national motto block, never the issuer or the title. */
const MOTTO_RE = /CỘNG HÒA|CỘNG HOÀ|Độc lập/u;
/** A signature line naming on whose behalf the signer signs: `T/M BỘ CHÍNH TRỊ`, `TM. CHÍNH PHỦ`. */
const ON_BEHALF_RE = /^(T\/M|TM\.)\s*/u;
/** Any capacity prefix of a signature line: `TM.`, `KT.`, `TL.`, `TUQ.`, `Q.`. */
const CAPACITY_RE = /^(?:T\/M|TM\.|KT\.|KT\/|TL\.|TUQ\.|Q\.)\s*/u;
/** The closing formula of a law: `… thông qua ngày 20 tháng 11 năm 2019`. */
const PASSED_ON_RE = /thông qua ngày\s+(\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})/u;
/** `Căn cứ …`, `Thực hiện …`, `kèm theo …` before a number make it a document this one implements. */
const IMPLEMENT_CUE_RE = /(thực hiện|căn cứ|kèm theo)/u;
/** Number symbols of documents a plan implements (resolutions, plans, programmes, decisions, conclusions, directives). */
const IMPLEMENTED_SYMBOL_RE = /^(NQ|KH|CTr|QĐ|KL|CT)/u;
/** `(Kèm theo Nghị quyết số: /NQ-CP …)`, `ban hành kèm theo Quyết định số 1240/QĐ-LĐTBXH`. */
const ISSUED_WITH_RE = /^\(?\s*(?:ban hành\s+)?kèm theo\s+(\p{L}+(?:\s+\p{Ll}+){0,2})\s+số\s*:?\s*([^\s,;)]*)/imu;
/** A sentence amending others: `Sửa đổi, bổ sung khoản 1 Điều 32 của Luật … số 93/2015/QH13`. */
const AMEND_CUE_RE = /(?<!được\s)sửa đổi,? bổ sung/iu;
/** A sentence ending others: `… số 10/2012/QH13 hết hiệu lực …`, `… này thay thế Quyết định số …`. */
const REPLACE_CUE_RE = /hết hiệu lực|thay thế/iu;

/** Markdown emphasis stars, e.g. the `**` of `**KẾ HOẠCH**`. */
const MARKDOWN_STAR_RE = /\*/g;

/** A header line with markdown emphasis and decorative rules removed, in NFC. */
function cleanLine(l: string): string {
  return l.normalize('NFC').replace(MARKDOWN_STAR_RE, '').replace(DECORATION_RE, ' ').trim();
}

/** A run of white space, e.g. `\n  `. */
const SPACE_RUN_RE = /\s+/g;
/** White space between words, e.g. the space of `LAO ĐỘNG`. */
const SPACE_SPLIT_RE = /\s+/;
/** A hyphen or en dash, e.g. the `–` of `LAO ĐỘNG – THƯƠNG BINH`. */
const DASH_RE = /[-–]/g;

/** Turns an all-capitals name into the spelling the document uses elsewhere, when it does. */
function recase(caps: string, text: string): string {
  const pattern = caps
    .normalize('NFC')
    .trim()
    .split(SPACE_SPLIT_RE)
    .map((w) => escapeRegExp(w).replace(DASH_RE, '[-–]'))
    .join('\\s+');
  const re = new RegExp(`(?<![\\p{L}])${pattern}(?![\\p{L}])`, 'giu');
  for (const m of text.normalize('NFC').matchAll(re)) {
    if (m[0] !== m[0].toUpperCase()) return m[0].replace(SPACE_RUN_RE, ' ');
  }
  return caps.charAt(0) + caps.slice(1).toLowerCase();
}

/** A letter, e.g. the `K` of `KẾ HOẠCH`. */
const LETTER_RE = /\p{L}/u;

function isCaps(l: string): boolean {
  return LETTER_RE.test(l) && l === l.toUpperCase();
}

/** Type-name alternation for `<type> này` (the text naming itself). */
function selfReferenceRe(): RegExp {
  const names = docTypes().map((t) => escapeRegExp(t.vi));
  return new RegExp(`(?<![\\p{L}])(${names.join('|')}|Văn bản)\\s+này(?![\\p{L}])`, 'gu');
}

interface NumberRead { number: string | null; numberRaw: string | null; index: number }

/** A line that opens with a parenthesis, e.g. `(Kèm theo Quyết định số …)`. */
const OPEN_PAREN_START_RE = /^\(/u;
/** The gap between two header columns, e.g. a tab or three spaces. */
const COLUMN_GAP_RE = /\t|\s{3,}/u;
/** A place and date after the number on one line, e.g. ` Hà Nội, ngày 20 tháng 11 năm 2019`. */
const PLACE_DATE_TAIL_RE = /\s+\p{Lu}[\p{L} .]*,\s*ngày\b.*$/u;

/** Step: the number line (`Số: 45 /2019/ QH14` → `45/2019/QH14`). */
function readNumber(lines: string[]): NumberRead {
  for (let i = 0; i < Math.min(lines.length, HEADER_SCAN_LINES); i++) {
    const l = lines[i]!;
    if (l.length > 80 || OPEN_PAREN_START_RE.test(l)) continue;
    const m = NUMBER_LINE_RE.exec(l);
    if (!m) continue;
    const numberRaw = m[1]!.split(COLUMN_GAP_RE)[0]!.replace(PLACE_DATE_TAIL_RE, '').trim();
    return { number: normalizeDocNumber(numberRaw), numberRaw, index: i };
  }
  return { number: null, numberRaw: null, index: -1 };
}

/** Step: place and date (`Hà Nội, ngày 20 tháng 11 năm 2019`). */
function readPlaceDate(lines: string[]): { place: string | null; date: string | null; dateRaw: string | null } {
  for (const l of lines) {
    const m = PLACE_DATE_RE.exec(l);
    if (m && m[1]!.split(SPACE_SPLIT_RE).length <= 6) return { place: m[1]!.trim(), date: parseVietDate(m[2]!), dateRaw: l };
  }
  return { place: null, date: null, dateRaw: null };
}

interface TypeRead { type: DocType | null; index: number; rest: string }

/** A line that ends in a colon, e.g. `QUYẾT ĐỊNH:`. */
const COLON_END_RE = /:$/u;

/** Step: the capitalised type line (`BỘ LUẬT`, `KẾ HOẠCH`, `CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA CHÍNH PHỦ`). */
function readType(lines: string[]): TypeRead {
  for (let i = 0; i < Math.min(lines.length, HEADER_SCAN_LINES); i++) {
    const l = lines[i]!;
    if (!isCaps(l) || COLON_END_RE.test(l)) continue; // `QUYẾT ĐỊNH:` opens the articles
    const hit = typeAtLineStart(l);
    if (hit) return { type: hit.type, index: i, rest: hit.rest };
  }
  return { type: null, index: -1, rest: '' };
}

/** Dots, colons and spaces after a marker, e.g. `: ` in `V/v: …`. */
const LEADING_PUNCT_RE = /^[\s.:]+/u;

/** Step: an official letter has no type line but a subject line `V/v …` under its number. */
function readOfficialLetter(lines: string[], num: NumberRead): { type: DocType | null; summary: string | null } {
  const marker = officialLetterMarker();
  const i = lines.findIndex((l, k) => k < HEADER_SCAN_LINES && l.startsWith(marker));
  if (i < 0 || num.index < 0) return { type: null, summary: null };
  return { type: docType('Công văn'), summary: lines[i]!.slice(marker.length).replace(LEADING_PUNCT_RE, '').trim() || null };
}

/** The rest of a type line that starts with `CỦA`, e.g. `CỦA CHÍNH PHỦ`. */
const OF_START_RE = /^CỦA\b/u;
/** A line that opens a chapter or part, e.g. `CHƯƠNG I`. */
const DIVISION_START_RE = /^(?:CHƯƠNG|PHẦN)\s/u;

/** Step: the name of a law (`BỘ LUẬT` / `LAO ĐỘNG` → `Lao động`) — capitals under or after the type word. */
function readName(lines: string[], t: TypeRead, text: string): string | null {
  if (!t.type) return null;
  const parts: string[] = [];
  if (t.rest && !OF_START_RE.test(t.rest)) parts.push(t.rest);
  for (let i = t.index + 1; i < lines.length && parts.length < 4; i++) {
    const l = lines[i]!;
    if (!l) continue;
    if (!isCaps(l) || MOTTO_RE.test(l) || DIVISION_START_RE.test(l)) break;
    if (t.rest && parts.length === 1 && i === t.index + 1) break;
    parts.push(l);
  }
  if (parts.length === 0) return null;
  const caps = parts.join(' ').replace(SPACE_RUN_RE, ' ').trim();
  const full = recase(`${t.type.vi.toUpperCase()} ${caps}`, text);
  const typeLen = t.type.vi.length;
  const name = full.slice(typeLen).trim();
  return name && name !== name.toUpperCase() ? name : caps.charAt(0) + caps.slice(1).toLowerCase();
}

/** A line that ends a trích yếu, e.g. `Căn cứ Luật …` or `Thực hiện Nghị quyết số …`. */
const SUMMARY_STOP_RE = /^(\(|Căn cứ|Thực hiện\s+\S+\s+số)/u;

/** Step: trích yếu — the mixed-case line(s) after the type line, plus short continuation lines. */
function readSummary(lines: string[], typeIdx: number): string | null {
  if (typeIdx < 0) return null;
  const parts: string[] = [];
  let first = true;
  for (let i = typeIdx + 1; i < lines.length && parts.length < 8; i++) {
    const l = lines[i]!;
    if (!l) continue;
    if (!first && (l.length >= 160 || SUMMARY_STOP_RE.test(l) || l === l.toUpperCase())) break;
    if (first && l === l.toUpperCase()) break;
    parts.push(l);
    first = false;
  }
  return parts.join(' ').replace(SPACE_RUN_RE, ' ').trim() || null;
}

interface SignatureRead { signer: string | null; signerTitle: string | null; onBehalf: string | null; capacity: string | null }

/** `KT. BỘ TRƯỞNG` → `KT. Bộ trưởng`: the capacity prefix as written, the rest in the text's own spelling. */
function capacityOf(line: string, text: string): string {
  const prefix = CAPACITY_RE.exec(line)?.[0] ?? '';
  const rest = line.slice(prefix.length).trim();
  return `${prefix.trim()} ${rest ? recase(rest, text) : ''}`.trim();
}

/** Step: the signature block (`TM. CHÍNH PHỦ` / `THỦ TƯỚNG` / name), or a law's closing (`CHỦ TỊCH QUỐC HỘI` / name). */
function readSignature(text: string, sections: Section[]): SignatureRead {
  const none: SignatureRead = { signer: null, signerTitle: null, onBehalf: null, capacity: null };
  const sig = sections.find((s) => s.kind === 'signature');
  if (sig) {
    // The section holds the whole closing (adoption sentence, distribution list): the block is read.
    const block = signatureBlock(text, sections, sig);
    const all = text.slice(block.start, block.end).split('\n').map(cleanLine).filter(Boolean);
    const sl = all.filter((l) => !SIGNED_MARK_RE.test(l));
    // A name and `(Đã ký)` alone (an old law's closing): the signer, without a title.
    if (sl.length === 1 && all.length > 1 && sl[0]!.length <= 40 && PERSON_NAME_RE.test(sl[0]!)) return { ...none, signer: sl[0]! };
    if (sl.length < 2) return none;
    const titles = sl.slice(0, -1);
    const title = titles[titles.length - 1]!;
    const tm = titles.find((t) => ON_BEHALF_RE.test(t));
    const cap = titles.find((t) => CAPACITY_RE.test(t));
    return {
      signer: sl[sl.length - 1]!,
      signerTitle: title,
      onBehalf: tm ? tm.replace(ON_BEHALF_RE, '') : null,
      // Without a `TM.`/`KT.` line the title is the capacity (`CHỦ TỊCH QUỐC HỘI`).
      capacity: cap ? capacityOf(cap, text) : isCaps(title) && title.length <= 60 ? recase(title, text) : null,
    };
  }
  // No signature block: the closing lines `CHỦ TỊCH QUỐC HỘI` / `Nguyễn Thị Kim Ngân` (optionally `(Đã ký)`).
  const tail = text.normalize('NFC').trimEnd().split('\n').slice(-CLOSING_SCAN_LINES).map(cleanLine).filter((l) => l && !SIGNED_MARK_RE.test(l));
  const name = tail[tail.length - 1];
  const title = tail[tail.length - 2];
  if (!name || name.length > 40 || !PERSON_NAME_RE.test(name) || !title || !isCaps(title) || title.length > 60) return none;
  return { signer: name, signerTitle: title, onBehalf: null, capacity: recase(title, text) };
}

/** The issuer named in a type line, e.g. `CỦA CHÍNH PHỦ` (group: `CHÍNH PHỦ`). */
const OF_ISSUER_RE = /\bCỦA\s+(.+)$/u;
/** A minister's line naming the ministry, e.g. `BỘ TRƯỞNG BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI`. */
const MINISTER_OF_LINE_RE = /^BỘ TRƯỞNG BỘ\s/u;
/** The `BỘ TRƯỞNG ` that opens a minister's line. */
const MINISTER_WORD_RE = /^BỘ TRƯỞNG\s+/u;
/** A body that issues the document, e.g. `Ủy ban nhân dân tỉnh ban hành Kế hoạch`. */
const ISSUES_PLAN_RE = /([\p{Lu}][\p{L}\s\-–]{3,80}?)\s+ban hành\s+(?:Kế hoạch|Chương trình|Quyết định)/u;
/** A comma between names, e.g. `, ` in `Chính phủ, Ủy ban nhân dân tỉnh`. */
const COMMA_SPLIT_RE = /,\s*/;

/** Step: the issuing body — T/M line, `… CỦA X` in the type line, capitals above `Số:`, `BỘ TRƯỞNG BỘ …`, `X ban hành …`. */
function readIssuer(lines: string[], text: string, headerEnd: number, t: TypeRead, num: NumberRead, sig: SignatureRead): string | null {
  let issuer: string | null = sig.onBehalf ? recase(sig.onBehalf, text) : null;
  const cuaM = OF_ISSUER_RE.exec(t.index >= 0 ? lines[t.index]! : '');
  if (cuaM) issuer = recase(cuaM[1]!.trim(), text);
  if (!issuer) {
    const caps = lines.slice(0, num.index > 0 ? num.index : 0).filter((l) => l && isCaps(l) && !MOTTO_RE.test(l));
    if (caps.length) issuer = recase(caps[caps.length - 1]!, text);
  }
  if (!issuer) {
    const bt = lines.find((l) => MINISTER_OF_LINE_RE.test(l));
    if (bt) issuer = recase(bt.replace(MINISTER_WORD_RE, ''), text);
  }
  if (!issuer) {
    const bm = ISSUES_PLAN_RE.exec(text.slice(0, headerEnd));
    if (bm) issuer = bm[1]!.trim().split(COMMA_SPLIT_RE).pop() ?? null;
  }
  return issuer;
}

/** The digits (and year) before a number's symbol, e.g. `45/2019/` of `45/2019/QH14`. */
const NUMBER_HEAD_RE = /^\d+(?:\/\d{4})?[-/]/;
/** A Government decree's symbol, e.g. `NĐ-CP` of `145/2020/NĐ-CP`. */
const DECREE_SYMBOL_RE = /NĐ-CP$/u;

/** Step: what it implements — numbers in the header after `Thực hiện`, `Căn cứ`, `kèm theo` (plans, resolutions, …). */
function readImplements(headerText: string, own: string | null): string[] {
  const out = new Set<string>();
  for (const r of findNumberRefs(headerText)) {
    if (numberKey(r.number) === own) continue;
    const ctx = normalizeForMatch(headerText.slice(Math.max(0, r.start - 400), r.start));
    if (IMPLEMENT_CUE_RE.test(ctx) && IMPLEMENTED_SYMBOL_RE.test(r.number.replace(NUMBER_HEAD_RE, '')) && !DECREE_SYMBOL_RE.test(r.number)) out.add(r.number);
  }
  return [...out];
}

/** A `Căn cứ` line, e.g. `Căn cứ Luật Tổ chức Chính phủ …`. */
const BASED_ON_RE = /^Căn cứ(?![\p{L}])/u;

/** Step: numbers on the header's `Căn cứ …` lines. */
function readBasedOn(lines: string[], own: string | null): string[] {
  const out = new Set<string>();
  for (const l of lines) if (BASED_ON_RE.test(l)) for (const r of findNumberRefs(l)) if (numberKey(r.number) !== own) out.add(r.number);
  return [...out];
}

/** Step: `(Kèm theo Nghị quyết số: /NQ-CP …)` — the document that issues this one. */
function readIssuedWith(headerText: string): { type: string | null; number: string | null } | null {
  const m = ISSUED_WITH_RE.exec(headerText.normalize('NFC'));
  if (!m) return null;
  const t = docType(m[1]!);
  if (!t) return null;
  const n = findNumberRefs(m[2]!)[0]?.number ?? null;
  return { type: t.vi, number: n };
}

/** Sentences (line parts split at `. `) of a text that contain a cue. */
function cueSentences(text: string, cue: RegExp): string[] {
  return splitAtFullStops(text, 0, text.length, { atLines: true })
    .map((x) => text.slice(x.start, x.end))
    .filter((s) => cue.test(s));
}

/** Step: what it amends and what it replaces, from its own sentences that name itself (`… này`). */
function readAmendsReplaces(text: string, own: string | null): { amends: string[]; replaces: string[] } {
  const self = selfReferenceRe();
  const amends = new Set<string>();
  const replaces = new Set<string>();
  for (const s of cueSentences(text, REPLACE_CUE_RE)) {
    if (!new RegExp(self.source, 'u').test(s)) continue;
    for (const r of findNumberRefs(s)) if (numberKey(r.number) !== own) replaces.add(r.number);
  }
  for (const s of cueSentences(text, AMEND_CUE_RE)) {
    if (BASED_ON_RE.test(s.trim())) continue;
    const at = s.search(AMEND_CUE_RE);
    for (const r of findNumberRefs(s)) if (r.start > at && r.start - at < 250 && numberKey(r.number) !== own) amends.add(r.number);
  }
  return { amends: [...amends], replaces: [...replaces] };
}

/** An effective date given as the signing, e.g. `ngày ký ban hành`. */
const SIGNING_RE = /ký/u;

/** Step: `<type> này có hiệu lực (thi hành) (kể) từ ngày …` — the date it takes effect, when stated. */
function readEffective(text: string, date: string | null): { effectiveDate: string | null; effectiveRaw: string | null } {
  const self = selfReferenceRe().source;
  const re = new RegExp(`${self}\\s+có hiệu lực(?:\\s+thi hành)?(?:\\s+kể)?\\s+từ\\s+(ngày\\s+\\d{1,2}\\s+tháng\\s+\\d{1,2}\\s+năm\\s+\\d{4}|ngày\\s+\\d{1,2}/\\d{1,2}/\\d{4}|ngày\\s+ký(?:\\s+ban hành)?)`, 'u');
  const m = re.exec(text.normalize('NFC'));
  if (!m) return { effectiveDate: null, effectiveRaw: null };
  const raw = m[0];
  const when = m[2]!;
  return { effectiveDate: SIGNING_RE.test(when) ? date : parseVietDate(when), effectiveRaw: raw };
}

/** Step: a type the text gives only by naming itself (`Luật này quy định …`), when no header says it. */
function typeFromSelfReference(text: string): DocType | null {
  const counts = new Map<string, number>();
  for (const m of text.normalize('NFC').matchAll(selfReferenceRe())) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  const best = [...counts.entries()].filter(([k]) => k !== 'Văn bản').sort((a, b) => b[1] - a[1])[0];
  return best ? docType(best[0]) : null;
}

/** Step: the closing formula's date against the header's (`thông qua ngày …`); the header wins. */
function readConflicts(text: string, date: string | null): NonNullable<DocMeta['conflicts']> {
  const tail = text.normalize('NFC').slice(-3000);
  const m = PASSED_ON_RE.exec(tail);
  if (!m || !date) return [];
  const closing = parseVietDate(m[1]!);
  return closing && closing !== date ? [{ field: 'date', kept: date, other: closing, evidence: m[0] }] : [];
}

function shortTitle(title: string): string {
  return clipAtWord(title, 200, '…');
}

/**
 * Extracts the document's own metadata from its header, signature block, opening and closing, in small steps
 * (number, place/date, type, name or trích yếu, signature, issuer, level, references, effective date).
 * A value the text does not give stays null; a document without a recognisable header gets a warning.
 * Identities revealed only by other documents are added later by {@link inferIdentities}.
 * @example extractMetadata({ id, file, text, sections: parseOutline(text) }).number // '45/2019/QH14'
 */
export function extractMetadata(args: { id: string; file: string; text: string; sections: Section[] }): DocMeta {
  const { id, file, text, sections } = args;
  const header = sections.find((s) => s.kind === 'header');
  const headerEnd = header ? header.end : Math.min(text.length, DEFAULT_HEADER_CHARS);
  const headerText = text.slice(0, headerEnd).normalize('NFC');
  const lines = headerText.split('\n').map(cleanLine);

  const num = readNumber(lines);
  const { place, date, dateRaw } = readPlaceDate(lines);
  let typeRead = readType(lines);
  const letter = typeRead.type ? { type: null, summary: null } : readOfficialLetter(lines, num);
  const recognised = !!(typeRead.type || letter.type || num.numberRaw || dateRaw);
  const type = typeRead.type ?? letter.type ?? (recognised ? null : typeFromSelfReference(text));
  if (!typeRead.type && type) typeRead = { type, index: -1, rest: '' };
  const name = type?.legal ? readName(lines, typeRead, text) : null;
  const summary = name ? null : letter.summary ?? readSummary(lines, typeRead.index);
  const sig = readSignature(text, sections);
  let issuer = readIssuer(lines, text, headerEnd, typeRead, num, sig);
  if (!issuer && type?.issuedBy && recognised) issuer = type.issuedBy;
  const own = num.number ? numberKey(num.number) : null;
  const { amends, replaces } = readAmendsReplaces(text, own);
  const { effectiveDate, effectiveRaw } = readEffective(text, date);

  const lead = name ? `${type!.vi} ${name}` : [type?.vi ?? 'Văn bản', summary ? summary.charAt(0).toLowerCase() + summary.slice(1) : ''].join(' ');
  let title = lead.replace(SPACE_RUN_RE, ' ').trim();
  if (!name && !summary) title = `${title} ${id}`;
  const warnings = recognised ? [] : [`${file}: no recognisable header (type, number, date); metadata left blank`];

  return {
    id, file, type: type?.vi ?? null, number: num.number, numberRaw: num.numberRaw, numberInferred: null, date, dateRaw, dateInferred: null,
    issuer, signer: sig.signer, signerTitle: sig.signerTitle, title: shortTitle(title),
    summary, implements: readImplements(headerText, own),
    cites: [...new Set(findNumberRefs(text).map((r) => r.number))].filter((n) => numberKey(n) !== own),
    place, signerCapacity: sig.capacity, level: issuerLevel(issuer ?? (lines.slice(0, Math.max(0, num.index)).filter((l) => isCaps(l) && !MOTTO_RE.test(l)).join(' ') || null), num.number),
    name, effectiveDate, effectiveRaw,
    basedOn: readBasedOn(lines, own), amends, replaces,
    issuedWith: readIssuedWith(headerText),
    conflicts: readConflicts(text, date),
    warnings,
  };
}

/** Spaces and a slash before a blank number's symbol, e.g. `   /` of `   /KH-SLĐTBXH`. */
const LEADING_SLASH_RE = /^[\s/]+/;
/** A blank number of the issuing document, e.g. `Kèm theo Nghị quyết số: /NQ-CP ngày tháng năm 2024`. */
const ISSUED_WITH_BLANK_RE = /Kèm theo\s+(Nghị quyết|Quyết định)\s+số\s*:?\s*\/\s*([\p{L}\d\-]+)[^)]*?năm\s+(\d{4})/u;
/** A year, e.g. `năm 2024`. */
const YEAR_RE = /năm\s+(\d{4})/u;

/** Suffix and year of a blank number: `Số: /KH-SLĐTBXH`, `Kèm theo Nghị quyết số: /NQ-CP ngày tháng năm 2024`. */
function blankNumberPattern(meta: DocMeta, text: string, header: string): { suffix: string | null; year: number | null; typeWord: string | null } {
  let suffix: string | null = null;
  let typeWord: string | null = null;
  if (meta.numberRaw && !meta.number) suffix = meta.numberRaw.replace(LEADING_SLASH_RE, '').replace(SPACE_RUN_RE, '');
  const kt = ISSUED_WITH_BLANK_RE.exec(header);
  if (kt) {
    typeWord = kt[1]!;
    suffix = kt[2]!;
    return { suffix, year: +kt[3]!, typeWord };
  }
  const y = YEAR_RE.exec(meta.dateRaw ?? '');
  return { suffix, year: y ? +y[1]! : null, typeWord };
}

/** The digits (and year) before a number's symbol, e.g. `19-` of `19-KH/TW`. */
const NUMBER_HEAD_U_RE = /^\d+(?:\/\d{4})?[-/]/u;
/** The ` hành động` ending a type name, e.g. of `Chương trình hành động`. */
const ACTION_SUFFIX_RE = / hành động$/u;

/**
 * Fills `number`/`date` of documents whose text leaves them blank, from passages of OTHER documents
 * that name them (`Kế hoạch số 19-KH/TW ngày 27/11/2023 của Bộ Chính trị`), recording the evidence.
 * Candidates are scored on symbol suffix, year, type word, issuer and shared references.
 */
export function inferIdentities(docs: Array<{ meta: DocMeta; text: string; sections: Section[] }>): void {
  const known = new Set(docs.map((d) => d.meta.number).filter((n): n is string => !!n).map(numberKey));
  // Each text's number references are found once, not once per document that lacks a number.
  const refsCache = new Map<(typeof docs)[number], NumberRef[]>();
  const refsOf = (o: (typeof docs)[number]) => refsCache.get(o) ?? refsCache.set(o, findNumberRefs(o.text)).get(o)!;
  // What a reference offers as evidence depends on the reference alone: worked out once per reference, not once
  // per document lacking a number (that was quadratic in the corpus size).
  const refFacts = new Map<NumberRef, { key: string; symbolKey: string; year: number | null; typeWord: string | null; before: string; after: string; ctxKeys: Set<string> }>();
  const factsOf = (o: (typeof docs)[number], ref: NumberRef) => {
    let f = refFacts.get(ref);
    if (!f) {
      const ctx = o.text.slice(Math.max(0, ref.start - 300), ref.end + 100);
      f = {
        key: numberKey(ref.number),
        symbolKey: numberKey(ref.number.replace(NUMBER_HEAD_U_RE, '')),
        year: ref.date ? +ref.date.slice(0, 4) : null,
        typeWord: ref.typeWord ? normalizeForMatch(ref.typeWord) : null,
        before: normalizeForMatch(o.text.slice(Math.max(0, ref.start - 120), ref.start)),
        after: normalizeForMatch(o.text.slice(ref.end, ref.end + 60)),
        ctxKeys: new Set(findNumberRefs(ctx).map((r) => numberKey(r.number))),
      };
      refFacts.set(ref, f);
    }
    return f;
  };
  for (const d of docs) {
    if (d.meta.number) continue;
    const header = d.text.slice(0, d.sections.find((s) => s.kind === 'header')?.end ?? 2000);
    const pat = blankNumberPattern(d.meta, d.text, header);
    const ownRefs = new Set([...d.meta.implements, ...d.meta.cites].map(numberKey));
    const issuerN = d.meta.issuer ? normalizeForMatch(d.meta.issuer) : null;
    const suffixKey = pat.suffix ? numberKey(pat.suffix) : null;
    const wanted = pat.typeWord ?? d.meta.type;
    const wantedN = wanted ? normalizeForMatch(wanted).replace(ACTION_SUFFIX_RE, '') : null;
    const typeN = d.meta.type && pat.typeWord ? normalizeForMatch(d.meta.type) : null;
    const implementsKeys = d.meta.implements.map(numberKey);
    let best: { score: number; ref: NumberRef; other: (typeof docs)[number] } | null = null;
    for (const o of docs) {
      if (o === d) continue;
      for (const ref of refsOf(o)) {
        const f = factsOf(o, ref);
        if (known.has(f.key) || ownRefs.has(f.key)) continue;
        let score = 0;
        if (suffixKey && f.symbolKey === suffixKey) score += 3;
        if (pat.year && f.year === pat.year) score += 1;
        if (wantedN !== null && f.typeWord !== null && f.typeWord === wantedN) score += 2;
        if (typeN !== null && f.before.includes(typeN)) score += 2;
        if (issuerN && (f.after.includes(`của ${issuerN}`) || f.before.includes(`của ${issuerN}`))) score += 2;
        if (implementsKeys.some((k) => f.ctxKeys.has(k))) score += 1;
        if (!best || score > best.score) best = { score, ref, other: o };
      }
    }
    if (best && best.score >= INFERENCE_MIN_SCORE) {
      const { ref, other } = best;
      const sentStart = Math.max(0, other.text.lastIndexOf('\n', ref.start) + 1, ref.start - 200);
      let sentEnd = other.text.indexOf('\n', ref.end);
      if (sentEnd < 0 || sentEnd - ref.end > 200) sentEnd = Math.min(other.text.length, ref.end + 120);
      const evidence = other.text.slice(sentStart, sentEnd).trim();
      d.meta.number = ref.number;
      d.meta.numberInferred = { value: ref.number, inferred: true, evidence, fromDocId: other.meta.id };
      if (!d.meta.date && ref.date) {
        d.meta.date = ref.date;
        d.meta.dateInferred = { value: ref.date, inferred: true, evidence, fromDocId: other.meta.id };
      }
      known.add(numberKey(ref.number));
    }
  }
}

/** Applies a `<file>.meta.json` sidecar: any DocMeta field given there replaces the extracted value. */
export function applySidecar(meta: DocMeta, sidecar: Record<string, unknown>): DocMeta {
  const allowed = new Set(Object.keys(meta));
  const out = { ...meta } as Record<string, unknown>;
  for (const [k, v] of Object.entries(sidecar)) {
    if (!allowed.has(k) || k === 'id' || k === 'file') throw new Error(`sidecar for ${meta.file}: unknown or read-only field "${k}"`);
    out[k] = v;
  }
  return out as unknown as DocMeta;
}
