// A document's closing is one passage in reading order: a law's adoption sentence with its signer, a plan's
// distribution list with its signature block (who signed, in what capacity, when adopted, to whom sent).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adoptionOf, signatureBlock } from '../../src/doc/sections.ts';
import { chunkDocument } from '../../src/ingest/chunk.ts';
import { extractMetadata } from '../../src/ingest/metadata.ts';
import { parseOutline } from '../../src/ingest/outline.ts';

function chunked(file: string, text = readFileSync(file, 'utf8')) {
  const sections = parseOutline(text);
  const meta = extractMetadata({ id: 'doc', file, text, sections });
  return { text, sections, meta, chunks: chunkDocument(meta, text, sections) };
}

/** Whitespace collapsed, as the evaluation and a reader compare passages. */
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('closing passage', () => {
  it('a law: the adoption sentence, the capacity and the signer in one passage; the last article ends before it', () => {
    const { text, sections, meta, chunks } = chunked('tests/fixtures/laws/Luat-viec-lam-nam-2013-215628.txt');
    const closing = chunks.filter((c) => c.section === 'Phần ký');
    expect(closing).toHaveLength(1);
    const c = closing[0]!;
    expect(c.text).toBe(text.slice(c.start, c.end));
    expect(flat(c.text)).toBe(
      'Luật này đã được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XIII, kỳ họp thứ 6 thông qua ngày 16 tháng 11 năm 2013. CHỦ TỊCH QUỐC HỘI Nguyễn Sinh Hùng',
    );
    // The last article holds its own text: neither the adoption sentence nor the signer is part of it.
    const last = chunks.filter((x) => x.section.startsWith('Điều 62'));
    expect(last.length).toBeGreaterThan(0);
    for (const x of last) expect(x.text).not.toMatch(/CHỦ TỊCH QUỐC HỘI|Nguyễn Sinh Hùng|thông qua ngày/u);
    expect(flat(last.map((x) => x.text).join(' '))).toMatch(/quy định chi tiết, hướng dẫn thi hành các điều, khoản được giao trong Luật\.$/u);
    // The signer read from the block as before; the adoption date from the closing.
    expect(meta.signer).toBe('Nguyễn Sinh Hùng');
    expect(meta.signerTitle).toBe('CHỦ TỊCH QUỐC HỘI');
    expect(adoptionOf(text, sections)?.date).toBe('2013-11-16');
  });

  it('a law stored in NFD gets the same closing, with offsets into the original text', () => {
    const nfd = readFileSync('tests/fixtures/laws/Luat-nguoi-khuyet-tat-2010-108081.txt', 'utf8').normalize('NFD');
    const { text, sections, chunks } = chunked('nfd.txt', nfd);
    const c = chunks.find((x) => x.section === 'Phần ký')!;
    expect(flat(c.text.normalize('NFC'))).toMatch(/thông qua ngày 17 tháng 6 năm 2010\. CHỦ TỊCH QUỐC HỘI Nguyễn Phú Trọng$/u);
    expect(adoptionOf(text, sections)?.date).toBe('2010-06-17');
  });

  it('a decision: the distribution list down to its `Lưu` line, the KT. block and the name in one passage', () => {
    const { text, sections, meta, chunks } = chunked('corpus/qd-1240-bldtbxh-nq11.txt');
    const c = chunks.find((x) => x.section === 'Phần ký')!;
    expect(c.text).toBe(text.slice(c.start, c.end));
    expect(flat(c.text)).toMatch(/^Nơi nhận: - Như Điều 3;/u);
    expect(flat(c.text)).toContain('- Lưu: VT, KHTC. **KT. BỘ TRƯỞNG THỨ TRƯỞNG** Lê Văn Thanh');
    // The signature itself is still read from the block alone.
    const sig = sections.find((s) => s.kind === 'signature')!;
    expect(flat(text.slice(...(Object.values(signatureBlock(text, sections, sig)) as [number, number])))).toBe('**KT. BỘ TRƯỞNG THỨ TRƯỞNG** Lê Văn Thanh');
    expect([meta.signer, meta.signerTitle, meta.signerCapacity]).toEqual(['Lê Văn Thanh', 'THỨ TRƯỞNG', 'KT. Bộ trưởng']);
    // The distribution list is not a passage of its own beside the closing.
    expect(chunks.filter((x) => x.section === 'Nơi nhận')).toHaveLength(0);
  });

  it('a plan signed T/M: its list and the block; a plan with a list and no signature: the list alone', () => {
    const politburo = chunked('corpus/kh-bo-chinh-tri-nq42.txt');
    const c = politburo.chunks.find((x) => x.section === 'Phần ký')!;
    expect(flat(c.text)).toMatch(/- Lưu Văn phòng Trung ương Đảng\. T\/M BỘ CHÍNH TRỊ Trương Thị Mai$/u);
    expect(politburo.meta.signer).toBe('Trương Thị Mai');
    const province = chunked('corpus/kh-bac-ninh-sldtbxh-nq42.txt');
    const list = province.chunks.filter((x) => x.section === 'Nơi nhận');
    expect(list).toHaveLength(1);
    expect(flat(list[0]!.text)).toMatch(/^Nơi nhận: - UBND tỉnh \(b\/c\).*- Lưu VT; VP\.$/u);
  });

  it('a law whose closing is a name and `(Đã ký)` after its last article: the signer is read', () => {
    const text = ['LUẬT', 'QUY ĐỊNH QUYỀN THỬ NGHIỆM', 'Điều 1.', 'Quyền thử nghiệm được bảo đảm.', 'Điều 2.', 'Việc thử nghiệm phải xin phép.', 'Điều 3.', 'Chính phủ quy định những chi tiết thi hành luật này.', 'Hồ Chí Minh', '(Đã ký)'].join('\n');
    const { meta, chunks } = chunked('old-law.txt', text);
    expect(chunks.find((x) => x.section === 'Phần ký')?.text).toBe('Hồ Chí Minh\n(Đã ký)');
    expect(chunks.find((x) => x.section === 'Điều 3')?.text).toBe('Điều 3.\nChính phủ quy định những chi tiết thi hành luật này.');
    expect(meta.signer).toBe('Hồ Chí Minh');
  });
});
