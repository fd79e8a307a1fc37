// plancite's hybrid retriever and embedder used from inside LangChain runnable chains, on a real index.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Document } from '@langchain/core/documents';
import { PromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda, RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type LoadedEngine } from '../../src/answer/engine.ts';
import { loadConfig } from '../../src/config.ts';
import { openEmbedderIn, toLangChainEmbeddings } from '../../src/embed/index.ts';
import { runIngest } from '../../src/ingest/pipeline.ts';
import { PlanciteRetriever, toLangChainRetriever, type PlanciteDocumentMetadata } from '../../src/retrieve/langchain.ts';

let dir: string;
let engine: LoadedEngine;
const cfg = () => loadConfig({ CORPUS_DIR: 'corpus', INDEX_DIR: dir, EMBED_DIM: '64' });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'plancite-lc-'));
  await runIngest(cfg());
  engine = await openEngine(dir, cfg());
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const QUESTION = 'Ai chủ trì tổng hợp báo cáo kết quả thực hiện Nghị quyết 42?';

describe('LangChain retriever', () => {
  it('is a BaseRetriever returning the same chunks, in the same order, as plancite search', async () => {
    const r = toLangChainRetriever(engine, 5);
    expect(r).toBeInstanceOf(PlanciteRetriever);
    const docs = await r.invoke(QUESTION);
    const passages = await engine.searchPassages(QUESTION, 5);
    expect(docs.map((d) => d.metadata.chunkId)).toEqual(passages.map((p) => p.chunkId));
    for (const d of docs) {
      const full = engine.index.documents.get(d.metadata.docId)!;
      expect(full.text.slice(d.metadata.start, d.metadata.end)).toBe(d.pageContent);
      expect(d.id).toBe(d.metadata.chunkId);
    }
  });

  it('works inside a runnable chain: retrieve → format → prompt → model', async () => {
    const retriever = toLangChainRetriever(engine, 3);
    const format = (docs: Document<PlanciteDocumentMetadata>[]) => docs.map((d) => `[${d.metadata.docNumber ?? d.metadata.docId} §${d.metadata.section}] ${d.pageContent}`).join('\n\n');
    const prompt = PromptTemplate.fromTemplate('Trả lời dựa trên các đoạn sau.\n{context}\n\nCâu hỏi: {question}');
    const seen: string[] = [];
    // Stands in for a chat model: records the prompt it is given and answers with the first cited source.
    const model = RunnableLambda.from((p: { toString(): string }) => {
      const text = p.toString();
      seen.push(text);
      return text.match(/\[([^\]]+)\]/)?.[1] ?? 'none';
    });
    const chain = RunnableSequence.from([{ context: retriever.pipe(format), question: new RunnablePassthrough() }, prompt, model]);
    const answer = await chain.invoke(QUESTION);
    const top = (await engine.searchPassages(QUESTION, 1))[0]!;
    expect(answer).toBe(`${top.docNumber ?? top.docId} §${top.section}`);
    expect(seen[0]).toContain(top.text);
    expect(seen[0]).toContain(QUESTION);
    // Batch calls go through the same path.
    expect(await retriever.pipe(format).batch([QUESTION, 'bảo hiểm thất nghiệp'])).toHaveLength(2);
  });

  it('exposes the embedder as LangChain Embeddings with the vectors plancite uses', async () => {
    const e = await openEmbedderIn(cfg(), engine.index.modelsDir);
    const lc = toLangChainEmbeddings(e);
    expect(await lc.embedQuery('báo cáo')).toEqual(await e.embedQuery('báo cáo'));
    const [v] = await lc.embedDocuments(['Nghị quyết 42']);
    expect(v).toHaveLength(64);
  });
});
