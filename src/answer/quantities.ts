// What kind of quantity a question asks for (a period, a rate, an amount of money, an age, a count of things)
// and whether a text states one: a number with a unit of that kind (units in data/quantities.json).
import { cueMatchers, dataFile, foldCueText, loadCues } from '../text/cues.ts';
import { foldDiacritics, hasNoDiacritics, normalizeForMatch } from '../text/normalize.ts';
import { STOP_FOLDED } from '../text/stopwords.ts';
import { escapeRegExp } from '../text/strings.ts';

const CUES = cueMatchers(dataFile('answer-cues.json'));

/** An amount of money written in a sentence: `2.000 tỷ đồng`, `500.000 VNĐ`. */
const MONEY_AMOUNT_RE = /\d[\d.,]*\s*(?:tỷ|triệu|nghìn|ngàn)?\s*(?:đồng|VNĐ|VND)\b/iu;

/**
 * Does the question ask for an amount of money? A currency word, or a funding word together with an
 * amount question ("tổng kinh phí … bao nhiêu"). A policy named "mức chuẩn …" is not by itself a money question.
 * @example asksMoney('Tổng kinh phí thực hiện là bao nhiêu?') === true
 */
export function asksMoney(question: string): boolean {
  const f = foldCueText(question);
  // "Ngân sách chi cho giáo dục ít nhất bao nhiêu phần trăm": a share of a budget is a rate, not an amount.
  return CUES.currency!.test(f) || CUES.askMoney!.test(f) || (CUES.funding!.test(f) && CUES.amountAsk!.test(f) && !CUES.askRate!.test(f));
}

/**
 * Does a sentence state an amount of money? In a currency when `inCurrency` (the question asks "bao nhiêu
 * đồng"), else also as months or a share of a salary ("03 tháng tiền lương", "75% mức lương").
 */
export function statesMoney(sentence: string, inCurrency = false): boolean {
  return MONEY_AMOUNT_RE.test(sentence) || (!inCurrency && QUANTITY_RES.money.test(normalizeForMatch(sentence)));
}

/** Does the question ask for an amount in a currency ("bao nhiêu đồng", "VND")? */
export function asksCurrency(question: string): boolean {
  return CUES.currency!.test(foldCueText(question));
}

/** Kinds of quantity a question can ask for; each is stated as a number with one of its units (data/quantities.json). */
export type QuantityKind = 'period' | 'rate' | 'money' | 'age';

const QUANTITIES = loadCues(dataFile('quantities.json'));
/** A run of white space inside a phrase, e.g. the space of `người lao động` (it matches any spacing). */
const SPACE_RUN_RE = /\s+/g;
/** A phrase that ends in a letter or digit (then it must end a word), e.g. `hộ` but not `%`. */
const ENDS_IN_WORD_CHAR_RE = /[\p{L}\p{N}]$/u;
/** Whole-word alternatives of accented lower-case phrases, longest first. */
const wordAlts = (list: readonly string[]): string =>
  [...list].map((p) => normalizeForMatch(p)).sort((a, b) => b.length - a.length).map((p) => `${escapeRegExp(p).replace(SPACE_RUN_RE, '\\s+')}${ENDS_IN_WORD_CHAR_RE.test(p) ? '(?![\\p{L}\\p{N}])' : ''}`).join('|');
/** A number as written: digits (`14`, `1.500`, `0,5`) or number words (`hai`, `mười lăm`). */
const NUMBER_SRC = `(?<![\\p{L}\\p{N}])(?:\\d+(?:[.,]\\d+)*|(?:${wordAlts(QUANTITIES.numberWords!)})(?:\\s+(?:${wordAlts(QUANTITIES.numberWords!)}))*)`;
/** A number followed by a unit of the kind: `14 ngày làm việc`, `200%`, `05 năm`, `mười lăm tuổi`. */
// A unit followed by a number is part of a date (`ngày 18 tháng 4`, `01 năm 2021`), not a quantity of it.
const quantityRe = (units: readonly string[]): RegExp => new RegExp(`${NUMBER_SRC}\\s*(?:${wordAlts(units)})(?!\\s*\\d)`, 'u');
const QUANTITY_RES: Record<QuantityKind, RegExp> = {
  period: quantityRe(QUANTITIES.periodUnits!),
  rate: quantityRe(QUANTITIES.rateUnits!),
  money: quantityRe(QUANTITIES.moneyUnits!),
  age: quantityRe(QUANTITIES.ageUnits!),
};

/**
 * The kinds of quantity a question asks for (cue lists askPeriod, askRate, askMoney, askAge in data/answer-cues.json).
 * @example askedQuantities('Within how many working days must wages be paid?') // ['period']
 */
export function askedQuantities(question: string): QuantityKind[] {
  const f = foldCueText(question);
  const out: QuantityKind[] = [];
  if (CUES.askPeriod!.test(f)) out.push('period');
  if (CUES.askRate!.test(f)) out.push('rate');
  if (asksMoney(question)) out.push('money');
  if (CUES.askAge!.test(f)) out.push('age');
  return out;
}

/**
 * Does a text state a quantity of the kind (a number with one of its units)?
 * @example statesQuantity('Trong thời hạn 14 ngày làm việc kể từ …', 'period') === true
 */
export function statesQuantity(text: string, kind: QuantityKind): boolean {
  if (kind === 'money') return statesMoney(text);
  return QUANTITY_RES[kind].test(normalizeForMatch(text));
}

/** Words that ask for a count right before the thing counted: `bao nhiêu trường`, `mấy nhiệm kỳ`. */
const COUNT_ASK_RE = /(?<![\p{L}\p{N}])(?:bao\s+nhiêu|mấy|bao\s+nhieu|may)\s+(\p{L}+)/gu;

/**
 * The things a Vietnamese question asks to count (`bao nhiêu trường` → `trường`), as the question writes them.
 * @example countedNouns('cả nước có bao nhiêu trường cao đẳng?') // ['trường']
 */
export function countedNouns(question: string): string[] {
  const out: string[] = [];
  for (const m of normalizeForMatch(question).matchAll(COUNT_ASK_RE)) {
    const noun = m[1]!;
    if (!STOP_FOLDED.has(foldDiacritics(noun)) && !out.includes(noun)) out.push(noun);
  }
  return out;
}

/**
 * Does a text state a count of one of the nouns (`90 trường`, `hai nhiệm kỳ`)? A noun asked without diacritics
 * is matched on folded text, with digits only (folded number words are ambiguous).
 * @example statesCount('có 90 trường chất lượng cao', ['trường']) === true
 */
export function statesCount(text: string, nouns: string[]): boolean {
  if (!nouns.length) return false;
  const n = normalizeForMatch(text);
  const folded = foldDiacritics(n);
  return nouns.some((noun) =>
    hasNoDiacritics(noun)
      ? new RegExp(`(?<![\\p{L}\\p{N}])\\d+(?:[.,]\\d+)*\\s*${escapeRegExp(noun)}(?![\\p{L}\\p{N}])`, 'u').test(folded)
      : new RegExp(`${NUMBER_SRC}\\s*${escapeRegExp(noun)}(?![\\p{L}\\p{N}])`, 'u').test(n),
  );
}
