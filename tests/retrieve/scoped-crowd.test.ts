// A question naming a document among many that share its words: the named documents' own ranking gives their
// passages a place in the whole ranking, so a law with dozens of look-alike articles does not bury them.
import { describe, expect, it } from 'vitest';
import { indexedCorpus } from '../helpers/indexed-corpus.ts';

/** A provincial plan implementing resolution 7-NQ/TW; the duty asked about is one clause of its last part. */
const PLAN = [
  'ỦY BAN NHÂN DÂN', 'TỈNH HÀ NAM', '-------', 'Số: 12/KH-UBND', 'Hà Nam, ngày 05 tháng 3 năm 2024', '',
  'KẾ HOẠCH', 'Thực hiện Nghị quyết số 7-NQ/TW ngày 10 tháng 1 năm 2024 về phát triển y tế cơ sở', '',
  'I. MỤC ĐÍCH, YÊU CẦU',
  '1. Quán triệt đầy đủ nội dung Nghị quyết số 7-NQ/TW đến cán bộ, đảng viên và nhân dân trong tỉnh.',
  '2. Xác định rõ nhiệm vụ của các sở, ngành, địa phương trong tổ chức thực hiện.',
  'II. NHIỆM VỤ, GIẢI PHÁP',
  '1. Nâng cao chất lượng khám bệnh, chữa bệnh tại trạm y tế xã, phường.',
  '2. Phát triển đội ngũ bác sĩ gia đình và nhân viên y tế thôn bản.',
  'III. TỔ CHỨC THỰC HIỆN',
  '1. Sở Y tế là cơ quan thường trực, theo dõi, đôn đốc, định kỳ hàng năm báo cáo Ủy ban nhân dân tỉnh việc thực hiện Nghị quyết số 7-NQ/TW.',
  '2. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch từ nguồn ngân sách tỉnh, lồng ghép với các chương trình mục tiêu và nguồn xã hội hóa.',
  '3. Sở Nội vụ phối hợp kiện toàn tổ chức bộ máy trạm y tế, bảo đảm biên chế, vị trí việc làm và chế độ phụ cấp cho nhân viên y tế thôn bản.',
  '4. Ủy ban nhân dân các huyện, thành phố xây dựng kế hoạch cụ thể, bố trí quỹ đất, đầu tư cơ sở vật chất, trang thiết bị cho trạm y tế.',
  '', 'TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH', 'Nguyễn Văn An',
].join('\n');

/** A law of 150 articles, each about reporting the results of carrying out resolutions and conclusions. */
const LAW = [
  'QUỐC HỘI', '-------', 'Luật số: 77/2015/QH13', '', 'LUẬT', 'GIÁM SÁT THỬ NGHIỆM', '',
  ...Array.from({ length: 150 }, (_, i) => [
    `Điều ${i + 1}. Báo cáo kết quả thực hiện nghị quyết giám sát số ${i + 1}`,
    `Đơn vị được giám sát báo cáo kết quả thực hiện nghị quyết, kết luận giám sát; đơn vị nào chậm báo cáo kết quả thực hiện thì bị nhắc nhở; thời hạn báo cáo kết quả thực hiện là ${i + 10} ngày.`,
  ]).flat(),
].join('\n');

/** Syllables of unrelated articles, so that the reporting words stay rare in the corpus as a whole. */
const FILLER = 'đất rừng biển đảo sông hồ núi đồi cây lúa ngô khoai sắn cá tôm muối đá cát sỏi gió mưa nắng bão lũ hạn mặn'.split(' ');

/** A law of 600 articles about other things (three words from FILLER per clause, in turn). */
const OTHER = [
  'QUỐC HỘI', '-------', 'Luật số: 78/2015/QH13', '', 'LUẬT', 'TÀI NGUYÊN THỬ NGHIỆM', '',
  ...Array.from({ length: 600 }, (_, i) => [
    `Điều ${i + 1}. Quản lý ${FILLER[i % FILLER.length]} và ${FILLER[(i * 7 + 3) % FILLER.length]}`,
    `Việc khai thác ${FILLER[(i * 5 + 1) % FILLER.length]}, ${FILLER[(i * 11 + 2) % FILLER.length]} phải bảo đảm bền vững và tiết kiệm.`,
  ]).flat(),
].join('\n');

const corpus = indexedCorpus('scoped-crowd', { texts: { 'kh-ha-nam-nq7.txt': PLAN, 'luat-giam-sat.txt': LAW, 'luat-tai-nguyen.txt': OTHER } });

describe('a named document in a crowd of look-alike passages', () => {
  it('ranks the named document’s duty among the first hits', async () => {
    const hits = await corpus.engine.searchPassages('Đơn vị nào báo cáo kết quả thực hiện Nghị quyết 7 và khi nào?', 5);
    expect(hits.map((h) => h.docNumber)).toContain('12/KH-UBND');
    expect(hits.find((h) => h.text.includes('Sở Y tế là cơ quan thường trực'))?.section).toMatch(/^III\b/);
  });
});
