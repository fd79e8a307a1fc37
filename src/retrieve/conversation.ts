// Follow-up questions: a turn inherits the resolved document, section and intent of the previous turns and
// overrides what it names anew ("Còn Chương trình của Chính phủ thì sao?" keeps the topic, changes the document).
import type { ChatTurn, DocMeta } from '../doc/types.ts';
import { cueMatchers, dataFile, foldCueText } from '../text/cues.ts';
import type { DocRef, QueryAnalysis } from './query.ts';

/** Every run of white space, line breaks included, e.g. `" \n  "`. */
const SPACE_RUN_RE = /\s+/g;
/** The space between two words, e.g. the `  ` of `thế  còn`. */
const WORD_GAP_RE = /\s+/;

/** A question this short (in words) after an earlier one is read as a follow-up. */
export const FOLLOW_UP_MAX_WORDS = 7;
/** Earlier user turns a follow-up can lean on. */
export const FOLLOW_UP_TURNS = 3;

const CUES = cueMatchers(dataFile('query-cues.json'));

/** What one turn resolved to, after inheriting from the turns before it. */
export interface ResolvedTurn {
  /** The analysis used for retrieval and answering (its `question` is the retrieval text). */
  analysis: QueryAnalysis;
  /** The question as asked. */
  own: string;
  /** Words carried over from earlier turns (their topic), empty when nothing was inherited. */
  carried: string;
  /** True when the turn leaned on earlier ones. */
  followUp: boolean;
}

/**
 * Documents a question names by issuer (and type) without a number: "Chương trình của Chính phủ",
 * "the Politburo plan". `extra` are Vietnamese phrases the glossary gives for an English question.
 */
export function findIssuerRefs(question: string, metas: DocMeta[], extra: string[] = []): DocRef[] {
  const asked = ` ${[question, ...extra].map(foldCueText).join(' ; ')} `;
  const byIssuer = metas.filter((m) => m.issuer && asked.includes(` ${foldCueText(m.issuer)}`));
  if (byIssuer.length === 0) return [];
  // Of several documents by the named issuers, those whose type the question names too.
  const typed = byIssuer.filter((m) => m.type && asked.includes(foldCueText(m.type)));
  const ids = (typed.length ? typed : byIssuer).map((m) => m.id);
  return [{ raw: '', docIds: ids, implementerIds: [], candidates: [], ambiguous: false, chosen: null }];
}

/** Text of a turn without the document references it made (they are inherited as references, not words). */
function topicOf(text: string, a: QueryAnalysis): string {
  let t = text;
  for (const r of a.docRefs) if (r.raw) t = t.split(r.raw).join(' ');
  return t.replace(SPACE_RUN_RE, ' ').trim();
}

/**
 * Resolves a turn against the conversation. A turn that names a document, section, place or intent of
 * its own keeps it; what it leaves out comes from the latest earlier turn that had it.
 * @example resolveTurn('Còn Chương trình của Chính phủ thì sao?', [{ role: 'user', content: 'Kế hoạch của Bộ Chính trị giao gì về tuyên truyền?' }], analyze, metas)
 */
export function resolveTurn(
  question: string,
  history: ChatTurn[] | undefined,
  analyze: (q: string) => QueryAnalysis,
  metas: DocMeta[],
  glossaryPhrases: (q: string) => string[] = () => [],
): ResolvedTurn {
  const own = analyze(question);
  const prev = (history ?? []).filter((t) => t.role === 'user' && t.content.trim()).slice(-FOLLOW_UP_TURNS);
  if (prev.length === 0) return { analysis: own, own: question, carried: '', followUp: false };
  const f = foldCueText(question);
  const cue = CUES.followUp!.test(f);
  const words = f.split(WORD_GAP_RE).filter(Boolean).length;
  // A short or cue-led turn leans on the earlier question's topic too; any later turn keeps the documents.
  const leans = cue || words <= FOLLOW_UP_MAX_WORDS;

  // The state the conversation had reached, oldest turn first so later turns override.
  let docRefs: DocRef[] = [];
  let sectionRefs = own.sectionRefs;
  let intent: QueryAnalysis['intent'] | null = null;
  let topic = '';
  let stateSections: QueryAnalysis['sectionRefs'] = [];
  for (const t of prev) {
    const a = analyze(t.content);
    const byIssuer = findIssuerRefs(t.content, metas, glossaryPhrases(t.content));
    // "Kế hoạch của Bộ Chính trị về Nghị quyết 42": the number's documents narrowed to the issuer's.
    const ofNumber = new Set(a.docRefs.flatMap((r) => [...r.docIds, ...r.implementerIds]));
    const narrowed = byIssuer.flatMap((r) => r.docIds).filter((id) => ofNumber.has(id));
    const refs = narrowed.length ? [{ raw: '', docIds: narrowed, implementerIds: [], candidates: [], ambiguous: false, chosen: null }] : a.docRefs.length ? a.docRefs : byIssuer;
    if (refs.length) docRefs = refs;
    if (a.sectionRefs.length) stateSections = a.sectionRefs;
    if (a.intent !== 'what') intent = a.intent;
    topic = topicOf(t.content, a);
  }
  // A place narrows within the inherited documents; a number or an issuer names documents anew.
  const isPlaceRef = (r: DocRef) => r.docIds.length === 0 && r.candidates.length === 0;
  const named = own.docRefs.filter((r) => !isPlaceRef(r));
  const ownRefs = named.length ? own.docRefs : [...findIssuerRefs(question, metas, glossaryPhrases(question)), ...own.docRefs];
  const namesDoc = ownRefs.some((r) => !isPlaceRef(r));
  // "Còn … thì sao?" reads like a comparison but asks the earlier question again about something else.
  const ownIntentSpecific = own.intent !== 'what' && !(own.intent === 'compare' && cue);
  if (leans && !own.sectionRefs.length && !namesDoc) sectionRefs = stateSections;
  if (!leans) {
    // A question complete in itself: it keeps the conversation's documents unless it names its own.
    if (namesDoc || docRefs.length === 0) return { analysis: own, own: question, carried: '', followUp: false };
    return { analysis: { ...own, docRefs: [...docRefs, ...ownRefs] }, own: question, carried: '', followUp: true };
  }
  const analysis: QueryAnalysis = {
    ...own,
    question: `${question} ${topic}`.trim(),
    docRefs: namesDoc ? ownRefs : [...docRefs, ...ownRefs],
    sectionRefs,
    intent: ownIntentSpecific ? own.intent : intent ?? own.intent,
  };
  return { analysis, own: question, carried: topic, followUp: true };
}
