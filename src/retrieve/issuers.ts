// Bodies a question names as the issuer of a document: "Kế hoạch của Bộ Y tế", "the Ministry of Health's plan",
// "the plan of the Bac Ninh DOLISA". Gazetteer units, and English ministry names written out in full.
import { matchUnits } from '../register/index.ts';
import { cueMatchers, dataFile, foldCueText } from '../text/cues.ts';
import { docTypes } from '../doc/doctypes.ts';

const CUES = cueMatchers(dataFile('query-cues.json'));
/** A document-type word then a link word, just before a body: `ke hoach cua `, `plan of the `. */
const TYPE_THEN_LINK_RE = new RegExp(`(?:${CUES.docTypes!.source})\\s+(?:so\\s+\\S+\\s+)?(?:${CUES.issuerLink!.source})(?:\\s+the)?\\s*$`, 'u');
/** Just after an English body: `'s plan`, ` action programme`, `'s Resolution 42 programme`. */
const POSSESSIVE_TYPE_RE = new RegExp(`^(?:'s|’s)?\\s*(?:[^\\s]+\\s+){0,2}?(?:${CUES.docTypes!.source})`, 'u');
/** An English ministry name written out: `Ministry of Health`, `Ministry of Labour, Invalids and Social Affairs`. */
const EN_MINISTRY_RE = /\bMinistry of (?:[A-Z][\p{L}-]*)(?:(?:,\s*|\s+and\s+|\s+)[A-Z][\p{L}-]*)*/gu;

export interface IssuerNamed {
  /** As written in the question. */
  surface: string;
  /** Names to compare with documents' issuers: the unit's Vietnamese and English names, or the surface. */
  names: string[];
}

/**
 * Bodies the question names as a document's issuer.
 * @example findIssuersNamed("What does the Ministry of Health's plan say?", 'en')[0].surface === 'Ministry of Health'
 */
export function findIssuersNamed(question: string, language: 'vi' | 'en'): IssuerNamed[] {
  const spans: Array<{ start: number; end: number; names: string[] }> = matchUnits(question).map((m) => ({ start: m.start, end: m.end, names: [m.unit.vi, m.unit.en, m.surface] }));
  if (language === 'en') {
    for (const m of question.matchAll(EN_MINISTRY_RE)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!spans.some((s) => s.start < end && start < s.end)) spans.push({ start, end, names: [m[0]] });
    }
  }
  const out: IssuerNamed[] = [];
  for (const s of spans) {
    const before = foldCueText(question.slice(Math.max(0, s.start - 40), s.start));
    const after = foldCueText(question.slice(s.end, s.end + 40));
    const named = TYPE_THEN_LINK_RE.test(before) || (language === 'en' && POSSESSIVE_TYPE_RE.test(after));
    if (named) out.push({ surface: question.slice(s.start, s.end), names: s.names });
  }
  return out;
}

/** Folded form of a body or type name for matching inside a question (`Bộ Chính trị` → `bo chinh tri`). */
const foldBody = (s: string): string => foldCueText(s).replace(NON_WORD_RE, ' ').trim();
/** Runs of characters that are neither letters nor digits (dashes, commas, apostrophes). */
const NON_WORD_RE = /[^\p{L}\p{N}]+/gu;
/** The word of a title by which a document issues another (`Quyết định ban hành Kế hoạch …`), folded. */
const ISSUES_WORD = 'ban hanh';
/** Most words between a type word and the issuer it belongs to: `kế hoạch [hành động số 19-KH/TW] của Bộ Chính trị`. */
export const TYPE_ISSUER_GAP_WORDS = 4;

/**
 * Corpus documents a question names by issuer and type ("kế hoạch của Bộ Chính trị", "Chương trình hành động
 * của Chính phủ", "the Government's programme"): those whose issuer the question names and whose type — or the
 * type of the document its title says it issues — it names as the issuer's. In Vietnamese the type word comes
 * first, at most {@link TYPE_ISSUER_GAP_WORDS} words before the issuer; an English question is read through the
 * Vietnamese phrases the glossary gives it (`phrases`), where the issuer and a type word must both occur. An
 * issuer named without a type of it is an actor of the question ("ai báo cáo Quốc hội"), not a document it
 * points at.
 * @example docsByIssuerAndType('Kế hoạch của Bộ Chính trị giao gì?', metas, []) // ['kh-bo-chinh-tri-nq42']
 */
export function docsByIssuerAndType(question: string, metas: Array<IssuerMeta & { id: string }>, phrases: string[]): string[] {
  const own = foldBody(question).split(' ');
  const ownText = ` ${own.join(' ')} `;
  const viaGlossary = ` ${phrases.map(foldBody).join(' ; ')} `;
  let glossaryTypes: string[] | undefined;
  const hits: number[] = [];
  // Only the issuers the question names are looked at (a few, however many documents each has issued).
  for (const group of issuerGroups(metas)) {
    const inOwn = ownText.includes(` ${group.issuer} `);
    const inGlossary = viaGlossary.includes(` ${group.issuer} `);
    if (!inOwn && !inGlossary) continue;
    // The type words written before this issuer in the question (the same for each of its documents).
    const typedOwn = inOwn ? typesBefore(own, group.issuer.split(' ')) : [];
    for (const { at, type, title } of group.docs) {
      // A type the question names that the document has or issues: `chương trình` for a `Chương trình hành động`,
      // `kế hoạch` for a `Quyết định ban hành Kế hoạch …`.
      const fits = (t: string) => type.startsWith(t) || title.startsWith(`${type} ${ISSUES_WORD} ${t} `);
      if (typedOwn.some(fits) || (inGlossary && (glossaryTypes ??= typeWordsIn(viaGlossary)).some(fits))) hits.push(at);
    }
  }
  return hits.sort((a, b) => a - b).map((at) => metas[at]!.id);
}

/** A folded issuer and the documents it issued that can be named by it (their place in the list, folded type and title). */
interface IssuerGroup {
  issuer: string;
  docs: Array<{ at: number; type: string; title: string }>;
}
/** The documents of each list of document records grouped by folded issuer, worked out once per list. */
const ISSUER_GROUPS = new WeakMap<object, IssuerGroup[]>();

function issuerGroups(metas: Array<IssuerMeta & { id: string }>): IssuerGroup[] {
  let groups = ISSUER_GROUPS.get(metas);
  if (!groups) {
    const byIssuer = new Map<string, IssuerGroup>();
    metas.forEach((m, at) => {
      const f = foldedMeta(m);
      if (!f) return;
      const g = byIssuer.get(f.issuer) ?? byIssuer.set(f.issuer, { issuer: f.issuer, docs: [] }).get(f.issuer)!;
      g.docs.push({ at, type: f.type, title: f.title });
    });
    ISSUER_GROUPS.set(metas, (groups = [...byIssuer.values()]));
  }
  return groups;
}

type IssuerMeta = { issuer: string | null; type: string | null; title: string | null };
/** Folded issuer, type and title of each document record, computed once per record (not on every question). */
const FOLDED_META = new WeakMap<IssuerMeta, { issuer: string; type: string; title: string } | null>();

/** A document's folded issuer, type and title (`null` when it has no issuer or type to be named by). */
function foldedMeta(m: IssuerMeta): { issuer: string; type: string; title: string } | null {
  let f = FOLDED_META.get(m);
  if (f === undefined) {
    const issuer = m.issuer && m.type ? foldBody(m.issuer) : '';
    f = issuer.length >= 3 ? { issuer, type: foldBody(m.type!), title: `${foldBody(m.title ?? '')} ` } : null;
    FOLDED_META.set(m, f);
  }
  return f;
}

/** The type words that end at most TYPE_ISSUER_GAP_WORDS words before an occurrence of `issuer` in `words`. */
function typesBefore(words: string[], issuer: string[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i + issuer.length <= words.length; i++) {
    if (!issuer.every((w, j) => words[i + j] === w)) continue;
    const before = ` ${words.slice(0, i).join(' ')} `;
    for (const t of typeWordsIn(before)) {
      const end = before.lastIndexOf(` ${t} `) + t.length + 2;
      if (before.slice(end).trim().split(' ').filter(Boolean).length <= TYPE_ISSUER_GAP_WORDS) out.add(t);
    }
  }
  return [...out];
}

/** Document-type names (data/doc-types.json), folded, longest first. */
let TYPE_NAMES: string[] | null = null;

/** The document-type names a folded text contains (`ke hoach`, `chuong trinh`, `luat`). */
function typeWordsIn(asked: string): string[] {
  TYPE_NAMES ??= docTypes().map((t) => foldBody(t.vi));
  return TYPE_NAMES.filter((t) => asked.includes(` ${t} `));
}
