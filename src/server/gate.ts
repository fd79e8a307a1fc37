// A bounded in-flight limit for answer work: a few requests run, a short queue waits, the rest get 503 + Retry-After.
import { HttpError } from './errors.ts';

/** Seconds a shed client is asked to wait before retrying. */
export const SHED_RETRY_AFTER_S = 1;

export interface Gate {
  /**
   * Waits for a slot and returns its release function (call it exactly once, when the work — including a
   * stream — is over). Throws HttpError 503 `overloaded` with Retry-After when the queue is full too.
   */
  enter(): Promise<() => void>;
  /** Requests running now and waiting now. */
  load(): { running: number; queued: number; shed: number };
}

/**
 * Up to `maxRunning` holders at once and `maxQueued` waiting; `maxRunning` 0 means no limit.
 * A freed slot is handed on with setImmediate, not a microtask: the answer work is synchronous CPU, and resuming
 * the next waiter as a microtask would run queued answers back to back without ever returning to the event loop,
 * starving /healthz and /metrics exactly when the server is busy.
 * @example const release = await gate.enter(); try { await work(); } finally { release(); }
 */
export function createGate(maxRunning: number, maxQueued: number): Gate {
  let running = 0;
  let shed = 0;
  const waiting: Array<() => void> = [];

  function release(): void {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      setImmediate(next);
    }
  }

  function slot(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  }

  return {
    async enter() {
      if (maxRunning <= 0) return () => {};
      if (running < maxRunning) {
        running++;
        // Even a free slot yields once, so a burst of arrivals cannot chain answer work without I/O in between.
        await new Promise<void>((resolve) => setImmediate(resolve));
        return slot();
      }
      if (waiting.length >= maxQueued) {
        shed++;
        throw new HttpError(503, 'overloaded', `the server is busy (${running} answers running, ${waiting.length} waiting); try again in ${SHED_RETRY_AFTER_S} s`, { 'retry-after': String(SHED_RETRY_AFTER_S) });
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
      return slot();
    },
    load: () => ({ running, queued: waiting.length, shed }),
  };
}
