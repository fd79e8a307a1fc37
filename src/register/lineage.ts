// Lineage: which document implements which, from the texts' own references, and loose document references ("NQ 42") resolved through it.
import type { DocMeta, LineageEdge } from '../doc/types.ts';

export type { LineageEdge };
import { findNumberRefs, numberKey } from '../doc/numbers.ts';
import { issuerLevel, typeHintWords, typeWordKey } from '../doc/doctypes.ts';
import { sentenceAround } from '../text/sentences.ts';
import { foldDiacritics, normalizeForMatch } from '../text/normalize.ts';
import { escapeRegExp } from '../text/strings.ts';

/** The number (and year) before a document symbol, e.g. `68/` of `68/NQ-CP` or `45/2019/` of `45/2019/QH14`. */
const NUMBER_PREFIX_RE = /^\d+(?:\/\d{4})?[-/]/u;
/** Words before a reference saying a document implements or rests on it, e.g. `thực hiện` of `Thực hiện Nghị quyết số 42-NQ/TW`. */
const IMPLEMENTING_CUE_RE = /(thực hiện|căn cứ|kèm theo)/u;
/** A full stop or semicolon ending a sentence, e.g. the `. ` of `… năm 2024. Kế hoạch`. */
const SENTENCE_END_RE = /[.;]\s/u;
/** The verb "implement" (normalised text), e.g. `thực hiện` of `… thực hiện 11-NQ/TW`. */
const IMPLEMENT_WORD_RE = /thực hiện/u;
/** A text that ends naming another programme or plan of a list, e.g. `và kế hoạch số ` before the next reference. */
const LISTED_PROGRAMME_RE = /(và|,)\s*(chương trình|kế hoạch)[^.]*số\s*$/u;
/** The symbol of a Government resolution or a programme, e.g. `NQ-CP` or `CTr-UBND`. */
const GOVERNMENT_RESOLUTION_SYMBOL_RE = /^(NQ-CP|CTr)/u;
/** The symbol of a central Party resolution, e.g. `NQ/TW` of `42-NQ/TW`. */
const PARTY_RESOLUTION_SYMBOL_RE = /NQ\/TW/u;
/** The symbol of a programme or plan, e.g. `KH-UBND` or `CTr/TU`. */
const PROGRAMME_OR_PLAN_SYMBOL_RE = /^(CTr|KH)/u;
/** A Government resolution symbol inside a number, e.g. `68/NQ-CP`. */
const GOVERNMENT_RESOLUTION_RE = /NQ-CP/u;
/** The words that open an implementing sentence, any case, e.g. `Thực hiện` or `THỰC HIỆN`. */
const IMPLEMENTING_OPENER_RE = /Thực hiện/iu;
/** Exactly the symbol of a central Party resolution, e.g. `NQ/TW`. */
const PARTY_RESOLUTION_ONLY_RE = /^NQ\/TW$/u;
/** The symbol of any resolution, e.g. `NQ-CP` or `NQ-HĐND`. */
const RESOLUTION_SYMBOL_RE = /^NQ/u;
/** The symbol of a decision, e.g. `QĐ-TTg`. */
const DECISION_SYMBOL_RE = /^QĐ/u;
/** A number asked for, with the words before it and an optional symbol, e.g. `nghị quyết 42`, `42-NQ/TW` (words, number and symbol captured). */
const NUMBER_QUERY_RE = /^(.*?)(?<!\d)(\d{1,5})(?:\s*[-/]\s*([\p{L}/-]+))?$/u;
/** The word "number" that ends the words before a number, e.g. ` số` of `nghị quyết số` or ` no.`. */
const NUMBER_WORD_RE = /\s*(?:số|so|no\.?|number|#)\s*:?\s*$/u;
/** A separator inside a symbol, e.g. the `-` and `/` of `NQ-CP/TW`. */
const SYMBOL_SEPARATOR_RE = /[-/]/g;

/** One "implements" edge: `to` implements `from`. Ends are corpus docIds or, for documents not in the corpus, their numbers. */
export interface Lineage {
  edges: LineageEdge[];
}

/** How far before a reference the words `Thực hiện`/`Căn cứ`/`kèm theo` may stand (characters). */
const IMPLEMENT_CONTEXT_CHARS = 400;
/** The opening of a document (header + preamble) where "implements X" is stated. */
const OPENING_CHARS = 3500;

/** `ban hành Chương trình hành động của Chính phủ triển khai thực hiện …`: a plan instructing another body's programme. */
const INSTRUCTED_PROGRAMME_RE = /ban hành\s+(Chương trình hành động|Kế hoạch hành động|Kế hoạch|Chương trình)\s+của\s+([^,.;]{3,60}?)\s+(?:triển khai\s+)?thực hiện/gu;
/** `Thực hiện … số A … và … số B` in a document's opening (one line). */
const IMPLEMENTS_BOTH_RE = /Thực hiện\s[^\n]*?số\s+\S+[^\n]*?\svà\s[^\n]*?số\s+\S+/gu;
/** Order of issuer levels, highest first: a document implements those above it. */
const LEVEL_RANK: Record<string, number> = { central: 0, ministry: 1, province: 2, district: 3 };

/** Symbol of a number: `42-NQ/TW` → `NQ/TW`. */
function symbol(n: string): string {
  return n.replace(NUMBER_PREFIX_RE, '');
}

/**
 * Builds the implements-graph from each document's opening (`Thực hiện Nghị quyết số 42-NQ/TW …`,
 * `ban hành kèm theo Nghị quyết số 68/NQ-CP …`, `Căn cứ … 96/NQ-CP … ban hành Chương trình hành động …`)
 * and from passages naming two documents in an implementing relation (`Chương trình hành động của Chính phủ
 * … kèm theo Nghị quyết số 68/NQ-CP … thực hiện Nghị quyết … 42`).
 * @example buildLineage(metas, texts).edges.find(e => e.to === 'kh-bac-ninh-sldtbxh-nq42')
 */
export function buildLineage(metas: DocMeta[], texts: Map<string, string>): Lineage {
  const byNumber = new Map<string, string>();
  for (const m of metas) if (m.number) byNumber.set(numberKey(m.number), m.id);
  const node = (n: string): string => byNumber.get(numberKey(n)) ?? n;
  const edges = new Map<string, LineageEdge>();
  const add = (from: string, to: string, evidence: string, evidenceDocId: string): void => {
    if (from === to || !evidence) return;
    const key = `${from}→${to}`;
    if (!edges.has(key)) edges.set(key, { from, to, evidence, evidenceDocId });
  };

  for (const meta of metas) {
    const text = texts.get(meta.id);
    if (!text) continue;
    const own = meta.number ? numberKey(meta.number) : null;
    const opening = text.slice(0, OPENING_CHARS);
    const refs = findNumberRefs(opening).filter((r) => numberKey(r.number) !== own);
    for (const r of refs) {
      if (!meta.implements.some((i) => numberKey(i) === numberKey(r.number))) continue;
      const ctx = normalizeForMatch(opening.slice(Math.max(0, r.start - IMPLEMENT_CONTEXT_CHARS), r.start));
      if (!IMPLEMENTING_CUE_RE.test(ctx)) continue;
      // A government resolution that only "issues" a programme (`kèm theo Nghị quyết 68/NQ-CP`) is the
      // programme's own vehicle; an implementer still implements it, so it is an edge like any other.
      add(node(r.number), meta.id, sentenceAround(opening, r.start, r.end), meta.id);
    }
  }

  // Relations stated between two other documents: `X … (ban hành kèm theo | thực hiện) … Y` in one sentence,
  // e.g. `Nghị quyết số 96/NQ-CP … ban hành Chương trình hành động … thực hiện Nghị quyết số 11-NQ/TW`.
  for (const meta of metas) {
    const text = texts.get(meta.id);
    if (!text) continue;
    const refs = findNumberRefs(text);
    for (let i = 0; i < refs.length; i++) {
      const a = refs[i]!;
      for (let j = i + 1; j < refs.length && refs[j]!.start - a.end < 260; j++) {
        const b = refs[j]!;
        const between = normalizeForMatch(text.slice(a.end, b.start));
        if (SENTENCE_END_RE.test(text.slice(a.end, b.start))) break;
        const aSym = symbol(a.number), bSym = symbol(b.number);
        // `96/NQ-CP … ban hành Chương trình hành động … thực hiện 11-NQ/TW`: a Government resolution implementing a Party one.
        if (IMPLEMENT_WORD_RE.test(between) && !LISTED_PROGRAMME_RE.test(between) && GOVERNMENT_RESOLUTION_SYMBOL_RE.test(aSym) && PARTY_RESOLUTION_SYMBOL_RE.test(bSym)) {
          add(node(b.number), node(a.number), sentenceAround(text, a.start, b.end), meta.id);
        }
      }
    }
  }

  // A plan that instructs another body to issue its own programme implementing the same documents
  // (`… chỉ đạo xây dựng, ban hành Chương trình hành động của <issuer> triển khai thực hiện Nghị quyết …`):
  // that body's programme of that type, implementing a document the plan implements, implements the plan.
  for (const plan of metas) {
    const text = texts.get(plan.id);
    if (!text || !plan.number) continue;
    for (const m of text.matchAll(INSTRUCTED_PROGRAMME_RE)) {
      const type = normalizeForMatch(m[1]!);
      const issuer = normalizeForMatch(m[2]!);
      for (const other of metas) {
        if (other === plan || !other.issuer || !other.type) continue;
        if (normalizeForMatch(other.type) !== type || !issuer.startsWith(normalizeForMatch(other.issuer))) continue;
        const shared = other.implements.some((n) => plan.implements.some((p) => numberKey(p) === numberKey(n)));
        if (shared) add(plan.id, other.id, sentenceAround(text, m.index, m.index + m[0].length), plan.id);
      }
    }
  }

  // A provincial programme/plan that implements a Government programme: `Chương trình hành động số 71-CTr/TU …`
  // and `Kế hoạch số 246/KH-UBND … về Thực hiện Chương trình hành động của Chính phủ … 68/NQ-CP`.
  for (const meta of metas) {
    const text = texts.get(meta.id);
    if (!text) continue;
    const opening = text.slice(0, OPENING_CHARS);
    const refs = findNumberRefs(opening);
    for (const r of refs) {
      const sym = symbol(r.number);
      if (!PROGRAMME_OR_PLAN_SYMBOL_RE.test(sym)) continue;
      const after = opening.slice(r.end, r.end + 260);
      const target = findNumberRefs(after).find((x) => GOVERNMENT_RESOLUTION_RE.test(x.number));
      if (target && IMPLEMENTING_OPENER_RE.test(after.slice(0, target.start))) {
        add(node(target.number), node(r.number), sentenceAround(opening, r.start, r.end + target.end), meta.id);
      }
    }
    // Two documents implemented together (`Thực hiện <A> … và <B> …`): the lower-level one (a province's programme)
    // implements the higher-level one (the Government's), by the issuer levels their numbers carry.
    for (const m of opening.matchAll(IMPLEMENTS_BOTH_RE)) {
      const pair = findNumberRefs(m[0]);
      if (pair.length < 2) continue;
      const [a, b] = [pair[0]!, pair[pair.length - 1]!];
      const la = LEVEL_RANK[issuerLevel(null, a.number) ?? ''] ?? -1, lb = LEVEL_RANK[issuerLevel(null, b.number) ?? ''] ?? -1;
      if (la >= 0 && lb > la) add(node(a.number), node(b.number), m[0], meta.id);
      else if (lb >= 0 && la > lb) add(node(b.number), node(a.number), m[0], meta.id);
    }
  }
  return { edges: [...edges.values()] };
}

/** Parent → children and child → parents adjacency of a lineage. */
function adjacency(lineage: Lineage): { down: Map<string, string[]>; up: Map<string, string[]> } {
  const down = new Map<string, string[]>();
  const up = new Map<string, string[]>();
  for (const e of lineage.edges) {
    down.set(e.from, [...(down.get(e.from) ?? []), e.to]);
    up.set(e.to, [...(up.get(e.to) ?? []), e.from]);
  }
  return { down, up };
}

/** Nodes reachable from `start` along `next` (breadth first, `start` excluded). */
function reachable(start: string, next: Map<string, string[]>): string[] {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length) {
    for (const c of next.get(queue.shift()!) ?? []) {
      if (!seen.has(c) && c !== start) {
        seen.add(c);
        queue.push(c);
      }
    }
  }
  return [...seen];
}

/** Every node that implements `start`, transitively (not including `start`). */
export function implementersOf(start: string, lineage: Lineage): string[] {
  return reachable(start, adjacency(lineage).down);
}

/** Every node `start` implements, transitively (what it carries out, directly or through the documents it implements). */
export function implementedThrough(start: string, lineage: Lineage): string[] {
  return reachable(start, adjacency(lineage).up);
}

export interface DocRefResolution {
  /** Corpus docIds that are the referenced document or implement it (transitively). */
  docIds: string[];
  /** The document number chosen (`42-NQ/TW`), or the docId when the match was by id/title. */
  matched: string | null;
  /** True when the reference fits more than one document; `alternatives` lists the others. */
  ambiguous: boolean;
  alternatives: string[];
}

/**
 * Type words a question may put before a number (`nghị quyết 42`, `NQ 42`, `Resolution 42`, `Action Programme 5`), by
 * their key, with the symbol prefix of that type (data/doc-types.json through typeHintWords).
 */
const TYPE_HINTS: ReadonlyMap<string, RegExp> = new Map(
  [...typeHintWords()].map(([key, symbols]) => [key, new RegExp(`^(?:${symbols.map(escapeRegExp).join('|')})`, 'u')]),
);

/** Preference among same-number candidates: Party resolutions first (`NQ/TW`), then other resolutions. */
function preference(n: string): number {
  const sym = symbol(n);
  if (PARTY_RESOLUTION_ONLY_RE.test(sym)) return 0;
  if (RESOLUTION_SYMBOL_RE.test(sym)) return 1;
  if (PROGRAMME_OR_PLAN_SYMBOL_RE.test(sym)) return 2;
  if (DECISION_SYMBOL_RE.test(sym)) return 3;
  return 4;
}

/**
 * Resolves a loose reference ("Nghị quyết 42", "NQ 42", "42-NQ/TW", "Resolution 42", "QĐ 1240", "kế hoạch 246")
 * to the corpus documents that are it or implement it (transitively). A bare number that fits several
 * documents prefers a resolution (NQ) and reports `ambiguous` with the alternatives.
 * @example resolveDocRef('NQ 42', metas, lineage).docIds // Politburo plan, Government programme, Bắc Ninh plan
 */
export function resolveDocRef(ref: string, metas: DocMeta[], lineage: Lineage): DocRefResolution {
  const q = ref.trim();
  if (!q) throw new Error('register: empty document reference');
  const byId = metas.find((m) => m.id === q);
  const expand = (node: string): string[] => {
    const ids = new Set<string>();
    if (metas.some((m) => m.id === node)) ids.add(node);
    for (const n of implementersOf(node, lineage)) if (metas.some((m) => m.id === n)) ids.add(n);
    return [...ids];
  };
  if (byId) return { docIds: expand(byId.id), matched: byId.id, ambiguous: false, alternatives: [] };
  // A title (`Bộ luật Lao động`, `Luật Việc làm`): the latest document of that title.
  const qTitle = foldDiacritics(normalizeForMatch(q));
  const byTitle = metas
    .filter((m) => [m.title, m.name && m.type ? `${m.type} ${m.name}` : ''].some((t) => t && foldDiacritics(normalizeForMatch(t)) === qTitle))
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  if (byTitle.length) return { docIds: expand(byTitle[0]!.id), matched: byTitle[0]!.number ?? byTitle[0]!.id, ambiguous: byTitle.length > 1, alternatives: byTitle.slice(1).map((m) => m.number ?? m.id) };

  // Every number the corpus knows: own numbers, cited numbers, lineage nodes.
  const known = new Set<string>();
  for (const m of metas) {
    if (m.number) known.add(m.number);
    for (const c of [...m.cites, ...m.implements]) known.add(c);
  }
  for (const e of lineage.edges) for (const n of [e.from, e.to]) if (!metas.some((m) => m.id === n)) known.add(n);
  const nodeOf = (n: string): string => metas.find((m) => m.number && numberKey(m.number) === numberKey(n))?.id ?? n;

  // Exact number (`42-NQ/TW`, `68/NQ-CP`).
  const exact = [...known].find((n) => numberKey(n) === numberKey(q));
  if (exact) return { docIds: expand(nodeOf(exact)), matched: exact, ambiguous: false, alternatives: [] };

  const folded = foldDiacritics(normalizeForMatch(q));
  const m = NUMBER_QUERY_RE.exec(normalizeForMatch(q));
  if (!m) return { docIds: [], matched: null, ambiguous: false, alternatives: [] };
  m[1] = (m[1] ?? '').replace(NUMBER_WORD_RE, '').trim();
  const num = m[2]!;
  let cands = [...known].filter((n) => new RegExp(`^${num}(?:/\\d{4})?[-/]`, 'u').test(n));
  const hint = TYPE_HINTS.get(typeWordKey(m[1]));
  if (hint) cands = cands.filter((n) => hint.test(symbol(n)));
  if (m[3]) cands = cands.filter((n) => foldDiacritics(symbol(n).toLowerCase()).includes(foldDiacritics(m[3]!.toLowerCase())));
  // Same document written twice (`29-NQ/TW`, `29/NQ-TW`): keep one spelling per symbol set.
  const uniq = new Map<string, string>();
  for (const c of cands) {
    const k = `${num}|${symbol(c).replace(SYMBOL_SEPARATOR_RE, '')}`;
    if (!uniq.has(k)) uniq.set(k, c);
  }
  cands = [...uniq.values()].sort((a, b) => preference(a) - preference(b));
  if (cands.length === 0 || folded.length === 0) return { docIds: [], matched: null, ambiguous: false, alternatives: [] };
  const chosen = cands[0]!;
  return { docIds: expand(nodeOf(chosen)), matched: chosen, ambiguous: cands.length > 1, alternatives: cands.slice(1) };
}
