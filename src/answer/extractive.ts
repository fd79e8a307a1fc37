// Extractive answerer (offline default): answers from retrieved sections, the task register and the registry.
import { foldDiacritics, hasNoDiacritics, normalizeForMatch, tokenize } from '../text/normalize.ts';
import { findNumberRefs, numberKey } from '../doc/numbers.ts';
import { SIGNATURE_PATH, sectionAt } from '../doc/sections.ts';
import type { Retrieved } from '../retrieve/retriever.ts';
import { STOP_FOLDED } from '../text/stopwords.ts';
import type { QueryAnalysis } from '../retrieve/query.ts';
import type { DocumentStore, StoredDoc } from '../store/ports.ts';
import type { AskResult, Citation, DocMeta, Obligation, Passage } from '../doc/types.ts';
import { docLabel } from '../doc/sections.ts';
import { sentenceTerms, splitSentences, type Sentence } from '../text/sentences.ts';

/** Passages whose sentences are candidates for quotes. */
export const QUOTE_PASSAGES = 6;
/** A second or third quote must score at least this share of the best one. */
export const SECONDARY_QUOTE_RATIO = 0.72;
/** Quotes shorter than this are extended with the next sentence on the same line. */
export const SHORT_QUOTE_CHARS = 60;
/** Sentences from documents the question does not name (when it names some) count for less. */
export const OUTSIDE_DOC_FACTOR = 0.75;
/** Sentences inside a section the question names count for more. */
export const NAMED_SECTION_FACTOR = 1.5;
/** Weight of question terms found only in the sentence's section breadcrumb or document label (0–1):
 * a bullet under "2. Ban cán sự đảng Chính phủ" is about that unit. */
export const CONTEXT_WEIGHT = 0.5;
/** Most quotes in one answer. */
export const MAX_QUOTES = 4;
/** Below this share of the question's weighted terms found in the best sentence, the answer is refused. */
export const MIN_COVERAGE = 0.3;
/** Compare questions name two things, so each sentence covers less of the question. */
export const MIN_COVERAGE_COMPARE = 0.15;
/** The question's rarest policy phrase must occur in one of this many top passages. */
export const FOCUS_PASSAGES = 5;
/** Task-register records quoted per document, and in all, for who/when questions. */
export const REGISTER_PER_DOC = 2;
export const REGISTER_MAX = 6;
/** Register records shown for the assignments found in the best quotes. */
export const QUOTED_REGISTER_MAX = 3;
/** Passages returned with every answer (recall is measured on them). */
export const PASSAGES_RETURNED = 10;

export interface RegisterView {
  /** English name of a Vietnamese unit name, when the gazetteer knows it. */
  englishName(vi: string): string | null;
  /** Units named in a text (canonical Vietnamese names). */
  unitsIn(text: string): string[];
}

export interface AnswerContext {
  docs: DocumentStore;
  obligations: Obligation[];
  register: RegisterView;
  /** Inverse document frequency of a folded term (syllable or `a_b` bigram). */
  idf(term: string): number;
  /** Vietnamese phrases the glossary adds for the question (English questions). */
  expansion: string[];
  /** Policy phrases the question names, each with its alternative Vietnamese spellings. */
  focusGroups: string[][];
  /** Number of chunks whose text mentions a phrase (folded matching). */
  phraseDf(phrase: string): number;
  /** Task kinds the question asks about (report, issue-plan, …). */
  askedKinds: string[];
  /** Corpus documents named by the question, then those implementing them, in lineage order. */
  relatedDocs: string[];
  /** Provinces, cities or regions the question names (Vietnamese spelling). */
  placesAsked: string[];
  /** The province or city a document belongs to, when its header says. */
  placeOf(docId: string): string | null;
}

interface Candidate {
  docId: string;
  sentence: Sentence;
  rank: number;
  score: number;
  /** Share of the question's weighted terms in the sentence. */
  coverage: number;
  /** The same, counting terms found in the document label and section breadcrumb too (for refusing). */
  contextCoverage: number;
}

const DEADLINE_RE = /(trước ngày|hằng năm|hàng năm|định kỳ|quý\s+[IV]+|năm\s+20\d\d|tháng\s+\d{1,2}\/20\d\d|thường xuyên|\d{1,2}\/\d{1,2}\/20\d\d|hoàn thành|giai đoạn\s+20\d\d)/iu;
const ASSIGN_RE = /(chủ trì|phối hợp|giao\s|chịu trách nhiệm|là cơ quan|có trách nhiệm|đề nghị|chỉ đạo|báo cáo)/iu;
const MONEY_Q = /\b(ty dong|trieu dong|dong\/thang|dong\/nam|vnd|dong moi thang|budget|kinh phi|ngan sach|funding|funds?|spend|spending|cost|costs|muc chuan|bao nhieu dong|how much money|allowance amount)\b/;
const PERSON_Q = /\bwho (is|was|are) (the )?(current |present |new )?(deputy )?(minister|vice minister|chairman|chairwoman|chair|director|secretary|president|governor|prime minister)\b|\b(ai|nguoi nao) (la|dang la|hien la|giu chuc) (bo truong|thu truong|chu tich|pho chu tich|giam doc|pho giam doc|bi thu|thu tuong|truong ban)\b/;
const MONEY_A = /\d[\d.,]*\s*(?:tỷ|triệu|nghìn|ngàn)?\s*(?:đồng|VNĐ|VND)\b/iu;

function fmtDate(iso: string | null): string | null {
  if (!iso) return null;
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** How a document is named in an answer: its number, else its type, issuer and place. */
export function citeLabel(meta: DocMeta): string {
  if (meta.number) return meta.number;
  const place = meta.dateRaw?.split(',')[0]?.trim();
  const who = [meta.issuer, place].filter(Boolean).join(', ');
  return who ? `${meta.type ?? 'Văn bản'} (${who})` : meta.title;
}

/** Weighted folded terms of the question and its glossary expansion (stopwords removed). */
function questionWeights(q: QueryAnalysis, ctx: AnswerContext): Map<string, number> {
  const w = new Map<string, number>();
  const add = (text: string, factor: number) => {
    const toks = tokenize(text).map((t) => foldDiacritics(t));
    for (const t of toks) if (!STOP_FOLDED.has(t) && !/^\d+$/.test(t)) w.set(t, Math.max(w.get(t) ?? 0, factor * ctx.idf(t)));
    for (let i = 0; i + 1 < toks.length; i++) {
      const a = toks[i]!;
      const b = toks[i + 1]!;
      if (STOP_FOLDED.has(a) || STOP_FOLDED.has(b)) continue;
      const bg = `${a}_${b}`;
      w.set(bg, Math.max(w.get(bg) ?? 0, factor * 1.2 * ctx.idf(bg)));
    }
  };
  if (q.language === 'vi') add(q.question, 1);
  // Vietnamese names quoted inside an English question ("the Đề án hỗ trợ trẻ em khuyết tật") count as asked.
  else add(q.question.split(/\s+/).filter((w) => !hasNoDiacritics(w)).join(' '), 1);
  for (const e of ctx.expansion) add(e, q.language === 'en' ? 1 : 0.5);
  // Document numbers and section names in the question are for finding the place, not the sentence.
  for (const r of q.docRefs) for (const t of tokenize(r.raw).map((x) => foldDiacritics(x))) w.delete(t);
  for (const r of q.sectionRefs) {
    const toks = tokenize(r.prefix).map((x) => foldDiacritics(x));
    for (const t of toks) w.delete(t);
    for (let i = 0; i + 1 < toks.length; i++) w.delete(`${toks[i]}_${toks[i + 1]}`);
  }
  return w;
}

function intentBonus(q: QueryAnalysis, s: string, section: string): number {
  let b = 0;
  if ((q.intent === 'who' || q.intent === 'who+when') && ASSIGN_RE.test(s)) b += 0.12;
  if ((q.intent === 'when' || q.intent === 'who+when') && DEADLINE_RE.test(s)) b += 0.15;
  if (q.intent === 'number' && /\d/.test(s)) b += 0.12;
  if (q.intent === 'metadata' && /(số\s*:?\s*\d|\d{1,2}\/\d{1,2}\/\d{4}|ngày\s+\d)/u.test(s)) b += 0.12;
  if (q.intent === 'metadata' && section.startsWith(SIGNATURE_PATH) && /\b(ky|signed|signer|sign)\b/.test(foldDiacritics(normalizeForMatch(q.question)))) b += 0.4;
  return b;
}

/** Which registry field a metadata question asks for. */
function askedFields(q: QueryAnalysis): Set<'signer' | 'date' | 'number' | 'implements'> {
  const f = foldDiacritics(normalizeForMatch(q.question));
  const out = new Set<'signer' | 'date' | 'number' | 'implements'>();
  if (/\b(ngay|date|when|thang nam)\b/.test(f)) out.add('date');
  else if (/\b(ai ky|nguoi ky|ky thay mat|ky ban hanh|who signed|signed|signer|do ai ky)\b/.test(f)) out.add('signer');
  if (/\b(so hieu|what number|number and date|so bao nhieu|nghi quyet so bao nhieu|so va ngay|so hieu va ngay)\b/.test(f)) out.add('number');
  if (/\bwhich\b.*\b(resolution|plan|decision|program(me)?|document)\b.*\bimplements?\b/.test(f) || /\b(thuc hien|trien khai) (van ban|nghi quyet|ke hoach|quyet dinh|chuong trinh) nao\b/.test(f)) out.add('implements');
  return out;
}

/**
 * The corpus document a metadata question is about: one it names by number, or — when the number
 * follows "thực hiện / implementing / on / về" — the implementer whose type and issuer fit the question.
 */
function targetDoc(q: QueryAnalysis, ctx: AnswerContext, retrieved: Retrieved[]): StoredDoc | null {
  const f = foldDiacritics(normalizeForMatch(q.question));
  const candidates: string[] = [];
  for (const r of q.docRefs) {
    const at = f.indexOf(foldDiacritics(normalizeForMatch(r.raw)));
    const before = at > 0 ? f.slice(Math.max(0, at - 45), at) : '';
    const viaImplement = /\b(thuc hien|implementing|implement|on|ve|trien khai)\b[^,]{0,30}$/.test(before);
    // The question is about the referenced document itself; outside the corpus, the registry knows nothing.
    if (!viaImplement) candidates.push(...r.docIds);
    else candidates.push(...r.implementerIds, ...r.docIds);
  }
  const qTerms = new Set(tokenize(q.question).map((t) => foldDiacritics(t)));
  for (const e of ctx.expansion) for (const t of tokenize(e)) qTerms.add(foldDiacritics(t));
  // No number given ("the Politburo plan"): a document whose issuer the question names.
  if (candidates.length === 0) {
    const asked = ` ${[fold(q.question), ...ctx.expansion.map(fold)].join(' ; ')} `;
    const byIssuer = ctx.docs.metas().filter((m) => m.issuer && asked.includes(` ${fold(m.issuer)}`));
    if (byIssuer.length !== 1) return null;
    candidates.push(byIssuer[0]!.id);
  }
  let best: { d: StoredDoc; s: number } | null = null;
  for (const id of new Set(candidates)) {
    const d = ctx.docs.get(id);
    if (!d) continue;
    const label = `${d.meta.type ?? ''} ${d.meta.issuer ?? ''} ${d.meta.dateRaw?.split(',')[0] ?? ''}`;
    const lt = tokenize(label).map((t) => foldDiacritics(t));
    let s = lt.length ? lt.filter((t) => qTerms.has(t)).length / lt.length : 0;
    const rank = retrieved.findIndex((r) => r.chunk.docId === id);
    if (rank >= 0) s += 0.1 / (1 + rank);
    if (!best || s > best.s) best = { d, s };
  }
  return best?.d ?? null;
}

export interface ExtractiveInput {
  q: QueryAnalysis;
  retrieved: Retrieved[];
  ctx: AnswerContext;
}

/** Collects the answer's citations; a cited span outside the returned passages is added as a passage. */
class Citer {
  readonly list: Citation[] = [];
  readonly extraPassages: Retrieved['chunk'][] = [];
  constructor(private readonly ctx: AnswerContext, private readonly retrieved: Retrieved[]) {}

  /** Cites text[start, end) of a document; returns its marker number (the same span is cited once). */
  cite(docId: string, start: number, end: number): number {
    const d = this.ctx.docs.get(docId)!;
    const quote = d.text.slice(start, end).trim();
    const existing = this.list.find((c) => c.docId === docId && c.quote === quote);
    if (existing) return existing.n;
    const section = sectionAt(d.sections, start, end)?.path ?? '';
    const n = this.list.length + 1;
    this.list.push({ n, docId, docNumber: d.meta.number, docTitle: d.meta.title, section, quote, file: d.meta.file });
    if (!this.retrieved.slice(0, PASSAGES_RETURNED).some((r) => r.chunk.docId === docId && r.chunk.start <= start && end <= r.chunk.end)) {
      this.extraPassages.push({ id: `${docId}@${start}`, docId, section, breadcrumb: '', text: quote, start, end, indexText: quote });
    }
    return n;
  }
}

/** Where a register record's evidence starts in its document (searched once per record, then remembered). */
const evidenceOffsets = new WeakMap<Obligation, number>();
function evidenceOffset(ctx: AnswerContext, o: Obligation): number {
  let at = evidenceOffsets.get(o);
  if (at === undefined) {
    at = ctx.docs.get(o.docId)?.text.indexOf(o.evidence) ?? -1;
    evidenceOffsets.set(o, at);
  }
  return at;
}

const fold = (x: string): string => foldDiacritics(normalizeForMatch(x));
const isWhoWhen = (q: QueryAnalysis): boolean => q.intent === 'who' || q.intent === 'when' || q.intent === 'who+when';

/** The whole line of a document around a span. */
function lineAround(text: string, start: number, end: number): { start: number; end: number } {
  const a = text.lastIndexOf('\n', start) + 1;
  const b = text.indexOf('\n', end);
  return { start: a, end: b < 0 ? text.length : b };
}

function lineText(ctx: AnswerContext, c: Candidate): string {
  const t = ctx.docs.get(c.docId)!.text;
  const l = lineAround(t, c.sentence.start, c.sentence.end);
  return t.slice(l.start, l.end);
}

interface RegistryAnswer {
  lines: string[];
  refusedReason: string | null;
  /** The registry answered the asked field itself (one supporting quote is then enough). */
  answered: boolean;
}

/** Metadata questions answered from the registry: date, signer, number, what a document implements. */
function answerFromRegistry(q: QueryAnalysis, ctx: AnswerContext, retrieved: Retrieved[], citer: Citer): RegistryAnswer {
  const out: RegistryAnswer = { lines: [], refusedReason: null, answered: false };
  if (q.intent !== 'metadata') return out;
  const en = q.language === 'en';
  const fields = askedFields(q);
  const target = targetDoc(q, ctx, retrieved);
  // "Which resolution (number and date) does X implement?": the number and date are the implemented one's.
  if (fields.has('implements')) {
    fields.delete('date');
    fields.delete('number');
  }
  if (!target || fields.size === 0) return out;
  const m = target.meta;
  const name = `${m.type ?? 'Văn bản'}${m.number ? ` ${m.number}` : ''}`;
  const inferredNote = en ? ' (inferred from another document)' : ' (suy ra từ văn bản khác)';
  const marker = (src: { docId: string; start: number; end: number } | null) => (src ? ` [${citer.cite(src.docId, src.start, src.end)}]` : '');
  if (fields.has('date')) {
    if (m.date) {
      const src = m.dateInferred ? locate(ctx, m.dateInferred.fromDocId, m.dateInferred.evidence) : locate(ctx, m.id, m.dateRaw ?? '');
      out.answered = true;
      out.lines.push(`${en ? `Date of ${name}` : `Ngày ban hành ${name}`}: ${fmtDate(m.date)}${m.dateInferred ? inferredNote : ''}${marker(src)}`);
    } else {
      out.refusedReason = en ? `The text of ${name} leaves its signing date blank, and no other document states it.` : `Văn bản ${name} để trống ngày ký ban hành và không văn bản nào khác nêu ngày này.`;
    }
  }
  if (fields.has('signer')) {
    if (m.signer) {
      const sig = target.sections.find((s) => s.kind === 'signature');
      out.answered = true;
      out.lines.push(`${en ? 'Signed by' : 'Người ký'}: ${m.signer}${m.signerTitle ? `, ${m.signerTitle}` : ''}${marker(sig ? { docId: m.id, start: sig.start, end: sig.end } : null)}`);
    } else {
      out.refusedReason = en ? `${name} carries no signature block: the signer is not stated in the document.` : `${name} không có phần chữ ký: văn bản không nêu người ký.`;
    }
  }
  if (fields.has('number') && !out.refusedReason) {
    if (m.number) {
      const src = m.numberInferred ? locate(ctx, m.numberInferred.fromDocId, m.numberInferred.evidence) : locate(ctx, m.id, m.numberRaw ? `Số: ${m.numberRaw}` : m.number);
      out.answered = true;
      out.lines.push(`${en ? 'Number' : 'Số hiệu'}: ${m.number}${m.date ? (en ? `, dated ${fmtDate(m.date)}` : `, ngày ${fmtDate(m.date)}`) : ''}${m.numberInferred ? inferredNote : ''}${marker(src)}`);
    } else if (!fields.has('date')) {
      out.refusedReason = en ? `${name} leaves its number blank and no other document states it.` : `Văn bản để trống số hiệu và không văn bản nào khác nêu số này.`;
    }
  }
  if (fields.has('implements') && m.implements.length) {
    const refs = findNumberRefs(target.text);
    const parts = m.implements.map((num) => {
      const same = (x: { number: string }) => numberKey(x.number) === numberKey(num);
      const r = refs.find((x) => same(x) && x.date) ?? refs.find(same);
      if (!r) return num;
      const line = lineAround(target.text, r.start, r.end);
      return `${num}${r.date ? (en ? ` of ${fmtDate(r.date)}` : ` ngày ${fmtDate(r.date)}`) : ''}${marker({ docId: m.id, ...line })}`;
    });
    out.answered = true;
    out.lines.push(`${en ? `${name} implements` : `${name} thực hiện`}: ${parts.join('; ')}`);
  }
  return out;
}

/**
 * "Who reports, by when": reporting duties of the documents the question names (and those implementing
 * them), by level, straight from the task register. Other duties are answered from matching sections.
 */
function reportingLines(q: QueryAnalysis, ctx: AnswerContext, citer: Citer): string[] {
  if (!isWhoWhen(q) || !ctx.askedKinds.includes('report') || ctx.relatedDocs.length === 0) return [];
  const picked: Obligation[] = [];
  for (const docId of ctx.relatedDocs) {
    const recs = ctx.obligations
      .filter((o) => o.docId === docId && o.kind === 'report')
      .map((o) => ({ o, s: (o.recipient ? 2 : 0) + (o.deadline ? 1 : 0) + (o.deadline?.type === 'annual' || o.deadline?.type === 'date' ? 1 : 0) }))
      .filter((x) => x.s >= 2)
      .sort((a, b) => b.s - a.s)
      .slice(0, REGISTER_PER_DOC);
    picked.push(...recs.map((x) => x.o));
  }
  const lines: string[] = [];
  for (const o of picked.slice(0, REGISTER_MAX)) {
    const d = ctx.docs.get(o.docId);
    const at = evidenceOffset(ctx, o);
    if (!d || at < 0) continue;
    const n = citer.cite(o.docId, at, at + o.evidence.length);
    lines.push(`${citeLabel(d.meta)} §${citer.list[n - 1]!.section} — ${registerLine(o, q.language === 'en', ctx.register, n)}`);
  }
  return lines;
}

/** Sentences of the top passages, scored by weighted coverage of the question, intent cues and rank. */
function collectCandidates(q: QueryAnalysis, retrieved: Retrieved[], ctx: AnswerContext): Candidate[] {
  const weights = questionWeights(q, ctx);
  const totalW = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
  const pool = retrieved.slice(0, QUOTE_PASSAGES);
  if (q.intent === 'compare') {
    // Each document among the top passages gets its best passage into the pool.
    for (const r of retrieved.slice(0, PASSAGES_RETURNED)) if (!pool.some((p) => p.chunk.docId === r.chunk.docId)) pool.push(r);
  }
  const cands: Candidate[] = [];
  const seen = new Set<string>();
  pool.forEach((r, rank) => {
    const d = ctx.docs.get(r.chunk.docId);
    if (!d) return;
    // A table row and a signature block are one statement each (`Trong đó …` continues the row).
    const whole = r.chunk.section.includes('/TT ') || r.chunk.section.includes('/STT ') || r.chunk.section.startsWith(SIGNATURE_PATH);
    const sentences = whole ? [{ start: r.chunk.start, end: r.chunk.end, text: r.chunk.text }] : splitSentences(d.text, r.chunk.start, r.chunk.end);
    const outside = ctx.relatedDocs.length > 0 && !ctx.relatedDocs.includes(r.chunk.docId);
    // The document's label and the section breadcrumb say what the sentence is about.
    const context = sentenceTerms(`${docLabel(d.meta)} ${r.chunk.breadcrumb}`);
    // A section the question names ("Article 2", "Phụ lục II") is where the quote should come from.
    const inNamedSection = q.sectionRefs.some((ref) => r.chunk.section === ref.prefix || r.chunk.section.startsWith(`${ref.prefix}/`) || r.chunk.section.startsWith(`${ref.prefix}.`));
    for (const s of sentences) {
      const key = `${r.chunk.docId}:${s.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // A table row is read with its header row (the header says what each cell means).
      const rowHeader = s.text.includes('\t') ? sectionAt(d.sections, s.start, s.end)?.header : undefined;
      const terms = sentenceTerms(rowHeader ? `${rowHeader.join(' ')} ${s.text}` : s.text);
      let got = 0;
      let inContext = 0;
      for (const [t, w] of weights) {
        if (terms.has(t)) got += w;
        else if (context.has(t)) inContext += w;
      }
      const coverage = got / totalW;
      const contextCoverage = (got + inContext) / totalW;
      const score = (coverage + CONTEXT_WEIGHT * (contextCoverage - coverage) + intentBonus(q, s.text, r.chunk.section) + 0.08 / (1 + rank)) * (outside ? OUTSIDE_DOC_FACTOR : 1) * (inNamedSection ? NAMED_SECTION_FACTOR : 1);
      cands.push({ docId: r.chunk.docId, sentence: s, rank, score, coverage, contextCoverage });
    }
  });
  return cands.sort((a, b) => b.score - a.score);
}

/**
 * Keeps the candidates that can answer; returns a refusal reason when none can. A named place must be
 * the answering document's or be named in the quoted line (one province's figures are not another's);
 * a number question needs a figure stated about every policy phrase it names.
 */
function admissible(q: QueryAnalysis, cands: Candidate[], ctx: AnswerContext): { cands: Candidate[]; reason: string | null } {
  const en = q.language === 'en';
  let out = cands;
  if (ctx.placesAsked.length && q.intent !== 'compare') {
    const asked = ctx.placesAsked.map(fold);
    const about = (c: Candidate) => {
      const place = ctx.placeOf(c.docId);
      return (place !== null && asked.includes(fold(place))) || asked.some((p) => fold(lineText(ctx, c)).includes(p));
    };
    out = out.filter(about);
    if (out.length === 0) {
      return { cands: out, reason: en ? `The documents say nothing about ${ctx.placesAsked.join(', ')} on this.` : `Các văn bản không nêu nội dung này đối với ${ctx.placesAsked.join(', ')}.` };
    }
  }
  if (q.intent === 'number' && ctx.focusGroups.length) {
    // The phrases may sit in the neighbouring sentence of the same line ("… đạt 76 tuổi; Đạt 38 giường bệnh …").
    // With several phrases, most of them must be there (a question may word one differently).
    const needed = ctx.focusGroups.length <= 2 ? ctx.focusGroups.length : Math.ceil(ctx.focusGroups.length / 2);
    // A figure for a document the question names must come from that document (or one implementing it).
    const fromNamed = (c: Candidate) => ctx.relatedDocs.length === 0 || ctx.relatedDocs.includes(c.docId);
    const fits = (c: Candidate) => {
      if (!fromNamed(c)) return false;
      const line = fold(lineText(ctx, c));
      return /\d/.test(c.sentence.text) && ctx.focusGroups.filter((g) => g.some((p) => line.includes(fold(p)))).length >= needed;
    };
    const fitting = out.filter(fits);
    if (fitting.length === 0) {
      const what = ctx.focusGroups.map((g) => g[0]).join(', ');
      return { cands: [], reason: en ? `No document states a figure for “${what}” in the sections found.` : `Không văn bản nào nêu số liệu về “${what}” trong các đoạn tìm được.` };
    }
    out = [...fitting, ...out.filter((c) => !fitting.includes(c))];
  }
  // "Who is the Minister of …": the documents name people only as their signers.
  if (PERSON_Q.test(fold(q.question))) {
    return { cands: [], reason: en ? 'The documents name no office holders other than their own signers.' : 'Các văn bản không nêu tên người giữ chức vụ, ngoài người ký văn bản.' };
  }
  if (MONEY_Q.test(fold(q.question)) && !out.slice(0, 12).some((c) => MONEY_A.test(c.sentence.text))) {
    return { cands: [], reason: en ? 'No document states that amount of money.' : 'Không văn bản nào nêu số tiền này.' };
  }
  return { cands: out, reason: null };
}

/** The best sentence, then close runners-up (at least one per document when several documents answer). */
function chooseQuotes(q: QueryAnalysis, cands: Candidate[], maxQuotes: number, ctx: AnswerContext): Candidate[] {
  const best = cands[0]!;
  const chosen: Candidate[] = [best];
  if (q.intent === 'compare' || new Set(q.docRefs.flatMap((r) => r.docIds)).size > 1) {
    const otherDoc = cands.find((c) => c.docId !== best.docId && c.score >= best.score * 0.4);
    if (otherDoc) chosen.push(otherDoc);
  }
  for (const c of cands) {
    if (chosen.length >= maxQuotes) break;
    if (chosen.includes(c) || c.score < best.score * SECONDARY_QUOTE_RATIO) continue;
    if (chosen.some((x) => x.docId === c.docId && Math.abs(x.sentence.start - c.sentence.start) < 3)) continue;
    chosen.push(c);
  }
  chosen.sort((a, b) => b.score - a.score);
  // A very short quote ("Tỷ lệ … đạt 90%.") reads with the sentence that follows it on the same line.
  for (const c of chosen) {
    if (c.sentence.text.length >= SHORT_QUOTE_CHARS) continue;
    const d = ctx.docs.get(c.docId)!;
    const next = cands.find((x) => x.docId === c.docId && x.sentence.start > c.sentence.end && /^[ \t]*$/.test(d.text.slice(c.sentence.end, x.sentence.start)));
    if (next && !chosen.includes(next)) c.sentence = { start: c.sentence.start, end: next.sentence.end, text: d.text.slice(c.sentence.start, next.sentence.end) };
  }
  return chosen;
}

/** Register records whose evidence overlaps the two best quotes (who/when questions), best quote first. */
function quotedAssignments(q: QueryAnalysis, chosen: Candidate[], ctx: AnswerContext, citer: Citer): string[] {
  const lines: string[] = [];
  const added = new Set<Obligation>();
  for (const c of chosen.slice(0, 2)) {
    for (const o of ctx.obligations) {
      if (o.docId !== c.docId || added.has(o) || added.size >= QUOTED_REGISTER_MAX) continue;
      const at = evidenceOffset(ctx, o);
      if (at < 0 || !(at < c.sentence.end && c.sentence.start < at + o.evidence.length)) continue;
      added.add(o);
      lines.push(registerLine(o, q.language === 'en', ctx.register, citer.cite(o.docId, at, at + o.evidence.length)));
    }
  }
  return lines;
}

/** "“42” is read as 42-NQ/TW; 42-KL/TU also carries that number." */
function ambiguityNotes(q: QueryAnalysis): string[] {
  return q.docRefs
    .filter((r) => r.ambiguous && r.chosen)
    .map((r) => {
      const others = r.candidates.filter((c) => c !== r.chosen);
      return q.language === 'en'
        ? `Note: “${r.raw}” is read as ${r.chosen}; ${others.join(', ')} also ${others.length > 1 ? 'carry' : 'carries'} that number.`
        : `Lưu ý: “${r.raw}” được hiểu là ${r.chosen}; ${others.join(', ')} cũng mang số này.`;
    });
}

/** Builds the `ask --json` object for a question from retrieved chunks, the registry and the register. */
export function answerExtractive({ q, retrieved, ctx }: ExtractiveInput): AskResult {
  const en = q.language === 'en';
  const citer = new Citer(ctx, retrieved);

  const registry = answerFromRegistry(q, ctx, retrieved, citer);
  if (registry.refusedReason) return refusal(q, registry.refusedReason, retrieved, ctx);

  // The rarest policy phrase the question names must be in what was retrieved, or nothing answers it.
  const focus = rarestGroup(ctx);
  if (focus && !retrieved.slice(0, FOCUS_PASSAGES).some((r) => focus.some((p) => fold(r.chunk.text).includes(fold(p))))) {
    return refusal(q, en ? `The retrieved sections do not mention “${focus[0]}”.` : `Các đoạn tìm được không đề cập “${focus[0]}”.`, retrieved, ctx);
  }

  const reporting = reportingLines(q, ctx, citer);
  const { cands, reason } = admissible(q, collectCandidates(q, retrieved, ctx), ctx);
  if (reason) return refusal(q, reason, retrieved, ctx);
  const best = cands[0];
  const minCoverage = q.intent === 'compare' ? MIN_COVERAGE_COMPARE : MIN_COVERAGE;
  const bestContext = Math.max(0, ...cands.slice(0, 5).map((c) => c.contextCoverage));
  if (!best || (registry.lines.length === 0 && reporting.length === 0 && bestContext < minCoverage)) {
    return refusal(q, en ? 'The documents do not contain what the question asks for.' : 'Các văn bản không chứa thông tin mà câu hỏi yêu cầu.', retrieved, ctx);
  }

  // When the registry already answered a metadata question, one supporting quote is enough.
  const chosen = chooseQuotes(q, cands, registry.answered ? 1 : MAX_QUOTES, ctx);
  const lines = [...ambiguityNotes(q), ...registry.lines, ...reporting];
  if (reporting.length === 0 && isWhoWhen(q)) lines.push(...quotedAssignments(q, chosen, ctx, citer));
  for (const c of chosen) {
    const d = ctx.docs.get(c.docId)!;
    const n = citer.cite(c.docId, c.sentence.start, c.sentence.end);
    const where = `${citeLabel(d.meta)} §${citer.list[n - 1]!.section}`;
    const units = en ? ctx.register.unitsIn(c.sentence.text).map((u) => ({ u, e: ctx.register.englishName(u) })).filter((x) => x.e) : [];
    const unitNote = units.length ? ` (${units.map((x) => `${x.e} = ${x.u}`).join('; ')})` : '';
    lines.push(en ? `According to ${where}: “${c.sentence.text.trim()}”${unitNote} [${n}]` : `Theo ${where}: “${c.sentence.text.trim()}” [${n}]`);
  }

  return {
    question: q.question,
    language: q.language,
    refused: false,
    answer: lines.join('\n'),
    citations: citer.list,
    passages: citedFirst(toPassages(retrieved, ctx.docs, citer.extraPassages), citer.list),
    mode: 'extractive',
  };
}

/** The question's policy phrase group that is rarest in the corpus (it carries the question's topic). */
function rarestGroup(ctx: AnswerContext): string[] | null {
  let best: { g: string[]; df: number } | null = null;
  for (const g of ctx.focusGroups) {
    const df = Math.max(...g.map((p) => ctx.phraseDf(p)));
    if (df > 0 && (!best || df < best.df)) best = { g, df };
  }
  return best?.g ?? null;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ROMAN_Q: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4 };

/** English rendering of a register deadline: "before 15 December each year", "in Q1 2024", "ongoing". */
export function deadlineEnglish(d: NonNullable<Obligation['deadline']>): string | null {
  const dm = d.day && d.month ? `${d.day} ${MONTHS[d.month - 1]}` : null;
  switch (d.type) {
    case 'annual':
      return dm ? `before ${dm} each year` : 'annually';
    case 'date':
      return d.start ? `by ${+d.start.slice(8, 10)} ${MONTHS[+d.start.slice(5, 7) - 1]} ${d.start.slice(0, 4)}` : d.raw;
    case 'quarter': {
      const m = /quý\s+([IV]+)\s*\/?\s*(?:năm\s+)?(\d{4})/iu.exec(d.raw);
      return m ? `in Q${ROMAN_Q[m[1]!.toUpperCase()] ?? m[1]} ${m[2]}` : 'within the quarter stated';
    }
    case 'year':
      return d.start ? `in ${d.start.slice(0, 4)}` : d.raw;
    case 'range':
      return d.start && d.end ? `${d.start.slice(0, 4)}–${d.end.slice(0, 4)}` : d.raw;
    case 'ongoing':
      return d.start ? `ongoing, from ${d.start.slice(0, 4)}` : 'ongoing (regularly)';
    default:
      // A period stated in words ("đầu tháng 12/2023") is shown as written rather than guessed at.
      return null;
  }
}

function registerLine(o: Obligation, en: boolean, reg: RegisterView, n: number): string {
  const name = (u: string) => {
    const e = en ? reg.englishName(u) : null;
    return e ? `${e} (${u})` : u;
  };
  const parts: string[] = [];
  if (o.lead.length) parts.push(`${en ? 'Lead unit' : 'Đơn vị chủ trì'}: ${o.lead.map(name).join(', ')}`);
  if (o.partners.length) parts.push(`${en ? 'Partners' : 'Phối hợp'}: ${o.partners.map(name).join(', ')}`);
  if (o.deadline) {
    const english = en ? deadlineEnglish(o.deadline) : null;
    parts.push(en ? `Deadline: ${english ? `${english} (${o.deadline.raw})` : o.deadline.raw}` : `Thời hạn: ${o.deadline.raw}`);
  }
  if (o.recipient) parts.push(`${en ? 'Report to' : 'Báo cáo/gửi'}: ${name(o.recipient)}${o.via ? ` (${en ? 'via' : 'qua'} ${name(o.via)})` : ''}`);
  if (o.approval) parts.push(`${en ? 'Approval level' : 'Cấp trình/phê duyệt'}: ${o.approval}`);
  return `${parts.join('; ')} [${n}]`;
}

function locate(ctx: AnswerContext, docId: string, needle: string): { docId: string; start: number; end: number } | null {
  const d = ctx.docs.get(docId);
  if (!d || !needle) return null;
  const at = d.text.indexOf(needle);
  if (at >= 0) return { docId, start: at, end: at + needle.length };
  // Number lines are stored without their original spacing: search line by line under normalisation.
  const target = normalizeForMatch(needle);
  let pos = 0;
  for (const line of d.text.split('\n')) {
    if (normalizeForMatch(line).includes(target) || (target.startsWith('số:') && numberKey(line).includes(numberKey(needle.replace(/^Số:\s*/u, ''))))) {
      return { docId, start: pos, end: pos + line.length };
    }
    pos += line.length + 1;
  }
  return null;
}

/** Passages holding the answer's citations come first (in citation order), then the rest in rank order. */
function citedFirst(passages: Passage[], citations: Citation[]): Passage[] {
  const holds = (p: Passage, c: Citation) => p.docId === c.docId && p.text.includes(c.quote);
  const first: Passage[] = [];
  for (const c of citations) {
    const p = passages.find((x) => holds(x, c) && !first.includes(x));
    if (p && !first.some((x) => holds(x, c))) first.push(p);
  }
  return [...first, ...passages.filter((p) => !first.includes(p))];
}

export function toPassages(retrieved: Retrieved[], docs: DocumentStore, extra: Retrieved['chunk'][] = []): Passage[] {
  const out: Passage[] = retrieved.slice(0, PASSAGES_RETURNED).map((r) => {
    const meta = docs.get(r.chunk.docId)?.meta;
    return { docId: r.chunk.docId, docNumber: meta?.number ?? null, section: r.chunk.section, text: r.chunk.text, score: Number(r.score.toFixed(5)), docTitle: meta?.title, chunkId: r.chunk.id };
  });
  for (const c of extra) {
    const meta = docs.get(c.docId)?.meta;
    out.push({ docId: c.docId, docNumber: meta?.number ?? null, section: c.section, text: c.text, score: 0, docTitle: meta?.title });
  }
  return out;
}

function refusal(q: QueryAnalysis, reason: string, retrieved: Retrieved[], ctx: AnswerContext): AskResult {
  return {
    question: q.question,
    language: q.language,
    refused: true,
    answer: `${reason} ${q.language === 'en' ? 'The closest sections are listed as passages.' : 'Các đoạn gần nhất được liệt kê trong phần passages.'}`,
    citations: [],
    passages: toPassages(retrieved, ctx.docs),
    mode: 'extractive',
  };
}
