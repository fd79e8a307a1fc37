// Duties of state bodies in a law (`Ủy ban nhân dân cấp tỉnh có trách nhiệm …`, `Chính phủ quy định chi tiết …`): the only tasks a law yields.
import type { Obligation, Section } from '../doc/types.ts';
import { splitSentences } from '../text/sentences.ts';
import { escapeRegExp } from '../text/strings.ts';
import { parseDeadline, type Deadline } from './deadline.ts';
import { hasKindCue, kindCueOpens, stateBodyHeads } from './kinds.ts';
import { matchUnits } from './units.ts';

export interface LegalArgs {
  docId: string;
  docNumber: string | null;
  text: string;
  sections: Section[];
}

/** Longest subject (state body name, possibly several joined by `,`/`và`) read before its verb, in characters. */
const MAX_SUBJECT_CHARS = 160;
/** An opening adverbial before the subject: `Trong thời hạn 20 ngày, kể từ …, `, `Hằng năm, `, `Trường hợp …, `. */
const OPENER_RE = /^(?:(?:Trong thời hạn|Chậm nhất|Hằng năm|Hàng năm|Định kỳ|Trường hợp|Trong trường hợp|Căn cứ|Khi|Sau khi|Trên cơ sở)[^,;:]{0,160},\s*)+/u;
/** A time limit as laws write it: `trong thời hạn 05 ngày làm việc, kể từ ngày nhận được …`. */
const TIME_LIMIT_RE = /[Tt]rong thời hạn\s+\d+\s+(?:ngày làm việc|ngày|tháng|năm)(?:,?\s+kể từ\s+[^,.;]{3,120})?/u;
/** Insertions between a subject and its verb: `, trong phạm vi nhiệm vụ, quyền hạn của mình,`. */
const INSERTION_RE = /,?\s*(?:trong phạm vi[^,]*(?:,[^,]*của mình)?|theo (?:chức năng|thẩm quyền)[^,]*),?\s*/gu;
/** Verbs that end a state body's name and open its duty. */
const DUTY_VERB_RE = /(?<![\p{L}])(?:có trách nhiệm|chịu trách nhiệm|có nhiệm vụ|có các nhiệm vụ|thống nhất quản lý|quy định chi tiết|quy định cụ thể|quy định|hướng dẫn|ban hành|tổ chức|chỉ đạo|chủ trì|phối hợp|thực hiện|báo cáo|trình|quyết định|ra quyết định|xây dựng|kiểm tra|thanh tra|giám sát|theo dõi|(?<!các\s|cùng\s)cấp(?!\s+(?:tỉnh|huyện|xã|trung ương|cơ sở|bộ))|đóng|có quyền|chi trả|giải quyết|bảo đảm|bố trí|công bố|thông báo|tiếp nhận|xử lý|lập|phê duyệt|hỗ trợ|tuyên truyền)(?![\p{L}])/u;
/** A heading giving a state body's duties to the clauses below it: `Trách nhiệm của Ủy ban nhân dân cấp tỉnh …`. */
const DUTY_HEADING_RE = /^(?:Trách nhiệm|Nhiệm vụ(?:,? quyền hạn)?|Nhiệm vụ và quyền hạn)(?:\s+\p{Ll}+){0,4}\s+của\s+(.+)$/u;
/** An intro sentence handing its points down: `Bộ … có trách nhiệm sau đây:`, `… có các nhiệm vụ, quyền hạn sau đây:`. */
const INTRO_RE = /(?:có trách nhiệm|có (?:các )?nhiệm vụ(?:,? quyền hạn)?|chịu trách nhiệm)[^.;]{0,80}(?:sau đây)?\s*:\s*$/u;
/** Words that start like a body head but name a thing (`Bộ luật`, `Bộ phận`) or an act (`Thanh tra việc …`). */
const NOT_A_BODY_RE = /^(?:Bộ luật|Bộ phận|Bộ hồ sơ|Bộ máy|Bộ tiêu chí|Bộ chỉ số)(?![\p{L}])|(?<![\p{L}])(?:việc|các trường hợp|trường hợp|quyền|được|nếu|khi|này)(?![\p{L}])/u;
/** Permissions and rights are not duties. */
const NOT_DUTY_RE = /^(?:có quyền|được|không được|có thể)(?![\p{L}])/u;

/** Sections of a law that carry duties: articles, clauses, points (not header, signature, tables). */
const CONTENT_KINDS = new Set(['article', 'item', 'point', 'subitem', 'bullet']);

function bodyHeadRe(): RegExp {
  const heads = stateBodyHeads().map(escapeRegExp);
  return new RegExp(`^(?:Các\\s+|các\\s+)?(?:${heads.join('|')})(?![\\p{L}])`, 'u');
}

/** Punctuation no body name holds, e.g. the `;` of `Bộ Y tế; Bộ Tài chính`. */
const CLAUSE_PUNCT_RE = /[.;:]/u;

/**
 * True when a text reads as the name of a state body (never a clause fragment): it starts with a body head
 * (`Ủy ban nhân dân`, `Bộ`, `Chính phủ`) or is a gazetteer unit, and has no verb or sentence punctuation.
 * @example isStateBodyName('Ủy ban nhân dân cấp tỉnh') === true
 * @example isStateBodyName('Các trường hợp tạm hoãn') === false
 */
export function isStateBodyName(s: string): boolean {
  const t = s.trim();
  if (!t || t.length > MAX_SUBJECT_CHARS || CLAUSE_PUNCT_RE.test(t) || NOT_A_BODY_RE.test(t)) return false;
  if (DUTY_VERB_RE.test(t) && !matchUnits(t).some((m) => m.start === 0 && m.end >= t.length - 1)) return false;
  return bodyHeadRe().test(t) || matchUnits(t).some((m) => m.start <= 1 && m.end >= t.length - 1);
}

/** Where one name of a list ends, e.g. `, ` or ` và ` in `Bộ Y tế, Bộ Tài chính và Bộ Nội vụ`. */
const NAME_LIST_SEPARATOR_RE = /,\s*|\s+và\s+/u;
/** A head word alone, e.g. the `Bộ` of `Bộ, cơ quan ngang Bộ`. */
const LONE_HEAD_WORD_RE = /^(?:Bộ|Sở|Phòng)$/u;
/** Two letters in a row, e.g. `Bộ`. */
const TWO_LETTERS_RE = /\p{L}{2}/u;

/** Splits a subject (`Bộ Lao động - Thương binh và Xã hội, Bộ Y tế`) into body names, keeping gazetteer names whole. */
function subjectNames(subject: string): string[] {
  const units = matchUnits(subject);
  const out: string[] = [];
  let cur = 0;
  const pushFree = (s: string): void => {
    for (const piece of s.split(NAME_LIST_SEPARATOR_RE)) {
      const t = piece.trim();
      if (t) out.push(t);
    }
  };
  for (const u of units) {
    if (u.start > cur) pushFree(subject.slice(cur, u.start));
    out.push(u.surface);
    cur = u.end;
  }
  if (cur < subject.length) pushFree(subject.slice(cur));
  // `Bộ, cơ quan ngang Bộ` is one name: a lone head word joins the next piece.
  const merged: string[] = [];
  for (const n of out) {
    const prev = merged[merged.length - 1];
    if (prev && LONE_HEAD_WORD_RE.test(prev)) merged[merged.length - 1] = `${prev}, ${n}`;
    else merged.push(n);
  }
  return merged.filter((n) => TWO_LETTERS_RE.test(n));
}

/** Commas and spaces ending a subject, e.g. `, ` in `Bộ Y tế, `. */
const TRAILING_COMMA_SPACE_RE = /[\s,]+$/u;

/** The state body a sentence opens with, and where its duty starts; null when the subject is not a state body. */
function stateSubject(sentence: string): { lead: string[]; predicate: number } | null {
  const opener = OPENER_RE.exec(sentence);
  const from = opener ? opener[0].length : 0;
  const rest = sentence.slice(from);
  if (!bodyHeadRe().test(rest) && !matchUnits(rest.slice(0, MAX_SUBJECT_CHARS)).some((m) => m.start <= 4)) return null;
  const cleaned = rest.slice(0, MAX_SUBJECT_CHARS + 40);
  // The verb must not sit inside a gazetteer name (`Ủy ban Thường vụ Quốc hội quy định` → verb `quy định`).
  const units = matchUnits(cleaned);
  let verbAt = -1;
  const re = new RegExp(DUTY_VERB_RE.source, 'gu');
  for (const m of cleaned.matchAll(re)) {
    if (units.some((u) => u.start <= m.index && m.index < u.end)) continue;
    verbAt = m.index;
    break;
  }
  if (verbAt <= 0) return null;
  const subject = cleaned.slice(0, verbAt).replace(INSERTION_RE, ' ').replace(TRAILING_COMMA_SPACE_RE, '').trim();
  if (!subject || NOT_DUTY_RE.test(cleaned.slice(verbAt))) return null;
  // A head word that is itself a verb (`Thanh tra, kiểm tra việc …`) opens an action, not a subject.
  if (new RegExp(`^(?:${DUTY_VERB_RE.source})$`, 'iu').test(subject)) return null;
  const names = subjectNames(subject);
  if (names.length === 0 || !names.every((n) => isStateBodyName(n))) return null;
  return { lead: names, predicate: from + verbAt };
}

/** A predicate that makes rules, e.g. `quy định mức hưởng`. */
const RULES_VERB_RE = /^quy định(?![\p{L}])/u;
/** A lead unit is named, e.g. `chủ trì` in `Bộ Y tế chủ trì`. */
const LEADS_RE = /chủ trì/u;

/** Kind of a law's duty: a delegation to make detailed rules, a report, a plan to issue, coordination, else a duty. */
function legalKind(s: string, predicate: string): Obligation['kind'] {
  // `Chính phủ quy định …` hands rule-making down, with or without `chi tiết`.
  if (hasKindCue('delegation', s) || RULES_VERB_RE.test(predicate)) return 'delegation';
  if (hasKindCue('report', s)) return 'report';
  if (hasKindCue('issue-plan', s)) return 'issue-plan';
  if (kindCueOpens('coordinate', s) && !LEADS_RE.test(s)) return 'coordinate';
  return 'duty';
}

function legalDeadline(s: string): Deadline | null {
  const t = TIME_LIMIT_RE.exec(s);
  if (t) return { raw: t[0], type: 'period' };
  const d = parseDeadline(s);
  return d && d.type !== 'ongoing' ? d : null;
}

/** A scope phrase after a body's name, e.g. ` trong phạm vi nhiệm vụ` of `Bộ Y tế trong phạm vi nhiệm vụ`. */
const SCOPE_TAIL_RE = /\s+(?:trong|về|đối với|khi)\s.*$/u;
/** A clause or point label at the start, e.g. `2. `, `2a. `, `b) ` or `- `. */
const CLAUSE_LABEL_RE = /^\s*(?:\d{1,3}[a-z]?\.|[a-zđ]\)|[-–•+])\s*/u;
/** The partners of a duty, e.g. `phối hợp với Bộ Tài chính` (group: `Bộ Tài chính`). */
const PARTNERS_RE = /phối hợp với\s+([^,.;]+)/u;
/** A run of white space, e.g. `\n  `. */
const SPACE_RUN_RE = /\s+/g;

/**
 * Every duty a law gives a state body: sentences whose subject is a state body (gazetteer unit or a name that
 * starts like one), and clauses under a heading or intro that names the body (`Điều 74. Trách nhiệm của Ủy ban
 * nhân dân cấp tỉnh …` / `1. Tổ chức đào tạo …`). Duties of employers, workers and other persons are not tasks.
 * @example extractLegalDuties({ docId, docNumber: '45/2019/QH14', text, sections }).filter((o) => o.kind === 'delegation')
 */
export function extractLegalDuties(args: LegalArgs): Obligation[] {
  const { docId, docNumber, text, sections } = args;
  const byPath = new Map(sections.map((s) => [s.path, s]));
  const handed = new Map<string, string[]>();
  const counters = new Map<string, number>();
  const out: Obligation[] = [];
  const citePath = (s: Section): string => {
    let cur: Section | undefined = s;
    while (cur && cur.kind === 'bullet') cur = cur.parent ? byPath.get(cur.parent) : undefined;
    return cur?.path ?? s.path;
  };
  const inheritedLead = (s: Section): string[] => {
    for (let cur: Section | undefined = s; cur; cur = cur.parent ? byPath.get(cur.parent) : undefined) {
      const l = handed.get(cur.path);
      if (l) return l;
    }
    return [];
  };

  for (const s of sections) {
    if (!CONTENT_KINDS.has(s.kind)) continue;
    if (s.kind === 'article') {
      const h = DUTY_HEADING_RE.exec(s.heading.normalize('NFC').trim());
      if (h) {
        const body = h[1]!.replace(SCOPE_TAIL_RE, '').trim();
        if (isStateBodyName(body)) handed.set(s.path, subjectNames(body));
      }
    }
    const firstChild = s.children.map((c) => byPath.get(c)).filter((c): c is Section => !!c).sort((a, b) => a.start - b.start)[0];
    const ownEnd = firstChild ? Math.min(s.end, firstChild.start) : s.end;
    // An article's first line is its heading, not a sentence of duties.
    const lineEnd = text.indexOf('\n', s.start);
    const bodyStart = s.kind === 'article' ? (lineEnd < 0 || lineEnd > ownEnd ? ownEnd : lineEnd + 1) : s.start;
    const labelLen = CLAUSE_LABEL_RE.exec(text.slice(bodyStart, ownEnd))?.[0].length ?? 0;
    const sents = splitSentences(text, bodyStart + labelLen, ownEnd);
    const fromAbove = inheritedLead(s.parent ? byPath.get(s.parent) ?? s : s);
    sents.forEach((se, i) => {
      const sentence = se.text.normalize('NFC');
      const subject = stateSubject(sentence);
      if (subject && INTRO_RE.test(sentence)) {
        handed.set(s.path, subject.lead);
        return;
      }
      const lead = subject?.lead ?? (i === 0 && s.kind !== 'article' ? fromAbove : []);
      if (lead.length === 0) return;
      if (!subject && NOT_DUTY_RE.test(sentence)) return;
      if (!subject && INTRO_RE.test(sentence)) return;
      const section = citePath(s);
      const n = (counters.get(section) ?? 0) + 1;
      counters.set(section, n);
      const partners = PARTNERS_RE.exec(sentence)?.[1];
      out.push({
        id: `${docId}#${section}#${n}`, docId, docNumber, section,
        text: se.text.replace(SPACE_RUN_RE, ' ').trim(),
        kind: legalKind(sentence, subject ? sentence.slice(subject.predicate) : ''),
        lead,
        partners: partners && isStateBodyName(partners) ? subjectNames(partners) : [],
        recipient: null, via: null,
        deadline: legalDeadline(sentence),
        approval: null,
        evidence: se.text,
      });
    });
  }
  return out;
}
