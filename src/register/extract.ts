// Task-register extraction: obligations (lead, partners, recipient, deadline, kind) from a document's prose and tables.
import type { Obligation, Section } from '../doc/types.ts';
import { parseDeadline, parseDeadlineCell, type Deadline } from './deadline.ts';
import {
  departmentContext, departmentUnit, expandPattern, fillTemplate, findUnit, gazetteer, loadUnits, matchUnits, ministryContext, provinceContext, unitKey,
  type Province, type Unit, type UnitPattern,
} from './units.ts';
import { cueList, dataFile } from '../text/cues.ts';
import { normalizeWithMap } from '../text/normalize.ts';
import { escapeRegExp } from '../text/strings.ts';
import { splitAtFullStops } from '../text/sentences.ts';
import { hasKindCue, kindCueOpens } from './kinds.ts';

/** A verb that sends a report to someone, as a whole word, e.g. `báo cáo` of `báo cáo Bộ Tài chính`. */
const REPORT_VERB_RE = /(?<![\p{L}])(gửi|báo cáo|trình)(?![\p{L}])/giu;

export interface ExtractArgs {
  docId: string;
  docNumber: string | null;
  text: string;
  sections: Section[];
}

/** A unit mention in the document: a gazetteer unit, or a bare word (`Bộ`, `Sở`) resolved against the issuer. */
interface Mention {
  start: number;
  end: number;
  unit: Unit | null;
  name: string;
}

/** How far into a task text the subject may run before its verb (characters). */
const MAX_SUBJECT_CHARS = 320;
/** The words of one list of data/register-words.json as regex alternatives, in the file's order (plain words, escaped). */
function wordAlternatives(list: string): string {
  return cueList(dataFile('register-words.json'), list).map(escapeRegExp).join('|');
}

/** How far after `báo cáo`/`gửi` the recipient may start, allowing only filler words in between, e.g. ` kịp thời về `. */
const RECIPIENT_FILLER_RE = new RegExp(`^(?:\\s|,|${wordAlternatives('recipientFillers')})*`, 'u');

/**
 * A verb that ends a subject: the subject is every name before the first of these, e.g. `chủ trì` of
 * `Sở Y tế chủ trì, phối hợp …` (list subjectEnders; multi-word ones first so `chịu trách nhiệm` is not cut at `trách nhiệm`).
 */
const VERB_RE = new RegExp(`(?<![\\p{L}])(?:${wordAlternatives('subjectEnders')})(?![\\p{L}])`, 'giu');
/** A subject-ending verb that opens the text, e.g. `phối hợp` of `phối hợp thực hiện …`. */
const VERB_AT_START_RE = new RegExp(`^(?:${wordAlternatives('subjectEnders')})(?![\\p{L}])`, 'iu');

/** Words that open a unit name; a text starting with one may have a subject not in the gazetteer. */
const UNIT_HEAD_RE = /^(?:Bộ|Ban|Sở|Vụ|Cục|Tổng cục|Văn phòng|Ủy ban|Uỷ ban|UBND|Đảng đoàn|Đảng ủy|Đảng uỷ|Chi bộ|Cấp ủy|Cấp uỷ|Các|Trưởng|Thủ trưởng|Chủ tịch|Trung tâm|Phòng|Hội|Đoàn|Công đoàn|Mặt trận|Chánh)(?![\p{L}])/u;
/** Lead-ins before an assigned unit: `Giao X …`, `Đề nghị X …`, `Yêu cầu X …`. */
const LEAD_IN_RE = /^(Giao|Đề nghị|Yêu cầu)\s+/u;
/** Openers of an adverbial clause; the subject then comes after it (`Trong quá trình …, các đơn vị chủ động …`). */
const CLAUSE_OPENER_RE = /^(?:Trong quá trình|Căn cứ|Trên cơ sở|Nếu|Khi)(?![\p{L}])/u;
/** A piece of a subject that names nobody (list fillerPieces), e.g. `có liên quan`. */
const FILLER_PIECE_RE = new RegExp(`^(?:${wordAlternatives('fillerPieces')})$`, 'iu');
/** Words before `trình` that make it part of a noun (`chương trình`, `quy trình`). */
const TRINH_NOUN_RE = /(?:chương|quy|lộ|tiến|công|giáo|hành|đệ)\s$/iu;

/** The issuer a document's bare words are read against (`Bộ` in a ministry's plan, `Sở` and `Văn phòng` in a department's). */
export interface Home {
  ministry: Unit | null;
  province: Province | null;
  /** The issuing provincial department (`Sở … tỉnh …`) with its sector. */
  department: { unit: Unit; sector: Unit; province: Province } | null;
}

/** A relative phrase as a normalised key, with the normalised words after which it names something else. */
interface RelativeRule {
  key: string;
  notBefore: string[];
  unit: Unit;
}

/** Relative phrases of the document's home, each with the unit it names there; longest phrase first. */
function relativeRules(home: Home): RelativeRule[] {
  const g = gazetteer();
  const rules: RelativeRule[] = [];
  const add = (patterns: UnitPattern[], parentId: string, ctx: Record<string, string>, parent: Unit | undefined): void => {
    for (const p of patterns) {
      const unit = (p.id && findUnit(fillTemplate(p.vi, ctx))) || expandPattern(p, parentId, ctx, parent);
      for (const r of p.relative) {
        // A phrase naming the sector (`Phòng {sector} các huyện`) is tried with each spelling of the sector.
        const sectors = r.phrase.includes('{sector}') && home.department ? sectorSpellings(home.department.sector) : [ctx.sector ?? ''];
        for (const sector of sectors) {
          rules.push({ key: unitKey(fillTemplate(r.phrase, { ...ctx, sector })), notBefore: r.notBefore.map((w) => unitKey(w)), unit });
        }
      }
    }
  };
  if (home.ministry) add(g.patterns.ministry, home.ministry.id, ministryContext(home.ministry), home.ministry);
  if (home.province) add(g.patterns.province, home.province.slug, provinceContext(home.province), undefined);
  if (home.department) {
    const d = home.department;
    add(g.patterns.department, d.unit.id, departmentContext(d.sector, d.province), d.unit);
  }
  return rules.sort((a, b) => b.key.length - a.key.length);
}

/** A name that starts with `Sở`, e.g. `Sở Lao động - Thương binh và Xã hội`. */
const SO_PREFIX_RE = /^Sở\s/u;
/** The `Sở ` that starts a department's name, e.g. in `Sở Y tế`. */
const SO_WORD_RE = /^Sở\s+/u;

/** `Lao động - Thương binh và Xã hội`, `Lao động - TB và XH`, `LĐTBXH`: the ways a sector is written after `Sở`/`Phòng`. */
function sectorSpellings(sector: Unit): string[] {
  return [...new Set([sector.vi, ...sector.variants, ...sector.abbreviations].filter((n) => SO_PREFIX_RE.test(n)).map((n) => n.replace(SO_WORD_RE, '')))];
}

/** `tỉnh Bắc Ninh`, `TỈNH BẮC NINH`, `thành phố Hà Nội` in a header: the province it belongs to. */
function provinceIn(header: string): Province | null {
  const h = unitKey(header);
  for (const p of gazetteer().provinces) if (h.includes(`${p.kind} ${unitKey(p.vi)}`)) return p;
  return null;
}

/** Which organisation issued the document, from the units its header names. */
export function detectHome(text: string, sections: Section[]): Home {
  const headers = sections.filter((s) => s.kind === 'header');
  const head = headers.map((h) => text.slice(h.start, Math.min(h.end, h.start + 3000))).join('\n');
  const units = matchUnits(head).map((m) => m.unit);
  const g = gazetteer();
  const province = provinceIn(head);
  const sector = units.find((u) => g.sectors.includes(u)) ?? null;
  if (sector && province) {
    return { ministry: null, province, department: { unit: departmentUnit(sector, province), sector, province } };
  }
  const all = loadUnits();
  const ministryOf = (u: Unit): Unit | null => (u.kind === 'ministry' ? u : u.parent ? all.find((x) => x.id === u.parent && x.kind === 'ministry') ?? null : null);
  const ministry = units.map(ministryOf).find((m): m is Unit => !!m) ?? null;
  if (ministry) return { ministry, province: null, department: null };
  const provincial = units.some((u) => u.level === 'province' && u.parent === province?.slug);
  return { ministry: null, province: provincial ? province : null, department: null };
}

/**
 * The unit a name means in a document issued by `home` (`Văn phòng Sở` in a department's plan is that
 * department's office), or null when the name is not one unit.
 * @example resolveUnitName('các phòng, đơn vị trực thuộc Sở', detectHome(text, sections))?.id
 */
export function resolveUnitName(name: string, home: Home): Unit | null {
  const rules = relativeRules(home);
  const key = unitKey(name);
  const own = rules.find((r) => unitKey(r.unit.vi) === key);
  if (own) return own.unit;
  const ms = mentionsIn(name, 0, name.length, home, rules);
  const covered = ms.reduce((n, m) => n + (m.end - m.start), 0);
  return ms.length === 1 && covered >= name.trim().length * 0.6 ? ms[0]!.unit : null;
}

/** A letter or digit, e.g. the `B` of `Bộ`. */
const WORD_CHAR_RE = /[\p{L}\p{N}]/u;
/** A capitalised word next, e.g. ` Y` after `Bộ` in `Bộ Y tế`. */
const CAPITAL_NEXT_RE = /^\s+\p{Lu}/u;

/** Gazetteer mentions plus issuer-relative bare words, within text[start, end). */
function mentionsIn(text: string, start: number, end: number, home: Home, rules: RelativeRule[]): Mention[] {
  const slice = text.slice(start, end);
  const out: Mention[] = matchUnits(slice).map((m) => {
    // The issuing department's own sector named without its province is the department itself.
    const unit = home.department && m.unit === home.department.sector ? home.department.unit : m.unit;
    return { start: start + m.start, end: start + m.end, unit, name: unit.vi };
  });
  // Relative phrases, matched on the normalised text (hoá/hóa, uỷ/ủy, dashes) like gazetteer names.
  const { norm, starts, ends } = normalizeWithMap(slice);
  for (const { key, notBefore, unit } of rules) {
    for (let i = norm.indexOf(key); i >= 0; i = norm.indexOf(key, i + 1)) {
      const j = i + key.length;
      if (WORD_CHAR_RE.test(norm[i - 1] ?? '') || WORD_CHAR_RE.test(norm[j] ?? '')) continue;
      const s = start + starts[i]!, e = start + ends[j - 1]!;
      // Inside a longer name (`Bộ Y tế`): a capitalised word follows in the original text.
      if (CAPITAL_NEXT_RE.test(text.slice(e, e + 3))) continue;
      const after = norm.slice(j);
      if (notBefore.some((w) => after.startsWith(` ${w}`) || after.startsWith(w))) continue;
      if (out.some((o) => o.start < e && s < o.end)) continue;
      out.push({ start: s, end: e, unit, name: unit.vi });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** First verb at or after `from` that is not inside a unit name. */
function firstVerb(text: string, from: number, to: number, mentions: Mention[]): { start: number; end: number; verb: string } | null {
  const slice = text.slice(from, to);
  for (const m of slice.matchAll(VERB_RE)) {
    const s = from + m.index;
    if (mentions.some((x) => x.start <= s && s < x.end)) continue;
    return { start: s, end: s + m[0].length, verb: m[0].toLowerCase() };
  }
  return null;
}

/** Where one name of a list ends, e.g. `, ` or ` và ` in `Sở Y tế, Sở Tài chính và UBND huyện`. */
const NAME_LIST_SEPARATOR_RE = /[,;]|\s+và\s+|\n/u;
/** Bullets, dashes and colons around a name, e.g. `- ` and `:` of `- Sở Y tế:`. */
const NAME_EDGE_MARKS_RE = /^[\s\-–*]+|[\s\-–*:]+$/gu;
/** Two letters in a row, e.g. `Sở`. */
const TWO_LETTERS_RE = /\p{L}{2}/u;
/** A run of white space, e.g. `\n  `. */
const SPACE_RUN_RE = /\s+/g;

/** Splits a subject span into unit names: gazetteer names, plus the leftover words as written. */
function subjectUnits(text: string, start: number, end: number, mentions: Mention[]): string[] {
  const names: Array<{ pos: number; name: string }> = [];
  let cur = start;
  const inSpan = mentions.filter((m) => m.start >= start && m.end <= end);
  const pushFree = (a: number, b: number): void => {
    const raw = text.slice(a, b);
    let pos = a;
    for (const piece of raw.split(NAME_LIST_SEPARATOR_RE)) {
      const t = piece.replace(SPACE_RUN_RE, ' ').replace(NAME_EDGE_MARKS_RE, '').trim();
      if (t && TWO_LETTERS_RE.test(t) && !FILLER_PIECE_RE.test(t)) names.push({ pos, name: t });
      pos += piece.length + 1;
    }
  };
  for (const m of inSpan) {
    if (m.start > cur) pushFree(cur, m.start);
    names.push({ pos: m.start, name: m.name });
    cur = m.end;
  }
  if (cur < end) pushFree(cur, end);
  return [...new Set(names.sort((a, b) => a.pos - b.pos).map((n) => n.name))];
}

/** Nothing but list glue between two names, e.g. `, ` or ` và `. */
const LIST_GLUE_RE = /^[\s,;]*(?:và\s+)?[\s]*$/u;

/** Canonical names of the run of units starting at `pos` (separated only by commas/`và`). */
function unitRunAt(text: string, pos: number, mentions: Mention[]): { names: string[]; end: number } | null {
  const names: string[] = [];
  let p = pos;
  for (;;) {
    const m = mentions.find((x) => x.start >= p && LIST_GLUE_RE.test(text.slice(p, x.start)) && x.start - p < 8);
    if (!m || (names.length === 0 && m.start - pos > 2)) break;
    names.push(m.name);
    p = m.end;
  }
  return names.length ? { names: [...new Set(names)], end: p } : null;
}

interface Subject {
  lead: string[];
  /** Offset where the predicate starts (after the subject), or the chunk start when there is no subject. */
  predicate: number;
  /** True when the text is only the subject (a heading naming the unit, or an intro ending with `:`). */
  intro: boolean;
}

/** Only a plural word before a name, e.g. `các ` in `các Sở, ngành`. */
const PLURAL_LEAD_IN_RE = /^(?:các đồng chí\s+|các\s+)?$/iu;
/** A full stop or colon ending a clause, e.g. `: ` in `Sở Y tế: chủ trì`. */
const CLAUSE_STOP_RE = /[.:](?:\s|$)/u;
/** `(có) liên quan` before what follows a name, e.g. in `các cơ quan có liên quan thực hiện`. */
const RELATED_LEAD_IN_RE = /^\s*(?:có liên quan\s+|liên quan\s+)?/u;
/** A colon that ends a lead-in, e.g. `Sở Y tế:`. */
const COLON_END_RE = /:\s*$/u;
/** Trailing white space, e.g. the space of `chủ trì `. */
const TRAILING_SPACE_RE = /\s+$/u;
/** A duty lead-in that ends in a colon, e.g. `có trách nhiệm:`. */
const RESPONSIBLE_COLON_RE = /^(?:có trách nhiệm|chịu trách nhiệm)\s*:\s*$/u;

/** Finds the subject of a task text that starts at `start`. */
function findSubject(text: string, start: number, end: number, mentions: Mention[]): Subject | null {
  let p = start;
  const li = LEAD_IN_RE.exec(text.slice(p, end));
  if (li) p += li[0].length;
  const head = text.slice(p, end);
  const limit = Math.min(end, p + MAX_SUBJECT_CHARS);
  const verb = firstVerb(text, p, limit, mentions);
  const startsWithMention = mentions.some((m) => m.start >= p && m.start - p <= 15 && PLURAL_LEAD_IN_RE.test(text.slice(p, m.start).normalize('NFC')));

  if (CLAUSE_OPENER_RE.test(head)) {
    // `Căn cứ …, các bộ, … bám sát …` — the subject is a run of names directly before a verb.
    const sentEnd = text.slice(p, end).search(CLAUSE_STOP_RE);
    const stop = sentEnd >= 0 ? p + sentEnd : end;
    for (const m of mentions) {
      if (m.start < p || m.start >= stop) continue;
      const run = unitRunAt(text, m.start, mentions);
      if (!run) continue;
      const after = text.slice(run.end, stop).normalize('NFC');
      const v = RELATED_LEAD_IN_RE.exec(after)!;
      const rest = after.slice(v[0].length);
      const vm = VERB_AT_START_RE.exec(rest);
      if (vm) return { lead: run.names, predicate: run.end + v[0].length, intro: COLON_END_RE.test(text.slice(p, end).trim()) };
    }
    return null;
  }
  if (verb && (verb.start === p)) return null; // starts with a verb: no subject of its own
  if (!startsWithMention && !UNIT_HEAD_RE.test(head) && !li) return null;
  const trimmedEnd = text.slice(p, end).replace(TRAILING_SPACE_RE, '').length + p;
  if (!verb) {
    // A heading that only names units (`Đảng đoàn Quốc hội`) or an intro (`Bộ trưởng, …, Chủ tịch …:`).
    const lead = subjectUnits(text, p, trimmedEnd, mentions);
    const covered = mentions.filter((m) => m.start >= p && m.end <= trimmedEnd);
    // Without a gazetteer name, only an explicit intro (`…:`) counts: `Các chỉ tiêu cụ thể` is a title.
    if (lead.length === 0 || (covered.length === 0 && !COLON_END_RE.test(text.slice(p, trimmedEnd)))) return null;
    return { lead, predicate: trimmedEnd, intro: true };
  }
  const lead = subjectUnits(text, p, verb.start, mentions);
  if (lead.length === 0) return null;
  const rest = text.slice(verb.start, trimmedEnd).normalize('NFC');
  const intro = RESPONSIBLE_COLON_RE.test(rest);
  return { lead, predicate: verb.start, intro };
}

/** Who a unit works with follows, e.g. `phối hợp chặt chẽ với ` in `phối hợp chặt chẽ với Sở Y tế`. */
const WORKS_WITH_RE = /phối hợp(?:\s+chặt chẽ)?\s+với\s+/iu;

/** Partners after `phối hợp (chặt chẽ) với`, up to the next verb. */
function findPartners(text: string, start: number, end: number, mentions: Mention[]): string[] {
  const m = WORKS_WITH_RE.exec(text.slice(start, end));
  if (!m) return [];
  const s = start + m.index + m[0].length;
  const v = firstVerb(text, s, Math.min(end, s + 250), mentions);
  const e = v ? v.start : Math.min(end, s + 120);
  return subjectUnits(text, s, e, mentions).filter((n) => n.length < 120);
}

interface Addressee {
  recipient: string | null;
  via: string | null;
  verb: 'report' | 'send' | 'submit' | null;
}

/** A purpose clause before a report verb, e.g. `để tổng hợp, ` in `để tổng hợp, báo cáo Chính phủ`. */
const FOR_COMPILING_END_RE = /để(?:\s+tổng hợp)?,?\s*$/u;
/** A report's channel, e.g. `(qua ` in `gửi Bộ (qua Vụ Kế hoạch - Tài chính)`. */
const VIA_RE = /^\s*\(qua\s+/u;

/** Recipient of a report or submission: `gửi X`, `báo cáo X`, `trình X`, with `(qua Y)`; not `để tổng hợp, báo cáo Y`. */
function findRecipient(text: string, start: number, end: number, mentions: Mention[]): Addressee {
  const slice = text.slice(start, end);
  const re = REPORT_VERB_RE;
  for (const m of slice.matchAll(re)) {
    const pos = start + m.index;
    const before = text.slice(Math.max(start, pos - 30), pos).normalize('NFC');
    if (FOR_COMPILING_END_RE.test(before)) continue; // the recipient's own next step
    const word = m[1]!.toLowerCase();
    if (word === 'trình' && TRINH_NOUN_RE.test(before)) continue;
    const afterStart = pos + m[0].length;
    const filler = RECIPIENT_FILLER_RE.exec(text.slice(afterStart, end).normalize('NFC'))!;
    const run = unitRunAt(text, afterStart + filler[0].length, mentions);
    if (!run) continue;
    let via: string | null = null;
    const qua = VIA_RE.exec(text.slice(run.end, end));
    if (qua) via = unitRunAt(text, run.end + qua[0].length, mentions)?.names.join(', ') ?? null;
    return { recipient: run.names.join(', '), via, verb: word === 'gửi' ? 'send' : word === 'trình' ? 'submit' : 'report' };
  }
  return { recipient: null, via: null, verb: null };
}

/**
 * The issuing verb of a plan within a few words of the plan noun (the `issue-plan` cues of data/task-kinds.json
 * with words between), e.g. `xây dựng và ban hành kế hoạch`.
 */
const PLAN_ISSUE_RE = /(xây dựng|ban hành)[^.;]{0,40}(chương trình|kế hoạch)/u;

/** A periodic report, e.g. `định kỳ hằng năm báo cáo` or `tổng hợp, báo cáo`. */
const PERIODIC_REPORT_RE = /(định kỳ|hằng năm|hàng năm)[^.;]{0,80}(báo cáo|gửi)|báo cáo[^.;]{0,60}(định kỳ|hằng năm|hàng năm)|(?<!để )tổng hợp,? báo cáo/u;
/** Coordination as the task, e.g. `các sở phối hợp triển khai` (not `phối hợp với Sở Y tế xây dựng`). */
const COORDINATES_RE = /^(?:[^,]{0,80}\s)?phối hợp(?! với [^,]{0,60} (xây dựng|tổ chức))/u;
/** A lead unit is named, e.g. `chủ trì` in `Sở Y tế chủ trì`. */
const LEADS_RE = /chủ trì/u;

/** Task kind from the wording; reports first because "who reports, by when" is the main question. */
function classify(s: string, addressee: Addressee, deadline: Deadline | null, hasLead: boolean, leadIn: string | null): Obligation['kind'] {
  const t = s.normalize('NFC').toLowerCase();
  const periodic = PERIODIC_REPORT_RE.test(t);
  if (addressee.verb === 'report' || (periodic && (addressee.recipient || deadline?.type === 'annual' || hasKindCue('report', t)))) return 'report';
  if (hasKindCue('propose', t)) return 'propose';
  if (PLAN_ISSUE_RE.test(t)) return 'issue-plan';
  if (addressee.verb === 'submit') return 'submit';
  // Monitoring is the task when its cue opens the sentence (within its first nine words).
  if (kindCueOpens('monitor', t)) return 'monitor';
  if (leadIn === 'Đề nghị' || COORDINATES_RE.test(t) && !LEADS_RE.test(t)) return 'coordinate';
  return hasLead ? 'implement' : 'other';
}

/** A span of the original text that is one task (a paragraph, a bullet, or a sentence split off). */
interface Chunk {
  start: number;
  end: number;
}

/** Markdown stars ending a line, e.g. the `**` of `**1. Mục tiêu**`. */
const TRAILING_STARS_RE = /\*+$/u;
/** A line that ends a sentence or list item, e.g. `… năm 2025;`. */
const TERMINAL_PUNCT_RE = /[.;:!?…)”"]$/u;
/** A line that starts in lower case (it continues a sentence), e.g. `và các tỉnh`. */
const LOWER_START_RE = /^\p{Ll}/u;
/** A line that ends open, e.g. `Sở Y tế,`. */
const OPEN_END_RE = /[-,]$/u;
/** A line that starts with a capital, e.g. `Sở Y tế`. */
const UPPER_START_RE = /^\p{Lu}/u;
/** A line that ends in a letter or digit, e.g. `năm 2025`. */
const WORD_END_RE = /[\p{L}\d]$/u;
/** A line that starts with two capitals (an acronym), e.g. `UBND tỉnh`. */
const TWO_CAPITALS_START_RE = /^\p{Lu}{2}/u;

/** Offsets [start, end) of each paragraph in text[start, end), joining lines broken mid-sentence. */
function paragraphs(text: string, start: number, end: number, headingFirst: boolean): Chunk[] {
  const lines: Chunk[] = [];
  let p = start;
  while (p < end) {
    let nl = text.indexOf('\n', p);
    if (nl < 0 || nl > end) nl = end;
    const raw = text.slice(p, nl);
    const lead = raw.length - raw.trimStart().length;
    const trail = raw.length - raw.trimEnd().length;
    if (raw.trim()) lines.push({ start: p + lead, end: nl - trail });
    p = nl + 1;
  }
  const out: Chunk[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const prev = out[out.length - 1];
    if (prev) {
      const prevText = text.slice(prev.start, prev.end).replace(TRAILING_STARS_RE, '');
      const nextText = text.slice(l.start, l.end);
      const terminal = TERMINAL_PUNCT_RE.test(prevText);
      const isHeadingLine = headingFirst && out.length === 1 && prev.start === lines[0]!.start;
      const continues = !terminal && (LOWER_START_RE.test(nextText) || OPEN_END_RE.test(prevText) || (!isHeadingLine && !UPPER_START_RE.test(nextText)) || (!isHeadingLine && WORD_END_RE.test(prevText) && TWO_CAPITALS_START_RE.test(nextText)));
      if (continues) {
        prev.end = l.end;
        continue;
      }
    }
    out.push({ ...l });
  }
  return out;
}

/** A numbering label or bullet at a section's start, e.g. `II. `, `1.2. `, `a) `, `Điều 5. ` or `- `. */
const SECTION_LABEL_RE = /^\s*\**\s*(?:(?:[IVXL]+\s*[.\-–]|\d{1,2}(?:\.\d{1,2})*\.?|[a-zđ]\)|Điều\s+\d+\.?|[-–•+])\s+)?\**\s*/u;

/** Strips a numbering label or bullet mark at the start of a section's first line. */
function skipLabel(text: string, start: number, end: number): number {
  const m = SECTION_LABEL_RE.exec(text.slice(start, end));
  return start + (m ? m[0].length : 0);
}

/** Markdown stars, e.g. the `**` of `**Sở Y tế**`. */
const STARS_RE = /\*+/g;

function collapse(s: string): string {
  return s.replace(STARS_RE, '').replace(SPACE_RUN_RE, ' ').trim();
}

/** Sections whose text is not content for the register. */
const SKIP_KINDS = new Set(['header', 'recipients', 'signature', 'footnote', 'table', 'row', 'appendix', 'division']);

/** A sentence with a deadline of its own, e.g. `trước ngày 15/12` or `hằng năm`. */
const OWN_DEADLINE_RE = /(?:trước|chậm nhất)\s+ngày|định kỳ|hằng năm|hàng năm/u;
/** A starred note in parentheses, e.g. `(*ghi chú*)`. */
const STARRED_NOTE_RE = /\(\*[^*]*\*\)/gu;
/** A paragraph that ends like a sentence, e.g. `thực hiện.` or `như sau:**`. */
const SENTENCE_END_RE = /[.;:]\**$/u;

/**
 * Every obligation a document states, from prose (explicit subjects, `Giao X`, headings naming the unit,
 * subject-introduced lists whose points inherit the subject) and from appendix tables.
 * Evidence is always a verbatim slice of `text`; `section` is the outline path (bullets cite their parent).
 * @example extractObligations({ docId, docNumber: '68/NQ-CP', text, sections: parseOutline(text) })
 */
export function extractObligations(args: ExtractArgs): Obligation[] {
  const { docId, docNumber, text, sections } = args;
  if (typeof text !== 'string' || !Array.isArray(sections)) throw new Error(`register: extractObligations(${docId}) needs text and sections`);
  const home = detectHome(text, sections);
  const rules = relativeRules(home);
  const byPath = new Map(sections.map((s) => [s.path, s]));
  const footnotes = sections.filter((s) => s.kind === 'footnote');
  const out: Obligation[] = [];
  const counters = new Map<string, number>();
  /** Lead a section hands down to its points and bullets (heading naming units, or an intro ending `:`). */
  const inherited = new Map<string, string[]>();

  const citePath = (s: Section): string => {
    let cur: Section | undefined = s;
    while (cur && cur.kind === 'bullet') cur = cur.parent ? byPath.get(cur.parent) : undefined;
    return cur?.path ?? s.path;
  };
  const inheritedLead = (s: Section): string[] => {
    let cur: Section | undefined = s.parent ? byPath.get(s.parent) : undefined;
    while (cur) {
      const l = inherited.get(cur.path);
      if (l && l.length) return l;
      cur = cur.parent ? byPath.get(cur.parent) : undefined;
    }
    return [];
  };
  const push = (o: Omit<Obligation, 'id' | 'docId' | 'docNumber'>): void => {
    const n = (counters.get(o.section) ?? 0) + 1;
    counters.set(o.section, n);
    out.push({ id: `${docId}#${o.section}#${n}`, docId, docNumber, ...o });
  };

  for (const s of sections) {
    if (SKIP_KINDS.has(s.kind)) continue;
    // Own text: up to the first child section (children are visited on their own).
    const firstChild = s.children.map((c) => byPath.get(c)).filter((c): c is Section => !!c && c.kind !== 'footnote').sort((a, b) => a.start - b.start)[0];
    const ownEnd = firstChild ? Math.min(s.end, firstChild.start) : s.end;
    const bodyStart = skipLabel(text, s.start, ownEnd);
    const mentions = mentionsIn(text, s.start, ownEnd, home, rules);
    const paras = paragraphs(text, bodyStart, ownEnd, s.kind !== 'bullet')
      .filter((p) => !footnotes.some((f) => f.start <= p.start && p.start < f.end))
      .map((p) => ({ start: skipLabel(text, p.start, p.end), end: p.end }))
      .filter((p) => p.end > p.start);
    const fromAbove = inheritedLead(s);
    let sectionLead: string[] = [];

    paras.forEach((para, pi) => {
      const paraText = text.slice(para.start, para.end);
      const isHeading = pi === 0 && s.kind !== 'bullet';
      const sents = splitAtFullStops(text, para.start, para.end);
      const groups: Chunk[] = [];
      for (const se of sents) {
        const last = groups[groups.length - 1];
        const st = text.slice(se.start, se.end);
        const own = findRecipient(text, se.start, se.end, mentions).recipient !== null || OWN_DEADLINE_RE.test(st.replace(STARRED_NOTE_RE, ''));
        if (last && !own) last.end = se.end;
        else groups.push({ ...se });
      }
      // A heading that is a title (`1. Mục đích`) and not a sentence is not a task.
      const isTitle = isHeading && (s.children.length > 0 || paras.length > 1) && !SENTENCE_END_RE.test(paraText.trim()) && paraText.length < 250;

      let groupLead: string[] | null = null;
      for (const g of groups) {
        const subject = findSubject(text, g.start, g.end, mentions);
        const leadIn = LEAD_IN_RE.exec(text.slice(g.start, g.end))?.[1] ?? null;
        if (subject?.intro) {
          // Intro: names the units whose points follow (`Đảng đoàn Quốc hội`, `Bộ trưởng, …:`).
          sectionLead = subject.lead;
          continue;
        }
        if (isTitle && !subject) continue;
        const lead = subject?.lead ?? groupLead ?? (sectionLead.length ? sectionLead : fromAbove);
        if (subject && g === groups[0]) groupLead = subject.lead;
        if (subject && pi === 0 && g === groups[0]) sectionLead = subject.lead;
        const addressee = findRecipient(text, g.start, g.end, mentions);
        const deadline = parseDeadline(text.slice(g.start, g.end));
        const dated = deadline && deadline.type !== 'ongoing';
        if (lead.length === 0 && !addressee.recipient && !dated) continue;
        const evidence = text.slice(g.start, g.end).trim();
        if (!evidence) continue;
        const partners = findPartners(text, g.start, g.end, mentions).filter((p) => !lead.includes(p));
        push({
          section: citePath(s),
          text: collapse(evidence),
          kind: classify(evidence, addressee, deadline, lead.length > 0, leadIn),
          lead,
          partners,
          recipient: addressee.recipient,
          via: addressee.via,
          deadline,
          approval: null,
          evidence,
        });
      }
    });
    if (sectionLead.length) inherited.set(s.path, sectionLead);
  }

  out.push(...tableObligations(docId, docNumber, text, sections, home, counters));
  return out;
}

/** The lead-unit column of a register table, e.g. `Cơ quan chủ trì`. */
const LEAD_COLUMN_RE = /chủ trì/iu;
/** The indicator column of a target table, e.g. `Chỉ tiêu`. */
const INDICATOR_COLUMN_RE = /^Chỉ tiêu/iu;
/** The task column, e.g. `Nhiệm vụ`, `Nội dung công việc` or `Tên đề án`. */
const TASK_COLUMN_RE = /Nhiệm vụ|Nội dung|Tên/iu;
/** The partner column, e.g. `Cơ quan phối hợp`. */
const PARTNER_COLUMN_RE = /phối hợp/iu;
/** The time column, e.g. `Thời gian hoàn thành` or `Tiến độ`. */
const TIME_COLUMN_RE = /Thời gian|Thời hạn|Tiến độ/iu;
/** The approval column, e.g. `Cấp trình` or `Cấp phê duyệt`. */
const APPROVAL_COLUMN_RE = /Cấp trình|phê duyệt/iu;
/** The unit-of-measure column of a target table, e.g. `Đơn vị tính` (not `Đơn vị chủ trì`). */
const MEASURE_COLUMN_RE = /^Đơn vị(?! chủ trì)/iu;
/** The target column, e.g. `Đến năm 2030`, `Năm 2025` or `Mục tiêu`. */
const TARGET_COLUMN_RE = /^Đến năm|^Năm \d{4}|^Mục tiêu/iu;

/** Column roles of a register table, found from its header cells. */
function columns(header: string[]): { task: number; lead: number; partner: number; time: number; approval: number; measure: number; target: number; indicator: boolean } | null {
  const find = (re: RegExp): number => header.findIndex((h) => re.test(h.normalize('NFC')));
  const lead = find(LEAD_COLUMN_RE);
  if (lead < 0) return null;
  const indicator = find(INDICATOR_COLUMN_RE) >= 0;
  return {
    task: indicator ? find(INDICATOR_COLUMN_RE) : find(TASK_COLUMN_RE),
    lead,
    partner: find(PARTNER_COLUMN_RE),
    time: find(TIME_COLUMN_RE),
    approval: find(APPROVAL_COLUMN_RE),
    measure: indicator ? find(MEASURE_COLUMN_RE) : -1,
    target: find(TARGET_COLUMN_RE),
    indicator,
  };
}

/** Unit names in a table cell: gazetteer names, else the cell as written. */
function cellUnits(cell: string): string[] {
  const ms = matchUnits(cell);
  if (ms.length === 0) return cell.trim() ? [cell.trim()] : [];
  return [...new Set(ms.map((m) => m.unit.vi))];
}

/** A time column that is about submitting, e.g. `Thời gian trình`. */
const SUBMIT_HEADER_RE = /trình/iu;

/** Obligations from appendix tables: one per task row; indicator tables give `kind: 'indicator'`. */
function tableObligations(docId: string, docNumber: string | null, text: string, sections: Section[], _home: Home, counters: Map<string, number>): Obligation[] {
  const out: Obligation[] = [];
  for (const row of sections) {
    if (row.kind !== 'row' || !row.header || !row.cells) continue;
    const col = columns(row.header);
    if (!col) continue;
    // Each line of the row: the numbered line, then continuation lines (`Trong đó …`).
    let p = row.start;
    while (p < row.end) {
      let nl = text.indexOf('\n', p);
      if (nl < 0 || nl > row.end) nl = row.end;
      const raw = text.slice(p, nl);
      const lineStart = p;
      p = nl + 1;
      if (!raw.includes('\t')) continue;
      const cells = raw.split('\t').map((c) => c.trim());
      const first = lineStart === row.start;
      const get = (i: number): string => (i >= 0 ? cells[i] ?? '' : '');
      const task = get(col.task);
      if (!task) continue;
      const leadCell = get(col.lead) || (first ? '' : row.cells[col.lead] ?? '');
      const evidence = raw.trim();
      const evStart = text.indexOf(evidence, lineStart);
      if (evStart < 0) continue;
      let deadline: Deadline | null = null;
      if (col.time >= 0) deadline = parseDeadlineCell(get(col.time));
      else if (col.target >= 0) deadline = parseDeadlineCell(row.header[col.target] ?? '');
      const approvalCell = get(col.approval);
      const approvalUnits = approvalCell ? matchUnits(approvalCell).map((m) => m.unit.vi) : [];
      const n = (counters.get(row.path) ?? 0) + 1;
      counters.set(row.path, n);
      const value = col.target >= 0 ? get(col.target) : '';
      const measure = get(col.measure);
      out.push({
        id: `${docId}#${row.path}#${n}`,
        docId, docNumber,
        section: row.path,
        text: col.indicator ? `${task}: ${value}${measure ? ` ${measure}` : ''}`.trim() : task,
        kind: col.indicator ? 'indicator' : SUBMIT_HEADER_RE.test(row.header[col.time] ?? '') ? 'submit' : 'implement',
        lead: cellUnits(leadCell),
        partners: cellUnits(get(col.partner)),
        recipient: approvalUnits.length ? approvalUnits.join(', ') : null,
        via: null,
        deadline,
        approval: approvalCell || null,
        evidence,
      });
    }
  }
  return out;
}
