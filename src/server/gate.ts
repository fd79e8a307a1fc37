// A bounded in-flight limit for answer work: a few requests run, a short queue waits, the rest get 503 + Retry-After.
import { HttpError } from './errors.ts';

/** Seconds a shed client is asked to wait before retrying. */
export const SHED_RETRY_AFTER_S = 1;

/** A 503 the gate decided on, as plain data (an HttpError would capture a stack trace per refused request). */
export interface Refusal {
  status: 503;
  code: 'overloaded';
  message: string;
  headers: Record<string, string>;
}

export interface Gate {
  /**
   * Waits for a slot and returns its release function (call it when the answer work is over; extra calls are
   * ignored). Throws HttpError 503 `overloaded` with Retry-After when every slot is taken and the queue is full.
   */
  enter(): Promise<() => void>;
  /** Throws the 503 `enter` would throw, without queueing: lets a route shed before it reads the request body. */
  check(): void;
  /**
   * The 503 `enter` would throw (counted as shed), returned rather than thrown, or null when there is room:
   * under a burst most requests are refused, and building an exception (its stack trace) per refusal is wasted work.
   */
  refusal(): Refusal | null;
  /** Requests running now, waiting now, and refused so far. */
  load(): { running: number; queued: number; shed: number };
}

/**
 * Up to `maxRunning` holders at once and `maxQueued` waiting; `maxRunning` 0 means no limit.
 *
 * Answer work is synchronous CPU on the event loop. Slots are therefore handed out by one pump that starts at most
 * one holder per turn of the event loop (setImmediate: after the poll phase, where sockets are read). Between two
 * answers the loop always gets to network I/O, so /healthz and /metrics wait for one answer at most — never for a
 * chain of queued answers resumed back to back as microtasks.
 * @example const release = await gate.enter(); try { await work(); } finally { release(); }
 */
export function createGate(maxRunning: number, maxQueued: number): Gate {
  let running = 0;
  let shed = 0;
  let pumping = false;
  const waiting: Array<() => void> = [];

  function pump(): void {
    if (pumping || waiting.length === 0 || running >= maxRunning) return;
    pumping = true;
    setImmediate(() => {
      pumping = false;
      if (running < maxRunning) {
        const next = waiting.shift();
        if (next) {
          running++;
          next();
        }
      }
      pump();
    });
  }

  function slot(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      running--;
      pump();
    };
  }

  function refusal(): Refusal | null {
    if (maxRunning <= 0) return null;
    const free = maxRunning - running - waiting.length;
    if (free > 0 || waiting.length < maxQueued) return null;
    shed++;
    return {
      status: 503,
      code: 'overloaded',
      message: `the server is busy (${running} answers running, ${waiting.length} waiting); try again in ${SHED_RETRY_AFTER_S} s`,
      headers: { 'retry-after': String(SHED_RETRY_AFTER_S) },
    };
  }

  function check(): void {
    const r = refusal();
    if (r) throw new HttpError(r.status, r.code, r.message, r.headers);
  }

  return {
    check,
    refusal,
    async enter() {
      if (maxRunning <= 0) return () => {};
      check();
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        pump();
      });
      return slot();
    },
    load: () => ({ running, queued: waiting.length, shed }),
  };
}
