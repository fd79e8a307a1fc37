// A small pool of answer worker processes: asks and searches run there, each worker on its own engine, so the server's
// event loop only does HTTP and /healthz answers while answers are being computed.
//
// Processes, not worker threads: tearing down a worker thread that had loaded the engine's native modules (the ONNX
// runtime, hnswlib) crashed the whole server ("free(): invalid pointer", a V8 fatal check in ModuleWrap's destructor,
// Node 20), so a worker could be neither restarted nor stopped safely. A process is stopped by the OS, and whatever
// kills it — a native crash, the OOM killer — leaves the server answering.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Catalog } from '../answer/engine.ts';
import type { AskOptions, AskResult, Engine, Passage, SearchOptions } from '../doc/types.ts';
import type { Config } from '../config.ts';
import { AppError, type AppErrorCode } from '../errors.ts';
import type { FromWorker, ToWorker, WireError, WorkerInit } from './answer-protocol.ts';
import type { Logger } from './api.ts';

/** The worker's entry point, run with tsx's loader (the whole project runs through tsx; there is no build step). */
const WORKER_ENTRY = new URL('./answer-worker.ts', import.meta.url);
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** How long close() lets a worker exit on SIGTERM before SIGKILL. */
export const WORKER_EXIT_GRACE_MS = 2000;
/** Delay before restarting a worker that crashed; doubles while restarts keep failing, up to the maximum. */
export const RESTART_DELAY_MS = 500;
export const MAX_RESTART_DELAY_MS = 30_000;

/** Thrown into the requests a worker was answering when it died (the server maps it to a 500). */
export class WorkerCrashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrashError';
  }
}

type Info = ReturnType<Engine['info']>;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  onToken?: (text: string) => void;
}

interface Slot {
  worker: ChildProcess;
  ready: boolean;
  pending: Map<number, Pending>;
  /** Resolves when the worker has opened and warmed its engine (rejects when it could not). */
  started: Promise<void>;
}

export interface PoolStats {
  size: number;
  ready: number;
  /** Tasks sent to workers and not answered yet. */
  busy: number;
  /** Workers that died and were started again. */
  restarts: number;
}

export interface AnswerPool {
  /** Resolves once every worker has opened and warmed its engine; rejects with the first worker's load error. */
  ready: Promise<void>;
  ask(question: string, opts?: AskOptions): Promise<AskResult>;
  search(query: string, k?: number, opts?: SearchOptions): Promise<Passage[]>;
  /** Has every worker open the build now current beside the one it serves; rejects (and drops them) if any fails. */
  prepare(): Promise<void>;
  /** Every worker serves its prepared build from now on. */
  commit(): void;
  stats(): PoolStats;
  /** Process ids of the live workers (diagnostics and tests). */
  pids(): number[];
  close(): Promise<void>;
}

/** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), WORKER_EXIT_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function fromWire(e: WireError): Error {
  if (e.name === 'AppError' && e.code) return new AppError(e.code as AppErrorCode, e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/**
 * Starts `size` worker processes on `indexDir`, each opening, checking and warming its own engine. Tasks go to the
 * worker with the fewest unanswered tasks. A worker that dies fails the tasks it held (WorkerCrashError), is logged
 * and restarted (backing off while restarts fail); the others keep answering.
 * @example const pool = createAnswerPool({ size: 1, indexDir, config, log }); await pool.ready; await pool.ask('…')
 */
export function createAnswerPool(opts: { size: number; indexDir: string; config: Config; log: Logger }): AnswerPool {
  const init: WorkerInit = { indexDir: opts.indexDir, config: opts.config };
  const slots: Slot[] = [];
  let nextId = 1;
  let restarts = 0;
  let closing = false;
  let restartDelay = RESTART_DELAY_MS;
  /** Tasks waiting because no worker is ready (all restarting). */
  const waiting: Array<() => void> = [];

  function spawn(index: number): Slot {
    const worker = fork(WORKER_ENTRY, [], {
      execArgv: ['--import', TSX_LOADER],
      // Structured clone over IPC (answers carry nested objects; JSON would do too, this keeps undefined out of the way).
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const slot: Slot = { worker, ready: false, pending: new Map(), started: Promise.resolve() };
    slot.started = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        switch (m.type) {
          // The worker listens: it gets its settings over IPC (never argv, which any user can read, as the
          // configuration holds API keys).
          case 'hello':
            send(slot, { type: 'init', init });
            return;
          case 'ready':
            slot.ready = true;
            restartDelay = RESTART_DELAY_MS;
            resolve();
            while (waiting.length) waiting.shift()!();
            return;
          case 'failed':
            reject(fromWire(m.error));
            return;
          case 'token':
            slot.pending.get(m.id)?.onToken?.(m.text);
            return;
          case 'result': {
            const p = slot.pending.get(m.id);
            if (!p) return;
            slot.pending.delete(m.id);
            if (m.ok) p.resolve(m.value);
            else p.reject(fromWire(m.error));
            return;
          }
        }
      });
      worker.on('error', (e) => {
        if (!closing) opts.log(`answer worker ${index} failed`, e);
        reject(e);
      });
      worker.on('exit', (code, signal) => {
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        slot.ready = false;
        const lost = [...slot.pending.values()];
        slot.pending.clear();
        for (const p of lost) p.reject(new WorkerCrashError(`answer worker ${index} stopped (${how}) while answering`));
        reject(new WorkerCrashError(`answer worker ${index} stopped (${how}) before it was ready`));
        if (closing || slots[index] !== slot) return;
        restarts++;
        opts.log(`answer worker ${index} stopped (${how}${lost.length ? `, ${lost.length} requests failed` : ''}); starting it again in ${restartDelay} ms`);
        const delay = restartDelay;
        restartDelay = Math.min(MAX_RESTART_DELAY_MS, restartDelay * 2);
        setTimeout(() => {
          if (closing) return;
          const again = spawn(index);
          slots[index] = again;
          again.started.catch((e: unknown) => opts.log(`answer worker ${index} could not start again`, e));
        }, delay);
      });
    });
    // Failures are reported through `ready` (first start) or the log (restarts); never unhandled.
    slot.started.catch(() => {});
    return slot;
  }

  /** Sends a message to a worker; one that is gone or going is skipped (its exit fails what it held). */
  function send(slot: Slot, m: ToWorker): void {
    if (!slot.worker.connected) return;
    slot.worker.send(m, (err) => {
      if (err && !closing) opts.log('could not reach an answer worker', err);
    });
  }

  for (let i = 0; i < Math.max(1, opts.size); i++) slots.push(spawn(i));

  /** The ready worker with the fewest unanswered tasks; waits while none is ready. */
  async function pick(): Promise<Slot> {
    for (;;) {
      if (closing) throw new WorkerCrashError('the answer pool is closed');
      let best: Slot | null = null;
      for (const s of slots) if (s.ready && (!best || s.pending.size < best.pending.size)) best = s;
      if (best) return best;
      await new Promise<void>((r) => waiting.push(r));
    }
  }

  async function run<T>(make: (id: number) => ToWorker, onToken?: (text: string) => void, signal?: AbortSignal): Promise<T> {
    const slot = await pick();
    const id = nextId++;
    const msg = make(id);
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onToken });
      if (signal) {
        const onAbort = () => send(slot, { type: 'abort', id });
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
      send(slot, msg);
    });
  }

  const ready = Promise.all(slots.map((s) => s.started)).then(() => undefined);
  // A caller that gives up before awaiting `ready` (its own load failed) must not leave an unhandled rejection.
  ready.catch(() => {});

  return {
    ready,
    ask(question, o = {}) {
      return run<AskResult>((id) => ({ type: 'ask', id, question, opts: { history: o.history, mode: o.mode }, stream: !!o.onToken }), o.onToken, o.signal);
    },
    search(query, k, o = {}) {
      return run<Passage[]>((id) => ({ type: 'search', id, query, k, opts: { channels: o.channels } }));
    },
    async prepare() {
      try {
        await Promise.all(
          // A worker starting again right now opens the current build by itself.
          slots.filter((s) => s.ready).map(
            (s) =>
              new Promise<Info>((resolve, reject) => {
                const id = nextId++;
                s.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
                send(s, { type: 'prepare', id });
              }),
          ),
        );
      } catch (e) {
        for (const s of slots) send(s, { type: 'discard' });
        throw e;
      }
    },
    commit() {
      for (const s of slots) send(s, { type: 'commit' });
    },
    stats: () => ({ size: slots.length, ready: slots.filter((s) => s.ready).length, busy: slots.reduce((n, s) => n + s.pending.size, 0), restarts }),
    pids: () => slots.flatMap((s) => (s.worker.pid !== undefined && s.worker.exitCode === null && s.worker.signalCode === null ? [s.worker.pid] : [])),
    async close() {
      closing = true;
      while (waiting.length) waiting.shift()!();
      await Promise.all(slots.map((s) => stop(s.worker)));
    },
  };
}

/**
 * The engine the routes use when answers run in the pool: asks and searches go to the workers, the cheap lookups
 * (documents, sections, the task register, index facts) stay on the server's own catalog of the same build.
 */
export function pooledEngine(local: Catalog, pool: AnswerPool): Engine {
  return {
    ask: (question, o) => pool.ask(question, o),
    search: (query, k, o) => pool.search(query, k, o),
    documents: () => local.documents(),
    document: (id) => local.document(id),
    section: (id, p) => local.section(id, p),
    obligations: (filter) => local.obligations(filter),
    info: () => local.info(),
  };
}
