// Lists broken by page breaks: a form feed or a page-number line between the điểm of a law's khoản is not
// content — it opens no section, a sentence cut by it is read whole, and quotes do not show it.
import { describe, expect, it } from 'vitest';
import { parseOutline } from '../../src/ingest/outline.ts';
import { paragraphs } from '../../src/ingest/chunk.ts';
import { isPageMark, splitSentences } from '../../src/text/sentences.ts';
import { indexedCorpus } from '../helpers/indexed-corpus.ts';

/** A law whose leave clause runs over two page breaks (a form feed, then page numbers "- 12 -" and "13"). */
const LAW = [
  'QUỐC HỘI', '-------', 'Luật số: 99/2020/QH14', '', 'LUẬT', 'NGHỈ PHÉP THỬ NGHIỆM', '',
  'Chương I', 'NHỮNG QUY ĐỊNH CHUNG',
  'Điều 1. Phạm vi điều chỉnh', 'Luật này quy định chế độ nghỉ phép của người lao động.',
  'Điều 2. Đối tượng áp dụng', 'Luật này áp dụng đối với người lao động và người sử dụng lao động.',
  'Chương II', 'CHẾ ĐỘ NGHỈ',
  'Điều 3. Nghỉ việc riêng có hưởng lương',
  '1. Người lao động được nghỉ việc riêng mà vẫn hưởng nguyên lương trong trường hợp sau đây:',
  'a) Kết hôn: nghỉ 03 ngày làm việc;',
  'b) Con đẻ, con nuôi kết hôn: nghỉ 01 ngày làm việc;',
  '\f',
  '- 12 -',
  '',
  'c) Cha đẻ, mẹ đẻ chết: nghỉ 03',
  '\f13',
  'ngày làm việc;',
  'd) Trường hợp khác do hai bên thỏa thuận.',
  '2. Người lao động phải thông báo cho người sử dụng lao động trước khi nghỉ.',
  'Điều 4. Hiệu lực thi hành', 'Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2021.',
].join('\n');

const corpus = indexedCorpus('pages', { texts: { 'luat-nghi-phep.txt': LAW } });

describe('page breaks inside a list of điểm', () => {
  it('knows a page mark when it sees one, and nothing else', () => {
    for (const l of ['\f', '- 12 -', '– 7 –', '\f13', 'Trang 4', 'Trang 4/20', '4/20', '12']) expect(isPageMark(l)).toBe(true);
    for (const l of ['', '   ', 'a) Kết hôn;', '- Tổ chức tuyên truyền;', '2025', '1. Người lao động']) expect(isPageMark(l)).toBe(false);
  });

  it('keeps every điểm under its khoản and opens no section for a page mark', () => {
    const sections = parseOutline(LAW);
    const paths = sections.map((s) => s.path);
    expect(paths).toEqual(expect.arrayContaining(['Điều 3.1', 'Điều 3.1.a', 'Điều 3.1.b', 'Điều 3.1.c', 'Điều 3.1.d', 'Điều 3.2']));
    expect(paths.filter((p) => p.startsWith('Điều 3.1.b.'))).toEqual([]);
  });

  it('reads a sentence cut by a page break whole, and a paragraph too', () => {
    const k = LAW.indexOf('1. Người lao động được nghỉ việc riêng');
    const end = LAW.indexOf('2. Người lao động phải');
    const texts = splitSentences(LAW, k, end).map((s) => s.text);
    expect(texts).toContain('c) Cha đẻ, mẹ đẻ chết: nghỉ 03\n\f13\nngày làm việc;');
    expect(texts.some((t) => isPageMark(t))).toBe(false);
    const paras = paragraphs(LAW, k, end).map((p) => LAW.slice(p.start, p.end));
    expect(paras).toContain('c) Cha đẻ, mẹ đẻ chết: nghỉ 03\n\f13\nngày làm việc;');
  });

  it('answers from the whole khoản and does not show the page marks', async () => {
    const r = await corpus.engine.ask('Cha đẻ, mẹ đẻ chết thì người lao động được nghỉ việc riêng hưởng nguyên lương mấy ngày làm việc?');
    expect(r.refused).toBe(false);
    const c = r.citations.find((x) => x.section === 'Điều 3.1');
    expect(c?.quote).toContain('c) Cha đẻ, mẹ đẻ chết: nghỉ 03');
    expect(c?.quote).toContain('d) Trường hợp khác');
    expect(r.answer).toContain('c) Cha đẻ, mẹ đẻ chết: nghỉ 03 ngày làm việc;');
    expect(r.answer).not.toContain('- 12 -');
  });
});
