// Stop words come from data/stopwords.json (a validated cue file with its header).
import { describe, expect, it } from 'vitest';
import { dataFile, loadCues } from '../../src/text/cues.ts';
import { STOP_EXACT, STOP_FOLDED } from '../../src/text/stopwords.ts';

describe('stop words', () => {
  it('are the data file’s Vietnamese and English lists, with folded Vietnamese forms', () => {
    const lists = loadCues(dataFile('stopwords.json'));
    expect(STOP_EXACT.size).toBe(new Set([...lists.vi!, ...lists.en!]).size);
    expect(STOP_EXACT.has('của') && STOP_EXACT.has('which')).toBe(true);
    expect(STOP_FOLDED.has('cua') && STOP_FOLDED.has('nhieu')).toBe(true);
    expect(STOP_EXACT.has('báo')).toBe(false);
  });
});
