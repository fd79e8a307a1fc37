// Task kinds exist once: cue words and display names in data/task-kinds.json, the kind list in doc/types.ts.
import { describe, expect, it } from 'vitest';
import { OBLIGATION_KINDS } from '../../src/doc/types.ts';
import { hasKindCue, kindLabel, kindLabels, kindsInQuestion } from '../../src/register/index.ts';

describe('task kinds', () => {
  it('every kind a record can have has a Vietnamese and an English name from the data file', () => {
    expect(kindLabels().map((l) => l.kind).sort()).toEqual([...OBLIGATION_KINDS].sort());
    for (const k of OBLIGATION_KINDS) {
      expect(kindLabel(k, 'vi')).not.toBe(k);
      expect(kindLabel(k, 'en')).toMatch(/^[A-Z]/);
    }
    expect(kindLabel('report', 'vi')).toBe('Báo cáo');
    expect(kindLabel('not-a-kind', 'en')).toBe('not-a-kind');
  });
  it('the same cue words classify document text and questions (toneless and English too)', () => {
    expect(hasKindCue('report', 'định kỳ hằng năm báo cáo Chính phủ')).toBe(true);
    expect(kindsInQuestion('don vi nao bao cao ket qua?')).toContain('report');
    expect(kindsInQuestion('Which unit monitors the plan?')).toContain('monitor');
  });
});
