// Answers composed from the task register and the registry across documents: complete task lists (a
// unit's tasks, what is due in a year) and timeliness (was a document issued by the deadline another set).
import { englishDate } from '../doc/dates.ts';
import type { DocMeta, Obligation } from '../doc/types.ts';
import type { QueryAnalysis } from '../retrieve/query.ts';
import { kindLabel, unitKey } from '../register/index.ts';
import { cueMatchers, dataFile, foldCueText } from '../text/cues.ts';
import { citeLabel, citeLabelEn, deadlineEnglish, deadlinePhraseEn, type AnswerParts, type Citer, type UnitNamer } from './compose.ts';
import { evidenceOffset, locate, type AnswerContext } from './context.ts';
import { dueWithin, periodAsked, rowsAsked, type RowsAsked } from '../retrieve/rows.ts';
import type { Retrieved } from '../retrieve/retriever.ts';
import { sectionName } from '../doc/label.ts';

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
export function answerList(q: QueryAnalysis, ctx: AnswerContext, citer: Citer, names: UnitNamer, retrieved: Retrieved[] = []): AnswerParts | null {
  const f = fold(q.question);
  const en = q.language === 'en';
  // "Which tasks in Appendix II does unit Y lead": the rows of that table, whatever the question calls them.
  if (q.intent !== 'metadata' && q.intent !== 'compare') {
    const rows = tableRowsAsked(q, ctx, retrieved);
    if (rows) return answerRows(rows, q, ctx, citer, names);
  }
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
    if (period && asksDue) recs = recs.filter((o) => dueWithin(o, period));
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
    const recs = ctx.obligations.filter((o) => scope(o) && dueWithin(o, period));
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
  return listParts(lead, groups, filter, !filter.unit, en, ctx, citer, names);
}

/**
 * The rows of a named table a list question asks for (retrieve/rows.ts rowsAsked, as retrieval found them): in the
 * documents the question names, else in those of the passages retrieved from that table.
 */
function tableRowsAsked(q: QueryAnalysis, ctx: AnswerContext, retrieved: Retrieved[]): RowsAsked | null {
  if (q.sectionRefs.length === 0) return null;
  const under = (section: string) => q.sectionRefs.some((r) => section.startsWith(`${r.prefix}/`));
  const docIds = ctx.relatedDocs.length ? ctx.relatedDocs : [...new Set(retrieved.filter((r) => under(r.chunk.section)).map((r) => r.chunk.docId))].slice(0, 1);
  const byDoc = (id: string) => ctx.obligations.filter((o) => o.docId === id);
  return rowsAsked(q, ctx.unitsAsked, docIds, byDoc, (id) => ctx.docs.get(id), ctx.englishTerms);
}

/**
 * "Những nhiệm vụ nào trong Phụ lục II do X chủ trì?": how many rows match, then each (task, lead unit, deadline)
 * cited by its row, in row order.
 */
function answerRows(rows: RowsAsked, q: QueryAnalysis, ctx: AnswerContext, citer: Citer, names: UnitNamer): AnswerParts | null {
  const en = q.language === 'en';
  const docIds = [...new Set(rows.rows.map((o) => o.docId))];
  const docNames = docIds.map((id) => {
    const m = ctx.docs.get(id)!.meta;
    return en ? citeLabelEn(m, ctx.naming) : citeLabel(m);
  });
  const keys = new Set(rows.units.map(unitKey));
  const holds = (cellsOf: string[]) => cellsOf.some((c) => keys.has(unitKey(c)));
  // How the units asked stand in the rows: as lead unit, as the level a row goes to, or in either role.
  const role = rows.units.length === 0 ? null
    : rows.leadOnly || rows.rows.every((o) => holds(o.lead)) ? 'lead'
      : rows.rows.every((o) => holds([o.approval ?? '', o.recipient ?? ''])) ? 'to' : 'any';
  const cells = (o: Obligation) => [...o.lead, ...o.partners, o.approval ?? '', o.recipient ?? ''];
  const unitsMatched = rows.units.filter((u) => rows.rows.some((o) => cells(o).some((c) => unitKey(c) === unitKey(u))));
  const unitNames = (unitsMatched.length ? unitsMatched : rows.units).map((u) => names.name(u));
  const who = unitNames.join(en ? ' or ' : ' hoặc ');
  const part = sectionName(rows.prefix, q.language);
  const n = rows.rows.length;
  const unitVi = role === 'lead' ? ` do ${who} chủ trì` : role === 'to' ? ` trình ${who}` : role ? ` có ${who} tham gia` : '';
  const unitEn = role === 'lead' ? ` led by ${who}` : role === 'to' ? ` submitted to ${who}` : role ? ` involving ${who}` : '';
  const comma = role ? ',' : '';
  const when = rows.period ? (en ? `${comma} due in ${rows.period.label}` : `${comma} có thời hạn trong ${rows.period.label.includes('/') ? 'tháng' : 'năm'} ${rows.period.label}`) : '';
  const lead = en
    ? `${part} of ${docNames.join(' and ')} lists ${n} ${n === 1 ? 'item' : 'items'}${unitEn}${when}.`
    : `${part} của ${docNames.join(' và ')} có ${n} mục${unitVi}${when}.`;
  const filter = { unit: role === 'lead' ? unitsMatched[0] : undefined, dueBefore: rows.period?.end };
  if (role === 'lead') return listParts(lead, [{ title: en ? 'Items' : 'Các mục', items: rows.rows }], filter, false, en, ctx, citer, names);
  // Any other list names each row's lead unit once: rows grouped by it, in row order.
  const byLead = new Map<string, Obligation[]>();
  for (const o of rows.rows) {
    const key = o.lead.join(', ');
    byLead.set(key, [...(byLead.get(key) ?? []), o]);
  }
  const groups = [...byLead].map(([key, items]) => ({
    title: key ? (en ? `Led by ${names.list(items[0]!.lead)}` : `${key} chủ trì`) : en ? 'No lead unit stated' : 'Không ghi đơn vị chủ trì',
    items,
  }));
  return listParts(lead, groups, filter, false, en, ctx, citer, names);
}

/**
 * The list answer: the lead sentence, then one paragraph per group with its items numbered and cited (task text,
 * lead unit when `showLead`, deadline); items past the length limit are counted with a link to the plan view.
 */
function listParts(lead: string, groups: Group[], filter: { unit?: string; dueBefore?: string }, showLead: boolean, en: boolean, ctx: AnswerContext, citer: Citer, names: UnitNamer): AnswerParts | null {
  // One paragraph per group, items numbered and cited: the first paragraph opens the answer.
  const lines: string[] = [];
  let used = lead.length;
  let shown = 0;
  const hidden: Obligation[] = [];
  const probeOf = (o: Obligation, i: number, estimate = false): string => {
    const deadline = o.deadline ? (en ? `, ${deadlinePhraseEn(o.deadline)}` : ` (${o.deadline.raw})`) : '';
    const text = short(o.text.replace(SPACE_RUN_RE, ' ').replace(TRAILING_NOTE_RE, ''), LIST_ITEM_CHARS);
    // Lists by deadline or kind name who leads each task; a unit's own list does not repeat the unit.
    const who = showLead && o.lead.length ? (en ? ` — led by ${estimate ? o.lead.map((v) => `${ctx.naming.english(v) ?? ''} (${v})`).join(', ') : names.list(o.lead)}` : ` — ${o.lead.join(', ')} chủ trì`) : '';
    return en ? `(${i}) “${text}”${who}${deadline} [00];` : `(${i}) ${text}${who}${deadline} [00];`;
  };
  // Room is kept for the "N more" line only when not every item may fit (the estimate names every unit in English
  // and Vietnamese, as only its first mention is: never shorter than the answer).
  const whole = lead.length + groups.reduce((a, g) => a + g.title.length + 8 + g.items.reduce((b, o, i) => b + probeOf(o, i + 1, true).length + 1, 0), 0);
  const room = whole <= ctx.settings.maxChars ? ctx.settings.maxChars : ctx.settings.maxChars - LIST_TAIL_CHARS;
  for (const g of groups) {
    const items: string[] = [];
    for (const o of g.items) {
      const at = evidenceOffset(ctx, o);
      const probe = probeOf(o, shown + 1);
      if (at < 0 || used + probe.length + g.title.length + 8 > room) {
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
