// Per-client token-bucket rate limiter kept in memory (one server; replicas each enforce their own share).

/** Clients tracked at most; past this, buckets that have refilled completely are dropped first. */
export const MAX_TRACKED_CLIENTS = 10_000;

export interface RateLimiter {
  /** Takes one token for `client`; returns 0 when allowed, else the whole seconds to wait (for `Retry-After`). */
  take(client: string): number;
  /** Like `take` without spending a token: 0 when a token is left, else the seconds until one is. */
  peek(client: string): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per client holding `perMinute` tokens and refilling continuously, so a burst of `perMinute`
 * is allowed and the sustained rate is `perMinute` per minute. `perMinute` 0 allows everything.
 * @example const rl = createRateLimiter(60); rl.take('10.0.0.1') === 0
 */
export function createRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;

  function sweep(t: number): void {
    for (const [k, b] of buckets) if (b.tokens + (t - b.at) * perMs >= perMinute) buckets.delete(k);
    // Still full of active clients: drop the oldest entries (Map keeps insertion order).
    for (const k of buckets.keys()) {
      if (buckets.size < MAX_TRACKED_CLIENTS) break;
      buckets.delete(k);
    }
  }

  return {
    peek(client) {
      if (perMinute <= 0) return 0;
      const b = buckets.get(client);
      if (!b) return 0;
      const tokens = Math.min(perMinute, b.tokens + (now() - b.at) * perMs);
      return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
    },
    take(client) {
      if (perMinute <= 0) return 0;
      const t = now();
      let b = buckets.get(client);
      if (!b) {
        if (buckets.size >= MAX_TRACKED_CLIENTS) sweep(t);
        b = { tokens: perMinute, at: t };
        buckets.set(client, b);
      } else {
        b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * perMs);
        b.at = t;
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
    },
  };
}
