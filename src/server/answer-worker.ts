// An answer worker process: opens its own engine on the index, warms it, and answers the asks and searches the
// server sends it over IPC. Started by the answer pool (answer-pool.ts) with tsx's loader.
import os, { setPriority } from 'node:os';
import { openEngine } from '../answer/engine.ts';
import type { Engine } from '../doc/types.ts';
import { AppError } from '../errors.ts';
import type { FromWorker, ToWorker, WireError, WorkerInit } from './answer-protocol.ts';
import { checkEngine, warmEngine } from './check.ts';

if (!process.send) throw new Error('answer-worker.ts runs in a process started by the answer pool (with an IPC channel)');
const send = process.send.bind(process);
const post = (m: FromWorker) => void send(m);
// The server is gone (exited, crashed, killed): nothing left to answer for.
process.on('disconnect', () => process.exit(0));

const init = await new Promise<WorkerInit>((resolve) => {
  const onInit = (m: ToWorker) => {
    if (m.type !== 'init') return;
    process.off('message', onInit);
    resolve(m.init);
  };
  process.on('message', onInit);
  post({ type: 'hello' });
});

function toWire(e: unknown): WireError {
  if (e instanceof AppError) return { name: 'AppError', message: e.message, code: e.code };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

/** Opens, checks and warms an engine on the build now current (a bad build fails with one line saying to run ingest). */
async function openWarm(): Promise<Engine> {
  // Lower this process's CPU priority before loading (threads started later inherit it): see ANSWER_WORKER_NICE.
if (init.config.server.answerWorkerNice > 0) {
  try {
    setPriority(Math.min(19, os.getPriority() + init.config.server.answerWorkerNice));
  } catch {
    // Not permitted here: answer at the server's priority.
  }
}

let engine: Engine;
  try {
    engine = await openEngine(init.indexDir, init.config);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('index_corrupt', `the index in ${init.indexDir} cannot be loaded (${e instanceof Error ? e.message.slice(0, 200) : String(e)}); run \`plancite ingest\` to rebuild it`, { cause: e });
  }
  await checkEngine(engine, init.indexDir);
  await warmEngine(engine);
  return engine;
}

let engine: Engine;
let prepared: Engine | null = null;
const aborts = new Map<number, AbortController>();

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case 'ask': {
      const ac = new AbortController();
      aborts.set(m.id, ac);
      try {
        const onToken = m.stream ? (text: string) => post({ type: 'token', id: m.id, text }) : undefined;
        const value = await engine.ask(m.question, { ...m.opts, onToken, signal: ac.signal });
        post({ type: 'result', id: m.id, ok: true, value });
      } finally {
        aborts.delete(m.id);
      }
      return;
    }
    case 'search':
      post({ type: 'result', id: m.id, ok: true, value: await engine.search(m.query, m.k, m.opts) });
      return;
    case 'abort':
      aborts.get(m.id)?.abort(new Error('the client went away'));
      return;
    case 'prepare':
      prepared = null;
      prepared = await openWarm();
      post({ type: 'result', id: m.id, ok: true, value: prepared.info() });
      return;
    case 'commit':
      if (prepared) engine = prepared;
      prepared = null;
      return;
    case 'discard':
      prepared = null;
      return;
    case 'init':
      return;
  }
}

try {
  engine = await openWarm();
  process.on('message', (m: ToWorker) => {
    handle(m).catch((e: unknown) => {
      if ('id' in m) post({ type: 'result', id: m.id, ok: false, error: toWire(e) });
    });
  });
  post({ type: 'ready', info: engine.info() });
} catch (e) {
  // Report why, then leave: a worker without an engine has nothing to do.
  send({ type: 'failed', error: toWire(e) } satisfies FromWorker, undefined, {}, () => process.exit(1));
}
