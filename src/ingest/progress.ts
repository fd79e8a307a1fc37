// Ingest progress: a one-line bar redrawn in place on a terminal (count, rate, ETA), plain log lines otherwise.

/** Minimum time between two redraws of the bar, in ms. */
export const PROGRESS_INTERVAL_MS = 250;
/** Minimum time between two plain progress lines (no terminal), in ms. */
export const PROGRESS_LINE_INTERVAL_MS = 5000;
/** Width of the bar in characters. */
const BAR_WIDTH = 24;

export interface ProgressSink {
  /** Starts a phase of `total` units (`documents`, `chunks`). */
  start(phase: string, total: number, unit: string): void;
  /** Reports `done` units of the phase finished, with an optional detail (e.g. chunks so far). */
  tick(done: number, detail?: string): void;
  /** Ends the phase (the bar is completed and the line kept). */
  end(): void;
}

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  return s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(s < 10 ? 1 : 0)} s`;
}

/**
 * A progress reporter. On a terminal it redraws one line (`\r`) at most every PROGRESS_INTERVAL_MS; otherwise
 * it writes a plain line through `log` at most that often (and always at the end of a phase).
 * @example const p = createProgress(process.stderr, log); p.start('embed', 42351, 'chunks'); p.tick(1000); p.end();
 */
export function createProgress(tty: { isTTY?: boolean; write(s: string): unknown } | null, log: (msg: string) => void, now: () => number = () => performance.now()): ProgressSink {
  const bar = !!tty?.isTTY;
  let phase = '';
  let total = 0;
  let unit = '';
  let t0 = 0;
  let last = -Infinity;
  let done = 0;
  let detail = '';
  let lastText = '';
  const line = () => {
    const secs = (now() - t0) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const eta = rate > 0 ? (total - done) / rate : Infinity;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(frac * BAR_WIDTH);
    const head = bar ? `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ` : '';
    return `${phase} ${head}${done.toLocaleString('en')}/${total.toLocaleString('en')} ${unit}${detail ? ` · ${detail}` : ''} · ${rate.toFixed(rate < 10 ? 1 : 0)} ${unit}/s · ${done >= total ? `${fmtSeconds(secs)}` : `ETA ${fmtSeconds(eta)}`}`;
  };
  const draw = (force: boolean) => {
    const t = now();
    if (!force && t - last < (bar ? PROGRESS_INTERVAL_MS : PROGRESS_LINE_INTERVAL_MS)) return;
    last = t;
    const text = line();
    if (text === lastText) return;
    lastText = text;
    if (bar) tty!.write(`\r\x1b[2K${text}`);
    else log(text);
  };
  return {
    start(p, n, u) {
      phase = p;
      total = n;
      unit = u;
      t0 = now();
      last = -Infinity;
      done = 0;
      detail = '';
    },
    tick(d, det) {
      done = d;
      if (det !== undefined) detail = det;
      draw(false);
    },
    end() {
      draw(true);
      if (bar) tty!.write('\n');
    },
  };
}
