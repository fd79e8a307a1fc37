// The answerer's slice of the configuration: answer length, supporting quotes, refusal thresholds.
import { intVar, numberVar } from './env.ts';

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

export const answerEnv = {
  ANSWER_MAX_CHARS: intVar(200, 20000),
  ANSWER_MAX_QUOTES: intVar(0, 10),
  ANSWER_MIN_COVERAGE: numberVar(0, 1),
  ANSWER_MIN_COVERAGE_COMPARE: numberVar(0, 1),
  ANSWER_FOCUS_PASSAGES: intVar(1, 50),
};

export function answerSlice(e: { ANSWER_MAX_CHARS?: number; ANSWER_MAX_QUOTES?: number; ANSWER_MIN_COVERAGE?: number; ANSWER_MIN_COVERAGE_COMPARE?: number; ANSWER_FOCUS_PASSAGES?: number }): AnswerConfig {
  const d = DEFAULT_ANSWER_CONFIG;
  return {
    maxChars: e.ANSWER_MAX_CHARS ?? d.maxChars,
    maxQuotes: e.ANSWER_MAX_QUOTES ?? d.maxQuotes,
    minCoverage: e.ANSWER_MIN_COVERAGE ?? d.minCoverage,
    minCoverageCompare: e.ANSWER_MIN_COVERAGE_COMPARE ?? d.minCoverageCompare,
    focusPassages: e.ANSWER_FOCUS_PASSAGES ?? d.focusPassages,
  };
}
