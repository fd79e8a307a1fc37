// Document metadata (type, number, date, issuer, signer, trích yếu, references) and cross-document identity inference.
import type { DocMeta, Section } from '../doc/types.ts';
import { foldDiacritics, normalizeForMatch } from '../text/normalize.ts';
import { parseVietDate } from '../doc/dates.ts';
import { findNumberRefs, normalizeDocNumber, numberKey, type NumberRef } from '../doc/numbers.ts';

/** Document types in the order they are tried against the header's capitalised title line. */
const DOC_TYPES: Array<[RegExp, string]> = [
  [/^CHƯƠNG TRÌNH HÀNH ĐỘNG/u, 'Chương trình hành động'],
  [/^KẾ HOẠCH HÀNH ĐỘNG/u, 'Kế hoạch hành động'],
  [/^KẾ HOẠCH/u, 'Kế hoạch'],
  [/^QUYẾT ĐỊNH/u, 'Quyết định'],
  [/^NGHỊ QUYẾT/u, 'Nghị quyết'],
  [/^CHỈ THỊ/u, 'Chỉ thị'],
  [/^KẾT LUẬN/u, 'Kết luận'],
  [/^THÔNG TƯ/u, 'Thông tư'],
  [/^NGHỊ ĐỊNH/u, 'Nghị định'],
  [/^CÔNG VĂN/u, 'Công văn'],
  [/^ĐỀ ÁN/u, 'Đề án'],
  [/^BÁO CÁO/u, 'Báo cáo'],
];

/** Minimum evidence score for accepting an identity that only another document reveals. */
export const INFERENCE_MIN_SCORE = 5;


/** Turns an all-capitals agency name into the spelling the document uses elsewhere, when it does. */
function recase(caps: string, text: string): string {
  const pattern = caps
    .normalize('NFC')
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[-–]/g, '[-–]'))
    .join('\\s+');
  const re = new RegExp(pattern, 'giu');
  for (const m of text.normalize('NFC').matchAll(re)) {
    if (m[0] !== m[0].toUpperCase()) return m[0].replace(/\s+/g, ' ');
  }
  return caps.charAt(0) + caps.slice(1).toLowerCase();
}


function headerLines(text: string, header: Section | undefined): string[] {
  const end = header ? header.end : Math.min(text.length, 3000);
  return text.slice(0, end).split('\n').map((l) => l.replace(/\*/g, '').trim());
}

/**
 * Extracts the document's own metadata from its header, signature block and opening paragraphs.
 * Identities revealed only by other documents are added later by {@link inferIdentities}.
 */
export function extractMetadata(args: { id: string; file: string; text: string; sections: Section[] }): DocMeta {
  const { id, file, text, sections } = args;
  const header = sections.find((s) => s.kind === 'header');
  const lines = headerLines(text, header);

  let numberRaw: string | null = null;
  let number: string | null = null;
  const soLine = lines.find((l) => /^Số\s*:/u.test(l));
  if (soLine) {
    numberRaw = soLine.replace(/^Số\s*:\s*/u, '').trim();
    number = normalizeDocNumber(numberRaw);
  }

  let date: string | null = null;
  let dateRaw: string | null = null;
  const dateLine = lines.find((l) => /^[\p{L} .]+,\s*ngày\b/u.test(l));
  if (dateLine) {
    dateRaw = dateLine;
    date = parseVietDate(dateLine.replace(/^[^,]+,\s*/u, ''));
  }

  let type: string | null = null;
  let typeIdx = -1;
  for (let i = 0; i < lines.length && type === null; i++) {
    const l = lines[i]!;
    if (l === 'QUYẾT ĐỊNH:') continue;
    for (const [re, t] of DOC_TYPES) {
      if (re.test(l) && l === l.toUpperCase()) {
        type = t;
        typeIdx = i;
        break;
      }
    }
  }

  // Trích yếu: the line after the type line, plus short continuation lines.
  let summary: string | null = null;
  if (typeIdx >= 0) {
    const typeLine = lines[typeIdx]!;
    const tail = typeLine.replace(/^(CHƯƠNG TRÌNH HÀNH ĐỘNG|KẾ HOẠCH HÀNH ĐỘNG|KẾ HOẠCH|QUYẾT ĐỊNH)\s*/u, '');
    const parts: string[] = [];
    let first = true;
    for (let i = typeIdx + 1; i < lines.length && parts.length < 8; i++) {
      const l = lines[i]!;
      if (!l) continue;
      if (!first && (l.length >= 160 || /^(\(|Căn cứ|Thực hiện\s+\S+\s+số)/u.test(l) || l === l.toUpperCase())) break;
      if (first && l === l.toUpperCase()) break;
      parts.push(l);
      first = false;
    }
    summary = parts.join(' ').replace(/\s+/g, ' ').trim() || null;
    if (tail && /CỦA/u.test(tail)) summary = summary; // e.g. `CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA CHÍNH PHỦ`
  }

  // Signature: title lines then the signer's name (the last non-empty line of the block).
  let signer: string | null = null;
  let signerTitle: string | null = null;
  let signOnBehalf: string | null = null;
  const sig = sections.find((s) => s.kind === 'signature');
  if (sig) {
    const sl = text.slice(sig.start, sig.end).split('\n').map((l) => l.replace(/\*/g, '').trim()).filter(Boolean);
    if (sl.length >= 2) {
      signer = sl[sl.length - 1]!;
      const titles = sl.slice(0, -1);
      const tm = titles.find((t) => /^(T\/M|TM\.)\s*/u.test(t));
      if (tm) signOnBehalf = tm.replace(/^(T\/M|TM\.)\s*/u, '');
      signerTitle = titles[titles.length - 1] ?? null;
      if (signerTitle && /^(T\/M|TM\.)/u.test(signerTitle)) signerTitle = signerTitle; // signs on behalf, no personal title
    }
  }

  // Issuer: T/M line, the capitalised agency lines above `Số:`, or `X ban hành Kế hoạch`.
  let issuer: string | null = null;
  if (signOnBehalf) issuer = recase(signOnBehalf, text);
  const typeTitle = typeIdx >= 0 ? lines[typeIdx]! : '';
  const cuaM = /\bCỦA\s+(.+)$/u.exec(typeTitle);
  if (cuaM) issuer = recase(cuaM[1]!.trim(), text);
  if (!issuer) {
    const soIdx = soLine ? lines.indexOf(soLine) : -1;
    const caps = lines.slice(0, soIdx > 0 ? soIdx : 0).filter((l) => l && l === l.toUpperCase() && /\p{L}/u.test(l) && !/CỘNG HÒA|Độc lập/u.test(l));
    if (caps.length) issuer = recase(caps[caps.length - 1]!, text);
  }
  if (!issuer) {
    const bt = lines.find((l) => /^BỘ TRƯỞNG BỘ\s/u.test(l));
    if (bt) issuer = recase(bt.replace(/^BỘ TRƯỞNG\s+/u, ''), text);
  }
  if (!issuer) {
    const bm = /([\p{Lu}][\p{L}\s\-–]{3,80}?)\s+ban hành\s+(?:Kế hoạch|Chương trình|Quyết định)/u.exec(text.slice(0, header?.end ?? 3000));
    if (bm) issuer = bm[1]!.trim().split(/,\s*/).pop() ?? null;
  }
  if (!issuer) {
    const bt = lines.find((l) => /^BỘ TRƯỞNG BỘ\s/u.test(l));
    if (bt) issuer = recase(bt.replace(/^BỘ TRƯỞNG\s+/u, ''), text);
  }

  // References: numbers in the trích yếu and header (`Thực hiện…`, `Căn cứ…`) are what it implements.
  const headerText = text.slice(0, header?.end ?? 0);
  const own = number ? numberKey(number) : null;
  const implementsSet = new Set<string>();
  for (const r of findNumberRefs(headerText)) {
    const ctx = normalizeForMatch(headerText.slice(Math.max(0, r.start - 400), r.start));
    if (numberKey(r.number) === own) continue;
    if (/(thực hiện|căn cứ|kèm theo)/u.test(ctx) && /^(NQ|KH|CTr|QĐ|KL|CT)/u.test(r.number.replace(/^\d+(?:\/\d{4})?[-/]/, ''))) {
      if (!/NĐ-CP$/u.test(r.number)) implementsSet.add(r.number);
    }
  }
  const cites = [...new Set(findNumberRefs(text).map((r) => r.number))].filter((n) => numberKey(n) !== own);

  const title = [type ?? 'Văn bản', summary ? summary.charAt(0).toLowerCase() + summary.slice(1) : '']
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();

  return {
    id, file, type, number, numberRaw, numberInferred: null, date, dateRaw, dateInferred: null,
    issuer, signer, signerTitle, title: title.length > 200 ? title.slice(0, 200).replace(/\s+\S*$/u, '') + '…' : title,
    summary, implements: [...implementsSet], cites,
  };
}

/** Suffix and year of a blank number: `Số: /KH-SLĐTBXH`, `Kèm theo Nghị quyết số: /NQ-CP ngày tháng năm 2024`. */
function blankNumberPattern(meta: DocMeta, text: string, header: string): { suffix: string | null; year: number | null; typeWord: string | null } {
  let suffix: string | null = null;
  let typeWord: string | null = null;
  if (meta.numberRaw && !meta.number) suffix = meta.numberRaw.replace(/^[\s/]+/, '').replace(/\s+/g, '');
  const kt = /Kèm theo\s+(Nghị quyết|Quyết định)\s+số\s*:?\s*\/\s*([\p{L}\d\-]+)[^)]*?năm\s+(\d{4})/u.exec(header);
  if (kt) {
    typeWord = kt[1]!;
    suffix = kt[2]!;
    return { suffix, year: +kt[3]!, typeWord };
  }
  const y = /năm\s+(\d{4})/u.exec(meta.dateRaw ?? '');
  return { suffix, year: y ? +y[1]! : null, typeWord };
}

/**
 * Fills `number`/`date` of documents whose text leaves them blank, from passages of OTHER documents
 * that name them (`Kế hoạch số 19-KH/TW ngày 27/11/2023 của Bộ Chính trị`), recording the evidence.
 * Candidates are scored on symbol suffix, year, type word, issuer and shared references.
 */
export function inferIdentities(docs: Array<{ meta: DocMeta; text: string; sections: Section[] }>): void {
  const known = new Set(docs.map((d) => d.meta.number).filter((n): n is string => !!n).map(numberKey));
  for (const d of docs) {
    if (d.meta.number) continue;
    const header = d.text.slice(0, d.sections.find((s) => s.kind === 'header')?.end ?? 2000);
    const pat = blankNumberPattern(d.meta, d.text, header);
    const ownRefs = new Set([...d.meta.implements, ...d.meta.cites].map(numberKey));
    const issuerN = d.meta.issuer ? normalizeForMatch(d.meta.issuer) : null;
    let best: { score: number; ref: NumberRef; other: (typeof docs)[number] } | null = null;
    for (const o of docs) {
      if (o === d) continue;
      for (const ref of findNumberRefs(o.text)) {
        const key = numberKey(ref.number);
        if (known.has(key) || ownRefs.has(key)) continue;
        const symbol = ref.number.replace(/^\d+(?:\/\d{4})?[-/]/u, '');
        let score = 0;
        if (pat.suffix && numberKey(symbol) === numberKey(pat.suffix)) score += 3;
        if (pat.year && ref.date && +ref.date.slice(0, 4) === pat.year) score += 1;
        const wanted = pat.typeWord ?? d.meta.type;
        if (wanted && ref.typeWord && normalizeForMatch(ref.typeWord) === normalizeForMatch(wanted).replace(/ hành động$/u, '')) score += 2;
        const before = normalizeForMatch(o.text.slice(Math.max(0, ref.start - 120), ref.start));
        const after = normalizeForMatch(o.text.slice(ref.end, ref.end + 60));
        if (d.meta.type && pat.typeWord && before.includes(normalizeForMatch(d.meta.type))) score += 2;
        if (issuerN && (after.includes(`của ${issuerN}`) || before.includes(`của ${issuerN}`))) score += 2;
        const ctx = o.text.slice(Math.max(0, ref.start - 300), ref.end + 100);
        if (findNumberRefs(ctx).some((r) => d.meta.implements.some((i) => numberKey(i) === numberKey(r.number)))) score += 1;
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
