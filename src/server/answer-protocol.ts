// Messages between the server's event loop and its answer worker processes (structured-clone data only).
import type { AskOptions, AskResult, Engine, Passage, SearchOptions } from '../doc/types.ts';
import type { Config } from '../config.ts';

/** What a worker is started with. */
export interface WorkerInit {
  indexDir: string;
  config: Config;
}

/** Main thread → worker. */
export type ToWorker =
  /** The answer to the worker's `hello`: what to open. */
  | { type: 'init'; init: WorkerInit }
  | { type: 'ask'; id: number; question: string; opts: Pick<AskOptions, 'history' | 'mode'>; stream: boolean }
  | { type: 'search'; id: number; query: string; k: number | undefined; opts: SearchOptions }
  | { type: 'abort'; id: number }
  /** Open and check the index build now on disk (or in the database) beside the current one, without serving it. */
  | { type: 'prepare'; id: number }
  /** Serve the prepared build from now on (`commit`) or drop it (`discard`). */
  | { type: 'commit' }
  | { type: 'discard' };

/** An error as it crosses the thread boundary: AppErrors keep their code (the HTTP mapping depends on it). */
export interface WireError {
  name: string;
  message: string;
  code?: string;
}

/** Worker → main thread. */
export type FromWorker =
  /** The worker listens and waits for its `init`. */
  | { type: 'hello' }
  | { type: 'ready'; info: ReturnType<Engine['info']> }
  | { type: 'failed'; error: WireError }
  | { type: 'token'; id: number; text: string }
  | { type: 'result'; id: number; ok: true; value: AskResult | Passage[] | ReturnType<Engine['info']> }
  | { type: 'result'; id: number; ok: false; error: WireError };
