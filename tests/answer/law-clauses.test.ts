// Answers from law clauses: the quote is the clause the question asks about, shown whole (the khoản with its
// điểm list), never a heading line; a period, rate, amount or age the sections do not state is refused.
// Laws from tests/fixtures/laws; none of these questions is in the gold or development sets.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clauseSpan, headingPath, withoutHeading } from '../../src/answer/clauses.ts';
import { askedQuantities, countedNouns, statesCount, statesMoney, statesQuantity } from '../../src/answer/quantities.ts';
import { sectionAt } from '../../src/doc/sections.ts';
import type { StoredDoc } from '../../src/store/ports.ts';
import { indexedCorpus } from '../helpers/indexed-corpus.ts';

const LAWS = ['Bo-Luat-lao-dong-2019-333670.txt', 'Luat-nguoi-khuyet-tat-2010-108081.txt'];
const corpus = indexedCorpus('clauses', { laws: LAWS });
let code: StoredDoc;
beforeAll(() => {
  code = corpus.engine.index.documents.get('Bo-Luat-lao-dong-2019-333670')!;
});

/** The sentence of the Labour Code that starts with `text` (as the answerer sees it). */
function sentenceOf(text: string) {
  const start = code.text.indexOf(text);
  const lineEnd = code.text.indexOf('\n', start);
  const end = lineEnd < 0 ? code.text.length : lineEnd;
  return { start, end, text: code.text.slice(start, end) };
}

describe('law clauses as answer units', () => {
  it('reads an article title and a khoản lead-in as headings, not statements', () => {
    expect(withoutHeading(code, sentenceOf('Điều 115. Nghỉ việc riêng'))).toBeNull();
    expect(withoutHeading(code, { ...sentenceOf('Điều 115.'), end: sentenceOf('Điều 115.').start + 'Điều 115.'.length, text: 'Điều 115.' })).toBeNull();
    const point = sentenceOf('a) Kết hôn: nghỉ 03 ngày;');
    expect(withoutHeading(code, point)).toEqual(point);
    const path = headingPath(code, point, sectionAt(code.sections, point.start, point.end));
    expect(path).toContain('Điều 115. Nghỉ việc riêng, nghỉ không hưởng lương');
    expect(path).toContain('Người lao động được nghỉ việc riêng mà vẫn hưởng nguyên lương');
    // The Chương and Mục the article sits in are part of its heading path.
    expect(path).toMatch(/Chương VII .*THỜI GIỜ NGHỈ NGƠI/);
  });

  it('quotes a short khoản whole, with its điểm list and without its label', () => {
    const point = sentenceOf('a) Kết hôn: nghỉ 03 ngày;');
    const span = clauseSpan(code, point, sectionAt(code.sections, point.start, point.end))!;
    const quote = code.text.slice(span.start, span.end);
    expect(quote.startsWith('Người lao động được nghỉ việc riêng mà vẫn hưởng nguyên lương')).toBe(true);
    expect(quote).toContain('a) Kết hôn: nghỉ 03 ngày;');
    expect(quote).toContain('c) Cha đẻ, mẹ đẻ');
    expect(quote).not.toContain('2. Người lao động được nghỉ không hưởng lương');
  });

  it('answers with the clause that states what is asked, quoted whole', async () => {
    const r = await corpus.engine.ask('Người lao động kết hôn được nghỉ việc riêng hưởng nguyên lương mấy ngày?');
    expect(r.refused).toBe(false);
    const c = r.citations.find((x) => x.section === 'Điều 115.1');
    expect(c?.quote).toContain('a) Kết hôn: nghỉ 03 ngày;');
    expect(c?.label).toBe('khoản 1 Điều 115 Bộ luật Lao động số 45/2019/QH14');
    const annual = await corpus.engine.ask('Người làm công việc nặng nhọc, độc hại được nghỉ hằng năm bao nhiêu ngày làm việc?');
    expect(annual.citations[0]?.section).toBe('Điều 113.1');
    expect(annual.citations[0]?.quote).toContain('b) 14 ngày làm việc đối với người lao động chưa thành niên');
  });

  it('never quotes a heading line: an article without khoản is quoted by its body', async () => {
    const r = await corpus.engine.ask('Giờ làm việc ban đêm được tính từ mấy giờ?');
    expect(r.citations[0]?.section).toBe('Điều 106');
    expect(r.citations[0]?.quote).toBe('Giờ làm việc ban đêm được tính từ 22 giờ đến 06 giờ sáng ngày hôm sau.');
    for (const c of r.citations) expect(c.quote).not.toMatch(/^Điều \d+\.?$|^\d+\.$/);
  });
});

describe('the kind of quantity asked', () => {
  it('reads the kind a question asks for, in Vietnamese (with or without diacritics) and English', () => {
    expect(askedQuantities('Thời hạn báo trước là bao nhiêu ngày?')).toEqual(['period']);
    expect(askedQuantities('thoi han bao truoc la bao nhieu ngay')).toEqual(['period']);
    expect(askedQuantities('Within how many working days must the wages be paid?')).toEqual(['period']);
    expect(askedQuantities('At what rate is night work paid, what percentage of the wage?')).toEqual(['rate']);
    expect(askedQuantities('What is the maximum amount of the allowance?')).toEqual(['money']);
    expect(askedQuantities('Trẻ em từ bao nhiêu tuổi được học nghề?')).toEqual(['age']);
    expect(askedQuantities('Ai chịu trách nhiệm thi hành?')).toEqual([]);
    expect(countedNouns('Cả nước có bao nhiêu trường, mấy trung tâm?')).toEqual(['trường', 'trung']);
  });

  it('finds a number with a unit of the kind, not article numbers or dates of other kinds', () => {
    expect(statesQuantity('Trong thời hạn 30 ngày kể từ ngày nhận hồ sơ', 'period')).toBe(true);
    expect(statesQuantity('không quá hai năm', 'period')).toBe(true);
    expect(statesQuantity('Ngày 18 tháng 4 hàng năm là Ngày người khuyết tật', 'period')).toBe(false);
    expect(statesQuantity('theo quy định tại các điều 11, 12 và 13 của Luật này', 'period')).toBe(false);
    // "sau ngày" (after the day) is not "sáu ngày" (six days).
    expect(statesQuantity('có hiệu lực sau ngày ký', 'period')).toBe(false);
    expect(statesQuantity('được trả thêm ít nhất bằng 30% tiền lương', 'rate')).toBe(true);
    expect(statesQuantity('từ đủ 15 tuổi', 'age')).toBe(true);
    expect(statesMoney('mức trợ cấp bằng 01 tháng tiền lương')).toBe(true);
    // A question in a currency needs an amount in a currency.
    expect(statesMoney('mức trợ cấp bằng 01 tháng tiền lương', true)).toBe(false);
    expect(statesMoney('mức hỗ trợ 500.000 đồng/người', true)).toBe(true);
    expect(statesCount('có 90 trường chất lượng cao', ['trường'])).toBe(true);
    expect(statesCount('co 90 truong chat luong cao', ['truong'])).toBe(true);
    expect(statesCount('các trường chất lượng cao', ['trường'])).toBe(false);
  });

  it('refuses an age or a period the laws do not state, and answers a rate they state', async () => {
    // The law says only "ở độ tuổi cao hơn"; other articles' ages ("15 tuổi") are about other things.
    const age = await corpus.engine.ask('Người khuyết tật được nhập học ở độ tuổi cao hơn bao nhiêu tuổi so với quy định?');
    expect(age.refusal?.rule).toBe('evidence.quantity_absent');
    // "Ngày 18 tháng 4 hàng năm" is a date, not a period.
    const period = await corpus.engine.ask('Within how many days must a workplace for people with disabilities be made accessible?');
    expect(period.refused).toBe(true);
    // (A number question naming a phrase no figure is stated about is refused by the earlier no_figure rule; with
    // "accessible" read as "tiếp cận" the sections found are the accessibility articles, which name no workplace.)
    expect(['evidence.quantity_absent', 'evidence.no_figure', 'evidence.topic_absent']).toContain(period.refusal?.rule);
    expect(period.answer).toMatch(/^Not stated: /);
    const yes = await corpus.engine.ask('Cơ sở sản xuất, kinh doanh sử dụng bao nhiêu phần trăm lao động là người khuyết tật thì được hỗ trợ cải tạo điều kiện làm việc?');
    expect(yes.refused).toBe(false);
    expect(yes.citations.some((c) => c.quote.includes('từ 30% tổng số lao động'))).toBe(true);
  });
});

describe('number and date of a law asked together', () => {
  it('states both on one line, each with its own verbatim citation (the date as the header writes it)', async () => {
    const r = await corpus.engine.ask('Bộ luật Lao động 2019 có số hiệu là gì và được ban hành ngày nào?');
    expect(r.refused).toBe(false);
    expect(r.answer.split('\n')[0]).toMatch(/^Số hiệu: 45\/2019\/QH14 \[1\], ngày 20\/11\/2019 — “Hà Nội, ngày 20 tháng 11 năm 2019” \[2\]$/);
    expect(r.citations.slice(0, 2).map((c) => c.quote)).toEqual(['Bộ luật số: 45/2019/QH14', 'Hà Nội, ngày 20 tháng 11 năm 2019']);
    const en = await corpus.engine.ask('When was the 2019 Labour Code issued?');
    expect(en.answer.split('\n')[0]).toContain('“Hà Nội, ngày 20 tháng 11 năm 2019” [1]');
  });
});

describe('the qualifier of an asked quantity', () => {
  it('"tối đa" is how the question asks, not its topic: a clause saying "không quá" answers it', async () => {
    const r = await corpus.engine.ask('làm thêm giờ tối đa bao nhiêu giờ một tháng?');
    expect(r.refused).toBe(false);
    expect(r.citations[0]!.quote).toContain('không quá 40 giờ trong 01 tháng');
  });
});

describe('a deadline asked for must be stated', () => {
  it('a date no clause gives is refused, not answered with a clause on the subject', async () => {
    const r = await corpus.engine.ask('Theo Bộ luật Lao động, người sử dụng lao động phải trả lương tháng 13 trước ngày nào?');
    expect(r.refused).toBe(true);
    expect(r.refusal?.rule).toBe('evidence.quantity_absent');
    const stated = await corpus.engine.ask('Theo Bộ luật Lao động, người lao động làm việc theo hợp đồng không xác định thời hạn phải báo trước bao nhiêu ngày khi đơn phương chấm dứt hợp đồng?');
    expect(stated.refused).toBe(false);
  });
});

describe('when a law is in force', () => {
  it('"in force" asks for the effective date: the clause stating it answers, with the date', async () => {
    const r = await corpus.engine.ask('From what date has the 2019 Labour Code been in force?');
    expect(r.refused).toBe(false);
    expect(r.answer.split('\n')[0]).toContain('1 January 2021');
  });
});
