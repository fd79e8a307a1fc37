// Corpus counts behind answers: a phrase is counted where it stands as whole words (folded text).
import { describe, expect, it } from 'vitest';
import { holdsWords } from '../../src/answer/support.ts';

describe('holdsWords', () => {
  it('finds a folded phrase standing as whole words', () => {
    expect(holdsWords('so y te ha noi', 'y te')).toBe(true);
    expect(holdsWords('y te', 'y te')).toBe(true);
    expect(holdsWords('(bao hiem xa hoi).', 'bao hiem xa hoi')).toBe(true);
    expect(holdsWords('luat 45/2019/qh14 ve lao dong', '45/2019/qh14')).toBe(true);
  });

  it('does not count a phrase glued to a letter or digit at either end', () => {
    expect(holdsWords('quy tet', 'y te')).toBe(false);
    expect(holdsWords('bao hiem xa hoii', 'bao hiem xa hoi')).toBe(false);
    expect(holdsWords('1lao dong', 'lao dong')).toBe(false);
  });

  it('looks past a glued occurrence to a later whole one', () => {
    expect(holdsWords('quy tet va y te', 'y te')).toBe(true);
  });

  it('needs no boundary where the phrase itself ends in punctuation', () => {
    expect(holdsWords('xa(bhxh)', '(bhxh)')).toBe(true);
  });
});
