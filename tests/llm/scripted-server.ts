// A scripted OpenAI-compatible chat server on loopback for the LLM-mode tests (SSE streaming and plain JSON).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server does with the next request. */
export type Script =
  | { kind: 'reply'; chunks: string[]; delayMs?: number }
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'hang' }
  /** Sends the first `chunks`, then stalls without ending the stream. */
  | { kind: 'stall'; chunks: string[] };

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: {
    model?: string;
    stream?: boolean;
    temperature?: number;
    messages?: Array<{ role: string; content: string }>;
    [k: string]: unknown;
  };
}

export interface ScriptedServer {
  baseUrl: string;
  requests: ReceivedRequest[];
  /** Scripts consumed in order, one per request; an empty queue answers 404. */
  enqueue(...scripts: Script[]): void;
  close(): Promise<void>;
}

const MODEL = 'scripted-model';

function chunkFrame(id: string, delta: Record<string, unknown>, finish: string | null): string {
  const frame = { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: MODEL, choices: [{ index: 0, delta, finish_reason: finish }] };
  return `data: ${JSON.stringify(frame)}\n\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the server on 127.0.0.1 with a free port. */
export async function startScriptedServer(): Promise<ScriptedServer> {
  const queue: Script[] = [];
  const requests: ReceivedRequest[] = [];
  let seq = 0;
  const server = http.createServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += String(part);
    const body = raw ? (JSON.parse(raw) as ReceivedRequest['body']) : {};
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const script = queue.shift();
    if (!script) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'no script queued' } }));
      return;
    }
    const id = `chatcmpl-${++seq}`;
    if (script.kind === 'hang') return; // never answers; the client must time out
    if (script.kind === 'status') {
      res.writeHead(script.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(script.body ?? { error: { message: 'scripted failure', type: 'server_error' } }));
      return;
    }
    if (!body.stream) {
      const content = script.chunks.join('');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: MODEL,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(chunkFrame(id, { role: 'assistant', content: '' }, null));
    for (const c of script.chunks) {
      res.write(chunkFrame(id, { content: c }, null));
      await sleep(script.kind === 'reply' ? (script.delayMs ?? 1) : 1);
    }
    if (script.kind === 'stall') return;
    res.write(chunkFrame(id, {}, 'stop'));
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...s) => void queue.push(...s),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Splits a reply into small pieces the way a model streams tokens (a few characters each). */
export function tokenise(text: string, size = 7): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}
