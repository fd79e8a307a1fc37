// English questions about the content of a law: the lexicon's Vietnamese terms for their content words rank the
// article that answers first among four laws (before it, the law was found but its articles ranked near random).
import { describe, expect, it } from 'vitest';
import { indexedCorpus } from '../helpers/indexed-corpus.ts';

const corpus = indexedCorpus('english-content', {
  laws: ['Bo-Luat-lao-dong-2019-333670.txt', 'Luat-Bao-hiem-xa-hoi-2014-259700.txt', 'Luat-nguoi-khuyet-tat-2010-108081.txt', 'Luat-viec-lam-nam-2013-215628.txt'],
});

describe('English content questions over several laws', () => {
  it.each([
    // Điều 52. Thông báo về việc tìm kiếm việc làm
    ['Under the Employment Law, how often must a person receiving unemployment benefits notify the employment service centre of their job search?', 'Điều 52'],
    // Điều 46. Hưởng trợ cấp thất nghiệp (the dossier is filed within 3 months)
    ['Under the Employment Law, when must a person file an application for unemployment benefits?', 'Điều 46'],
  ])('%s → %s first', async (question, article) => {
    const hits = await corpus.engine.searchPassages(question, 5);
    expect(hits[0]?.docNumber).toBe('38/2013/QH13');
    expect(hits[0]?.section.split('.')[0]).toBe(article);
  });
});
