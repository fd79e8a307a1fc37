// Stopwords for lexical matching: question and function words in Vietnamese and English.
import { foldDiacritics } from './normalize.ts';

/** Question words and function words that carry no topic (accented; folded forms are derived). */
const STOP_VI = [
  'của', 'và', 'là', 'các', 'những', 'cho', 'với', 'theo', 'trong', 'được', 'có', 'thì', 'nào', 'gì', 'ai', 'bao', 'nhiêu',
  'khi', 'đâu', 'này', 'đó', 'về', 'một', 'để', 'tại', 'từ', 'đến', 'phải', 'sẽ', 'đã', 'ra', 'như', 'thế', 'hay', 'hoặc',
  'còn', 'vậy', 'nêu', 'gồm', 'bởi', 'do', 'vào', 'số', 'năm', 'ngày', 'tháng',
];
const STOP_EN = [
  'the', 'a', 'an', 'of', 'and', 'or', 'to', 'in', 'on', 'for', 'by', 'with', 'what', 'which', 'who', 'whom', 'when', 'how',
  'does', 'do', 'did', 'is', 'are', 'was', 'were', 'be', 'it', 'its', 'that', 'this', 'as', 'at', 'from', 'under', 'say', 'says',
  'must', 'should', 'many', 'much', 'their', 'there', 'they', 'them', 'and', 'whose', 'about',
];
export const STOP_EXACT = new Set([...STOP_VI, ...STOP_EN]);
export const STOP_FOLDED = new Set([...STOP_VI, ...STOP_EN].map((w) => foldDiacritics(w)));
