// The application's typed error: a stable `code` for callers, a message that names the bad value.

export type AppErrorCode =
  | 'index_missing'
  | 'index_corrupt'
  | 'index_mismatch'
  | 'bad_input'
  | 'not_found'
  | 'config'
  | 'ingest_failed'
  | 'llm_unavailable'
  | 'db_unavailable';

/** Raised by the pipeline; only the server's error handler and the CLI turn it into output. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}
