// Honest scope for articles: a question naming an article its named law does not have is refused by the
// `scope.section_absent` rule; an article the law has is answered. Laws from tests/fixtures/laws (not gold).
import { describe, expect, it } from 'vitest';
import { articlesAbsent } from '../../src/answer/refusal.ts';
import { indexedCorpus } from '../helpers/indexed-corpus.ts';

const LAW = 'Luat-viec-lam-nam-2013-215628.txt';
const corpus = indexedCorpus('article', { laws: [LAW] });

describe('scope.section_absent', () => {
  it('finds articles missing from every named document, at article level', () => {
    expect(articlesAbsent(['Điều 230'], [['Điều 1', 'Điều 220', 'Điều 220.1']])).toEqual(['Điều 230']);
    expect(articlesAbsent(['Điều 20.2.a'], [['Chương 2/Mục 1', 'Điều 20', 'Điều 20.1']])).toEqual([]);
    expect(articlesAbsent(['Điều 9'], [['Chương 1/Điều 9']])).toEqual([]);
    expect(articlesAbsent(['Phụ lục II', 'IV'], [['Điều 1']])).toEqual([]);
    // No document named: the rule does not apply.
    expect(articlesAbsent(['Điều 999'], [])).toEqual([]);
  });

  it('refuses an article the named law does not have, in both languages', async () => {
    const vi = await corpus.engine.ask('Điều 75 Luật Việc làm 38/2013/QH13 quy định gì?');
    expect(vi.refused).toBe(true);
    expect(vi.refusal?.rule).toBe('scope.section_absent');
    const en = await corpus.engine.ask('What does Article 75 of the Employment Law No. 38/2013/QH13 say?');
    expect(en.refused).toBe(true);
    expect(en.refusal?.rule).toBe('scope.section_absent');
    expect(en.answer.split('\n')[0]).toMatch(/Article 75/);
  });

  it('does not apply to an article the law has', async () => {
    const r = await corpus.engine.ask('Theo Điều 10 Luật Việc làm 38/2013/QH13, Nhà nước thực hiện chính sách tín dụng ưu đãi từ quỹ nào?');
    expect(r.refusal?.rule).not.toBe('scope.section_absent');
    expect(r.citations.some((c) => c.section === 'Điều 10' || c.section.startsWith('Điều 10.'))).toBe(true);
  });
});

describe('effective date from the registry', () => {
  it('answers when a law takes effect from the sentence that states it, in both languages', async () => {
    const vi = await corpus.engine.ask('Luật Việc làm 2013 có hiệu lực từ ngày nào?');
    expect(vi.refused).toBe(false);
    expect(vi.answer.split('\n')[0]).toMatch(/01\/01\/2015|01 tháng 01 năm 2015/);
    expect(vi.citations.some((c) => /có hiệu lực/.test(c.quote))).toBe(true);
    const en = await corpus.engine.ask('When does the Employment Law 38/2013/QH13 come into force?');
    expect(en.answer.split('\n')[0]).toMatch(/takes effect on 1 January 2015/);
  });
});
