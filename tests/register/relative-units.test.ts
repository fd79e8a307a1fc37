// Bare unit words resolve against each document's own issuer, for any ministry or province (not only the corpus's).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOutline } from '../../src/ingest/outline.ts';
import { englishName, extractObligations, findUnit, gazetteer, isStateBodyName } from '../../src/register/index.ts';

function leads(text: string): string[][] {
  return extractObligations({ docId: 'x', docNumber: null, text, sections: parseOutline(text) }).map((o) => o.lead);
}

describe('issuer-relative units', () => {
  it('a ministry plan: Văn phòng and các đơn vị are that ministry\'s own', () => {
    const text = ['BỘ Y TẾ', 'Số: 12/KH-BYT', 'Hà Nội, ngày 02 tháng 3 năm 2024', 'KẾ HOẠCH', 'Triển khai chương trình tiêm chủng',
      'I. TỔ CHỨC THỰC HIỆN', '1. Văn phòng chủ trì, tổng hợp báo cáo Bộ trưởng trước ngày 15 tháng 12 hằng năm.',
      '2. Các đơn vị chủ động xây dựng kế hoạch thực hiện.'].join('\n');
    const l = leads(text);
    expect(l).toContainEqual(['Văn phòng Bộ Y tế']);
    expect(l).toContainEqual(['Các đơn vị thuộc Bộ Y tế']);
  });

  it('a provincial department plan: Sở and Văn phòng Sở are that province\'s department, with English names', () => {
    const text = ['UBND TỈNH NGHỆ AN', 'SỞ Y TẾ', 'Số: 45/KH-SYT', 'Nghệ An, ngày 02 tháng 3 năm 2024', 'KẾ HOẠCH', 'Phòng chống dịch',
      'I. TỔ CHỨC THỰC HIỆN', '1. Giao Văn phòng Sở chủ trì, báo cáo Ủy ban nhân dân tỉnh trước ngày 10 tháng 11 hằng năm.'].join('\n');
    const l = leads(text);
    expect(l).toContainEqual(['Văn phòng Sở Y tế tỉnh Nghệ An']);
    expect(englishName('Văn phòng Sở Y tế tỉnh Nghệ An')).toBe('Office of the Nghe An Department of Health');
    const o = extractObligations({ docId: 'x', docNumber: null, text, sections: parseOutline(text) })[0]!;
    expect(o.recipient).toBe('Ủy ban nhân dân tỉnh Nghệ An');
  });

  it('knows the 63 provinces before and the 34 after the 2025 merger, and every ministry', () => {
    const raw = JSON.parse(readFileSync('data/provinces.json', 'utf8')) as { before2025: unknown[]; after2025: Array<{ formedFrom: string[] }> };
    expect(raw.before2025).toHaveLength(63);
    expect(raw.after2025).toHaveLength(34);
    expect(raw.after2025.flatMap((p) => p.formedFrom)).toHaveLength(63);
    expect(gazetteer().provinces.map((p) => p.vi)).toEqual(expect.arrayContaining(['Huế', 'Thừa Thiên Huế', 'Bắc Ninh']));
    for (const m of ['Bộ Y tế', 'Bộ Tài chính', 'Bộ Giáo dục và Đào tạo', 'Ngân hàng Nhà nước Việt Nam', 'Bảo hiểm xã hội Việt Nam', 'Ban Tổ chức Trung ương']) expect(findUnit(m), m).not.toBeNull();
    expect(findUnit('Ủy ban nhân dân tỉnh Cà Mau')?.en).toBe("Ca Mau Provincial People's Committee");
  });

  it('text outside the gazetteer is a unit only if it reads as a body name', () => {
    expect(isStateBodyName('Ủy ban nhân dân cấp tỉnh')).toBe(true);
    expect(isStateBodyName('Các trường hợp tạm hoãn')).toBe(false);
    expect(isStateBodyName('quy định chi tiết Điều này.')).toBe(false);
    expect(isStateBodyName('Bộ luật Lao động')).toBe(false);
  });
});
