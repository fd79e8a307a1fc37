// The official `openai` npm client as the caller of /v1 on a real server with the real engine and API keys on.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { ingest, removeDir } from './real-index.ts';

const KEY = 'openai-client-key-0001';
const MISSION = 'Which unit reports Resolution 42 results, and by when?';

describe('OpenAI-compatible API with the openai client', () => {
  let indexDir: string;
  let server: RunningServer;
  let client: OpenAI;

  beforeAll(async () => {
    indexDir = await ingest();
    server = await startServer({ indexDir, port: 0, env: { API_KEYS: KEY, RATE_LIMIT_PER_MIN: '0' }, quiet: true, log: () => {} });
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: KEY, maxRetries: 0 });
  });

  afterAll(async () => {
    await server?.close();
    removeDir(indexDir);
  });

  it('lists the models', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain('plancite');
  });

  it('answers without streaming, with the Sources list appended', async () => {
    const r = await client.chat.completions.create({ model: 'plancite', messages: [{ role: 'user', content: MISSION }] });
    const content = r.choices[0]!.message.content ?? '';
    expect(r.choices[0]!.finish_reason).toBe('stop');
    expect(content).toContain('Bộ Lao động - Thương binh và Xã hội');
    expect(content).toMatch(/\n\nSources:\n\[1\] /);
    expect(content).toMatch(/\n\[\d\] Government Action Programme \(Resolution 68\/NQ-CP\), III\.3\.d — “/);
    expect(content).toContain('15 tháng 12');
  });

  it('streams deltas that add up to the same answer', async () => {
    const stream = await client.chat.completions.create({ model: 'plancite-extractive', stream: true, messages: [{ role: 'user', content: MISSION }] });
    let text = '';
    let chunks = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(finish).toBe('stop');
    const whole = await client.chat.completions.create({ model: 'plancite-extractive', messages: [{ role: 'user', content: MISSION }] });
    expect(text).toBe(whole.choices[0]!.message.content);
  });

  it('a follow-up uses the conversation', async () => {
    const r = await client.chat.completions.create({
      model: 'plancite',
      messages: [
        { role: 'user', content: 'Bộ, ngành gửi báo cáo tình hình thực hiện Chương trình hành động của Chính phủ cho ai, trước ngày nào?' },
        { role: 'assistant', content: 'Bộ Lao động - Thương binh và Xã hội, trước ngày 15 tháng 12.' },
        { role: 'user', content: 'còn tỉnh Bắc Ninh thì sao?' },
      ],
    });
    expect(r.choices[0]!.message.content).toMatch(/Bắc Ninh/);
  });

  it('maps errors to the client’s typed errors', async () => {
    const bad = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'wrong-key-000000', maxRetries: 0 });
    await expect(bad.chat.completions.create({ model: 'plancite', messages: [{ role: 'user', content: MISSION }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: MISSION }] })).rejects.toMatchObject({ status: 404 });
    await expect(client.chat.completions.create({ model: 'plancite', messages: [{ role: 'user', content: 'x'.repeat(5000) }] })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});
