import { describe, expect, it } from 'vitest';
import { foldDiacritics, normalizeForMatch, normalizeWithMap, tokenize } from '../../src/text/normalize.ts';
import { compileGlossary, viPhrasesToEnglish } from '../../src/text/glossary.ts';

/** The original text of norm[from, to) through the offset map. */
function original(text: string, from: number, to: number): string {
  const m = normalizeWithMap(text);
  return text.slice(m.starts[from]!, m.ends[to - 1]!);
}

describe('normalizeWithMap (the one offset-keeping normaliser)', () => {
  it('lower-cases, uses new-style tones, ASCII dashes without spaces, collapses white space, drops markdown *', () => {
    const m = normalizeWithMap('  **Bộ Lao động – Thương binh**\u00a0và  Xã hội; hoá đơn, uỷ ban ');
    expect(m.norm).toBe('bộ lao động-thương binh và xã hội; hóa đơn, ủy ban');
    expect(m.starts).toHaveLength(m.norm.length);
    expect(m.ends).toHaveLength(m.norm.length);
  });

  it('maps every normalised span back to the text as written', () => {
    const text = 'Giao  Sở Lao động — Thương binh và Xã hội chủ trì';
    const m = normalizeWithMap(text);
    const key = 'sở lao động-thương binh';
    const at = m.norm.indexOf(key);
    expect(at).toBeGreaterThan(0);
    expect(original(text, at, at + key.length)).toBe('Sở Lao động — Thương binh');
  });

  it('for quotes: straightens typographic quotes, drops invisible characters, reads … as ..., keeps * and the spaces around a dash', () => {
    const text = '\u201cB\u00adộ Lao động – Thương\u200b binh\u201d, **uỷ ban**… l\u2019ordre';
    const m = normalizeWithMap(text, { quotes: true });
    expect(m.norm).toBe('"bộ lao động - thương binh", **ủy ban**... l\'ordre');
    expect(m.starts).toHaveLength(m.norm.length);
    const at = m.norm.indexOf('bộ lao động - thương binh');
    expect(text.slice(m.starts[at]!, m.ends[at + 'bộ lao động - thương binh'.length - 1]!)).toBe('B\u00adộ Lao động – Thương\u200b binh');
  });

  it('composes NFD input one cluster at a time and maps to the decomposed original', () => {
    const nfd = 'Kết quả thực hiện'.normalize('NFD');
    const m = normalizeWithMap(nfd);
    expect(m.norm).toBe('kết quả thực hiện');
    const at = m.norm.indexOf('thực');
    expect(original(nfd, at, at + 4).normalize('NFC')).toBe('thực');
  });

  it('keeps the map valid past astral characters (one entry per UTF-16 unit)', () => {
    const text = 'Ghi chú 📌 Điều 5';
    const m = normalizeWithMap(text);
    expect(m.starts).toHaveLength(m.norm.length);
    const at = m.norm.indexOf('điều 5');
    expect(original(text, at, at + 'điều 5'.length)).toBe('Điều 5');
  });

  it('agrees with normalizeForMatch where neither dashes nor markdown are involved', () => {
    const s = 'Quyết  định số 45/2019/QH14 về Hoá đơn\u00a0điện tử';
    expect(normalizeWithMap(s).norm).toBe(normalizeForMatch(s));
  });
});

describe('folding and tokens', () => {
  it('folds diacritics and đ', () => {
    expect(foldDiacritics('Đào tạo nghề đảm bảo')).toBe('Dao tao nghe dam bao');
  });
  it('tokenises on non-letters', () => {
    expect(tokenize('Điều 5, khoản 2/QH14')).toEqual(['điều', '5', normalizeForMatch('khoản'), '2', 'qh14']);
  });
});

describe('glossary phrase matching uses the same offset map', () => {
  const g = compileGlossary([{ en: ['Ministry of Labour, Invalids and Social Affairs'], vi: ['Bộ Lao động - Thương binh và Xã hội'], kind: 'agency' }]);
  it('finds a phrase whatever the dash spacing, accents or case, and returns it as written', () => {
    for (const text of ['Giao Bộ Lao động–Thương binh và Xã hội chủ trì', 'giao bo lao dong - thuong binh va xa hoi chu tri', 'Giao Bộ Lao động — Thương binh và Xã hội'.normalize('NFD')]) {
      const found = viPhrasesToEnglish(g, text);
      expect(found).toHaveLength(1);
      expect(found[0]!.en).toBe('Ministry of Labour, Invalids and Social Affairs');
      expect(text.normalize('NFC')).toContain(found[0]!.vi);
    }
  });
});
