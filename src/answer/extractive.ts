// Extractive answerer (offline default): answers from retrieved sections, the task register and the registry.
// The answer comes first (one line), then at most a few supporting quotes, then notes; refusals go through
// the one refusal policy (refusal.ts).
import { foldDiacritics, hasNoDiacritics, normalizeForMatch, tokenize } from '../text/normalize.ts';
import { englishDate } from '../doc/dates.ts';
import { DOC_NUMBER_RE, findNumberRefs, numberKey } from '../doc/numbers.ts';
import { RECIPIENTS_PATH, SIGNATURE_PATH, adoptionOf, sectionAt, signatureBlock } from '../doc/sections.ts';
import type { Retrieved } from '../retrieve/retriever.ts';
import { STOP_FOLDED } from '../text/stopwords.ts';
import { asksDeadline, type QueryAnalysis } from '../retrieve/query.ts';
import { placeKey } from '../retrieve/places.ts';
import type { DocumentStore, StoredDoc } from '../store/ports.ts';
import type { AskResult, Citation, Obligation, Passage } from '../doc/types.ts';
import { docLabel } from '../doc/sections.ts';
import { isPageMark, sentenceTerms, splitSentences, type Sentence } from '../text/sentences.ts';
import { cueMatchers, dataFile, foldCueText } from '../text/cues.ts';
import { holdsWords } from './support.ts';
import {
  Citer, citeLabel, citeLabelEn, finalize, PASSAGES_RETURNED, registerLineVi, registerSentenceEn, UnitNamer,
  deadlinePhraseEn, type AnswerParts, type Naming,
} from './compose.ts';
import {
  articlesAbsent, askedQuantities, asksCurrency, asksMoney, asksOfficeHolder, issuersAbsent, numbersAbsent, refuse, statesMoney, statesQuantity, yearsUnmentioned,
  type QuantityKind, type Refusal,
} from './refusal.ts';
import { clauseSpan, headingPath, withoutHeading } from './clauses.ts';
import { countedNouns, statesCount } from './quantities.ts';
import { answerList, answerTimeliness } from './lists.ts';
import { evidenceOffset, locate, type AnswerContext } from './context.ts';
export { DEFAULT_ANSWER_SETTINGS, type AnswerContext, type AnswerSettings, type RegisterView } from './context.ts';
import { parseDeadline } from '../register/index.ts';
import { clipAtWord } from '../text/strings.ts';

/** A token of digits only, e.g. `2025`. */
const DIGITS_ONLY_RE = /^\d+$/;
/** A run of white space between words, e.g. the `  ` of `the  Đề án`. */
const WORD_GAP_RE = /\s+/;
/** Three letters in a row (a reference that names a word, not only a number), e.g. `Luật` of `Luật 45`. */
const THREE_LETTERS_RE = /\p{L}{3}/u;
/** Anything but a letter or a space, e.g. the `4`, `-` and `/` of `42-NQ/TW`. */
const NOT_LETTER_OR_SPACE_RE = /[^\p{L}\s]/gu;
/** A digit anywhere, e.g. the `5` of `trước ngày 15/12`. */
const DIGIT_RE = /\d/;
/** A date as documents write it, e.g. `15/6/2024` or `ngày 15 tháng 12`. */
const DATE_IN_TEXT_RE = /\d{1,2}\/\d{1,2}(?:\/\d{4})?|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}/u;
/** Digits that state no figure: a document number or a numeric date, e.g. `125/NQ-CP` or `08/10/2018`. */
const NOT_A_FIGURE_RE = new RegExp(`${DOC_NUMBER_RE.source}|\\d{1,2}\\/\\d{1,2}\\/\\d{4}`, 'gu');
/** A document number, date or day as metadata shows them, e.g. `Số: 68`, `09/5/2024` or `ngày 9`. */
const METADATA_FIGURE_RE = /(số\s*:?\s*\d|\d{1,2}\/\d{1,2}\/\d{4}|ngày\s+\d)/u;
/** A word asking who signed (folded), e.g. `ky` of `ai ky nghi quyet`. */
const SIGNER_WORD_RE = /\b(ky|signed|signer|sign)\b/;
/** Anything but a folded letter or digit, e.g. the space and `-` of `bac ninh-2`. */
const NOT_ALNUM_RE = /[^a-z0-9]/g;
/** A gap of spaces and tabs only (no line break), e.g. `" \t"` between two sentences on one line. */
const BLANK_GAP_RE = /^[ \t]*$/;
/** A separator inside a document number, e.g. the `-` and `/` of `42-NQ/TW`. */
const NUMBER_SEPARATOR_RE = /[-/\s.]/g;
/** Every run of white space, line breaks included, e.g. `" \n  "`. */
const SPACE_RUN_RE = /\s+/g;
/** A lower-case first letter, e.g. the `c` of `các bộ`. */
const LOWER_FIRST_RE = /^\p{Ll}/u;
/** A citation mark that ends a line, with the space before it, e.g. ` [2]`. */
const TRAILING_CITATION_RE = /\s*\[\d+\]$/;

export { citeLabel, deadlineEnglish, PASSAGES_RETURNED } from './compose.ts';

/** Passages whose sentences are candidates for quotes. */
export const QUOTE_PASSAGES = 6;
/** A second or third quote must score at least this share of the best one. */
export const SECONDARY_QUOTE_RATIO = 0.72;
/** Quotes shorter than this are extended with the next sentence on the same line. */
export const SHORT_QUOTE_CHARS = 60;
/** A second document's best sentence is quoted beside the best one when it scores at least this share of it. */
export const OTHER_DOC_RATIO = 0.4;
/** The same for each document a comparison points at (its sides): lower, since each side must be shown. */
export const OTHER_SIDE_RATIO = 0.25;
/** Sentences from documents the question does not name (when it names some) count for less. */
export const OUTSIDE_DOC_FACTOR = 0.75;
/** Sentences inside a section the question names count for more. */
export const NAMED_SECTION_FACTOR = 1.5;
/** Weight of question terms found only in the sentence's section breadcrumb or document label (0–1):
 * a bullet under "2. Ban cán sự đảng Chính phủ" is about that unit. */
export const CONTEXT_WEIGHT = 0.5;
/** Weight of a law clause's precision (0–0.3): the share of its own weighted terms the question asks about. Among
 * clauses covering the question alike, the one that says little else answers it ("không quá 08 giờ trong 01 ngày"). */
export const PRECISION_WEIGHT = 0.15;
/** Bonus of a sentence that states the kind of quantity the question asks for (a period, a rate, an amount, an age,
 * a count of the thing asked: "bao nhiêu trường" → "90 trường"). */
export const QUANTITY_BONUS = 0.15;
/** Bonus of a sentence whose subject is what a definition or list question asks about ("Quấy rối tình dục … là
 * hành vi …", "Dịch vụ việc làm bao gồm: …"). */
export const SUBJECT_BONUS = 0.15;
/** A defining or listing sentence: a short subject (after an optional label), then "là" / "bao gồm" / "gồm". */
const SUBJECT_RE = /^\s*(?:\d+\p{L}?[.)]\s*|\p{Ll}\)\s*)?([^.;:,]{3,90}?)\s+(?:là|bao gồm|gồm có|gồm)(?=[\s:])/u;
/** Share of the subject's syllables the question must name (a longer subject, "Tổ chức dịch vụ …", is another thing). */
const SUBJECT_SHARE = 0.8;

/**
 * Is the sentence's subject what the question asks about ("X là …", "X bao gồm: …" with X's words asked)?
 * @example subjectAsked('Dịch vụ việc làm bao gồm: tư vấn, …', weightsOf('Dịch vụ việc làm gồm những gì?')) === true
 */
function subjectAsked(sentence: string, weights: Map<string, number>): boolean {
  const m = SUBJECT_RE.exec(sentence);
  if (!m) return false;
  const toks = tokenize(m[1]!).map((t) => foldDiacritics(t)).filter((t) => !STOP_FOLDED.has(t));
  return toks.length > 0 && toks.filter((t) => weights.has(t)).length / toks.length >= SUBJECT_SHARE;
}

/** Candidates (best first) one of which must state an amount of money a money question asks for, or it is refused. */
export const MONEY_EVIDENCE_CANDIDATES = 12;
/** The same for a period, a rate or an age: the best few (stating the kind asked already ranks a sentence up). */
export const QUANTITY_EVIDENCE_CANDIDATES = 5;
/** Best sentences one of which must state the time a question asking for a deadline asks for. */
export const DEADLINE_EVIDENCE_CANDIDATES = 2;
/** Characters of the sentence an inferred number or date was read from, shown in the answer. */
export const INFERRED_EVIDENCE_CHARS = 140;
/** Task-register records quoted per document, and in all, for who/when questions. */
export const REGISTER_PER_DOC = 2;
export const REGISTER_MAX = 6;
/** Register records shown for the assignments found in the best quotes. */
export const QUOTED_REGISTER_MAX = 3;

interface Candidate {
  docId: string;
  sentence: Sentence;
  /** What a quote of the sentence shows: the whole khoản of a law clause, else the sentence. */
  quote: { start: number; end: number } | null;
  rank: number;
  score: number;
  /** Share of the question's weighted terms in the sentence. */
  coverage: number;
  /** The same, counting terms found in the document label and section breadcrumb too (for refusing). */
  contextCoverage: number;
  /** The text a quote of it shows (the whole khoản of a law clause, else the sentence). */
  stated: string;
  /** The headings a law clause sits under (Chương, Mục, article title, khoản lead-in); empty elsewhere. */
  headings: string;
}

const CUES = cueMatchers(dataFile('answer-cues.json'));
/** Every qualifier of an asked quantity in a folded question, e.g. `toi da` in `lam them gio toi da bao nhieu gio`. */
const QUALIFIERS_G = new RegExp(CUES.quantityQualifiers!.source, 'gu');
/** Words before a number that make the question about an implementer ("kế hoạch thực hiện Nghị quyết 42"). */
const VIA_IMPLEMENT_RE = new RegExp(`(?:${CUES.viaImplement!.source})[^,]{0,30}$`, 'u');
/** Cues that a sentence assigns a task or states a deadline (for ranking quotes of who/when questions). */
const DEADLINE_RE = /(trước ngày|hằng năm|hàng năm|định kỳ|quý\s+[IV]+|năm\s+20\d\d|tháng\s+\d{1,2}\/20\d\d|thường xuyên|\d{1,2}\/\d{1,2}\/20\d\d|hoàn thành|giai đoạn\s+20\d\d)/iu;
const ASSIGN_RE = /(chủ trì|phối hợp|giao\s|chịu trách nhiệm|là cơ quan|có trách nhiệm|đề nghị|chỉ đạo|báo cáo)/iu;

function fmtDate(iso: string | null): string | null {
  if (!iso) return null;
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** `2024-05-09` → `9 May 2024`. */
export function fmtDateEn(iso: string | null): string | null {
  if (!iso) return null;
  return englishDate(iso);
}

/** Weighted folded terms of the question and its glossary expansion (stopwords removed). */
function questionWeights(q: QueryAnalysis, ctx: AnswerContext): Map<string, number> {
  const w = new Map<string, number>();
  const add = (text: string, factor: number) => {
    const toks = tokenize(text).map((t) => foldDiacritics(t));
    for (const t of toks) if (!STOP_FOLDED.has(t) && !DIGITS_ONLY_RE.test(t)) w.set(t, Math.max(w.get(t) ?? 0, factor * ctx.idf(t)));
    for (let i = 0; i + 1 < toks.length; i++) {
      const a = toks[i]!;
      const b = toks[i + 1]!;
      if (STOP_FOLDED.has(a) || STOP_FOLDED.has(b)) continue;
      const bg = `${a}_${b}`;
      w.set(bg, Math.max(w.get(bg) ?? 0, factor * 1.2 * ctx.idf(bg)));
    }
  };
  // Document numbers and names in the question are for finding the place, not the sentence: the words of the
  // reference ("theo Luật Việc làm") are left out where it stands, not elsewhere ("Dịch vụ việc làm …").
  const refs = q.docRefs.map((r) => fold(r.raw)).filter(Boolean);
  // The qualifier of an asked quantity ("tối đa", "at least") is how the question asks, not what it is about: a
  // law states the same limit as "không quá" or "ít nhất".
  const withoutRefs = (text: string) => refs.reduce((t, r) => t.split(r).join(' ; '), foldCueText(text)).replace(QUALIFIERS_G, ' ; ');
  if (q.language === 'vi') add(withoutRefs(q.question), 1);
  // Vietnamese names quoted inside an English question ("the Đề án hỗ trợ trẻ em khuyết tật") count as asked.
  else add(withoutRefs(q.question.split(WORD_GAP_RE).filter((w) => !hasNoDiacritics(w)).join(' ')), 1);
  // Each phrase weighs its share of the English term it translates, as in retrieval: "ministry" → "Bộ" or "bộ, ngành"
  // is one asked word, not two.
  const base = q.language === 'en' ? 1 : 0.5;
  for (const e of ctx.weightedExpansion ?? ctx.expansion.map((vi) => ({ vi, weight: 1 }))) add(foldCueText(e.vi).replace(QUALIFIERS_G, ' ; '), base * e.weight);
  for (const r of q.docRefs) if (!THREE_LETTERS_RE.test(r.raw.replace(NOT_LETTER_OR_SPACE_RE, ''))) for (const t of tokenize(r.raw).map((x) => foldDiacritics(x))) w.delete(t);
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
  if (q.intent === 'number' && DIGIT_RE.test(s)) b += 0.12;
  if (q.intent === 'metadata' && METADATA_FIGURE_RE.test(s)) b += 0.12;
  if (q.intent === 'metadata' && section.startsWith(SIGNATURE_PATH) && SIGNER_WORD_RE.test(foldDiacritics(normalizeForMatch(q.question)))) b += 0.4;
  return b;
}

/** Which registry field a metadata question asks for (cue lists in data/answer-cues.json). */
function askedFields(q: QueryAnalysis): Set<'signer' | 'date' | 'adopted' | 'recipients' | 'number' | 'implements' | 'effective' | 'issuer'> {
  const f = foldCueText(q.question);
  const out = new Set<'signer' | 'date' | 'adopted' | 'recipients' | 'number' | 'implements' | 'effective' | 'issuer'>();
  // "From what date does X take effect?" asks for the date it takes effect, not the date it was issued; "when was
  // the law passed?" for the date its closing states.
  if (CUES.fieldEffective!.test(f)) out.add('effective');
  else if (CUES.fieldAdopted!.test(f)) out.add('adopted');
  else if (CUES.fieldDate!.test(f)) out.add('date');
  // "… and who signed it?" asks for the signer beside a date; "when was it signed?" for the date alone.
  if (CUES.fieldSigner!.test(f) && (out.size === 0 || CUES.whoAsk!.test(f))) out.add('signer');
  if (CUES.fieldRecipients!.test(f)) out.add('recipients');
  if (CUES.fieldNumber!.test(f)) out.add('number');
  if (CUES.fieldImplements!.test(f)) out.add('implements');
  if (CUES.fieldIssuer!.test(f)) out.add('issuer');
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
    const viaImplement = VIA_IMPLEMENT_RE.test(before);
    // The question is about the referenced document itself; outside the corpus, the registry knows nothing.
    if (!viaImplement) candidates.push(...r.docIds);
    else candidates.push(...r.implementerIds, ...r.docIds);
  }
  const qTerms = new Set(tokenize(q.question).map((t) => foldDiacritics(t)));
  for (const e of ctx.expansion) for (const t of tokenize(e)) qTerms.add(foldDiacritics(t));
  // No number given ("the Politburo plan"): a document whose issuer the question names; on a question about the
  // closing, the document whose closing the retriever put first (it does so only for the documents asked about).
  if (candidates.length === 0) {
    const asked = ` ${[fold(q.question), ...ctx.expansion.map(fold)].join(' ; ')} `;
    const byIssuer = ctx.docs.metas().filter((m) => m.issuer && asked.includes(` ${fold(m.issuer)}`));
    const first = retrieved[0]?.chunk;
    if (byIssuer.length === 1) candidates.push(byIssuer[0]!.id);
    else if (q.closing && first && (first.section.startsWith(SIGNATURE_PATH) || first.section.startsWith(RECIPIENTS_PATH))) candidates.push(first.docId);
    else return null;
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

const fold = (x: string): string => foldDiacritics(normalizeForMatch(x));
const isWhoWhen = (q: QueryAnalysis): boolean => q.intent === 'who' || q.intent === 'when' || q.intent === 'who+when';

/** The heading of a distribution list, e.g. `Nơi nhận:`. */
const RECIPIENTS_HEAD_RE = /^\**\s*Nơi nhận\s*:?\**\s*/u;
/** The bullet and the closing punctuation of a list entry, e.g. `- ` and `;` of `- Như Điều 3;`. */
const ENTRY_EDGES_RE = /^[-–•+]\s*|[\s,;.]+$/gu;

/**
 * The entries of a distribution list, one per line (a line that starts in lower case continues the entry before).
 * @example recipientItems('Nơi nhận:\n- Như Điều 3;\n- Lưu: VT, KHTC.') // ['Như Điều 3', 'Lưu: VT, KHTC']
 */
function recipientItems(list: string): string[] {
  const out: string[] = [];
  for (const raw of list.replace(RECIPIENTS_HEAD_RE, '').split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const entry = line.replace(ENTRY_EDGES_RE, '');
    if (!entry) continue;
    if (out.length && !BULLET_LINE_RE.test(line)) out[out.length - 1] += ` ${entry}`;
    else out.push(entry);
  }
  return out;
}

/** A list entry's bullet, e.g. `- ` of `- Lưu VT`. */
const BULLET_LINE_RE = /^[-–•+]/u;

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
  const fields = askedFields(q);
  // The date a document takes effect is registry data whatever the question's wording (often a when-question).
  // So is the body that issued it ("Cơ quan nào ban hành …?" reads as a who-question).
  if (q.intent !== 'metadata' && !fields.has('effective') && !fields.has('issuer')) return out;
  const en = q.language === 'en';
  const target = targetDoc(q, ctx, retrieved);
  // "Which resolution (number and date) does X implement?": the number and date are the implemented one's.
  if (fields.has('implements')) {
    fields.delete('date');
    fields.delete('number');
  }
  if (!target || fields.size === 0) return out;
  const m = target.meta;
  const name = `${m.type ?? 'Văn bản'}${m.number ? ` ${m.number}` : ''}`;
  // An inferred value shows the sentence it was inferred from (shortened; the citation holds it whole).
  const inferred = (inf: { evidence: string } | null) => {
    if (!inf) return '';
    const ev = oneLine(inf.evidence);
    const shown = clipAtWord(ev, INFERRED_EVIDENCE_CHARS, ' …');
    return en ? ` (inferred from another document: “${shown}”)` : ` (suy ra từ văn bản khác: “${shown}”)`;
  };
  const marker = (src: { docId: string; start: number; end: number; section?: string } | null) => (src ? ` [${citer.cite(src.docId, src.start, src.end, src.section)}]` : '');
  // The date as the document writes it ("ngày 13 tháng 12 năm 2022") stands next to the short form, cited.
  const dateSrc = () => (m.dateInferred ? locate(ctx, m.dateInferred.fromDocId, m.dateInferred.evidence) : locate(ctx, m.id, m.dateRaw ?? ''));
  const written = !m.dateInferred && m.dateRaw ? ` — “${oneLine(m.dateRaw)}”` : '';
  // Number and date asked together: one line states both, each with its own citation.
  const numberWithDate = fields.has('number') && !!m.number && !!m.date;
  // The date a law was adopted is the one its closing states (its header may give another); without one, the date.
  const adoption = fields.has('adopted') ? adoptionOf(target.text, target.sections) : null;
  if (fields.has('adopted') && !adoption?.date) {
    fields.delete('adopted');
    fields.add('date');
  }
  if (adoption?.date) {
    const said = oneLine(target.text.slice(adoption.start, adoption.end));
    const mk = marker({ docId: m.id, start: adoption.start, end: adoption.end, section: adoption.section });
    out.answered = true;
    out.lines.push(en ? `${upperFirst(citeLabelEn(m, ctx.naming))} was adopted on ${fmtDateEn(adoption.date)} (${fmtDate(adoption.date)}) — “${said}”${mk}.` : `Ngày thông qua ${name}: ${fmtDate(adoption.date)} — “${said}”${mk}`);
  }
  if (fields.has('date')) {
    if (m.date && !numberWithDate) {
      const src = dateSrc();
      out.answered = true;
      out.lines.push(en ? `${upperFirst(citeLabelEn(m, ctx.naming))} was issued on ${fmtDateEn(m.date)} (${fmtDate(m.date)})${written}${inferred(m.dateInferred)}${marker(src)}.` : `Ngày ban hành ${name}: ${fmtDate(m.date)}${written}${inferred(m.dateInferred)}${marker(src)}`);
    } else if (!m.date) {
      out.refusedReason = en ? `The text of ${name} leaves its signing date blank, and no other document states it.` : `Văn bản ${name} để trống ngày ký ban hành và không văn bản nào khác nêu ngày này.`;
    }
  }
  // Only a stated effective date answers; when the header gives none, the passages answer as usual.
  if (fields.has('effective') && m.effectiveDate && m.effectiveRaw) {
    const src = locate(ctx, m.id, m.effectiveRaw);
    out.answered = true;
    const written = ` — “${oneLine(m.effectiveRaw)}”`;
    out.lines.push(en ? `${upperFirst(citeLabelEn(m, ctx.naming))} takes effect on ${fmtDateEn(m.effectiveDate)} (${fmtDate(m.effectiveDate)})${written}${marker(src)}.` : `Ngày có hiệu lực của ${name}: ${fmtDate(m.effectiveDate)}${written}${marker(src)}`);
  }
  if (fields.has('issuer') && m.issuer) {
    // The issuer as the header writes it (often in capitals), cited there.
    const src = locate(ctx, m.id, m.issuer);
    if (src) {
      out.answered = true;
      const issuerEn = ctx.naming.english(m.issuer);
      out.lines.push(en ? `${upperFirst(citeLabelEn(m, ctx.naming))} was issued by ${issuerEn ? `${issuerEn} (${m.issuer})` : m.issuer}${marker(src)}.` : `Cơ quan ban hành ${name}: ${m.issuer}${marker(src)}`);
    }
  }
  if (fields.has('signer')) {
    if (m.signer) {
      const sig = target.sections.find((s) => s.kind === 'signature');
      out.answered = true;
      const mk = marker(sig ? { docId: m.id, ...signatureBlock(target.text, target.sections, sig) } : null);
      // The capacity line (`KT. BỘ TRƯỞNG`) says more than the title under it (`THỨ TRƯỞNG`) when they differ.
      const capacity = m.signerCapacity && (!m.signerTitle || fold(m.signerCapacity) !== fold(m.signerTitle)) ? m.signerCapacity : null;
      out.lines.push(en ? `The signature block of ${citeLabelEn(m, ctx.naming)} names “${m.signer}” as the signer${m.signerTitle ? `, with the title “${m.signerTitle}”` : ''}${capacity ? `, signing as “${capacity}”` : ''}${mk}.` : `Người ký: ${m.signer}${m.signerTitle ? `, ${m.signerTitle}` : ''}${capacity ? ` (${capacity})` : ''}${mk}`);
    } else {
      out.refusedReason = en ? `${name} carries no signature block: the signer is not stated in the document.` : `${name} không có phần chữ ký: văn bản không nêu người ký.`;
    }
  }
  if (fields.has('recipients')) {
    const list = target.sections.find((s) => s.kind === 'recipients');
    if (list) {
      const items = recipientItems(target.text.slice(list.start, list.end));
      out.answered = true;
      const mk = marker({ docId: m.id, start: list.start, end: list.end });
      out.lines.push(en ? `The distribution list (Nơi nhận) of ${citeLabelEn(m, ctx.naming)}: ${items.join('; ')}${mk}.` : `Nơi nhận của ${citeLabel(m)}: ${items.join('; ')}${mk}`);
    }
  }
  if (fields.has('number') && !out.refusedReason) {
    if (m.number) {
      const src = m.numberInferred ? locate(ctx, m.numberInferred.fromDocId, m.numberInferred.evidence) : locate(ctx, m.id, m.numberRaw ? `Số: ${m.numberRaw}` : m.number);
      out.answered = true;
      const numberPart = `${m.number}${inferred(m.numberInferred)}${marker(src)}`;
      if (numberWithDate && fields.has('date')) {
        const datePart = `${written}${inferred(m.dateInferred)}${marker(dateSrc())}`;
        out.lines.push(en ? `The number of the document is ${numberPart}, dated ${fmtDateEn(m.date!)} (${fmtDate(m.date!)})${datePart}.` : `Số hiệu: ${numberPart}, ngày ${fmtDate(m.date!)}${datePart}`);
      } else {
        out.lines.push(en ? `The number of the document is ${m.number}${m.date ? `, dated ${fmtDateEn(m.date)} (${fmtDate(m.date)})` : ''}${inferred(m.numberInferred)}${marker(src)}.` : `Số hiệu: ${m.number}${m.date ? `, ngày ${fmtDate(m.date)}` : ''}${inferred(m.numberInferred)}${marker(src)}`);
      }
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
    out.lines.push(en ? `${upperFirst(citeLabelEn(m, ctx.naming))} states that it implements ${parts.join('; ')}.` : `${name} thực hiện: ${parts.join('; ')}`);
  }
  return out;
}

/**
 * "Who reports, by when": reporting duties of the documents the question names (and those implementing
 * them), by level, straight from the task register. Other duties are answered from matching sections.
 */
/** How definitely a reporting record answers "who reports to whom, by when" (recipient, deadline, its day). */
function reportScore(o: Obligation): number {
  const d = o.deadline;
  return (o.recipient ? 2 : 0) + (d ? 1 : 0) + (d?.type === 'annual' || d?.type === 'date' ? 1 : 0) + (d?.day ? 1 : 0);
}

function reportingRecords(q: QueryAnalysis, ctx: AnswerContext): Obligation[] {
  if (!isWhoWhen(q) || !ctx.askedKinds.includes('report') || ctx.relatedDocs.length === 0) return [];
  const picked: Obligation[] = [];
  for (const docId of ctx.relatedDocs) {
    const recs = ctx.obligations
      .filter((o) => o.docId === docId && o.kind === 'report' && evidenceOffset(ctx, o) >= 0)
      .map((o) => ({ o, s: reportScore(o) }))
      .filter((x) => x.s >= 2)
      .sort((a, b) => b.s - a.s)
      .slice(0, REGISTER_PER_DOC);
    picked.push(...recs.map((x) => x.o));
  }
  // The record with the most definite recipient and deadline answers first; the rest keep lineage order.
  const best = picked.reduce<Obligation | null>((a, o) => (!a || reportScore(o) > reportScore(a) ? o : a), null);
  if (!best) return picked.slice(0, REGISTER_MAX);
  // A reporting chain: when it reports to the lead unit of another record of its document whose sentence
  // names the document asked about (who reports on it upward), that record is stated first and the best
  // one right after it (the deadline feeding it).
  const asked = new Set(q.docRefs.flatMap((r) => (r.chosen ? [r.chosen] : r.candidates)).map(numberKey));
  const namesAsked = (o: Obligation) => findNumberRefs(o.evidence).some((r) => asked.has(numberKey(r.number)));
  const up = picked.find((o) => o !== best && reportsTo(best, o) && namesAsked(o));
  const head = up ? [up, best] : [best];
  return [...head, ...picked.filter((o) => !head.includes(o))].slice(0, REGISTER_MAX);
}

/** True when record `o` reports to the lead unit of record `up` of the same document. */
function reportsTo(o: Obligation, up: Obligation): boolean {
  const to = o.recipient ? normalizeForMatch(o.recipient) : null;
  return to !== null && o.docId === up.docId && up.lead.some((u) => normalizeForMatch(u) === to);
}

/** Share of a sentence's weighted words that the question asks about (idf-weighted single syllables). */
function precision(terms: Set<string>, weights: Map<string, number>, ctx: AnswerContext): number {
  let all = 0;
  let asked = 0;
  for (const t of terms) {
    if (t.includes('_') || DIGITS_ONLY_RE.test(t) || STOP_FOLDED.has(t)) continue;
    const w = ctx.idf(t);
    all += w;
    if (weights.has(t)) asked += w;
  }
  return all > 0 ? asked / all : 0;
}

/** How a kind of quantity is named in a refusal: [Vietnamese, English]. */
const QUANTITY_NAMES: Record<QuantityKind, [string, string]> = {
  period: ['thời hạn hay khoảng thời gian', 'period or time limit'],
  rate: ['tỷ lệ hay mức phần trăm', 'rate or percentage'],
  money: ['số tiền', 'amount of money'],
  age: ['độ tuổi', 'age'],
};

/** Sentences of the top passages, scored by weighted coverage of the question, intent cues and rank. */
function collectCandidates(q: QueryAnalysis, retrieved: Retrieved[], ctx: AnswerContext): Candidate[] {
  const weights = questionWeights(q, ctx);
  const totalW = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
  const asked = askedQuantities(q.question);
  const counted = q.language === 'vi' ? countedNouns(q.question) : [];
  // Definition and list questions are answered by the sentence whose subject is the thing asked about.
  const bySubject = q.intent === 'list' || CUES.askDefinition!.test(foldCueText(q.question));
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
    // A table row and a signature block are one statement each (`Trong đó …` continues the row); a passage over
    // a range of rows is read row by row.
    const whole = (c: Retrieved['chunk']) => c.section.includes('/TT ') || c.section.includes('/STT ') || c.section.startsWith(SIGNATURE_PATH);
    const sentences = (r.parts ?? [r.chunk]).flatMap((c) => (whole(c) ? [{ start: c.start, end: c.end, text: c.text }] : splitSentences(d.text, c.start, c.end)));
    const outside = ctx.relatedDocs.length > 0 && !ctx.relatedDocs.includes(r.chunk.docId);
    // The document's label and the section breadcrumb say what the sentence is about.
    const context = sentenceTerms(`${docLabel(d.meta)} ${r.chunk.breadcrumb}`);
    // A section the question names ("Article 2", "Phụ lục II") is where the quote should come from.
    const inNamedSection = q.sectionRefs.some((ref) => r.chunk.section === ref.prefix || r.chunk.section.startsWith(`${ref.prefix}/`) || r.chunk.section.startsWith(`${ref.prefix}.`));
    for (const raw of sentences) {
      const key = `${r.chunk.docId}:${raw.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // A heading line ("Điều 105.", the article's title) is context for its clauses, not a statement to quote.
      const s = withoutHeading(d, raw);
      if (!s) continue;
      const deepest = sectionAt(d.sections, s.start, s.end);
      // A table row is read with its header row (the header says what each cell means).
      const rowHeader = s.text.includes('\t') ? deepest?.header : undefined;
      const terms = sentenceTerms(rowHeader ? `${rowHeader.join(' ')} ${s.text}` : s.text);
      // A law clause is read under its headings: Chương, Mục, the article's title, the khoản lead-in of a điểm.
      const path = deepest?.path.startsWith('Điều ') ? headingPath(d, s, deepest) : '';
      const here = path ? sentenceTerms(path) : context;
      let got = 0;
      let inContext = 0;
      for (const [t, w] of weights) {
        if (terms.has(t)) got += w;
        else if (here.has(t) || context.has(t)) inContext += w;
      }
      const coverage = got / totalW;
      const contextCoverage = (got + inContext) / totalW;
      const quote = clauseSpan(d, s, deepest);
      const stated = quote ? d.text.slice(quote.start, quote.end) : s.text;
      const bonus = intentBonus(q, s.text, r.chunk.section) + (asked.some((k) => statesQuantity(s.text, k)) || statesCount(s.text, counted) ? QUANTITY_BONUS : 0) + (bySubject && subjectAsked(s.text, weights) ? SUBJECT_BONUS : 0);
      // Precision of what the quote shows: a fragment that only repeats the question ("d) Bị quấy rối …;") is
      // read as its whole khoản.
      const shown = quote ? sentenceTerms(stated) : terms;
      // Law clauses are self-contained norms: among those covering the question alike, the one that says little
      // else answers it. (A plan's sentence bundles several tasks, so its precision says little.)
      const focused = path ? PRECISION_WEIGHT * precision(shown, weights, ctx) : 0;
      const score = (coverage + CONTEXT_WEIGHT * (contextCoverage - coverage) + focused + bonus + 0.08 / (1 + rank)) * (outside ? OUTSIDE_DOC_FACTOR : 1) * (inNamedSection ? NAMED_SECTION_FACTOR : 1);
      cands.push({ docId: r.chunk.docId, sentence: s, quote, stated, headings: path, rank, score, coverage, contextCoverage });
    }
  });
  cands.sort((a, b) => b.score - a.score);
  return cands;
}

/**
 * Keeps the candidates that can answer, or says which refusal rule applies. A named place must be the
 * answering document's or be named in the quoted line (one province's figures are not another's); a
 * number question needs a figure stated about every policy phrase it names; a money question an amount.
 */
function admissible(q: QueryAnalysis, cands: Candidate[], ctx: AnswerContext): { cands: Candidate[]; refusal: Refusal | null } {
  const en = q.language === 'en';
  let out = cands;
  if (ctx.placesAsked.length) {
    const asked = ctx.placesAsked.map(placeKey);
    const lineNames = (c: Candidate, p: string) => fold(lineText(ctx, c)).replace(NOT_ALNUM_RE, '').includes(p);
    const about = (c: Candidate, p: string) => {
      const place = ctx.placeOf(c.docId);
      return (place !== null && placeKey(place) === p) || lineNames(c, p);
    };
    // A compare question keeps every document (it names other things too), but each place must be answered.
    const kept = q.intent === 'compare' ? out : out.filter((c) => asked.some((p) => about(c, p)));
    const unanswered = ctx.placesAsked.filter((p) => !kept.slice(0, 40).some((c) => about(c, placeKey(p))));
    if (kept.length === 0 || unanswered.length) {
      const missing = unanswered.length ? unanswered : ctx.placesAsked;
      const absent = missing.filter((p) => ctx.localitiesAsked.some((l) => placeKey(l) === placeKey(p)) && !ctx.corpusPlaces.some((c) => placeKey(c) === placeKey(p)));
      if (absent.length) return { cands: [], refusal: refuse('scope.place_absent', en, { places: absent, held: ctx.corpusPlaces }) };
      if (kept.length === 0 || q.intent === 'compare') return { cands: [], refusal: refuse('evidence.place_not_stated', en, { places: missing }) };
    }
    out = kept;
  }
  const groups = topicGroups(q, ctx);
  if (q.intent === 'number' && groups.length) {
    // The phrases may sit in the neighbouring sentence of the same line ("… đạt 76 tuổi; Đạt 38 giường bệnh …").
    // With several phrases, most of them must be there (a question may word one differently).
    const needed = groups.length <= 2 ? groups.length : Math.ceil(groups.length / 2);
    // A figure for a document the question names must come from that document (or one implementing it).
    const fromNamed = (c: Candidate) => ctx.relatedDocs.length === 0 || ctx.relatedDocs.includes(c.docId);
    const fits = (c: Candidate) => {
      if (!fromNamed(c)) return false;
      // A law clause states its figure under its article's title (and the khoản lead-in of a điểm).
      const line = fold(`${c.headings} ${lineText(ctx, c)}`);
      return statesFigure(c.sentence.text) && groups.filter((g) => g.some((p) => line.includes(fold(p)))).length >= needed;
    };
    const fitting = out.filter(fits);
    if (fitting.length === 0) return { cands: [], refusal: refuse('evidence.no_figure', en, { what: groups.map((g) => g[0]).join(', ') }) };
    out = [...fitting, ...out.filter((c) => !fitting.includes(c))];
  }
  const inCurrency = asksCurrency(q.question);
  if (asksMoney(q.question) && !out.slice(0, MONEY_EVIDENCE_CANDIDATES).some((c) => statesMoney(c.stated, inCurrency))) {
    return { cands: [], refusal: refuse('evidence.no_amount', en) };
  }
  // A period, a rate or an age asked for must be stated (a number with its unit) by one of the best candidates.
  const kinds = askedQuantities(q.question).filter((k) => k !== 'money');
  if (kinds.length && !out.slice(0, QUANTITY_EVIDENCE_CANDIDATES).some((c) => kinds.some((k) => statesQuantity(c.stated, k)))) {
    return { cands: [], refusal: refuse('evidence.quantity_absent', en, { what: kinds.map((k) => QUANTITY_NAMES[k][en ? 1 : 0]).join(en ? ' or ' : ' hoặc ') }) };
  }
  // A year asked about must be one the answering documents speak of.
  const answering = [...new Set(out.slice(0, QUANTITY_EVIDENCE_CANDIDATES).map((c) => c.docId))].map((id) => ctx.docs.get(id)?.text ?? '');
  const years = yearsUnmentioned(q.question, answering);
  if (years.length) return { cands: [], refusal: refuse('evidence.year_absent', en, { what: years.join(', ') }) };
  return { cands: out, refusal: null };
}

/**
 * Whether a sentence states a figure: a number other than a document number or a numeric date (a plan citing
 * "Nghị quyết số 125/NQ-CP ngày 08/10/2018" about a topic states no figure about it).
 * @example statesFigure('đạt trên 98% dân số') // true; statesFigure('thực hiện Nghị quyết số 125/NQ-CP ngày 08/10/2018') // false
 */
function statesFigure(sentence: string): boolean {
  return DIGIT_RE.test(sentence.replace(NOT_A_FIGURE_RE, ' '));
}

/** Does a text state a time: a deadline or period as the register reads them, a span, or a date? */
function statesTime(text: string): boolean {
  return parseDeadline(text) !== null || statesQuantity(text, 'period') || DATE_IN_TEXT_RE.test(text);
}

/**
 * The documents a question names one by one: by number or name ("QĐ 1240 và KH 19"), by issuer and type ("the
 * Government programme"), or by province ("tỉnh Bắc Ninh"). The documents implementing a resolution it names are
 * what it is about, not documents it names.
 */
function namedOneByOne(q: QueryAnalysis): Set<string> {
  return new Set(q.docRefs.flatMap((r) => [...r.docIds, ...(r.via ? r.implementerIds : [])]));
}

/** The sides of a comparison: the documents the question names one by one, when there are two or more. */
function comparedSides(q: QueryAnalysis): Set<string> | null {
  const sides = namedOneByOne(q);
  return sides.size >= 2 ? sides : null;
}

/** The best sentence, then close runners-up (at least one per document when several documents answer). */
function chooseQuotes(q: QueryAnalysis, cands: Candidate[], maxQuotes: number, ctx: AnswerContext): Candidate[] {
  const best = cands[0]!;
  const chosen: Candidate[] = [best];
  const perDoc = q.intent === 'compare' || new Set(q.docRefs.flatMap((r) => r.docIds)).size > 1;
  if (perDoc) {
    // Each document the question points at (two or more) gets its best sentence, however it scores against the
    // other document's: a comparison names both sides. Otherwise one other document, when it scores close.
    const sides = comparedSides(q);
    for (const c of cands) {
      if (chosen.length >= maxQuotes || (!sides && chosen.length > 1)) break;
      if (chosen.some((x) => x.docId === c.docId)) continue;
      if (sides ? sides.has(c.docId) && c.score >= best.score * OTHER_SIDE_RATIO : c.score >= best.score * OTHER_DOC_RATIO) chosen.push(c);
    }
  }
  const firstOfDoc = new Set(perDoc ? chosen : [best]);
  for (const c of cands) {
    if (chosen.length >= maxQuotes) break;
    if (chosen.includes(c) || c.score < best.score * SECONDARY_QUOTE_RATIO) continue;
    if (chosen.some((x) => x.docId === c.docId && Math.abs(x.sentence.start - c.sentence.start) < 3)) continue;
    chosen.push(c);
  }
  // The best sentence of each document leads (side by side), then the rest by score.
  chosen.sort((a, b) => Number(firstOfDoc.has(b)) - Number(firstOfDoc.has(a)) || b.score - a.score);
  // A law clause is quoted whole (the khoản with its điểm list); two quotes of one clause become one.
  for (let i = 0; i < chosen.length; i++) {
    const c = chosen[i]!;
    if (!c.quote) continue;
    const { start, end } = c.quote;
    if (chosen.slice(0, i).some((x) => x.docId === c.docId && x.sentence.start < end && start < x.sentence.end)) {
      chosen.splice(i--, 1);
      continue;
    }
    chosen[i] = { ...c, sentence: { start, end, text: ctx.docs.get(c.docId)!.text.slice(start, end) } };
  }
  // A very short quote ("Tỷ lệ … đạt 90%.") reads with the sentence that follows it on the same line.
  for (const c of chosen) {
    if (c.sentence.text.length >= SHORT_QUOTE_CHARS) continue;
    const d = ctx.docs.get(c.docId)!;
    const next = cands.find((x) => x.docId === c.docId && x.sentence.start > c.sentence.end && BLANK_GAP_RE.test(d.text.slice(c.sentence.end, x.sentence.start)));
    if (next && !chosen.includes(next)) c.sentence = { start: c.sentence.start, end: next.sentence.end, text: d.text.slice(c.sentence.start, next.sentence.end) };
  }
  return chosen;
}

/** Register records whose evidence overlaps the two best quotes (who/when questions), best quote first. */
function quotedAssignments(chosen: Candidate[], ctx: AnswerContext): Obligation[] {
  const added: Obligation[] = [];
  for (const c of chosen.slice(0, 2)) {
    for (const o of ctx.obligations) {
      if (o.docId !== c.docId || added.includes(o) || added.length >= QUOTED_REGISTER_MAX) continue;
      const at = evidenceOffset(ctx, o);
      if (at < 0 || !(at < c.sentence.end && c.sentence.start < at + o.evidence.length)) continue;
      if (o.lead.length === 0 && !o.recipient && !o.deadline) continue;
      added.push(o);
    }
  }
  return added;
}

/**
 * "“42” is read as 42-NQ/TW; 42-KL/TU also carries that number" — only when two different documents the
 * corpus holds match the reference and the question does not settle which (spelling variants of one
 * number are one document).
 */
function ambiguityNotes(q: QueryAnalysis, ctx: AnswerContext): string[] {
  const loose = (n: string) => numberKey(n).replace(NUMBER_SEPARATOR_RE, '');
  const held = new Set(ctx.docs.metas().map((m) => (m.number ? loose(m.number) : '')).filter(Boolean));
  return q.docRefs
    .filter((r) => r.ambiguous && r.chosen)
    .flatMap((r) => {
      const others = [...new Map(r.candidates.filter((c) => held.has(loose(c)) && loose(c) !== loose(r.chosen!)).map((c) => [loose(c), c])).values()];
      if (others.length === 0 || !held.has(loose(r.chosen!))) return [];
      return [
        q.language === 'en'
          ? `Note: “${r.raw}” is read as ${r.chosen}; ${others.join(', ')} also ${others.length > 1 ? 'carry' : 'carries'} that number.`
          : `Lưu ý: “${r.raw}” được hiểu là ${r.chosen}; ${others.join(', ')} cũng mang số này.`,
      ];
    });
}

export interface ExtractiveInput {
  q: QueryAnalysis;
  retrieved: Retrieved[];
  ctx: AnswerContext;
}

/** A quote shown on one answer line (the citation keeps the text as written, line breaks and all). */
// Page-break marks inside a quoted list ("\f- 12 -") are not shown (the citation keeps the text as written).
const oneLine = (s: string): string => s.split('\n').filter((l) => !isPageMark(l)).join(' ').replace(SPACE_RUN_RE, ' ').trim();
const upperFirst = (s: string): string => s.replace(LOWER_FIRST_RE, (c) => c.toUpperCase());

/** Builds the `ask --json` object for a question from retrieved chunks, the registry and the register. */
export function answerExtractive({ q, retrieved, ctx }: ExtractiveInput): AskResult {
  const en = q.language === 'en';
  const citer = new Citer(ctx.docs, retrieved, q.language);
  const names = new UnitNamer(ctx.naming, en);
  const policy = ctx.settings.policy;
  const no = (r: Refusal) => refusal(q, r, retrieved, ctx);

  // Honest scope first: a document the corpus neither holds nor cites, an office holder.
  const absent = numbersAbsent(ctx.questionNumbers, ctx.knownNumbers);
  if (absent.length) return no(refuse('scope.document_absent', en, { what: absent.join(', ') }));
  if (asksOfficeHolder(q.question)) return no(refuse('scope.person', en));
  const namedDocs = [...new Set(q.docRefs.flatMap((r) => r.docIds))].map((id) => ctx.docs.get(id)).filter((d): d is StoredDoc => !!d);
  const missingArticles = articlesAbsent(q.sectionRefs.map((r) => r.prefix), namedDocs.map((d) => d.sections.map((x) => x.path)));
  if (missingArticles.length) {
    const held = namedDocs.map((d) => [d.meta.type, d.meta.number].filter(Boolean).join(' ') || d.meta.title);
    return no(refuse('scope.section_absent', en, { what: missingArticles.join(', '), held }));
  }
  // A body named as the issuer of a document the corpus does not hold (when no held document is named).
  // A document of that issuer which a held document mentions (a resolution it implements, a directive it
  // plans) is in scope: the question may be about the mention.
  // When the question also names a held document (by number or by an issuer that has one), the other is
  // read as something that document mentions.
  const absentIssuers = issuersAbsent(ctx.issuersAsked, ctx.corpusIssuers);
  const namesHeld = q.docRefs.some((r) => r.docIds.length) || absentIssuers.length < ctx.issuersAsked.length;
  const noIssuer = namesHeld ? [] : issuersAbsent(ctx.issuersAsked.filter((i) => !ctx.mentionsIssuedBy(i.names)), ctx.corpusIssuers);
  if (noIssuer.length) {
    const held = [...new Set(ctx.docs.metas().map((m) => m.issuer).filter((x): x is string => !!x))];
    return no(refuse('scope.issuer_absent', en, { what: noIssuer.join(', '), held: en ? held.map((h) => ctx.naming.english(h) ?? h) : held }));
  }

  const registry = answerFromRegistry(q, ctx, retrieved, citer);
  if (registry.refusedReason) return no({ rule: 'registry.field_blank', reason: registry.refusedReason });

  // Complete lists from the task register, and timeliness across documents.
  const composed = registry.lines.length ? null : answerList(q, ctx, citer, names, retrieved) ?? answerTimeliness(q, ctx, citer, names);
  if (composed) return result(q, composed, citer, retrieved, ctx);

  // The rarest policy phrase the question names must be in what was retrieved, or nothing answers it.
  const focus = rarestGroup(topicGroups(q, ctx), ctx);
  // A law clause is read under its headings (Chương, Mục, article title): "người cao tuổi" heads the clauses below it.
  const topicText = (r: Retrieved) => {
    const d = ctx.docs.get(r.chunk.docId);
    if (!d || !r.chunk.section.startsWith('Điều ')) return r.chunk.text;
    const at = { start: r.chunk.start, end: r.chunk.end, text: r.chunk.text };
    return `${headingPath(d, at, sectionAt(d.sections, at.start, at.end))} ${r.chunk.breadcrumb} ${r.chunk.text}`;
  };
  if (focus && !retrieved.slice(0, policy.focusPassages).some((r) => focus.some((p) => fold(topicText(r)).includes(fold(p))))) {
    return no(refuse('evidence.topic_absent', en, { what: focus[0] }));
  }

  const reporting = reportingRecords(q, ctx);
  const { cands, refusal: why } = admissible(q, collectCandidates(q, retrieved, ctx), ctx);
  if (why) return no(why);
  const best = cands[0];
  if (!best) return no(refuse('evidence.none', en));
  // A deadline asked for ("hạn chót … là ngày nào?", "by when") must be stated: by a register record that reports on
  // the document asked about, or by one of the two best sentences (a date, a period, "hằng năm", "quý I/2024").
  if (asksDeadline(q.question) && registry.lines.length === 0 && !reporting.some((o) => o.deadline) && !cands.slice(0, DEADLINE_EVIDENCE_CANDIDATES).some((c) => statesTime(c.stated))) {
    return no(refuse('evidence.quantity_absent', en, { what: en ? 'deadline or date' : 'thời hạn' }));
  }
  const minCoverage = q.intent === 'compare' ? policy.minCoverageCompare : policy.minCoverage;
  const bestContext = Math.max(0, ...cands.slice(0, 5).map((c) => c.contextCoverage));
  if (registry.lines.length === 0 && reporting.length === 0 && bestContext < minCoverage) return no(refuse('evidence.low_coverage', en));

  // When the registry already answered a metadata question, one supporting quote is enough.
  const chosen = chooseQuotes(q, cands, registry.answered ? 1 : ctx.settings.maxQuotes + 1, ctx);
  const parts: AnswerParts = { lead: [], support: [], notes: ambiguityNotes(q, ctx) };
  const quoteLine = (c: Candidate, n: number): string => {
    const d = ctx.docs.get(c.docId)!;
    const text = oneLine(c.sentence.text);
    // A law's clause is named as people cite it: "khoản 1 Điều 105 Bộ luật Lao động số 45/2019/QH14".
    const law = !!d.meta.name && !!citer.section(n);
    if (!en) return law ? `Theo ${citer.label(n)}: “${text}” [${n}]` : `Theo ${citeLabel(d.meta)} §${citer.section(n)}: “${text}” [${n}]`;
    const topics = ctx.naming.topicsEn(text).slice(0, 3);
    const where = law ? citer.label(n) : `${citeLabelEn(d.meta, ctx.naming)}, section ${citer.section(n)}`;
    return `${upperFirst(where)}${topics.length ? `, on ${topics.join(', ')},` : ''} says: “${text}” [${n}]`;
  };
  const cite = (c: Candidate) => citer.cite(c.docId, c.sentence.start, c.sentence.end);

  const records = registry.lines.length ? [] : reporting.length ? reporting : isWhoWhen(q) ? quotedAssignments(chosen, ctx) : [];
  if (registry.lines.length) {
    parts.lead.push(...registry.lines);
  } else if (records.length) {
    records.forEach((o, i) => {
      const at = evidenceOffset(ctx, o);
      const n = citer.cite(o.docId, at, at + o.evidence.length);
      const d = ctx.docs.get(o.docId)!;
      const where = `${citeLabel(d.meta)} §${citer.section(n)}`;
      if (i === 1 && reportsTo(o, records[0]!)) {
        // The second link of a reporting chain reads on the first one's line: one line answers who and by when.
        const link = en ? upperFirst(registerSentenceEn(o, n, names, `${citeLabelEn(d.meta, ctx.naming)}, section ${citer.section(n)}`)) : `§${citer.section(n)} — ${registerLineVi(o, n)}`;
        parts.lead.push(`${parts.lead.pop()!}${en ? ' ' : '; '}${link}`);
      } else if (en) {
        parts.lead.push(upperFirst(registerSentenceEn(o, n, names, `${citeLabelEn(d.meta, ctx.naming)}, section ${citer.section(n)}`)));
      } else if (records.length === 1) {
        // One assignment: the units, then the sentence that assigns them (it names them as the text does).
        parts.lead.push(`${registerLineVi(o, n).replace(TRAILING_CITATION_RE, '')} — theo ${where}: “${oneLine(d.text.slice(at, at + o.evidence.length))}” [${n}]`);
      } else {
        parts.lead.push(`${where} — ${registerLineVi(o, n)}`);
      }
      if (i === 0 && en && records.length === 1) parts.support.push(quoteLine({ ...chosen[0]!, sentence: { start: at, end: at + o.evidence.length, text: d.text.slice(at, at + o.evidence.length) } }, n));
    });
  }
  // Quotes: the lead when nothing above answered, else support. Number, list and compare answers read
  // their first quotes together (one figure per sentence, or one per document).
  const leadQuotes = parts.lead.length ? 0 : q.intent === 'number' || q.intent === 'list' || q.intent === 'compare' ? 2 : 1;
  const leadLines: string[] = [];
  for (const c of chosen) {
    const n = cite(c);
    const line = quoteLine(c, n);
    if (parts.lead.some((l) => l.includes(`[${n}]`)) || parts.support.some((l) => l.includes(`[${n}]`))) continue;
    if (leadLines.length < leadQuotes) {
      leadLines.push(leadLines.length === 0 ? leadOpening(q, c, n, line, ctx, names) : line);
      continue;
    }
    if (parts.support.length < ctx.settings.maxQuotes) parts.support.push(line);
  }
  if (leadLines.length) parts.lead.push(leadLines.join(en ? ' ' : ' — '));
  return result(q, parts, citer, retrieved, ctx);
}

/**
 * The opening of an answer read from a quote: in English, one English sentence saying what the quote
 * establishes (the units it names for a who-question, the deadline for a when-question) before it.
 */
function leadOpening(q: QueryAnalysis, c: Candidate, n: number, line: string, ctx: AnswerContext, names: UnitNamer): string {
  if (q.language !== 'en') return line;
  const d = ctx.docs.get(c.docId)!;
  const label = citeLabelEn(d.meta, ctx.naming);
  const quote = line.slice(line.indexOf('“'));
  if (q.intent === 'who' || q.intent === 'who+when') {
    const units = ctx.register.unitsIn(c.sentence.text).slice(0, 4);
    if (units.length) return `${upperFirst(label)}, section ${sectionOf(ctx, c)}, names ${names.list(units)}: ${quote}`;
  }
  if (q.intent === 'when' || q.intent === 'who+when') {
    const dl = parseDeadline(c.sentence.text);
    if (dl) return `The time stated is ${deadlinePhraseEn(dl)}, in ${label}, section ${sectionOf(ctx, c)}: ${quote}`;
  }
  const lead = q.intent === 'number' ? 'The figures are stated in ' : q.intent === 'list' ? 'The items are listed in ' : q.intent === 'compare' ? 'Compared side by side: ' : 'The answer is in ';
  return `${lead}${line}`;
}

function sectionOf(ctx: AnswerContext, c: Candidate): string {
  const d = ctx.docs.get(c.docId)!;
  return sectionAt(d.sections, c.sentence.start, c.sentence.end)?.path ?? '';
}

/** The final answer object: parts within the length limit, citations renumbered, cited passages first. */
function result(q: QueryAnalysis, parts: AnswerParts, citer: Citer, retrieved: Retrieved[], ctx: AnswerContext): AskResult {
  const { answer, citations } = finalize(parts, citer.list, ctx.settings.maxChars);
  return {
    question: q.question,
    language: q.language,
    refused: false,
    answer,
    citations,
    passages: citedFirst(toPassages(retrieved, ctx.docs, citer.extraPassages), citations),
    mode: 'extractive',
  };
}

/**
 * The question's policy phrases, less those that only name a document it refers to ("lao động" of
 * "theo Bộ luật Lao động"): the document's name says which document, not what is asked about it.
 */
function topicGroups(q: QueryAnalysis, ctx: AnswerContext): string[][] {
  // What names a document is not the topic: its number as written, and the title of a document the question names
  // by number, issuer or place ("Chương trình hành động … về công nghiệp hóa" asks about the programme on it).
  const titles = [...namedOneByOne(q)].map((id) => fold(ctx.docs.get(id)?.meta.title ?? ''));
  const names = [...q.docRefs.filter((r) => r.docIds.length).map((r) => fold(r.raw)), ...titles.filter(Boolean)];
  return ctx.focusGroups.filter((g) => !g.every((p) => names.some((n) => holdsWords(n, fold(p)))));
}

/** The question's policy phrase group that is rarest in the corpus (it carries the question's topic). */
function rarestGroup(groups: string[][], ctx: AnswerContext): string[] | null {
  let best: { g: string[]; df: number } | null = null;
  for (const g of groups) {
    const df = Math.max(...g.map((p) => ctx.phraseDf(p)));
    if (df > 0 && (!best || df < best.df)) best = { g, df };
  }
  return best?.g ?? null;
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

function refusal(q: QueryAnalysis, r: Refusal, retrieved: Retrieved[], ctx: AnswerContext): AskResult {
  return {
    question: q.question,
    language: q.language,
    refused: true,
    answer: `${r.reason} ${q.language === 'en' ? 'The closest sections are listed as passages.' : 'Các đoạn gần nhất được liệt kê trong phần passages.'}`,
    refusal: { rule: r.rule, reason: r.reason },
    citations: [],
    passages: toPassages(retrieved, ctx.docs),
    mode: 'extractive',
  };
}
