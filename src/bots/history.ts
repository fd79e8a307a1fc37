// Per-conversation chat history for follow-up questions: bounded in turns, conversations and age.
import type { ChatTurn } from '../doc/types.ts';

/** Turns (questions and answers) kept per conversation: the last 3 exchanges are plenty for follow-ups. */
export const MAX_HISTORY_TURNS = 6;
/** A conversation idle this long starts afresh (ms). */
export const HISTORY_TTL_MS = 30 * 60_000;
/** Conversations held in memory at most; the least recently used one is dropped first. */
export const MAX_CONVERSATIONS = 5000;
/** Stored answers are cut to this many characters: the engine only needs their gist for follow-ups. */
export const MAX_STORED_ANSWER_CHARS = 2000;

export interface HistoryStore {
  /** The live turns of a conversation, oldest first (empty when none or expired). */
  get(key: string): ChatTurn[];
  /** Records one question and its answer. */
  append(key: string, question: string, answer: string): void;
  /** Number of conversations held. */
  size(): number;
}

export interface HistoryOptions {
  now: () => number;
  maxTurns?: number;
  ttlMs?: number;
  maxConversations?: number;
}

/**
 * An in-memory history store. Process-local by design: bot follow-ups are short-lived, and a replica that
 * did not see the previous question just answers the new one on its own.
 * @example const h = createHistoryStore({ now: Date.now }); h.append('telegram:42', 'Q', 'A'); h.get('telegram:42').length === 2
 */
export function createHistoryStore(opts: HistoryOptions): HistoryStore {
  const maxTurns = opts.maxTurns ?? MAX_HISTORY_TURNS;
  const ttl = opts.ttlMs ?? HISTORY_TTL_MS;
  const maxConversations = opts.maxConversations ?? MAX_CONVERSATIONS;
  // Map iteration order is insertion order: re-inserting on use makes the first key the least recently used.
  const store = new Map<string, { turns: ChatTurn[]; at: number }>();
  return {
    get(key) {
      const e = store.get(key);
      if (!e) return [];
      if (opts.now() - e.at > ttl) {
        store.delete(key);
        return [];
      }
      return [...e.turns];
    },
    append(key, question, answer) {
      const now = opts.now();
      const prev = store.get(key);
      const live = prev && now - prev.at <= ttl ? prev.turns : [];
      const added: ChatTurn[] = [
        { role: 'user', content: question },
        { role: 'assistant', content: answer.slice(0, MAX_STORED_ANSWER_CHARS) },
      ];
      const turns = [...live, ...added].slice(-maxTurns);
      store.delete(key);
      store.set(key, { turns, at: now });
      while (store.size > maxConversations) {
        const oldest = store.keys().next().value;
        if (oldest === undefined) break;
        store.delete(oldest);
      }
    },
    size() {
      return store.size;
    },
  };
}
