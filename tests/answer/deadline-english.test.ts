// English framing of register deadlines: exact where the record is structured, as written otherwise.
import { describe, expect, it } from 'vitest';
import { deadlineEnglish } from '../../src/answer/extractive.ts';

describe('deadlineEnglish', () => {
  it('renders the structured kinds', () => {
    expect(deadlineEnglish({ raw: 'định kỳ hàng năm … trước ngày 15 tháng 12', type: 'annual', month: 12, day: 15 })).toBe('before 15 December each year');
    expect(deadlineEnglish({ raw: 'định kỳ hàng năm', type: 'annual' })).toBe('annually');
    expect(deadlineEnglish({ raw: 'trước ngày 15 tháng 6 năm 2024', type: 'date', start: '2024-06-15', end: '2024-06-15' })).toBe('by 15 June 2024');
    expect(deadlineEnglish({ raw: 'hoàn thành trong quý I/2024', type: 'quarter', start: '2024-01-01', end: '2024-03-31' })).toBe('in Q1 2024');
    expect(deadlineEnglish({ raw: 'Năm 2024 - 2025', type: 'range', start: '2024-01-01', end: '2025-12-31' })).toBe('2024–2025');
    expect(deadlineEnglish({ raw: 'thường xuyên', type: 'ongoing' })).toBe('ongoing (regularly)');
  });
  it('does not guess a period stated in words', () => {
    expect(deadlineEnglish({ raw: 'đầu tháng 12/2023', type: 'period' })).toBeNull();
  });
});
