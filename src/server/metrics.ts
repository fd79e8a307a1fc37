// In-process Prometheus metrics: request counts by route and status, latency histograms, index facts.

/** A backslash in a label value, e.g. the `\` of `C:\corpus`. */
const BACKSLASH_RE = /\\/g;
/** A double quote in a label value, e.g. the `"` of `say "hi"`. */
const QUOTE_RE = /"/g;
/** A line break in a label value. */
const NEWLINE_RE = /\n/g;

/** Latency histogram bucket upper bounds in seconds: sub-millisecond routes up to slow LLM answers. */
export const LATENCY_BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export interface IndexFacts {
  documents: number;
  chunks: number;
  embedder: string;
  dim: number;
  builtAt: string;
  formatVersion: number;
}

export interface Metrics {
  /** Records one finished request; `route` must be a route pattern (bounded cardinality), never a raw path. */
  observe(route: string, method: string, status: number, seconds: number): void;
  /** Counts a hot swap of the index (`ok` false when the new index failed to load and the old one stayed). */
  reloaded(ok: boolean): void;
  /** Prometheus text exposition format (version 0.0.4); `load` adds the answer gate's gauges. */
  render(index: IndexFacts | null, load?: { running: number; queued: number; shed: number }, workers?: { size: number; ready: number; busy: number; restarts: number }): string;
}

/** Escapes a label value per the exposition format (backslash, quote, newline). */
function label(v: string): string {
  return v.replace(BACKSLASH_RE, '\\\\').replace(QUOTE_RE, '\\"').replace(NEWLINE_RE, '\\n');
}

/**
 * Creates an empty metrics registry.
 * @example const m = createMetrics(); m.observe('/healthz', 'GET', 200, 0.001); m.render(null)
 */
export function createMetrics(): Metrics {
  const requests = new Map<string, number>();
  const latency = new Map<string, Histogram>();
  const reloads = { ok: 0, failed: 0 };
  const started = Date.now();

  return {
    observe(route, method, status, seconds) {
      const key = `${route}\u0000${method}\u0000${status}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      const hkey = `${route}\u0000${method}`;
      let h = latency.get(hkey);
      if (!h) {
        h = { counts: LATENCY_BUCKETS_S.map(() => 0), sum: 0, count: 0 };
        latency.set(hkey, h);
      }
      for (let i = 0; i < LATENCY_BUCKETS_S.length; i++) if (seconds <= LATENCY_BUCKETS_S[i]!) h.counts[i]!++;
      h.sum += seconds;
      h.count++;
    },
    reloaded(ok) {
      if (ok) reloads.ok++;
      else reloads.failed++;
    },
    render(index, load, workers) {
      const out: string[] = [];
      out.push('# HELP plancite_http_requests_total HTTP requests by route pattern, method and status.');
      out.push('# TYPE plancite_http_requests_total counter');
      for (const [key, n] of [...requests].sort()) {
        const [route, method, status] = key.split('\u0000') as [string, string, string];
        out.push(`plancite_http_requests_total{route="${label(route)}",method="${method}",status="${status}"} ${n}`);
      }
      out.push('# HELP plancite_http_request_duration_seconds Time from request start to response headers.');
      out.push('# TYPE plancite_http_request_duration_seconds histogram');
      for (const [key, h] of [...latency].sort(([a], [b]) => a.localeCompare(b))) {
        const [route, method] = key.split('\u0000') as [string, string];
        const l = `route="${label(route)}",method="${method}"`;
        LATENCY_BUCKETS_S.forEach((le, i) => out.push(`plancite_http_request_duration_seconds_bucket{${l},le="${le}"} ${h.counts[i]}`));
        out.push(`plancite_http_request_duration_seconds_bucket{${l},le="+Inf"} ${h.count}`);
        out.push(`plancite_http_request_duration_seconds_sum{${l}} ${h.sum}`);
        out.push(`plancite_http_request_duration_seconds_count{${l}} ${h.count}`);
      }
      out.push('# HELP plancite_index_reloads_total Index hot swaps by result.');
      out.push('# TYPE plancite_index_reloads_total counter');
      out.push(`plancite_index_reloads_total{result="ok"} ${reloads.ok}`);
      out.push(`plancite_index_reloads_total{result="failed"} ${reloads.failed}`);
      out.push('# HELP plancite_index_loaded 1 when an index is loaded.');
      out.push('# TYPE plancite_index_loaded gauge');
      out.push(`plancite_index_loaded ${index ? 1 : 0}`);
      if (index) {
        out.push('# HELP plancite_index_info The loaded index build.');
        out.push('# TYPE plancite_index_info gauge');
        out.push(`plancite_index_info{embedder="${label(index.embedder)}",dim="${index.dim}",format_version="${index.formatVersion}",built_at="${label(index.builtAt)}"} 1`);
        out.push('# HELP plancite_index_documents Documents in the loaded index.');
        out.push('# TYPE plancite_index_documents gauge');
        out.push(`plancite_index_documents ${index.documents}`);
        out.push('# HELP plancite_index_chunks Chunks in the loaded index.');
        out.push('# TYPE plancite_index_chunks gauge');
        out.push(`plancite_index_chunks ${index.chunks}`);
      }
      if (load) {
        out.push('# HELP plancite_answers_running Answer/search requests running now.');
        out.push('# TYPE plancite_answers_running gauge');
        out.push(`plancite_answers_running ${load.running}`);
        out.push('# HELP plancite_answers_queued Answer/search requests waiting for a slot.');
        out.push('# TYPE plancite_answers_queued gauge');
        out.push(`plancite_answers_queued ${load.queued}`);
        out.push('# HELP plancite_answers_shed_total Answer/search requests refused with 503 because the queue was full.');
        out.push('# TYPE plancite_answers_shed_total counter');
        out.push(`plancite_answers_shed_total ${load.shed}`);
      }
      if (workers) {
        out.push('# HELP plancite_answer_workers Answer worker threads configured (ANSWER_WORKERS).');
        out.push('# TYPE plancite_answer_workers gauge');
        out.push(`plancite_answer_workers ${workers.size}`);
        out.push('# HELP plancite_answer_workers_ready Answer worker threads serving now.');
        out.push('# TYPE plancite_answer_workers_ready gauge');
        out.push(`plancite_answer_workers_ready ${workers.ready}`);
        out.push('# HELP plancite_answer_worker_restarts_total Answer worker threads that stopped and were started again.');
        out.push('# TYPE plancite_answer_worker_restarts_total counter');
        out.push(`plancite_answer_worker_restarts_total ${workers.restarts}`);
      }
      out.push('# HELP plancite_uptime_seconds Seconds since the app was created.');
      out.push('# TYPE plancite_uptime_seconds gauge');
      out.push(`plancite_uptime_seconds ${((Date.now() - started) / 1000).toFixed(3)}`);
      return out.join('\n') + '\n';
    },
  };
}
