// The HTTP error kind: a status plus a stable code; only the app's error handler turns it into a response.
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { AppError } from '../errors.ts';

/** Seconds a client is asked to wait (`Retry-After`) while the database is unreachable. */
export const DB_RETRY_AFTER_S = 5;

/** Stable error codes of the HTTP API (`{ "error": { "code", "message" } }`). */
export type HttpErrorCode =
  | 'bad_input'
  | 'unauthorized'
  | 'not_found'
  | 'payload_too_large'
  | 'rate_limited'
  | 'internal'
  | 'index_unavailable'
  | 'database_unavailable'
  | 'overloaded';

/** Thrown by routes and middleware; `message` is shown to the client, so it must name the bad value and nothing internal. */
export class HttpError extends HTTPException {
  readonly code: HttpErrorCode;
  readonly headers: Record<string, string>;
  constructor(status: ContentfulStatusCode, code: HttpErrorCode, message: string, headers: Record<string, string> = {}) {
    super(status, { message });
    this.code = code;
    this.headers = headers;
  }
}

/** A 400 naming the first invalid field of a zod failure, e.g. `question: must not be empty`. */
export function badInput(err: ZodError, where: 'body' | 'query' = 'body'): HttpError {
  const issue = err.issues[0];
  if (!issue) return new HttpError(400, 'bad_input', `invalid ${where}`);
  const field = issue.path.length ? issue.path.map(String).join('.') : where;
  if (issue.code === 'unrecognized_keys') {
    // Strict schemas: name the unknown keys (shortened; they are client-written) rather than zod's wording.
    const what = where === 'query' ? 'parameter' : 'field';
    const names = issue.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ');
    return new HttpError(400, 'bad_input', `${field}: ${names}: unknown ${what}${issue.keys.length > 1 ? 's' : ''}`);
  }
  return new HttpError(400, 'bad_input', `${field}: ${issue.message}`);
}

/**
 * Maps anything thrown inside a request to what the client may see. Application errors with a
 * user-facing meaning keep their message; everything else becomes a generic 500 (the cause is logged
 * by the caller, never returned).
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code: HttpErrorCode = status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : status < 500 ? 'bad_input' : 'internal';
    return new HttpError(status, code, status < 500 ? err.message || code : 'internal error');
  }
  if (err instanceof AppError) {
    if (err.code === 'bad_input') return new HttpError(400, 'bad_input', err.message);
    if (err.code === 'not_found') return new HttpError(404, 'not_found', err.message);
    // The shared database is down: a transient condition, retried by the client (the message names a host: log only).
    if (err.code === 'db_unavailable') return new HttpError(503, 'database_unavailable', 'the database is unreachable; try again shortly', { 'retry-after': String(DB_RETRY_AFTER_S) });
    // index_missing / index_corrupt / index_mismatch messages name server paths: keep them in the log.
    if (err.code.startsWith('index_')) return new HttpError(500, 'index_unavailable', 'the index is not available; an administrator needs to rebuild it');
  }
  return new HttpError(500, 'internal', 'internal error');
}

/** 413 for a body over the configured limit. */
export function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `request body is larger than ${limit} bytes`);
}
