// Retrieval signals: number families and collision sets for ambiguity notes, question coverage for confidence.
import { describe, expect, it } from 'vitest';
import { collisionSet, coverage, foldedTerms, numberFamily, questionTerms } from '../../src/retrieve/signals.ts';
import { findDocRefs } from '../../src/retrieve/query.ts';
import { STOP_FOLDED } from '../../src/text/stopwords.ts';

describe('number families and collisions', () => {
  it('tells Party, law and other state numbers apart by their shape', () => {
    expect(numberFamily('42-NQ/TW')).toBe('party');
    expect(numberFamily('42-KL/TU')).toBe('party');
    expect(numberFamily('568-CTr/BCSD')).toBe('party');
    expect(numberFamily('45/2019/QH14')).toBe('law');
    expect(numberFamily('68/NQ-CP')).toBe('state');
    expect(numberFamily('1240/QĐ-LĐTBXH')).toBe('state');
  });

  it('a collision set keeps the same family only, once per number', () => {
    expect(collisionSet('42-NQ/TW', ['42-KL/TU', '42/2019/QH14', '42/2005/QH11', '42-kl/tu', '42-NQ/TW'])).toEqual(['42-KL/TU']);
    expect(collisionSet('45/2019/QH14', ['45/2019/QH14', '45/2005/QH11', '45-NQ/TW'])).toEqual(['45/2005/QH11']);
  });

  it('"Nghị quyết 42" among laws numbered 42: the note may name the Party conclusion, never the laws', () => {
    const numbers = ['42-NQ/TW', '42-KL/TU', '42/2019/QH14', '42/2005/QH11', '42/2024/QH15', '68/NQ-CP'];
    const [ref] = findDocRefs('Ai báo cáo kết quả thực hiện Nghị quyết 42?', [], numbers, () => []);
    expect(ref!.chosen).toBe('42-NQ/TW');
    expect(ref!.candidates).toEqual(['42-NQ/TW', '42-KL/TU']);
    expect(ref!.ambiguous).toBe(true);
    const [only] = findDocRefs('Nghị quyết 42 giao ai báo cáo?', [], ['42-NQ/TW', '42/2019/QH14', '42/2005/QH11'], () => []);
    expect(only!.ambiguous).toBe(false);
  });
});

describe('coverage', () => {
  const df: Record<string, number> = { bao: 50, hiem: 50, bao_hiem: 40, that: 10, nghiep: 30, that_nghiep: 8 };
  const idf = (t: string) => Math.log(1 + (1000 - (df[t] ?? 0) + 0.5) / ((df[t] ?? 0) + 0.5));

  it('is the share of the question’s idf weight one passage holds, rare and missing terms weighing most', () => {
    const q = questionTerms('Mức hưởng bảo hiểm thất nghiệp là bao nhiêu?', idf, STOP_FOLDED);
    const full = coverage(q, foldedTerms('Mức hưởng bảo hiểm thất nghiệp là bao nhiêu: bằng 60% mức bình quân'));
    const partial = coverage(q, foldedTerms('Đóng bảo hiểm y tế cho người lao động'));
    expect(full).toBeGreaterThan(0.9);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(0.4);
    // Folded on both sides: a question typed without diacritics covers the same passage as well.
    expect(coverage(questionTerms('muc huong bao hiem that nghiep la bao nhieu', idf, STOP_FOLDED), foldedTerms('Mức hưởng bảo hiểm thất nghiệp là bao nhiêu'))).toBeGreaterThan(0.9);
    expect(coverage(questionTerms('', idf, STOP_FOLDED), foldedTerms('x'))).toBe(0);
  });
});
