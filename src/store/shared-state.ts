// State the servers of one deployment share: rate-limit buckets, bot conversation histories and webhook
// replay nonces. In memory for one server (default); in Postgres when DATABASE_URL is set, so that several
// servers behind a load balancer enforce one limit and continue one conversation.
import type { ChatTurn } from '../doc/types.ts';

/** Keys tracked at most by the memory implementation; past this the oldest entries are dropped first. */
export const MAX_MEMORY_KEYS = 10_000;

export interface SharedState {
  readonly kind: 'memory' | 'postgres';
  /**
   * Token bucket `bucket` holding `perMinute` tokens and refilling continuously: takes one token and returns
   * 0 when allowed, else the whole seconds to wait (for `Retry-After`). `perMinute` ≤ 0 allows everything.
   */
  takeToken(bucket: string, perMinute: number, nowMs: number): Promise<number>;
  /** Like `takeToken` without spending one: 0 when a token is left, else the whole seconds until one is. */
  peekToken(bucket: string, perMinute: number, nowMs: number): Promise<number>;
  /** The live turns of a conversation, oldest first (empty when none or idle longer than `ttlMs`). */
  history(key: string, ttlMs: number, nowMs: number): Promise<ChatTurn[]>;
  /** Appends turns to a conversation (a conversation idle longer than `ttlMs` starts afresh), keeping the last `maxTurns`. */
  appendHistory(key: string, turns: ChatTurn[], opts: { maxTurns: number; ttlMs: number; nowMs: number }): Promise<void>;
  /** Claims a one-time value (a webhook delivery id): true the first time within `ttlMs`, false for a replay. */
  claimNonce(key: string, ttlMs: number, nowMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Seconds until a bucket that held `tokens` at `at` has one token again, refilling at `perMinute` (0 = now).
 * @example waitSeconds(4, 0, 0, 0) === 15
 */
export function waitSeconds(perMinute: number, tokens: number, at: number, now: number): number {
  if (perMinute <= 0) return 0;
  const perMs = perMinute / 60_000;
  const t = Math.min(perMinute, tokens + Math.max(0, now - at) * perMs);
  return t >= 1 ? 0 : Math.max(1, Math.ceil((1 - t) / perMs / 1000));
}

/** Drops the first-inserted keys of a Map until it holds at most `max`. */
function bound<K, V>(m: Map<K, V>, max: number): void {
  for (const k of m.keys()) {
    if (m.size <= max) break;
    m.delete(k);
  }
}

/**
 * Shared state held in this process only (one server).
 * @example const s = createMemorySharedState(); await s.takeToken('ip:10.0.0.1', 60, Date.now()) === 0
 */
export function createMemorySharedState(maxKeys = MAX_MEMORY_KEYS): SharedState {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const histories = new Map<string, { turns: ChatTurn[]; at: number }>();
  const nonces = new Map<string, number>();
  return {
    kind: 'memory',
    async takeToken(bucket, perMinute, now) {
      if (perMinute <= 0) return 0;
      const perMs = perMinute / 60_000;
      const b = buckets.get(bucket) ?? { tokens: perMinute, at: now };
      const tokens = Math.min(perMinute, b.tokens + Math.max(0, now - b.at) * perMs);
      const allowed = tokens >= 1;
      buckets.delete(bucket);
      buckets.set(bucket, { tokens: allowed ? tokens - 1 : tokens, at: now });
      bound(buckets, maxKeys);
      return allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
    },
    async peekToken(bucket, perMinute, now) {
      const b = buckets.get(bucket);
      return b ? waitSeconds(perMinute, b.tokens, b.at, now) : 0;
    },
    async history(key, ttlMs, now) {
      const e = histories.get(key);
      if (!e || now - e.at > ttlMs) return [];
      return [...e.turns];
    },
    async appendHistory(key, turns, { maxTurns, ttlMs, nowMs }) {
      const prev = histories.get(key);
      const live = prev && nowMs - prev.at <= ttlMs ? prev.turns : [];
      histories.delete(key);
      histories.set(key, { turns: [...live, ...turns].slice(-maxTurns), at: nowMs });
      bound(histories, maxKeys);
    },
    async claimNonce(key, ttlMs, now) {
      const until = nonces.get(key);
      if (until !== undefined && until > now) return false;
      nonces.delete(key);
      nonces.set(key, now + ttlMs);
      bound(nonces, maxKeys);
      return true;
    },
    async close() {},
  };
}

/**
 * A rate limiter (`take(client)` → 0 or seconds to wait) whose buckets live in `state`, so that every server
 * sharing the state enforces one limit per client.
 * @example const rl = sharedRateLimiter(state, 60); await rl.take('ip:10.0.0.1') === 0
 */
export function sharedRateLimiter(
  state: SharedState,
  perMinute: number,
  prefix = 'rate',
  now: () => number = Date.now,
): { take(client: string): Promise<number>; peek(client: string): Promise<number> } {
  return {
    take: (client) => state.takeToken(`${prefix}:${client}`, perMinute, now()),
    peek: (client) => state.peekToken(`${prefix}:${client}`, perMinute, now()),
  };
}

/** A conversation history store (bots' follow-ups) kept in `state`, so any server continues a conversation. */
export function sharedHistoryStore(
  state: SharedState,
  opts: { now: () => number; maxTurns: number; ttlMs: number; maxStoredChars: number },
): { get(key: string): Promise<ChatTurn[]>; append(key: string, question: string, answer: string): Promise<void> } {
  return {
    get: (key) => state.history(`history:${key}`, opts.ttlMs, opts.now()),
    append: (key, question, answer) =>
      state.appendHistory(
        `history:${key}`,
        [
          { role: 'user', content: question },
          { role: 'assistant', content: answer.slice(0, opts.maxStoredChars) },
        ],
        { maxTurns: opts.maxTurns, ttlMs: opts.ttlMs, nowMs: opts.now() },
      ),
  };
}
