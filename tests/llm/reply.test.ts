// Parsing model replies, filtering the token stream, LLM configuration and prompt templates.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHistory, formatSources, loadLlmConfig, parseLlmReply, ReplyStreamFilter } from '../../src/answer/llm.ts';
import { loadPrompts, renderTemplate } from '../../src/answer/prompts.ts';

describe('parseLlmReply', () => {
  it('splits the body from a TRÍCH DẪN block', () => {
    const r = parseLlmReply('Bộ A chủ trì [1].\nHạn: 15/12 [2].\n\nTRÍCH DẪN:\n[1] "Bộ A chủ trì"\n[2] “trước ngày 15 tháng 12”\n');
    expect(r.body).toBe('Bộ A chủ trì [1].\nHạn: 15/12 [2].');
    expect([...r.quotes]).toEqual([[1, ['Bộ A chủ trì']], [2, ['trước ngày 15 tháng 12']]]);
  });

  it('accepts markdown headings, labels before the quote, wrapped entries and several quotes per source', () => {
    const r = parseLlmReply(
      'MOLISA compiles the reports [1].\n\n---\n**Sources:**\n- [1]: 68/NQ-CP §III.3.d — "gửi Bộ Lao động - Thương binh\nvà Xã hội" and "trước ngày 15 tháng 12"\n* [2] «báo cáo Chính phủ»',
    );
    expect(r.body).toBe('MOLISA compiles the reports [1].');
    expect(r.quotes.get(1)).toEqual(['gửi Bộ Lao động - Thương binh và Xã hội', 'trước ngày 15 tháng 12']);
    expect(r.quotes.get(2)).toEqual(['báo cáo Chính phủ']);
  });

  it('finds a trailing block of [n] lines without a heading, but never takes a whole answer for a block', () => {
    const r = parseLlmReply('Bộ A chủ trì [1].\n\n[1] "Bộ A chủ trì"\n');
    expect(r.body).toBe('Bộ A chủ trì [1].');
    expect(r.quotes.get(1)).toEqual(['Bộ A chủ trì']);
    const onlyList = parseLlmReply('[1] Bộ A chủ trì.\n[2] Bộ B phối hợp.');
    expect(onlyList.body).toBe('[1] Bộ A chủ trì.\n[2] Bộ B phối hợp.');
    expect(onlyList.quotes.size).toBe(0);
  });

  it('takes a quote without quote marks as written, and drops a <think> preamble', () => {
    const r = parseLlmReply('<think>\nThe user asks… SOURCES: none\n</think>\n\nBộ A [1].\nSOURCES:\n[1] Bộ A chủ trì thực hiện');
    expect(r.body).toBe('Bộ A [1].');
    expect(r.quotes.get(1)).toEqual(['Bộ A chủ trì thực hiện']);
    expect(parseLlmReply('<think>never closed').body).toBe('');
  });

  it('does not mistake a body line that starts with a heading word for the heading', () => {
    const r = parseLlmReply('Nguồn lực thực hiện do ngân sách bảo đảm [1].\n\nNguồn:\n[1] "do ngân sách bảo đảm"');
    expect(r.body).toBe('Nguồn lực thực hiện do ngân sách bảo đảm [1].');
    expect(r.quotes.get(1)).toEqual(['do ngân sách bảo đảm']);
  });
});

/** Feeds text in pieces of `size` characters and returns what the filter shows. */
function feed(text: string, size: number): string {
  const f = new ReplyStreamFilter();
  let out = '';
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i += size) out += f.push(chars.slice(i, i + size).join(''));
  return out + f.end();
}

describe('ReplyStreamFilter', () => {
  const reply = '<think>\nweigh sources\n</think>\nNguồn lực do Bộ A bảo đảm [1].\nSources of funds: budget [2].\n\n**TRÍCH DẪN:**\n[1] "Bộ A"\n[2] "ngân sách"';
  it.each([1, 2, 5, 40])('shows only the answer body whatever the chunk size (%i)', (size) => {
    expect(feed(reply, size)).toBe('Nguồn lực do Bộ A bảo đảm [1].\nSources of funds: budget [2].\n\n');
  });

  it('emits text as soon as a line cannot become the heading', () => {
    const f = new ReplyStreamFilter();
    expect(f.push('Bộ Lao')).toBe('Bộ Lao');
    expect(f.push(' động\nSO')).toBe(' động\n');
    expect(f.push('URCES')).toBe('');
    expect(f.push(' of funds')).toBe('SOURCES of funds');
    expect(f.end()).toBe('');
  });

  it('flushes a held last line at the end unless it is the heading', () => {
    const f = new ReplyStreamFilter();
    expect(f.push('Nguồn')).toBe('');
    expect(f.push(' lực')).toBe('Nguồn lực');
    const g = new ReplyStreamFilter();
    expect(g.push('Xong.\nSour')).toBe('Xong.\n');
    expect(g.end()).toBe('Sour');
    expect(feed('Xong.\nSOURCES:', 3)).toBe('Xong.\n');
  });
});

describe('loadLlmConfig', () => {
  it('is null when LLM_BASE_URL is unset or empty', () => {
    expect(loadLlmConfig({})).toBeNull();
    expect(loadLlmConfig({ LLM_BASE_URL: '', LLM_MODEL: 'm' })).toBeNull();
  });

  it('parses values and applies defaults', () => {
    expect(loadLlmConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'qwen2.5:7b' })).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b', temperature: 0, timeoutMs: 30000,
    });
    expect(
      loadLlmConfig({ LLM_BASE_URL: 'http://vllm:8000/v1', LLM_MODEL: 'm', LLM_API_KEY: 'k', LLM_TEMPERATURE: '0.3', LLM_TIMEOUT_MS: '5000', LLM_MAX_TOKENS: '512' }),
    ).toEqual({ baseUrl: 'http://vllm:8000/v1', model: 'm', apiKey: 'k', temperature: 0.3, timeoutMs: 5000, maxTokens: 512 });
  });

  it('fails naming the variable, without echoing values', () => {
    const base = { LLM_BASE_URL: 'http://127.0.0.1:8080/v1', LLM_MODEL: 'm', LLM_API_KEY: 'sk-do-not-print' };
    expect(() => loadLlmConfig({ ...base, LLM_BASE_URL: 'not a url' })).toThrow(/LLM_BASE_URL/);
    expect(() => loadLlmConfig({ ...base, LLM_MODEL: undefined })).toThrow(/LLM_MODEL: is required/);
    expect(() => loadLlmConfig({ ...base, LLM_TEMPERATURE: 'hot' })).toThrow(/LLM_TEMPERATURE/);
    expect(() => loadLlmConfig({ ...base, LLM_TEMPERATURE: '3' })).toThrow(/LLM_TEMPERATURE/);
    expect(() => loadLlmConfig({ ...base, LLM_TIMEOUT_MS: '-5' })).toThrow(/LLM_TIMEOUT_MS/);
    expect(() => loadLlmConfig({ ...base, LLM_TIMEOUT_MS: '-5' })).not.toThrow(/sk-do-not-print/);
  });
});

describe('prompts', () => {
  it('loads both languages from prompts/ with their placeholders', async () => {
    for (const lang of ['vi', 'en'] as const) {
      const p = await loadPrompts(lang);
      expect(p.system.length).toBeGreaterThan(200);
      expect(p.answer).toContain('{sources}');
      expect(p.answer).toContain('{question}');
      expect(p.answer).toContain('{history}');
    }
    expect((await loadPrompts('vi')).system).toContain('TRÍCH DẪN:');
    expect((await loadPrompts('en')).system).toContain('SOURCES:');
  });

  it('fails naming the file when a template lacks a placeholder or is missing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'plancite-prompts-'));
    try {
      await writeFile(path.join(dir, 'system.en.md'), 'sys');
      await expect(loadPrompts('en', dir)).rejects.toThrow(/answer\.en\.md/);
      await writeFile(path.join(dir, 'answer.en.md'), 'Q: {question}');
      await expect(loadPrompts('en', dir)).rejects.toThrow(/answer\.en\.md lacks the \{sources\}/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fills placeholders in one pass, leaving braces inside values alone', () => {
    expect(renderTemplate('{sources}\nQ: {question} {other}', { sources: 'S {question}', question: 'q' })).toBe('S {question}\nQ: q {other}');
  });

  it('numbers sources with document number (or title) and section', () => {
    const s = formatSources([
      { n: 1, docId: 'a', docNumber: '68/NQ-CP', docTitle: 'T', section: 'III.3.d', file: 'f', text: ' d) Text.\n' },
      { n: 2, docId: 'b', docNumber: null, docTitle: 'Kế hoạch Bắc Ninh', section: 'II.1', file: 'f', text: 'Other' },
    ]);
    expect(s).toBe('[1] 68/NQ-CP §III.3.d — d) Text.\n\n[2] Kế hoạch Bắc Ninh §II.1 — Other');
  });

  it('renders history without old citation markers, most recent turns only', () => {
    expect(formatHistory([], 'vi')).toBe('(không có)');
    const turns = Array.from({ length: 10 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: `turn ${i} [1, 2]` }));
    const h = formatHistory(turns, 'en').split('\n');
    expect(h).toHaveLength(6);
    expect(h[0]).toBe('User: turn 4');
    expect(h[5]).toBe('Assistant: turn 9');
  });
});
