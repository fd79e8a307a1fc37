// A document whose text contains <script> and <img onerror> markup is shown as text everywhere in the browser.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { ingest, removeDir, ROOT } from '../server/real-index.ts';
import { artifact, launchChromium } from './browser.ts';

const SCRIPT = `<script>window.__xss=(window.__xss||0)+1;alert('xss-script')</script>`;
const IMG = `<img src=x onerror="window.__xss=(window.__xss||0)+1;alert('xss-img')">`;
const DOC_ID = 'kh-kiem-thu-hien-thi';
const XSS_DOC = `ỦY BAN NHÂN DÂN
TỈNH KIỂM THỬ

Số: 13/KH-UBND

KẾ HOẠCH
Kiểm thử hiển thị an toàn ${IMG}

I. MỤC ĐÍCH, YÊU CẦU

1. Sở Thông tin và Truyền thông chủ trì kiểm thử chuỗi ${SCRIPT} trong văn bản, báo cáo Ủy ban nhân dân tỉnh trước ngày 20 tháng 10 năm 2025.

2. Ghi chú kiểm thử ảnh lỗi ${IMG} phải hiển thị nguyên văn.
`;

/** Fails the test on any dialog (an executed alert) and records it. */
function guard(page: Page, dialogs: string[]): void {
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}

describe('markup in document text is displayed as text', () => {
  let corpus: string;
  let indexDir: string;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    corpus = mkdtempSync(path.join(tmpdir(), 'plancite-xss-corpus-'));
    cpSync(path.join(ROOT, 'corpus'), corpus, { recursive: true });
    writeFileSync(path.join(corpus, `${DOC_ID}.txt`), XSS_DOC);
    indexDir = await ingest(corpus);
    server = await startServer({ indexDir, port: 0, env: { RATE_LIMIT_PER_MIN: '0' }, quiet: true, log: () => {} });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(indexDir);
    removeDir(corpus);
  });

  it('document viewer: the markup is literal text, nothing is injected or run', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    guard(page, dialogs);
    await page.goto(`${server.url}/documents/${DOC_ID}?q=${encodeURIComponent('kiểm thử chuỗi ' + SCRIPT)}#I.1`);
    await page.waitForSelector('body[data-ready="true"]');
    const text = (await page.locator('#doc-text').textContent()) ?? '';
    expect(text).toContain(SCRIPT);
    expect(text).toContain(IMG);
    expect(await page.locator('#doc-text mark').allTextContents()).toContain(`kiểm thử chuỗi ${SCRIPT}`);
    expect(await page.locator('main img, main script, nav img, nav script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: artifact('xss-viewer.png') });
    await page.close();
  });

  it('demo page list, plan view and widget answer: literal text only', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const dialogs: string[] = [];
    guard(page, dialogs);
    await page.goto(`${server.url}/`);
    await page.waitForSelector('table.docs:not([hidden])');
    expect(await page.locator('table.docs img').count()).toBe(0);

    await page.getByRole('button', { name: 'Mở trợ lý hỏi đáp văn bản' }).click();
    const input = page.getByRole('textbox', { name: 'Câu hỏi của bạn' });
    await input.fill(`Sở Thông tin và Truyền thông kiểm thử chuỗi script trong văn bản, báo cáo Ủy ban nhân dân tỉnh trước ngày nào? ${IMG}`);
    await input.press('Enter');
    await page.waitForFunction(() => {
      const root = document.querySelector('#plancite-widget')?.shadowRoot;
      return !!root && root.querySelectorAll('.msg.assistant').length >= 2 && !root.querySelector('.msg[aria-busy="true"]');
    }, undefined, { timeout: 60_000 });
    const widget = page.locator('#plancite-widget');
    // The question itself, echoed in the log, is text.
    expect(await widget.locator('.msg.user').last().textContent()).toContain(IMG);
    const quotes = (await widget.locator('.msg.assistant').last().locator('blockquote').allTextContents()).join('\n');
    expect(quotes).toContain('13/KH-UBND');
    expect(quotes).toContain('<script>');
    expect(await page.evaluate(() => document.querySelector('#plancite-widget')!.shadowRoot!.querySelectorAll('img, script').length)).toBe(0);
    await page.screenshot({ path: artifact('xss-widget.png') });

    await page.goto(`${server.url}/plans/${DOC_ID}`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#tasks tbody').textContent()).toContain('<script>');
    expect(await page.locator('#tasks img, #tasks script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
