// Answer composition: citations, document and unit names in the asker's language, the answer-first layout
// (lead line, at most a few supporting quotes, notes last) and the length limit.
import { englishDate, englishMonth } from '../doc/dates.ts';
import { sectionAt } from '../doc/sections.ts';
import { citationLabel, documentEn, documentVi } from '../doc/label.ts';
import type { Citation, DocMeta, Obligation } from '../doc/types.ts';
import type { DocumentStore } from '../store/ports.ts';
import type { Retrieved } from '../retrieve/retriever.ts';

/** A lower-case first letter, e.g. the `n` of `nghị quyết`. */
const LOWER_FIRST_RE = /^\p{Ll}/u;
/** A trailing partial word with the space before it, e.g. ` Thương b` at the end of `Bộ Lao động - Thương b`. */
const TRAILING_PARTIAL_WORD_RE = /\s+\S*$/;
/** A numbered citation mark, e.g. `[3]` (the number is captured). */
const CITATION_MARK_RE = /\[(\d{1,3})\]/g;

/** Passages returned with every answer (recall is measured on them). */
export const PASSAGES_RETURNED = 10;
/** A quote cut for length keeps at least this many characters. */
export const MIN_CUT_QUOTE_CHARS = 120;

/** What composition needs to know about names (units, document types, topics) in English. */
export interface Naming {
  /** English name of a Vietnamese unit or document-type phrase, when the gazetteer or glossary knows it. */
  english(vi: string): string | null;
  /** English names of the policy topics a Vietnamese passage mentions (glossary), in order. */
  topicsEn(viText: string): string[];
}

/** Collects the answer's citations; a cited span outside the returned passages is added as a passage. */
export class Citer {
  readonly list: Citation[] = [];
  readonly extraPassages: Retrieved['chunk'][] = [];
  constructor(private readonly docs: DocumentStore, private readonly retrieved: Retrieved[], private readonly lang: 'vi' | 'en' = 'vi') {}

  /**
   * Cites text[start, end) of a document; returns its marker number (the same span is cited once). The section is the
   * deepest one holding the span, unless `section` names one that holds it (a law's adoption sentence is its closing's
   * as well as its last clause's).
   */
  cite(docId: string, start: number, end: number, section?: string): number {
    const d = this.docs.get(docId)!;
    const quote = d.text.slice(start, end).trim();
    const existing = this.list.find((c) => c.docId === docId && (c.quote === quote || (c.quote.includes(quote) && quote.length > 40)));
    if (existing) return existing.n;
    const own = section ? d.sections.find((x) => x.path === section && x.start <= start && end <= x.end) : undefined;
    const path = own?.path ?? sectionAt(d.sections, start, end)?.path ?? '';
    const n = this.list.length + 1;
    this.list.push({ n, docId, docNumber: d.meta.number, docTitle: d.meta.title, section: path, label: citationLabel(d.meta, path, this.lang), quote, file: d.meta.file });
    if (!this.retrieved.slice(0, PASSAGES_RETURNED).some((r) => r.chunk.docId === docId && r.chunk.start <= start && end <= r.chunk.end)) {
      this.extraPassages.push({ id: `${docId}@${start}`, docId, section: path, breadcrumb: '', text: quote, start, end, indexText: quote });
    }
    return n;
  }

  section(n: number): string {
    return this.list[n - 1]?.section ?? '';
  }

  /** The citation's label as a person writes it ("khoản 1 Điều 105 Bộ luật Lao động số 45/2019/QH14"). */
  label(n: number): string {
    return this.list[n - 1]?.label ?? '';
  }
}

/** How a document is named in a Vietnamese answer: a law by its name and number, else its number, else its type, issuer and place. */
export function citeLabel(meta: DocMeta): string {
  // A law or code is named as people name it: "Bộ luật Lao động số 45/2019/QH14".
  if (meta.name) return documentVi(meta);
  if (meta.number) return meta.number;
  const place = meta.dateRaw?.split(',')[0]?.trim();
  const who = [meta.issuer, place].filter(Boolean).join(', ');
  return who ? `${meta.type ?? 'Văn bản'} (${who})` : meta.title;
}

/** How a document is named in an English answer: "Labour Code No. 45/2019/QH14", "Action Programme 68/NQ-CP", "the plan of the … (Sở …)". */
export function citeLabelEn(meta: DocMeta, naming: Naming): string {
  // A law or code: "Labour Code No. 45/2019/QH14", never "Document 45/2019/QH14".
  if (meta.name) return documentEn(meta);
  const type = meta.type ? naming.english(meta.type) : null;
  const typeEn = type ? type.replace(LOWER_FIRST_RE, (c) => c.toUpperCase()) : 'Document';
  if (meta.number) return `${typeEn} ${meta.number}`;
  const issuer = meta.issuer ? naming.english(meta.issuer) : null;
  const place = meta.dateRaw?.split(',')[0]?.trim();
  if (issuer) return `the ${typeEn.toLowerCase()} of the ${issuer}${place ? ` (${place})` : ''}`;
  return `the ${typeEn.toLowerCase()}${meta.issuer ? ` of “${meta.issuer}”` : ''}`;
}

/** Names units in English answers: English name with the Vietnamese in parentheses on first mention. */
export class UnitNamer {
  private readonly seen = new Set<string>();
  constructor(private readonly naming: Naming, private readonly en: boolean) {}

  name(vi: string): string {
    if (!this.en) return vi;
    const e = this.naming.english(vi);
    if (!e) return `“${vi}”`;
    if (this.seen.has(vi)) return e;
    this.seen.add(vi);
    return `${e} (${vi})`;
  }

  list(vis: string[]): string {
    const names = vis.map((v) => this.name(v));
    if (!this.en || names.length < 2) return names.join(', ');
    return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  }
}

const ROMAN_Q: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4 };
/** A quarter as written: `quý I/2024`, `Quý II năm 2025`. */
const QUARTER_RE = /quý\s+([IV]+)\s*\/?\s*(?:năm\s+)?(\d{4})/iu;

/** English rendering of a register deadline: "before 15 December each year", "in Q1 2024", "ongoing". */
export function deadlineEnglish(d: NonNullable<Obligation['deadline']>): string | null {
  const dm = d.day && d.month ? `${d.day} ${englishMonth(d.month)}` : null;
  switch (d.type) {
    case 'annual':
      return dm ? `before ${dm} each year` : 'annually';
    case 'date':
    {
      const day = d.start ?? d.end;
      return day ? `by ${englishDate(day)}` : d.raw;
    }
    case 'quarter': {
      const m = QUARTER_RE.exec(d.raw);
      return m ? `in Q${ROMAN_Q[m[1]!.toUpperCase()] ?? m[1]} ${m[2]}` : 'within the quarter stated';
    }
    case 'year':
      return d.start ? `in ${d.start.slice(0, 4)}` : d.raw;
    case 'range':
      return d.start && d.end ? `${d.start.slice(0, 4)}–${d.end.slice(0, 4)}` : d.raw;
    case 'ongoing':
      return d.start ? `ongoing, from ${d.start.slice(0, 4)}` : 'ongoing (regularly)';
    case 'period':
      // A period inside one month ("trong tháng 12/2023") is that month; other wordings are shown as written.
      if (d.start && d.end && d.start.slice(0, 7) === d.end.slice(0, 7)) return `in ${englishMonth(+d.start.slice(5, 7))} ${d.start.slice(0, 4)}`;
      return null;
    default:
      // A period stated in words ("đầu tháng 12/2023") is shown as written rather than guessed at.
      return null;
  }
}

/** A deadline in an English sentence, with the Vietnamese wording in parentheses. */
export function deadlinePhraseEn(d: NonNullable<Obligation['deadline']>): string {
  const e = deadlineEnglish(d);
  if (!e || e === d.raw) return `as stated: “${d.raw}”`;
  return `${d.type === 'range' ? `in ${e}` : e} (${d.raw})`;
}

/** A task-register record as one Vietnamese line: lead, partners, deadline, recipient, approval. */
export function registerLineVi(o: Obligation, n: number): string {
  const parts: string[] = [];
  if (o.lead.length) parts.push(`Đơn vị chủ trì: ${o.lead.join(', ')}`);
  if (o.partners.length) parts.push(`Phối hợp: ${o.partners.join(', ')}`);
  if (o.deadline) parts.push(`Thời hạn: ${o.deadline.raw}`);
  if (o.recipient) parts.push(`Báo cáo/gửi: ${o.recipient}${o.via ? ` (qua ${o.via})` : ''}`);
  if (o.approval) parts.push(`Cấp trình/phê duyệt: ${o.approval}`);
  return `${parts.join('; ')} [${n}]`;
}

/** A task-register record as one English sentence: "X leads, with Y, by …, reporting to Z [n]." */
export function registerSentenceEn(o: Obligation, n: number, names: UnitNamer, where: string): string {
  const bits: string[] = [];
  const lead = o.lead.length ? names.list(o.lead) : 'The unit named';
  bits.push(`${lead} ${o.lead.length > 1 ? 'are' : 'is'} the lead unit${where ? ` under ${where}` : ''}`);
  if (o.partners.length) bits.push(`working with ${names.list(o.partners)}`);
  if (o.deadline) bits.push(`deadline ${deadlinePhraseEn(o.deadline)}`);
  if (o.recipient) bits.push(`reporting or submitting to ${names.name(o.recipient)}${o.via ? ` via ${names.name(o.via)}` : ''}`);
  if (o.approval) bits.push(`approval level: “${o.approval}”`);
  return `${bits.join('; ')} [${n}].`;
}

/** One line of an answer: the marker numbers it uses are read from its text. */
export interface AnswerParts {
  lead: string[];
  support: string[];
  notes: string[];
}

/** Quotes inside an answer line: “…”. */
const QUOTE_SPAN = /“([^”]*)”/g;

/** Shortens the quotes of a line (the citation keeps the whole quote) so the line fits `max` characters. */
function cutQuotes(line: string, max: number): string {
  if (line.length <= max) return line;
  const over = line.length - max;
  const quotes = [...line.matchAll(QUOTE_SPAN)].map((m) => m[1]!.length);
  const total = quotes.reduce((a, b) => a + b, 0);
  if (!total) return line;
  return line.replace(QUOTE_SPAN, (_, q: string) => {
    const keep = Math.max(MIN_CUT_QUOTE_CHARS, Math.floor(q.length - (over * q.length) / total) - 1);
    return q.length <= keep ? `“${q}”` : `“${q.slice(0, keep).replace(TRAILING_PARTIAL_WORD_RE, '')} …”`;
  });
}

/** Trailing citation markers of a line: ` [2] [3].` */
const TRAILING_MARKERS = /(?:\s*\[\d{1,3}\])+\.?\s*$/;

/** Fits a line into `max` characters: quotes shortened first, then the text cut before its trailing markers. */
function cutLine(line: string, max: number): string {
  const q = cutQuotes(line, max);
  if (q.length <= max) return q;
  const markers = TRAILING_MARKERS.exec(q)?.[0] ?? '';
  const body = q.slice(0, q.length - markers.length);
  const room = Math.max(20, max - markers.length - 2);
  return `${body.slice(0, room).replace(TRAILING_PARTIAL_WORD_RE, '')} …${markers}`;
}

/**
 * Puts the parts together within `maxChars`: the lead always (its quotes shortened when needed), then
 * supporting lines and notes while they fit. Citations no kept line uses are dropped and the rest
 * renumbered 1..k in order of first use.
 */
export function finalize(parts: AnswerParts, citations: Citation[], maxChars: number): { answer: string; citations: Citation[] } {
  const [first = '', ...restLead] = parts.lead.filter(Boolean);
  // The opening line always stays (its quotes shortened when it alone is too long); the rest while they fit.
  const lines = [cutLine(first, maxChars)];
  let used = lines[0]!.length;
  const seen = new Set(lines);
  for (const l of [...restLead, ...parts.support, ...parts.notes]) {
    if (!l || seen.has(l)) continue;
    let line = l;
    if (used + line.length + 1 > maxChars) {
      line = cutQuotes(l, maxChars - used - 1);
      if (line === l || used + line.length + 1 > maxChars) continue;
    }
    lines.push(line);
    seen.add(l);
    used += line.length + 1;
  }
  const text = lines.join('\n');
  const order: number[] = [];
  for (const m of text.matchAll(CITATION_MARK_RE)) {
    const n = Number(m[1]);
    if (!order.includes(n) && citations.some((c) => c.n === n)) order.push(n);
  }
  const renum = new Map(order.map((n, i) => [n, i + 1]));
  const answer = text.replace(CITATION_MARK_RE, (m, d: string) => (renum.has(Number(d)) ? `[${renum.get(Number(d))}]` : m));
  const kept = order.map((n, i) => ({ ...citations.find((c) => c.n === n)!, n: i + 1 }));
  return { answer, citations: kept };
}
