// The answerer's slice of the configuration: answer length, supporting quotes, refusal thresholds.
import { intVar, numberVar, row, sliceOf, withDefault } from './env.ts';

export interface AnswerConfig {
  /** Longest answer text in characters (chat, bots, ask). */
  maxChars: number;
  /** Supporting quotes after the opening line. */
  maxQuotes: number;
  /** Refusal rule `evidence.low_coverage`: least share of the question's weighted terms in the best sentence. */
  minCoverage: number;
  /** The same for compare questions (each sentence covers one side). */
  minCoverageCompare: number;
  /** Refusal rule `evidence.topic_absent`: top passages searched for the question's rarest policy phrase. */
  focusPassages: number;
}

export const DEFAULT_ANSWER_CONFIG: AnswerConfig = { maxChars: 1200, maxQuotes: 3, minCoverage: 0.3, minCoverageCompare: 0.15, focusPassages: 5 };

/** The answerer's variables: config field, schema with its default, README default and meaning. */
export const answerVars = {
  ANSWER_MAX_CHARS: row('maxChars', withDefault(intVar(200, 20000), DEFAULT_ANSWER_CONFIG.maxChars), '`1200`', 'longest answer text in characters (ask, chat, bots)'),
  ANSWER_MAX_QUOTES: row('maxQuotes', withDefault(intVar(0, 10), DEFAULT_ANSWER_CONFIG.maxQuotes), '`3`', 'supporting quotes after the opening line'),
  ANSWER_MIN_COVERAGE: row('minCoverage', withDefault(numberVar(0, 1), DEFAULT_ANSWER_CONFIG.minCoverage), '`0.3`', 'refusal rule `evidence.low_coverage`: least share of the question\'s weighted terms in the best sentence'),
  ANSWER_MIN_COVERAGE_COMPARE: row('minCoverageCompare', withDefault(numberVar(0, 1), DEFAULT_ANSWER_CONFIG.minCoverageCompare), '`0.15`', 'the same threshold for compare questions'),
  ANSWER_FOCUS_PASSAGES: row('focusPassages', withDefault(intVar(1, 50), DEFAULT_ANSWER_CONFIG.focusPassages), '`5`', 'refusal rule `evidence.topic_absent`: top passages searched for the question\'s rarest policy phrase'),
};

/** The answerer's slice of the parsed environment. */
export function answerSlice(e: Record<string, unknown>): AnswerConfig {
  return sliceOf(answerVars, e);
}
