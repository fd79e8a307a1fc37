// The widget, document viewer and plan view in a real chromium against a real server and index on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { ingest, removeDir } from '../server/real-index.ts';
import { artifact, launchChromium } from './browser.ts';

const MISSION = 'Which unit reports Resolution 42 results, and by when?';
const MOLISA = 'Bộ Lao động - Thương binh và Xã hội';

/** Waits until the widget's pending answer is finished (the busy flag goes away). */
async function waitForAnswer(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const root = document.querySelector('#plancite-widget')?.shadowRoot;
      if (!root) return false;
      const answers = root.querySelectorAll('.msg.assistant:not([aria-busy]), .msg.notice');
      return answers.length >= n && !root.querySelector('.msg[aria-busy="true"]');
    },
    count,
    { timeout: 60_000 },
  );
}

describe('widget in chromium', () => {
  let indexDir: string;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    indexDir = await ingest();
    server = await startServer({ indexDir, port: 0, env: { RATE_LIMIT_PER_MIN: '0' }, quiet: true, log: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(indexDir);
  });

  it('answers the mission question with the unit, the date and a chip that opens the highlighted quote', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);

    // Keyboard: the bubble is a button; opening it moves focus into the question box.
    const bubble = page.getByRole('button', { name: 'Mở trợ lý hỏi đáp văn bản' });
    await bubble.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => bubble.getAttribute('aria-expanded')).toBe('true');
    const input = page.getByRole('textbox', { name: 'Câu hỏi của bạn' });
    await expect.poll(() => input.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);

    await page.keyboard.type(MISSION);
    await page.keyboard.press('Enter');
    await waitForAnswer(page, 2);

    const answer = page.locator('#plancite-widget .msg.assistant').last();
    const text = (await answer.locator('.text').textContent()) ?? '';
    expect(text).toContain(MOLISA);
    expect(text).toMatch(/15 tháng 12/);
    // The opening line answers: who reports, to whom, by when — in English.
    const opening = (await answer.locator('.text').innerText()).trim().split('\n')[0] ?? '';
    expect(opening).toContain('15 December');
    expect(opening).toContain('Ministry of Labour, Invalids and Social Affairs');
    const chip = answer.locator('a.chip', { hasText: /68\/NQ-CP.*III\.3\.d/ }).first(); // the label, or `number §section` when it is long
    await expect.poll(() => chip.count()).toBe(1);
    const quote = (await chip.getAttribute('title')) ?? '';
    expect(quote).toContain('15 tháng 12');
    await page.screenshot({ path: artifact('widget-answer.png') });

    // The conversation is kept for the page session.
    const stored = await page.evaluate(() => Object.entries(sessionStorage).find(([k]) => k.startsWith('plancite.chat:'))?.[1] ?? '[]');
    expect(JSON.parse(stored).map((t: { role: string }) => t.role)).toEqual(['user', 'assistant']);

    const [viewer] = await Promise.all([context.waitForEvent('page'), chip.click()]);
    await viewer.waitForSelector('body[data-ready="true"]');
    const marks = viewer.locator('#doc-text mark');
    expect(await marks.count()).toBeGreaterThan(0);
    expect((await marks.allTextContents()).join('').replace(/\s+/g, ' ')).toBe(quote.replace(/\s+/g, ' '));
    expect(await viewer.locator('#doc-text .target[data-path="III.3.d"] mark').count()).toBeGreaterThan(0);
    // The highlighted quote was scrolled into view.
    const box = await viewer.locator('mark#quote').boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeLessThan(900);
    expect(await viewer.locator('#outline a[aria-current="true"]').getAttribute('data-path')).toBe('III.3.d');
    await viewer.screenshot({ path: artifact('viewer-quote.png') });

    // Esc closes the panel and gives focus back to the bubble.
    await input.focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => bubble.getAttribute('aria-expanded')).toBe('false');
    expect(await bubble.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);

    // A reload keeps the conversation, and a follow-up is sent with the history.
    await page.reload();
    await bubble.click();
    expect(await page.locator('#plancite-widget .msg.user').count()).toBe(1);
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/ask'));
    await input.fill('còn tỉnh Bắc Ninh thì sao?');
    await input.press('Enter');
    const body = JSON.parse((await sent).postData() ?? '{}');
    expect(body.history.map((t: { role: string }) => t.role)).toEqual(['user', 'assistant']);
    await waitForAnswer(page, 2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows plain messages when the server rate-limits or is down', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.route('**/api/ask', (route) => route.fulfill({ status: 429, headers: { 'retry-after': '42', 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'rate_limited', message: 'too many requests' } }) }));
    await page.getByRole('button', { name: 'Mở trợ lý hỏi đáp văn bản' }).click();
    const input = page.getByRole('textbox', { name: 'Câu hỏi của bạn' });
    await input.fill('Ai báo cáo?');
    await input.press('Enter');
    await waitForAnswer(page, 1);
    expect(await page.locator('#plancite-widget .msg.notice').last().textContent()).toContain('thử lại sau 42 giây');
    await page.unroute('**/api/ask');
    await page.route('**/api/ask', (route) => route.abort('connectionrefused'));
    await input.fill('Ai báo cáo?');
    await input.press('Enter');
    await waitForAnswer(page, 2);
    expect(await page.locator('#plancite-widget .msg.notice').last().textContent()).toContain('Không kết nối được máy chủ');
    await page.screenshot({ path: artifact('widget-errors.png') });
    await context.close();
  });

  it('plan view lists the plan’s tasks, filters by kind and links CSV/ICS exports', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/plans/ctrhd-chinh-phu-nq42`);
    await page.waitForSelector('body[data-ready="true"]');
    const rows = page.locator('#tasks tbody tr');
    const all = await rows.count();
    expect(all).toBeGreaterThan(5);
    await page.selectOption('#f-kind', 'report');
    await expect.poll(async () => (await rows.count()) > 0 && (await rows.count()) < all).toBe(true);
    const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')));
    expect(new Set(kinds)).toEqual(new Set(['report']));
    expect(await page.locator('#tasks tbody').textContent()).toContain('15 tháng 12');
    const csvHref = (await page.locator('#export-csv').getAttribute('href')) ?? '';
    expect(csvHref).toBe('/api/obligations?docId=ctrhd-chinh-phu-nq42&kind=report&format=csv');
    const csv = await page.evaluate((h) => fetch(h).then((r) => r.text()), csvHref);
    // One record per table row (fields may hold newlines, so count record starts: the id column).
    expect(csv.match(/^"?ctrhd-chinh-phu-nq42#/gm)?.length).toBe(await rows.count());
    const ics = await page.evaluate((h) => fetch(h).then((r) => r.text()), (await page.locator('#export-ics').getAttribute('href')) ?? '');
    expect(ics).toMatch(/^BEGIN:VCALENDAR/);
    await page.screenshot({ path: artifact('plan-view.png'), fullPage: false });
    await context.close();
  });

  it('the plan view opens filtered from a link’s ?unit= (list answers link there for the items they leave out)', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const unit = 'Ban Tuyên giáo Trung ương';
    await page.goto(`${server.url}/plans/kh-bo-chinh-tri-nq42?unit=${encodeURIComponent(unit)}`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#f-unit').inputValue()).toBe(unit);
    const rows = page.locator('#tasks tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => [tr.children[3]?.textContent ?? '', tr.children[4]?.textContent ?? ''].join(' ')));
    for (const c of cells) expect(c).toContain(unit);
    await context.close();
  });
});
