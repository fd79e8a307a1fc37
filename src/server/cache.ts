// Answer cache per loaded engine: identical extractive questions (the common FAQ case) are answered without re-retrieval.
import type { Engine } from '../doc/types.ts';

export interface AnswerCache {
  /** The cached value for `key` on `engine`, or undefined. */
  get<T>(engine: Engine, key: string): T | undefined;
  set(engine: Engine, key: string, value: unknown): void;
}

/**
 * An LRU of at most `size` entries per engine. Entries hang off the engine object (WeakMap), so a hot-swapped
 * index starts with an empty cache and the old entries are collected with the old engine. `size` 0 disables it.
 * Only deterministic results may be stored (extractive answers, search passages): an LLM answer is never cached.
 * @example const cache = createAnswerCache(1000); cache.set(engine, 'ask:…', result)
 */
export function createAnswerCache(size: number): AnswerCache {
  const perEngine = new WeakMap<Engine, Map<string, unknown>>();
  return {
    get<T>(engine: Engine, key: string): T | undefined {
      const m = perEngine.get(engine);
      if (!m || !m.has(key)) return undefined;
      const v = m.get(key);
      // Refresh recency: Map iteration order is insertion order.
      m.delete(key);
      m.set(key, v);
      return v as T;
    },
    set(engine, key, value) {
      if (size <= 0) return;
      let m = perEngine.get(engine);
      if (!m) {
        m = new Map();
        perEngine.set(engine, m);
      }
      m.delete(key);
      m.set(key, value);
      if (m.size > size) m.delete(m.keys().next().value as string);
    },
  };
}

/** A cache key from JSON-able parts; questions are NFC-normalised and trimmed so trivial variants share an entry. */
export function cacheKey(...parts: unknown[]): string {
  return JSON.stringify(parts.map((p) => (typeof p === 'string' ? p.normalize('NFC').trim() : p)));
}
