// Which texts the static model is trained on. Co-occurrence statistics of a language saturate long before a
// ministry's corpus ends, while training time grows with every syllable read; so training reads at most a fixed
// amount of text, taken evenly across the corpus (every document kind and period is represented, not only the
// first files in name order). Below the cap every text is used, so small and mid-sized corpora train exactly as before.

/** Characters of text the static model reads at most (the 213-document corpus of plans and laws holds ~18 M). */
export const TRAIN_MAX_CHARS = 32_000_000;

/**
 * A deterministic, evenly spread subset of `texts` holding about `maxChars` characters (all of them when the
 * total is within it). Order is kept. At least one text is returned for a non-empty input.
 */
export function trainingSample(texts: string[], maxChars: number = TRAIN_MAX_CHARS): string[] {
  if (!(maxChars > 0)) throw new Error(`trainingSample: maxChars must be positive, got ${maxChars}`);
  const total = texts.reduce((a, t) => a + t.length, 0);
  if (total <= maxChars) return texts;
  const share = maxChars / total;
  const out: string[] = [];
  // Take text i when the running quota crosses an integer: an even stride of about 1/share, deterministic.
  texts.forEach((t, i) => {
    if (Math.floor((i + 1) * share) > Math.floor(i * share)) out.push(t);
  });
  return out.length > 0 ? out : texts.slice(0, 1);
}
