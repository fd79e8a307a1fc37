// Answers composed from the task register and the registry across documents: complete task lists (a
// unit's tasks, what is due in a year) and timeliness (was a document issued by the deadline another set).
import { englishDate } from '../doc/dates.ts';
import type { DocMeta, Obligation } from '../doc/types.ts';
import type { QueryAnalysis } from '../retrieve/query.ts';
import { kindLabel, unitKey } from '../register/index.ts';
import { cueMatchers, dataFile, foldCueText } from '../text/cues.ts';
import { citeLabel, citeLabelEn, deadlineEnglish, deadlinePhraseEn, type AnswerParts, type Citer, type UnitNamer } from './compose.ts';
import { evidenceOffset, locate, type AnswerContext } from './context.ts';

/** A trailing partial word with the space before it, e.g. ` Thương b` at the end of `Bộ Lao động - Thương b`. */
const TRAILING_PARTIAL_WORD_RE = /\s+\S*$/;
/** Every run of white space, line breaks included, e.g. `" \n  "`. */
const SPACE_RUN_RE = /\s+/g;
/** A parenthesised note that ends a task text, e.g. ` (Quý IV/2024);`. */
const TRAILING_NOTE_RE = /\s*\(\*?[^()]*\*?\)\s*[.;]?$/;
/** A semicolon that ends a paragraph, e.g. the last `;` of `… năm 2025;`. */
const TRAILING_SEMICOLON_RE = /;$/;

/** Fewest register records that make a list answer (none: the quote-based answer stands). */
export const LIST_MIN_ITEMS = 1;
/** Characters of a task's text shown per list item (the citation keeps the whole sentence). */
export const LIST_ITEM_CHARS = 110;
/** Room kept at the end of a list answer for the "N more" line. */
export const LIST_TAIL_CHARS = 160;

const CUES = cueMatchers(dataFile('answer-cues.json'));
/** A month of a year written in a question: `tháng 12/2023`, `12/2023`. */
const MONTH_YEAR_RE = /(?<![\d/])(\d{1,2})\s*\/\s*(20\d\d)(?!\d)/;
/** A year written in a question: `2025`. */
const YEAR_RE = /(?<![\d/])(20\d\d)(?!\d)/;

/** The period a question asks about: a month of a year, or a year, as ISO dates [start, end]. */
function periodAsked(question: string): { start: string; end: string; label: string } | null {
  const m = MONTH_YEAR_RE.exec(question);
  if (m && +m[1]! >= 1 && +m[1]! <= 12) {
    const mm = m[1]!.padStart(2, '0');
    const last = new Date(Date.UTC(+m[2]!, +m[1]!, 0)).getUTCDate();
    return { start: `${m[2]}-${mm}-01`, end: `${m[2]}-${mm}-${last}`, label: `${+m[1]!}/${m[2]}` };
  }
  const y = YEAR_RE.exec(question);
  return y ? { start: `${y[1]}-01-01`, end: `${y[1]}-12-31`, label: y[1]! } : null;
}

const fold = foldCueText;
const short = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n).replace(TRAILING_PARTIAL_WORD_RE, '')} …`);

interface Group {
  title: string;
  items: Obligation[];
}

/**
 * "What does plan X require of unit Y", "unit Y's tasks", "which tasks does Y lead", "what is due in
 * 2025": the complete set from the task register, grouped, each item cited; when cut for length, how
 * many more and a link to the plan view filtered to them. Null when the question is not such a list.
 */
export function answerList(q: QueryAnalysis, ctx: AnswerContext, citer: Citer, names: UnitNamer): AnswerParts | null {
  const f = fold(q.question);
  const en = q.language === 'en';
  // A question asking which unit ("đơn vị nào", "who") wants a unit, not a list of tasks.
  if (CUES.whoAsk!.test(f)) return null;
  // Who, when, how many and which-document questions are answered from sentences, not as a task list.
  if (q.intent === 'number' || q.intent === 'metadata' || q.intent === 'compare') return null;
  const asksTasks = CUES.tasks!.test(f);
  const period = periodAsked(q.question);
  const asksDue = !!period && (CUES.due!.test(f) || asksTasks);
  if (!asksTasks && !asksDue) return null;
  const scope = (o: Obligation) => ctx.relatedDocs.length === 0 || ctx.relatedDocs.includes(o.docId);
  // A body named as a document's issuer ("Chương trình của Chính phủ") assigns; it is not the one asked about.
  const issuers = new Set(ctx.issuersAsked.flatMap((i) => i.names.map(unitKey)));
  const assigned = ctx.unitsAsked.filter((u) => !issuers.has(unitKey(u)));
  const units = (assigned.length ? assigned : ctx.unitsAsked).map(unitKey);
  let groups: Group[];
  let filter: { unit?: string; dueBefore?: string };
  let subject: string;
  if (asksTasks && units.length) {
    const leadOnly = CUES.leads!.test(f);
    const has = (names: string[]) => names.some((n) => units.includes(unitKey(n)));
    let recs = ctx.obligations.filter((o) => scope(o) && (has(o.lead) || (!leadOnly && has(o.partners))));
    if (period && asksDue) recs = recs.filter((o) => covers(o, period));
    const lead = recs.filter((o) => has(o.lead));
    const partner = recs.filter((o) => !has(o.lead));
    groups = [
      { title: en ? 'As lead unit' : 'Chủ trì', items: lead },
      { title: en ? 'As partner' : 'Phối hợp', items: partner },
    ].filter((g) => g.items.length);
    const unitVi = (assigned.length ? assigned : ctx.unitsAsked)[0]!;
    filter = { unit: unitVi };
    subject = en ? names.name(unitVi) : unitVi;
  } else if (asksDue && period) {
    const recs = ctx.obligations.filter((o) => scope(o) && covers(o, period));
    const byKind = new Map<string, Obligation[]>();
    for (const o of recs) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o]);
    groups = [...byKind.entries()].map(([k, items]) => ({ title: kindLabel(k, en ? 'en' : 'vi'), items }));
    filter = { dueBefore: period.end };
    subject = period.label;
  } else {
    return null;
  }
  const total = groups.reduce((a, g) => a + g.items.length, 0);
  if (total < LIST_MIN_ITEMS) return null;

  const docIds = [...new Set(groups.flatMap((g) => g.items.map((o) => o.docId)))];
  const docNames = docIds.map((id) => {
    const m = ctx.docs.get(id)!.meta;
    return en ? citeLabelEn(m, ctx.naming) : citeLabel(m);
  });
  const counts = groups.map((g) => `${g.items.length} ${g.title.toLowerCase()}`).join(', ');
  const lead = filter.unit
    ? en
      ? `${docNames.join(' and ')} ${docIds.length > 1 ? 'assign' : 'assigns'} ${total} tasks to ${subject} (${counts}).`
      : `${docNames.join(' và ')} giao ${subject} ${total} nhiệm vụ (${counts}).`
    : en
      ? `${total} tasks in ${docNames.join(' and ')} fall due in ${subject} (${counts}).`
      : `${total} nhiệm vụ trong ${docNames.join(' và ')} có thời hạn trong ${subject.includes('/') ? 'tháng' : 'năm'} ${subject} (${counts}).`;
  // One paragraph per group, items numbered and cited: the first paragraph opens the answer.
  const lines: string[] = [];
  let used = lead.length;
  let shown = 0;
  const hidden: Obligation[] = [];
  for (const g of groups) {
    const items: string[] = [];
    for (const o of g.items) {
      const at = evidenceOffset(ctx, o);
      const deadline = o.deadline ? (en ? `, ${deadlinePhraseEn(o.deadline)}` : ` (${o.deadline.raw})`) : '';
      const text = short(o.text.replace(SPACE_RUN_RE, ' ').replace(TRAILING_NOTE_RE, ''), LIST_ITEM_CHARS);
      // Lists by deadline or kind name who leads each task; a unit's own list does not repeat the unit.
      const who = !filter.unit && o.lead.length ? (en ? ` — led by ${names.list(o.lead)}` : ` — ${o.lead.join(', ')} chủ trì`) : '';
      const probe = en ? `(${shown + 1}) “${text}”${who}${deadline} [00];` : `(${shown + 1}) ${text}${who}${deadline} [00];`;
      if (at < 0 || used + probe.length + g.title.length + 8 > ctx.settings.maxChars - LIST_TAIL_CHARS) {
        hidden.push(o);
        continue;
      }
      const n = citer.cite(o.docId, at, at + o.evidence.length);
      items.push(probe.replace('[00]', `[${n}]`));
      used += probe.length + 1;
      shown++;
    }
    if (items.length) {
      const para = `${g.title} (${g.items.length}): ${items.join(' ').replace(TRAILING_SEMICOLON_RE, '.')}`;
      lines.push(lines.length === 0 ? `${lead} ${para}` : para);
      used += g.title.length + 8;
    }
  }
  const notes: string[] = [];
  if (hidden.length) {
    const byDoc = new Map<string, number>();
    for (const o of hidden) byDoc.set(o.docId, (byDoc.get(o.docId) ?? 0) + 1);
    const links = [...byDoc.keys()].map((id) => ctx.planLink(id, filter)).join(' ');
    notes.push(en ? `… and ${hidden.length} more: ${links}` : `… và ${hidden.length} nhiệm vụ khác: ${links}`);
  }
  if (shown === 0) return null;
  return { lead: lines, support: [], notes };
}

/** Does a record fall due within a period (its deadline range overlaps it)? */
function covers(o: Obligation, p: { start: string; end: string }): boolean {
  const d = o.deadline;
  if (!d || d.type === 'annual' || d.type === 'ongoing') return false;
  const a = d.start ?? d.end;
  const b = d.end ?? d.start;
  return !!a && !!b && a <= p.end && p.start <= b;
}

const fmt = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * "Was the programme issued by the deadline the Politburo plan set?": a task of one document to issue a
 * document of another's type and issuer, with a deadline, against the date that document bears. Both
 * cited, the comparison stated. Null when the question is not about timeliness or no such pair exists.
 */
export function answerTimeliness(q: QueryAnalysis, ctx: AnswerContext, citer: Citer, names: UnitNamer): AnswerParts | null {
  void names;
  const f = fold(q.question);
  // "Was … issued by the deadline?" asks yes or no; "trong thời hạn nào" asks for the deadline itself.
  if (!CUES.timeliness!.test(f) || !CUES.yesNo!.test(f)) return null;
  const en = q.language === 'en';
  const asked = ` ${[q.question, ...ctx.expansion].map(fold).join(' ; ')} `;
  const named = (m: DocMeta) => (ctx.relatedDocs.includes(m.id) ? 2 : 0) + (m.issuer && asked.includes(` ${fold(m.issuer)}`) ? 1 : 0) + (m.type && asked.includes(fold(m.type)) ? 0.5 : 0);
  let best: { o: Obligation; a: DocMeta; b: DocMeta; s: number } | null = null;
  for (const o of ctx.obligations) {
    const end = o.deadline?.end ?? (o.deadline?.type === 'date' ? o.deadline.start : undefined);
    if (!end) continue;
    const a = ctx.docs.get(o.docId)?.meta;
    if (!a) continue;
    const text = fold(o.text);
    for (const b of ctx.docs.metas()) {
      if (b.id === a.id || !b.date || !b.type || !b.issuer) continue;
      if (!text.includes(fold(b.type)) || !(text.includes(fold(b.issuer)) || o.lead.some((l) => fold(l).includes(fold(b.issuer!))))) continue;
      // The issued document answers the same parent (or the assigning document itself).
      if (!b.implements.some((x) => a.implements.includes(x) || x === a.number)) continue;
      const s = named(a) + named(b);
      if (!best || s > best.s) best = { o, a, b, s };
    }
  }
  if (!best || best.s < 1) return null;
  const { o, a, b } = best;
  const end = (o.deadline!.end ?? o.deadline!.start)!;
  const onTime = b.date! <= end;
  const dateSrc = b.dateInferred ? locate(ctx, b.dateInferred.fromDocId, b.dateInferred.evidence) : locate(ctx, b.id, b.dateRaw ?? '');
  const at = evidenceOffset(ctx, o);
  if (!dateSrc || at < 0) return null;
  const nDate = citer.cite(dateSrc.docId, dateSrc.start, dateSrc.end);
  const nTask = citer.cite(o.docId, at, at + o.evidence.length);
  const lead = en
    ? `${onTime ? 'Yes' : 'No'}: ${citeLabelEn(b, ctx.naming)} was issued on ${englishDate(b.date!)} [${nDate}], ${onTime ? 'within' : 'after'} the deadline set by ${citeLabelEn(a, ctx.naming)}, ${deadlineEnglish(o.deadline!) ?? 'as stated'} (${o.deadline!.raw}), that is by ${englishDate(end)} [${nTask}].`
    : `${onTime ? 'Có' : 'Không'}: ${b.type} ${citeLabel(b)} ban hành ngày ${fmt(b.date!)} [${nDate}], ${onTime ? 'trong' : 'sau'} thời hạn “${o.deadline!.raw}” (tức đến ${fmt(end)}) mà ${a.type ?? ''} ${citeLabel(a)} đặt ra [${nTask}].`;
  const task = ctx.docs.get(o.docId)!.text.slice(at, at + o.evidence.length).trim();
  const support = en
    ? [`The task in ${citeLabelEn(a, ctx.naming)}, section ${citer.section(nTask)}, reads: “${task}” [${nTask}]`]
    : [`Theo ${citeLabel(a)} §${citer.section(nTask)}: “${task}” [${nTask}]`];
  return { lead: [lead], support, notes: [] };
}
