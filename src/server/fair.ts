// Fair start of request handling: a burst of requests is handled one per turn of the event loop, so the probes
// (/healthz, /metrics) that arrive meanwhile are read and answered between them instead of after all of them.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Paths answered as soon as they are read, never queued behind other requests. */
export const PROBE_PATHS = ['/healthz', '/metrics'];

/** True for a liveness or metrics probe (`/healthz`, `/healthz?…`, `/metrics`). */
export function isProbe(url: string | undefined): boolean {
  if (!url) return false;
  const q = url.indexOf('?');
  return PROBE_PATHS.includes(q < 0 ? url : url.slice(0, q));
}

/**
 * Wraps a Node request listener. When many connections become readable at once, Node parses all of them in one
 * poll phase and, unwrapped, runs each one's handler there too (routing, checks, shedding with 503, writing the
 * reply): under a burst of 200 asks that is ~100 ms of one uninterrupted stretch before a probe that arrived
 * meanwhile is even read. Here a request's handler starts in the check phase (setImmediate), one request per
 * turn, so the loop goes back to the sockets between two requests; probes skip the line.
 * @example http.createServer(fairListener(getRequestListener(app.fetch)))
 */
export function fairListener<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse<Req> = ServerResponse<Req>>(
  listener: (req: Req, res: Res) => void | Promise<void>,
): (req: Req, res: Res) => void {
  const line: Array<() => void> = [];
  let scheduled = false;

  function next(): void {
    scheduled = false;
    const start = line.shift();
    // A request whose client has gone while it waited is still handed over: the handler sees the closed socket.
    start?.();
    if (line.length) schedule();
  }
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(next);
  }

  return (req, res) => {
    if (isProbe(req.url)) {
      void listener(req, res);
      return;
    }
    line.push(() => void listener(req, res));
    schedule();
  };
}
