// Generators for property-based fuzzing: document-like Vietnamese text built from the shapes plans use, and
// mutations of the real corpus (cut, duplicate, shuffle, decompose, CRLF, truncate, inject).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Cases per property: small in `npm test`, FUZZ_RUNS (e.g. 10000 from `npm run fuzz`) otherwise. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? '') || 60;
/** Time allowed per property: the 10,000-case run takes minutes. */
export const FUZZ_TIMEOUT_MS = RUNS > 1000 ? 3_600_000 : 120_000;

/** The corpus documents, read once (the repository's own corpus/ folder). */
export const CORPUS: string[] = readdirSync(path.join(ROOT, 'corpus'))
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => readFileSync(path.join(ROOT, 'corpus', f), 'utf8'));

/** Line shapes of Vietnamese plans and laws: headings, numbering, dates, numbers, units, tasks, tables. */
const FRAGMENTS = [
  'ỦY BAN NHÂN DÂN', 'TỈNH BẮC NINH', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'Số: 12/KH-UBND',
  'Số:   /QĐ-TTg', 'Hà Nội, ngày 5 tháng 2 năm 2024', 'ngày 31 tháng 12 năm 2025', 'KẾ HOẠCH', 'QUYẾT ĐỊNH', 'NGHỊ QUYẾT',
  'Thực hiện Nghị quyết số 42-NQ/TW', 'Căn cứ Luật số 45/2019/QH14', 'I. MỤC ĐÍCH, YÊU CẦU', 'II. NHIỆM VỤ', 'III. TỔ CHỨC THỰC HIỆN',
  '1.', '2.', '3.1.', 'a)', 'b)', 'đ)', '-', '+', '*', 'Điều 1.', 'Điều 35.', 'Chương II', 'Mục 3', 'Khoản 2', 'PHỤ LỤC II', 'STT',
  '| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian |', '| 1 | Xây dựng đề án | Sở Lao động - Thương binh và Xã hội | Quý II/2025 |',
  'Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan', 'báo cáo kết quả thực hiện về Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12 hằng năm',
  'Ủy ban nhân dân các huyện, thị xã, thành phố', 'Giao Văn phòng UBND tỉnh theo dõi, đôn đốc', 'định kỳ 6 tháng', 'trong năm 2025',
  'Nơi nhận:', 'TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH', 'Nguyễn Văn A', '(Ban hành kèm theo Quyết định số 1240/QĐ-LĐTBXH)',
  'constructor', '__proto__', 'toString', 'hasOwnProperty', '=HYPERLINK("x")', '<script>alert(1)</script>', '\u0000', '\u200b', '\ufeff',
  'Quy đ nh m n sáchị ượ', 'Article 3. Scope', '1)', 'i.', 'IV -', 'V.', '§', '…', '“', '”', '\t', '  ',
];

/** One line: a fragment, random text, or both. */
const line = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...FRAGMENTS), fc.constantFrom(...FRAGMENTS)).map(([a, b]) => `${a} ${b}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: 'binary' }) },
);

/** Document-like text built line by line, with a random line ending. */
export const syntheticDocument = fc
  .tuple(fc.array(line, { maxLength: 60 }), fc.constantFrom('\n', '\r\n', '\n\n'))
  .map(([lines, eol]) => lines.join(eol));

/** One edit applied to a document. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), len: fc.nat({ max: 2000 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.nat({ max: 2000 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: line }),
  fc.record({ op: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('nfd' as const) }),
  fc.record({ op: fc.constant('crlf' as const) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function apply(text: string, m: Mutation): string {
  const pos = (n: number) => (text.length ? n % (text.length + 1) : 0);
  switch (m.op) {
    case 'cut':
      return text.slice(0, pos(m.at)) + text.slice(pos(m.at) + m.len);
    case 'duplicate':
      return text.slice(0, pos(m.at) + m.len) + text.slice(pos(m.at), pos(m.at) + m.len) + text.slice(pos(m.at) + m.len);
    case 'insert':
      return text.slice(0, pos(m.at)) + m.text + text.slice(pos(m.at));
    case 'swapLines': {
      const lines = text.split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'nfd':
      return text.normalize('NFD');
    case 'crlf':
      return text.replace(/\n/g, '\r\n');
    case 'truncate':
      return text.slice(0, pos(m.at));
  }
}

/** A corpus document with 1–6 random edits. */
export const mutatedDocument = fc
  .tuple(fc.constantFrom(...CORPUS), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([doc, ms]) => ms.reduce(apply, doc));

/** Synthetic or mutated documents, half and half. */
export const anyDocument = fc.oneof(syntheticDocument, mutatedDocument);

/**
 * Runs a property and returns its counts (printed by the caller, so `npm run fuzz` reports cases and failures).
 * @throws the shrunk counterexample when the property fails.
 */
export function check<T>(name: string, arb: fc.Arbitrary<T>, predicate: (v: T) => void, runs = RUNS): { name: string; cases: number; failures: number } {
  const r = fc.check(fc.property(arb, predicate), { numRuns: runs });
  if (r.failed) throw new Error(`${name}: failed after ${r.numRuns} cases (seed ${r.seed}, path ${r.counterexamplePath}): ${fc.defaultReportMessage(r)}`);
  report(name, r.numRuns);
  return { name, cases: r.numRuns, failures: 0 };
}

/** Async variant of check. */
export async function checkAsync<T>(name: string, arb: fc.Arbitrary<T>, predicate: (v: T) => Promise<void>, runs = RUNS): Promise<{ name: string; cases: number; failures: number }> {
  const r = await fc.check(fc.asyncProperty(arb, predicate), { numRuns: runs });
  if (r.failed) throw new Error(`${name}: failed after ${r.numRuns} cases (seed ${r.seed}, path ${r.counterexamplePath}): ${fc.defaultReportMessage(r)}`);
  report(name, r.numRuns);
  return { name, cases: r.numRuns, failures: 0 };
}

function report(name: string, cases: number): void {
  process.stdout.write(`fuzz: ${name}: ${cases} cases, 0 failures\n`);
}
