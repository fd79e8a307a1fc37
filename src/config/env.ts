// Building blocks for the environment schema: blank means unset, whole numbers in a range, lists, URLs, flags.
import { z } from 'zod';

/** An unset or blank variable counts as "not set", so `.env` files with `X=` behave like missing lines. */
export const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** An optional trimmed string; blank = unset. */
export const optionalString = (inner: z.ZodType<string, string> = z.string().trim()) => z.preprocess(blankToUndefined, inner.optional());

/** A whole number, e.g. `8787`. */
const WHOLE_NUMBER_RE = /^\d+$/;

/** A whole number in [min, max], optional (the slice applies the default). Example: `PORT=8787`. */
export const intVar = (min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(WHOLE_NUMBER_RE, 'must be a whole number')
      .transform(Number)
      .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`)
      .optional(),
  );

/** A decimal number, e.g. `0.3` or `-1`. */
const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

/** A decimal number in [min, max], optional. Example: `LLM_TEMPERATURE=0.3`. */
export const numberVar = (min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(DECIMAL_RE, 'must be a number')
      .transform(Number)
      .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`)
      .optional(),
  );

/** Comma-separated list; blank entries dropped. Example: `API_KEYS=key-one,key-two`. */
export const listVar = z.preprocess(blankToUndefined, z.string().optional()).transform((v) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Yes/no flag: 1/0, true/false, yes/no; blank = unset. */
export const flagVar = z.preprocess(blankToUndefined, z.enum(['0', '1', 'true', 'false', 'yes', 'no']).optional()).transform((v) =>
  v === undefined ? undefined : v === '1' || v === 'true' || v === 'yes',
);

/** An http(s) scheme, e.g. the `https://` of `https://pc.example.gov.vn`. */
const HTTP_SCHEME_RE = /^https?:\/\//i;
/** Trailing slashes, e.g. the `/` of `https://pc.example.gov.vn/`. */
const TRAILING_SLASHES_RE = /\/+$/;

/** An http(s) URL; trailing slashes are dropped so paths can be appended. */
export const httpUrl = z
  .string()
  .trim()
  .url('must be an http(s) URL')
  .refine((u) => HTTP_SCHEME_RE.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(TRAILING_SLASHES_RE, ''));
