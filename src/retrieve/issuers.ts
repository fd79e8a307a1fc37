// Bodies a question names as the issuer of a document: "Kế hoạch của Bộ Y tế", "the Ministry of Health's plan",
// "the plan of the Bac Ninh DOLISA". Gazetteer units, and English ministry names written out in full.
import { matchUnits } from '../register/index.ts';
import { cueMatchers, dataFile, foldCueText } from '../text/cues.ts';

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
