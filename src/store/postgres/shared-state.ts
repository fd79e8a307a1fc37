// SharedState in Postgres: every server of a deployment reads and updates the same rows, each change in one statement.
import type pg from 'pg';
import type { ChatTurn } from '../../doc/types.ts';
import { waitSeconds, type SharedState } from '../shared-state.ts';
import { inTransaction, isUnavailable, unavailableError } from './connect.ts';
import { ensureSchema, SCHEMA } from './schema.ts';

/** Expired buckets, conversations and nonces are deleted once every this many writes. */
export const SWEEP_EVERY = 500;

/**
 * Opens the shared state on a pool (creating its tables when the database has none yet).
 * @example const state = await createPostgresSharedState(pool, url); await state.claimNonce('telegram:1', 60_000, Date.now())
 */
export async function createPostgresSharedState(pool: pg.Pool, url: string): Promise<SharedState> {
  try {
    await inTransaction(pool, (c) => ensureSchema(c, { rebuild: false, url }));
  } catch (e) {
    if (isUnavailable(e)) throw unavailableError(url, e);
    throw e;
  }
  let writes = 0;
  const run = async <T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<T>> => {
    try {
      return await pool.query<T>(sql, params);
    } catch (e) {
      if (isUnavailable(e)) throw unavailableError(url, e);
      throw e;
    }
  };
  const sweep = async (nowMs: number) => {
    if (++writes % SWEEP_EVERY !== 0) return;
    // A bucket untouched for 10 minutes has refilled at any rate of at least one token per 10 minutes.
    await run(`DELETE FROM ${SCHEMA}.rate_buckets WHERE at_ms < $1`, [nowMs - 600_000]).catch(() => {});
    await run(`DELETE FROM ${SCHEMA}.nonces WHERE expires_ms < $1`, [nowMs]).catch(() => {});
    await run(`DELETE FROM ${SCHEMA}.histories WHERE at_ms < $1`, [nowMs - 24 * 3600_000]).catch(() => {});
  };
  return {
    kind: 'postgres',
    async takeToken(bucket, perMinute, nowMs) {
      if (perMinute <= 0) return 0;
      const perMs = perMinute / 60_000;
      // Refill since the last take, then take one token when at least one is there — one atomic upsert.
      const r = await run<{ tokens: number; allowed: boolean }>(
        `INSERT INTO ${SCHEMA}.rate_buckets AS b (key, tokens, at_ms, allowed) VALUES ($1, $2::float8 - 1, $3, true)
         ON CONFLICT (key) DO UPDATE SET
           tokens = CASE WHEN least($2::float8, b.tokens + greatest(0, $3 - b.at_ms) * $4::float8) >= 1
                         THEN least($2::float8, b.tokens + greatest(0, $3 - b.at_ms) * $4::float8) - 1
                         ELSE least($2::float8, b.tokens + greatest(0, $3 - b.at_ms) * $4::float8) END,
           allowed = least($2::float8, b.tokens + greatest(0, $3 - b.at_ms) * $4::float8) >= 1,
           at_ms = greatest(b.at_ms, $3)
         RETURNING tokens, allowed`,
        [bucket, perMinute, Math.round(nowMs), perMs],
      );
      await sweep(nowMs);
      const row = r.rows[0]!;
      return row.allowed ? 0 : Math.max(1, Math.ceil((1 - row.tokens) / perMs / 1000));
    },
    async peekToken(bucket, perMinute, nowMs) {
      if (perMinute <= 0) return 0;
      const r = await run<{ tokens: number; at_ms: string }>(`SELECT tokens, at_ms FROM ${SCHEMA}.rate_buckets WHERE key = $1`, [bucket]);
      const row = r.rows[0];
      return row ? waitSeconds(perMinute, row.tokens, Number(row.at_ms), nowMs) : 0;
    },
    async history(key, ttlMs, nowMs) {
      const r = await run<{ turns: ChatTurn[] }>(`SELECT turns FROM ${SCHEMA}.histories WHERE key = $1 AND at_ms >= $2`, [key, Math.round(nowMs - ttlMs)]);
      return r.rows[0]?.turns ?? [];
    },
    async appendHistory(key, turns, { maxTurns, ttlMs, nowMs }) {
      await run(
        `INSERT INTO ${SCHEMA}.histories AS h (key, turns, at_ms) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (key) DO UPDATE SET
           turns = (SELECT coalesce(jsonb_agg(e ORDER BY i), '[]'::jsonb)
                    FROM jsonb_array_elements(CASE WHEN $3 - h.at_ms <= $4 THEN h.turns || EXCLUDED.turns ELSE EXCLUDED.turns END)
                         WITH ORDINALITY AS x(e, i)
                    WHERE i > jsonb_array_length(CASE WHEN $3 - h.at_ms <= $4 THEN h.turns || EXCLUDED.turns ELSE EXCLUDED.turns END) - $5),
           at_ms = $3`,
        [key, JSON.stringify(turns.slice(-maxTurns)), Math.round(nowMs), ttlMs, maxTurns],
      );
      await sweep(nowMs);
    },
    async claimNonce(key, ttlMs, nowMs) {
      const r = await run(
        `INSERT INTO ${SCHEMA}.nonces AS n (key, expires_ms) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_ms = EXCLUDED.expires_ms WHERE n.expires_ms <= $3
         RETURNING key`,
        [key, Math.round(nowMs + ttlMs), Math.round(nowMs)],
      );
      await sweep(nowMs);
      return (r.rowCount ?? 0) > 0;
    },
    async close() {},
  };
}
