// The refusal policy: every reason to refuse an answer is one named rule here, with its message in both
// languages; thresholds come from the configuration. The answerer asks; this module decides and says why.
import { numberKey } from '../doc/numbers.ts';
import { cueMatchers, dataFile, foldCueText } from '../text/cues.ts';

/** A separator inside a document number, e.g. the `-` and `/` of `42-NQ/TW`. */
const NUMBER_SEPARATOR_RE = /[-/\s.]/g;
/** Anything but a folded letter or digit, e.g. the spaces of `so y te`. */
const NOT_ALNUM_RE = /[^a-z0-9]/g;
/** The word `Điều ` that opens an article reference, e.g. `Điều ` of `Điều 35`. */
const ARTICLE_WORD_RE = /^Điều /;

/** Named refusal rules (reported as `refusal.rule` in `ask --json`). */
export type RefusalRule =
  /** A place (province, city) the question names has no document in the corpus and no quoted line names it. */
  | 'scope.place_absent'
  /** A body the question names as a document's issuer issued no document of the corpus. */
  | 'scope.issuer_absent'
  /** A document number the question names occurs nowhere in the corpus (neither held nor cited). */
  | 'scope.document_absent'
  /** An article (`Điều 230`) the question names does not exist in the document(s) it names. */
  | 'scope.section_absent'
  /** Office holders: the documents name people only as their own signers. */
  | 'scope.person'
  /** The field asked (date, number, signer) is blank in the document and no other document states it. */
  | 'registry.field_blank'
  /** The question's rarest policy phrase occurs in none of the top passages. */
  | 'evidence.topic_absent'
  /** The place is held, but no sentence found says this about it. */
  | 'evidence.place_not_stated'
  /** A number question: no sentence states a figure about the phrases it names. */
  | 'evidence.no_figure'
  /** A money question: no sentence found states an amount of money. */
  | 'evidence.no_amount'
  /** The question asks for a period, a rate or an age, and no sentence found states one. */
  | 'evidence.quantity_absent'
  /** The question asks about a year that none of the documents answering it mentions. */
  | 'evidence.year_absent'
  /** The best sentences cover too little of the question. */
  | 'evidence.low_coverage'
  /** Nothing was retrieved. */
  | 'evidence.none';

export interface Refusal {
  rule: RefusalRule;
  reason: string;
}

/** Thresholds of the policy (configuration: ANSWER_MIN_COVERAGE, ANSWER_MIN_COVERAGE_COMPARE, ANSWER_FOCUS_PASSAGES). */
export interface RefusalPolicy {
  /** Below this share of the question's weighted terms found in the best sentence (with its context), refuse. */
  minCoverage: number;
  /** Compare questions name two things, so each sentence covers less of the question. */
  minCoverageCompare: number;
  /** The question's rarest policy phrase must occur in one of this many top passages. */
  focusPassages: number;
}

export const DEFAULT_REFUSAL_POLICY: RefusalPolicy = { minCoverage: 0.3, minCoverageCompare: 0.15, focusPassages: 5 };

const CUES = cueMatchers(dataFile('answer-cues.json'));

export { askedQuantities, asksCurrency, asksMoney, statesMoney, statesQuantity, type QuantityKind } from './quantities.ts';

const PERSON_RE = (() => {
  const src = (re: RegExp) => re.source;
  return new RegExp(`(?:${src(CUES.personAsk!)})\\s+(?:(?:${src(CUES.personModifier!)})\\s+)*(?:${src(CUES.officeTitle!)})`, 'u');
})();

/**
 * Does the question ask who holds an office ("Who is the Minister of …", "Ai là Bộ trưởng …")?
 * @example asksOfficeHolder('Who is the current Minister of Labour?') === true
 */
export function asksOfficeHolder(question: string): boolean {
  return PERSON_RE.test(foldCueText(question));
}

/**
 * Document numbers the question writes in full (`99/NQ-CP`) that occur nowhere in the corpus.
 * Spelling variants (`42-NQ/TW`, `42/NQ-TW`) count as the same number.
 */
export function numbersAbsent(questionNumbers: string[], known: string[]): string[] {
  const loose = (n: string) => numberKey(n).replace(NUMBER_SEPARATOR_RE, '');
  const have = new Set(known.map(loose));
  return questionNumbers.filter((n) => !have.has(loose(n)));
}

/** Key for comparing body names loosely: folded letters and digits only. */
const bodyKey = (s: string): string => foldCueText(s).replace(NOT_ALNUM_RE, '');

/**
 * Bodies named as issuers (each with its known names) that issued no corpus document. A corpus issuer
 * written shorter or longer ("Ban cán sự đảng" for "Ban cán sự đảng Bộ …") counts as the same body.
 */
export function issuersAbsent(asked: Array<{ surface: string; names: string[] }>, corpusIssuers: string[]): string[] {
  const have = corpusIssuers.map(bodyKey).filter((k) => k.length >= 4);
  return asked
    .filter((a) => !a.names.map(bodyKey).some((k) => k.length >= 4 && have.some((h) => h.includes(k) || k.includes(h))))
    .map((a) => a.surface);
}

/** A year written on its own (`năm 2024`, `in 2025`, `2021-2030`), not inside a document number such as `45/2019/QH14`. */
const YEAR_RE = /(?<![/\d])(?:19|20)\d{2}(?![/\d])/g;

/**
 * Years a question asks about when none of them occurs in the texts of the documents that would answer it:
 * a 2013 law says nothing of the wage level "from 2024". Empty when the question names no year or a
 * document speaks of one of its years.
 * @example yearsUnmentioned('Mức lương tối thiểu vùng từ năm 2024 là bao nhiêu?', [textOfA2013Law]) // ['2024']
 */
export function yearsUnmentioned(question: string, docTexts: string[]): string[] {
  const years = [...new Set(question.match(YEAR_RE) ?? [])];
  if (!years.length || !docTexts.length) return [];
  return years.some((y) => docTexts.some((t) => mentionsYear(t, y))) ? [] : years;
}

/** Does the text hold the year as a number of its own (`2024`, not the `2024` of `12024`)? */
function mentionsYear(text: string, year: string): boolean {
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let at = text.indexOf(year); at >= 0; at = text.indexOf(year, at + 1)) {
    if (!isDigit(text[at - 1]) && !isDigit(text[at + year.length])) return true;
  }
  return false;
}

/** The article part of a section reference: `Điều 35.1.a` → `Điều 35`; null for other references. */
const ARTICLE_OF_REF_RE = /^(Điều \d+)(?:\.|$)/u;

/**
 * Articles the question names that none of the named documents has (`Article 230 of the Labour Code`
 * when the code ends at Article 220). Empty when no document is named or a named one holds the article.
 * @example articlesAbsent(['Điều 230'], [['Điều 1', 'Điều 220.1']]) // → ['Điều 230']
 */
export function articlesAbsent(refs: string[], namedDocPaths: string[][]): string[] {
  if (!namedDocPaths.length) return [];
  const out: string[] = [];
  for (const ref of refs) {
    const article = ARTICLE_OF_REF_RE.exec(ref)?.[1];
    if (!article) continue;
    const held = namedDocPaths.some((paths) => paths.some((p) => p === article || p.startsWith(`${article}.`) || p.endsWith(`/${article}`) || p.includes(`/${article}.`)));
    if (!held && !out.includes(article)) out.push(article);
  }
  return out;
}

/** The message of a rule, in the question's language. */
export function refusalMessage(rule: RefusalRule, en: boolean, p: { what?: string; held?: string[]; places?: string[] } = {}): string {
  const held = p.held?.length ? p.held.join(', ') : '';
  switch (rule) {
    case 'scope.place_absent':
      return en
        ? `Not stated: the corpus holds no document of ${p.places?.join(', ')}${held ? `; its local documents are those of ${held}` : ''}, so no answer is given for ${p.places?.join(', ')}.`
        : `Không có: kho văn bản không có văn bản nào của ${p.places?.join(', ')}${held ? `; văn bản địa phương hiện có là của ${held}` : ''}, nên không trả lời cho ${p.places?.join(', ')}.`;
    case 'scope.issuer_absent':
      return en
        ? `Not stated: the corpus holds no document issued by ${p.what}${held ? `; its documents were issued by ${held}` : ''}, so no answer is given for ${p.what}.`
        : `Không có: kho văn bản không có văn bản nào do ${p.what} ban hành${held ? `; các văn bản hiện có do ${held} ban hành` : ''}, nên không trả lời cho ${p.what}.`;
    case 'scope.document_absent':
      return en
        ? `Not stated: the corpus does not hold or cite document ${p.what}.`
        : `Không có: kho văn bản không có và không văn bản nào dẫn văn bản ${p.what}.`;
    case 'scope.section_absent':
      return en
        ? `Not stated: ${held || 'the document named'} has no ${p.what?.replace(ARTICLE_WORD_RE, 'Article ')}.`
        : `Không có: ${held || 'văn bản được nêu'} không có ${p.what}.`;
    case 'scope.person':
      return en ? 'Not stated: the documents name no office holders other than their own signers.' : 'Không có: các văn bản không nêu tên người giữ chức vụ, ngoài người ký văn bản.';
    case 'registry.field_blank':
      return p.what ?? (en ? 'Not stated in the document.' : 'Văn bản không nêu.');
    case 'evidence.topic_absent':
      return en ? `Not stated: the sections found do not mention “${p.what}”.` : `Không có: các đoạn tìm được không đề cập “${p.what}”.`;
    case 'evidence.place_not_stated':
      return en ? `Not stated: the documents say nothing about ${p.places?.join(', ')} on this.` : `Không có: các văn bản không nêu nội dung này đối với ${p.places?.join(', ')}.`;
    case 'evidence.no_figure':
      return en ? `Not stated: no document states a figure for “${p.what}” in the sections found.` : `Không có: không văn bản nào nêu số liệu về “${p.what}” trong các đoạn tìm được.`;
    case 'evidence.no_amount':
      return en ? 'Not stated: no document states that amount of money.' : 'Không có: không văn bản nào nêu số tiền này.';
    case 'evidence.quantity_absent':
      return en ? `Not stated: the sections found state no ${p.what ?? 'figure'} for this.` : `Không có: các đoạn tìm được không nêu ${p.what ?? 'số liệu'} cho nội dung này.`;
    case 'evidence.year_absent':
      return en ? `Not stated: the documents found say nothing about ${p.what}.` : `Không có: các văn bản tìm được không đề cập năm ${p.what}.`;
    case 'evidence.low_coverage':
      return en ? 'Not stated: the documents do not contain what the question asks for.' : 'Không có: các văn bản không chứa thông tin mà câu hỏi yêu cầu.';
    case 'evidence.none':
      return en ? 'Not stated: nothing in the corpus matches the question.' : 'Không có: không đoạn nào trong kho văn bản khớp với câu hỏi.';
  }
}

/** A refusal of a rule with its message. */
export function refuse(rule: RefusalRule, en: boolean, p: Parameters<typeof refusalMessage>[2] = {}): Refusal {
  return { rule, reason: refusalMessage(rule, en, p) };
}
