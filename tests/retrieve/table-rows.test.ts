// List questions over an appendix table (issue 12): the rows asked for come back as one passage over the row range,
// verbatim and in row order, and the answer lists every matching row with its count; a question about one row keeps
// its one-row passage and citation. Real files: corpus/qd-1240-bldtbxh-nq11.txt (Phụ lục II, nine rows, a header
// row repeated at a page break) beside another plan, and a small plan whose appendix table has another shape.
// None of these questions is in the public gold set or the blind development set.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/doc/types.ts';
import { chunkDocument } from '../../src/ingest/chunk.ts';
import { extractMetadata } from '../../src/ingest/metadata.ts';
import { parseOutline } from '../../src/ingest/outline.ts';
import { mergeRowRuns, rowRangeChunk, tablesOf, type RankedChunk, type Table } from '../../src/retrieve/rows.ts';
import { normalizeForMatch } from '../../src/text/normalize.ts';
import { indexedCorpus } from '../helpers/indexed-corpus.ts';

const QD_1240 = 'qd-1240-bldtbxh-nq11.txt';
const qdText = readFileSync(`corpus/${QD_1240}`, 'utf8');
const norm = (s: string) => normalizeForMatch(s).replace(/\s+/g, ' ');

/** A provincial plan whose appendix table numbers rows `TT` and names its columns otherwise. */
const PROVINCE_PLAN = `ỦY BAN NHÂN DÂN
TỈNH HÀ NAM
Số: 12/KH-UBND

KẾ HOẠCH
Thực hiện chính sách hỗ trợ người cao tuổi năm 2025

I. MỤC ĐÍCH, YÊU CẦU
1. Bảo đảm người cao tuổi được chăm sóc sức khỏe ban đầu tại cộng đồng.

II. TỔ CHỨC THỰC HIỆN
Các sở, ngành thực hiện các nhiệm vụ tại Phụ lục kèm theo Kế hoạch này.

Phụ lục I
DANH MỤC NHIỆM VỤ

TT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành
1\tRà soát danh sách người cao tuổi được hưởng trợ cấp xã hội\tSở Lao động - Thương binh và Xã hội\tỦy ban nhân dân cấp huyện\tQuý I năm 2025
2\tTổ chức khám sức khỏe định kỳ cho người cao tuổi\tSở Y tế\tỦy ban nhân dân cấp huyện\tNăm 2025
3\tCấp thẻ bảo hiểm y tế cho người cao tuổi chưa có thẻ\tSở Y tế\tBảo hiểm xã hội tỉnh\tNăm 2025
4\tBố trí kinh phí thực hiện chính sách\tSở Tài chính\tCác sở, ngành liên quan\tNăm 2025
5\tTập huấn kỹ năng chăm sóc người cao tuổi cho nhân viên y tế thôn, bản và cộng tác viên dân số tại các xã vùng khó khăn\tSở Y tế\tHội Người cao tuổi tỉnh\tNăm 2026
6\tXây dựng câu lạc bộ liên thế hệ tự giúp nhau tại các xã, phường, thị trấn trên địa bàn tỉnh\tSở Lao động - Thương binh và Xã hội\tHội Người cao tuổi tỉnh\tNăm 2025
7\tTuyên truyền về quyền và nghĩa vụ của người cao tuổi trên các phương tiện thông tin đại chúng của tỉnh\tSở Thông tin và Truyền thông\tĐài Phát thanh và Truyền hình tỉnh\tHằng năm
8\tKiểm tra, giám sát việc thực hiện chính sách đối với người cao tuổi tại các huyện, thành phố\tSở Lao động - Thương binh và Xã hội\tCác sở, ngành liên quan\tQuý IV năm 2025
9\tHướng dẫn các cơ sở chăm sóc người cao tuổi ngoài công lập về điều kiện hoạt động, tiêu chuẩn nhân viên và quy trình chăm sóc\tSở Lao động - Thương binh và Xã hội\tSở Y tế\tQuý II năm 2025
10\tSơ kết, đánh giá kết quả thực hiện Kế hoạch và báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 năm 2025\tSở Lao động - Thương binh và Xã hội\tCác sở, ngành liên quan\tTháng 12 năm 2025
`;

describe('rows of one table merge into one passage over the row range', () => {
  const sections = parseOutline(qdText);
  const chunks = chunkDocument(extractMetadata({ id: 'qd-1240', file: QD_1240, text: qdText, sections }), qdText, sections);
  const tables = tablesOf(chunks);
  const appendix2 = tables.find((t) => t.prefix === 'Phụ lục II')!;
  const locate = (c: Chunk) => {
    for (const t of tables) {
      const i = t.rows.findIndex((r) => r.section === c.section);
      if (i >= 0) return { table: t, index: i };
    }
    return null;
  };
  const build = (t: Table, lo: number, hi: number) => rowRangeChunk(t, lo, hi, qdText);
  const hit = (section: string, score: number): RankedChunk => ({ chunk: chunks.find((c) => c.section === section)!, score });

  it('the tables chunked row by row are found, rows in document order (Phụ lục I is small: one chunk)', () => {
    expect(tables.map((t) => `${t.prefix}/${t.word}`)).toEqual(['Phụ lục II/STT']);
    expect(appendix2.rows.map((r) => r.num)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('consecutive row hits become one passage, verbatim from the first row to the last, labelled like a row', () => {
    const ranked = [hit('Phụ lục II/STT 6', 3), hit('IV.2', 2.5), hit('Phụ lục II/STT 8', 2), hit('Phụ lục II/STT 7', 1)];
    const merged = mergeRowRuns(ranked, 10, locate, build);
    expect(merged.map((m) => m.chunk.section)).toEqual(['Phụ lục II/STT 6-8', 'IV.2']);
    const range = merged[0]!.chunk;
    expect(range.text).toBe(qdText.slice(range.start, range.end));
    // Rows 6 and 7 stand on either side of the header row repeated at a page break: it stays in, as written.
    expect(range.text).toContain('Năm 2023\tThủ tướng Chính phủ\n\nSTT\tNhiệm vụ');
    // A quote across the boundary of rows 7 and 8 is in the passage (no single row holds it).
    const across = 'chất lượng cao Tổng cục Giáo dục nghề nghiệp Các Vụ, đơn vị thuộc Bộ và các cơ quan có liên quan Năm 2023 Thủ tướng Chính phủ 8 Đề án chăm sóc';
    expect(norm(range.text)).toContain(norm(across));
    expect(chunks.some((c) => norm(c.text).includes(norm(across)))).toBe(false);
    expect(merged[0]!.parts?.map((c) => c.section)).toEqual(['Phụ lục II/STT 6', 'Phụ lục II/STT 7', 'Phụ lục II/STT 8']);
  });

  it('rows apart stay apart, a row alone keeps its own chunk, and rows asked for merge only with each other', () => {
    const apart = mergeRowRuns([hit('Phụ lục II/STT 2', 3), hit('Phụ lục II/STT 5', 2)], 10, locate, build);
    expect(apart.map((m) => m.chunk.section)).toEqual(['Phụ lục II/STT 2', 'Phụ lục II/STT 5']);
    expect(apart[0]!.chunk).toBe(hit('Phụ lục II/STT 2', 0).chunk);
    const asked = mergeRowRuns([{ ...hit('Phụ lục II/STT 8', 3), asked: true }, { ...hit('Phụ lục II/STT 9', 3), asked: true }, hit('Phụ lục II/STT 7', 2)], 10, locate, build);
    expect(asked.map((m) => m.chunk.section)).toEqual(['Phụ lục II/STT 8-9', 'Phụ lục II/STT 7']);
  });

  it('a row between two runs joins them into one, and merging frees places for other passages', () => {
    const ranked = [hit('Phụ lục II/STT 2', 5), hit('Phụ lục II/STT 4', 4), hit('Phụ lục II/STT 3', 3), hit('IV.2', 2), hit('IV.3', 1)];
    expect(mergeRowRuns(ranked, 2, locate, build).map((m) => m.chunk.section)).toEqual(['Phụ lục II/STT 2-4', 'IV.2']);
  });
});

describe('list questions over an appendix table, through the engine', () => {
  const corpus = indexedCorpus('table-rows', {
    texts: { [QD_1240]: qdText, 'kh-bo-chinh-tri-nq42.txt': readFileSync('corpus/kh-bo-chinh-tri-nq42.txt', 'utf8'), 'kh-ha-nam-nguoi-cao-tuoi.txt': PROVINCE_PLAN },
  });

  it('a unit filter: the rows it leads come first as one passage, and the answer lists all of them with their count', async () => {
    const r = await corpus.engine.ask('Liệt kê các nhiệm vụ trong Phụ lục II của Quyết định 1240 mà Cục Trẻ em chủ trì');
    expect(r.passages[0]).toMatchObject({ section: 'Phụ lục II/STT 8-9' });
    expect(r.passages[0]!.text).toMatch(/^8\tĐề án chăm sóc[^]*\n9\tĐề án hỗ trợ trẻ em khuyết tật[^]*Thủ tướng Chính phủ$/u);
    const first = r.answer.split('\n')[0]!;
    expect(first).toContain('Phụ lục II của 1240/QĐ-LĐTBXH có 2 mục do Cục Trẻ em chủ trì');
    expect(first).toContain('Đề án chăm sóc vì sự phát triển toàn diện trẻ em');
    expect(first).toContain('Đề án hỗ trợ trẻ em khuyết tật');
    expect(first).toContain('(Năm 2026)');
    expect(r.citations.map((c) => c.section)).toEqual(['Phụ lục II/STT 8', 'Phụ lục II/STT 9']);
    for (const c of r.citations) expect(norm(corpus.engine.section(c.docId, c.section)!.text)).toContain(norm(c.quote));
  });

  it('an English question on the level rows go to: every such row, each with its lead unit and deadline, the passages in row order', async () => {
    const r = await corpus.engine.ask('Which items of Appendix II of Decision 1240 are submitted to the Prime Minister?');
    const first = r.answer.split('\n')[0]!;
    expect(first).toMatch(/^Appendix II of Decision 1240\/QĐ-LĐTBXH lists 7 items submitted to Prime Minister/);
    expect(r.citations.map((c) => c.section)).toEqual([3, 4, 5, 6, 7, 8, 9].map((n) => `Phụ lục II/STT ${n}`));
    // Each lead unit once, before its rows.
    expect(r.answer).toMatch(/Led by Directorate of Vocational Education and Training[^]*\(5\)[^]*Led by Department of Children[^]*\(2\)/u);
    expect(r.answer).toContain('in 2026 (Năm 2026)');
    expect(r.answer).not.toContain('more:');
    expect(r.passages[0]).toMatchObject({ section: 'Phụ lục II/STT 3-9' });
  });

  it('a table of another shape (TT rows, a provincial plan): only the rows the unit leads, consecutive ones in one passage', async () => {
    const r = await corpus.engine.search('Những nhiệm vụ nào trong Phụ lục I của kế hoạch tỉnh Hà Nam do Sở Y tế chủ trì?');
    expect(r.slice(0, 2).map((p) => p.section)).toEqual(['Phụ lục I/TT 2-3', 'Phụ lục I/TT 5']);
    const a = await corpus.engine.ask('Những nhiệm vụ nào trong Phụ lục I của kế hoạch tỉnh Hà Nam do Sở Y tế chủ trì?');
    expect(a.answer.split('\n')[0]).toContain('có 3 mục do Sở Y tế');
    expect(a.citations.map((c) => c.section)).toEqual(['Phụ lục I/TT 2', 'Phụ lục I/TT 3', 'Phụ lục I/TT 5']);
  });

  it('a question about one row keeps its one-row passage and citation', async () => {
    for (const [question, row] of [
      ['Cơ quan nào chủ trì xây dựng Luật Việc làm (sửa đổi)?', 'Phụ lục II/STT 1'],
      ['Đề án Nâng tầm kỹ năng lao động Việt Nam được trình trong năm nào?', 'Phụ lục II/STT 4'],
    ] as const) {
      const r = await corpus.engine.ask(question);
      expect(r.citations[0]?.section, question).toBe(row);
      expect(r.passages[0]?.section, question).toBe(row);
      expect(r.passages.every((p) => !/\/(?:STT|TT) \d+-\d+$/u.test(p.section)), question).toBe(true);
    }
  });

  it('a question for the whole table, in its own words (Vietnamese or English): every row, counted, as one passage', async () => {
    for (const [question, opening] of [
      ['Phụ lục II của Quyết định 1240 gồm những chương trình, đề án nào?', 'Phụ lục II của 1240/QĐ-LĐTBXH có 9 mục.'],
      ['Which programmes and schemes does Appendix II of Decision 1240 list?', 'Appendix II of Decision 1240/QĐ-LĐTBXH lists 9 items.'],
    ] as const) {
      const r = await corpus.engine.ask(question);
      expect(r.answer.split('\n')[0], question).toContain(opening);
      expect(r.passages[0]?.section, question).toBe('Phụ lục II/STT 1-9');
    }
  });

  it('a word of its own (children) narrows the list to the rows ranking finds, not the whole table', async () => {
    for (const question of ['Phụ lục II Quyết định 1240 có những đề án nào về trẻ em?', 'Which schemes about children does Appendix II of Decision 1240 list?']) {
      const r = await corpus.engine.ask(question);
      expect(r.answer, question).not.toMatch(/có 9 mục|lists 9 items/u);
      expect(r.citations.slice(0, 2).map((c) => c.section).sort(), question).toEqual(['Phụ lục II/STT 8', 'Phụ lục II/STT 9']);
    }
  });
});
