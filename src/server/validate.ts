// Request validation shared by the routes: strict query strings and bodies, real calendar dates, NFC path parameters.
import type { Context } from 'hono';
import { z } from 'zod';
import { badInput, HttpError } from './errors.ts';

/** `YYYY-MM-DD`. Example: `2025-12-31`. */
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a `YYYY-MM-DD` string naming a day that exists (2024-02-29 yes, 2024-02-30 no). */
export function isRealDate(s: string): boolean {
  const m = ISO_DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** A calendar date `YYYY-MM-DD` that exists. */
export const isoDate = z.string().refine(isRealDate, 'must be a real date YYYY-MM-DD');

/**
 * The query string as a prototype-free record (last value wins). Hono's `c.req.query()` returns a plain object,
 * where `__proto__` or `constructor` would collide with Object.prototype.
 */
export function queryRecord(c: Context): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const search = new URL(c.req.url).searchParams;
  // NFC like path parameters: a filter typed on a keyboard that sends decomposed Vietnamese still matches.
  for (const [k, v] of search) out[k.normalize('NFC')] = v.normalize('NFC');
  return out;
}

/** A 400 naming the unknown keys and the accepted ones. */
function unknownKeys(keys: string[], allowed: string[], what: 'parameter' | 'field', where: string): HttpError {
  const names = keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ');
  const prefix = where ? `${where}: ` : '';
  return new HttpError(400, 'bad_input', `${prefix}${names}: unknown ${what}${keys.length > 1 ? 's' : ''} (use ${allowed.join(', ')})`);
}

/** Keys of `o` that `shape` does not declare (own keys only, so `constructor` and `__proto__` count as unknown). */
export function extraKeys(o: object, shape: object): string[] {
  return Object.keys(o).filter((k) => !Object.hasOwn(shape, k));
}

/**
 * Parses the query string with a schema whose shape lists every accepted parameter; unknown parameters are a 400
 * naming them, invalid values a 400 naming the parameter.
 * @example const q = parseQuery(c, z.object({ include: z.enum(['text']).optional() }))
 */
export function parseQuery<S extends z.ZodObject>(c: Context, schema: S, raw: Record<string, string> = queryRecord(c)): z.output<S> {
  const extra = extraKeys(raw, schema.shape);
  if (extra.length) throw unknownKeys(extra, Object.keys(schema.shape), 'parameter', '');
  const r = schema.safeParse({ ...raw });
  if (!r.success) throw badInput(r.error, 'query');
  return r.data;
}

/** Parses a JSON body with a strict schema: unknown fields (at any depth) and invalid values are a 400 naming them. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw badInput(r.error, 'body');
  return r.data;
}

/** A path parameter as the index spells it: percent-decoded by the router, then NFC (macOS and some keyboards send NFD). */
export function nfc(s: string): string {
  return s.normalize('NFC');
}
