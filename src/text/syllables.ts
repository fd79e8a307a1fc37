// Vietnamese syllable shape: is a word a well-formed syllable (legacy-encoding guesses, symbols that read as words).

/** Vietnamese syllable shape, checked on the lower-cased word with its tone mark removed, e.g. `nghieng`, `viet`. */
const VI_SYLLABLE =
  /^(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?[aăâeêioôơuưy]{1,3}(?:ng|nh|ch|c|m|n|p|t)?$/;
/** A combining tone mark (NFD), e.g. the acute of `é` = `e\u0301`. */
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;

/**
 * True when `word` (one token of letters) is a well-formed Vietnamese syllable with at most one tone.
 * @example isVietnameseSyllable('nghiêng') === true; isVietnameseSyllable('ViÖt') === false; isVietnameseSyllable('KH') === false
 */
export function isVietnameseSyllable(word: string): boolean {
  const nfd = word.toLowerCase().normalize('NFD');
  const tones = nfd.match(TONE_MARKS)?.length ?? 0;
  if (tones > 1) return false;
  return VI_SYLLABLE.test(nfd.replace(TONE_MARKS, '').normalize('NFC'));
}
