// The refusal rule evidence.year_absent: a question about a year that none of the answering documents mentions.
import { describe, expect, it } from 'vitest';
import { refuse, yearsUnmentioned } from '../../src/answer/refusal.ts';

const law2013 = 'Luật số 38/2013/QH13 … Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2015.';
const plan = 'Phấn đấu đến năm 2025 tỷ lệ hộ nghèo còn 0%; giai đoạn 2021-2030 …';

describe('years the answering documents do not speak of', () => {
  it('a year none of the documents mentions is reported', () => {
    expect(yearsUnmentioned('Mức lương tối thiểu vùng từ năm 2024 là bao nhiêu?', [law2013])).toEqual(['2024']);
  });
  it('a year one document mentions, or one of several years, is answerable', () => {
    expect(yearsUnmentioned('Chỉ tiêu hộ nghèo đến năm 2025?', [law2013, plan])).toEqual([]);
    expect(yearsUnmentioned('What is planned for 2024-2030?', [plan])).toEqual([]);
  });
  it('the year of a document number is not a year asked about, nor is a year inside a longer number', () => {
    expect(yearsUnmentioned('Luật 38/2013/QH13 quy định gì?', [plan])).toEqual([]);
    expect(yearsUnmentioned('Từ năm 2024 thì sao?', ['mã số 120245'])).toEqual(['2024']);
  });
  it('no year, or no document, refuses nothing', () => {
    expect(yearsUnmentioned('Ai chủ trì?', [law2013])).toEqual([]);
    expect(yearsUnmentioned('Năm 2024 thì sao?', [])).toEqual([]);
  });
  it('has its message in both languages', () => {
    expect(refuse('evidence.year_absent', true, { what: '2024' }).reason).toContain('2024');
    expect(refuse('evidence.year_absent', false, { what: '2024' }).reason).toContain('năm 2024');
  });
});
