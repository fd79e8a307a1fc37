// Stopwords for lexical matching: question and function words in Vietnamese and English (data/stopwords.json).
import { dataFile, loadCues } from './cues.ts';
import { foldDiacritics } from './normalize.ts';

const lists = loadCues(dataFile('stopwords.json'));
if (!lists.vi?.length || !lists.en?.length) throw new Error(`stopwords: ${dataFile('stopwords.json')} needs the lists "vi" and "en"`);
const words = [...lists.vi, ...lists.en];

/** Stop words as written (accented Vietnamese, English). */
export const STOP_EXACT = new Set(words);
/** The same without diacritics. */
export const STOP_FOLDED = new Set(words.map((w) => foldDiacritics(w)));
