// One sentence splitter (two break rules over one boundary scanner), offsets into the original text.
import { describe, expect, it } from 'vitest';
import { splitAtFullStops, splitSentences } from '../../src/text/sentences.ts';

describe('sentences', () => {
  const text = 'Mở đầu. Bộ Tài chính chủ trì, phối hợp với các bộ; Bộ Nội vụ theo dõi việc thực hiện.\nb) Các tỉnh báo cáo v.v. Hằng năm gửi Bộ trước ngày 15/12.';
  it('splits at line breaks and at stops before a capital; offsets give the text back', () => {
    const s = splitSentences(text, 0, text.length);
    for (const x of s) expect(text.slice(x.start, x.end)).toBe(x.text);
    // `;` before a capital breaks; a piece ending in a stop stands alone however short.
    expect(s.map((x) => x.text)).toEqual([
      'Mở đầu.',
      'Bộ Tài chính chủ trì, phối hợp với các bộ;',
      'Bộ Nội vụ theo dõi việc thực hiện.',
      'b) Các tỉnh báo cáo v.v.',
      'Hằng năm gửi Bộ trước ngày 15/12.',
    ]);
    // A heading too short to stand alone joins the sentence after it.
    const h = 'a) Về y tế\nCác cơ sở khám bệnh báo cáo hằng quý.';
    expect(splitSentences(h, 0, h.length).map((x) => x.text)).toEqual([h]);
  });
  it('full stops only: a `;` list stays whole and `v.v.` is no break', () => {
    const line = text.slice(text.indexOf('b)'));
    const at = text.indexOf('b)');
    expect(splitAtFullStops(text, at, text.length).map((x) => text.slice(x.start, x.end))).toEqual([line]);
    expect(splitAtFullStops(text, 0, text.indexOf('\n')).map((x) => text.slice(x.start, x.end))).toEqual([
      'Mở đầu.',
      'Bộ Tài chính chủ trì, phối hợp với các bộ; Bộ Nội vụ theo dõi việc thực hiện.',
    ]);
  });
});
