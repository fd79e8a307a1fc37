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

/**
 * One row of the configuration table: the config field it fills, its schema (which applies the default),
 * the default as the README shows it (`—` for none) and the README's line on its meaning.
 */
export interface EnvRow<F extends string = string, S extends z.ZodType = z.ZodType> {
  field: F;
  schema: S;
  shown: string;
  doc: string;
}

/** A table of environment variables by name. */
export type EnvTable = Record<string, EnvRow>;

/**
 * A row of the table; `shown` is the README's default column.
 * @example row('port', withDefault(intVar(0, 65535), 8787), '`8787`', 'HTTP port')
 */
export const row = <F extends string, S extends z.ZodType>(field: F, schema: S, shown: string, doc: string): EnvRow<F, S> => ({ field, schema, shown, doc });

/** The schema with `value` in place of unset. */
export const withDefault = <S extends z.ZodType, D extends NonNullable<z.output<S>>>(schema: S, value: D) =>
  schema.transform((v): NonNullable<z.output<S>> => (v ?? value) as NonNullable<z.output<S>>);

/** The zod shape of a table: variable name → schema. */
export function shapeOf<T extends EnvTable>(table: T): { [K in keyof T]: T[K]['schema'] } {
  return Object.fromEntries(Object.entries(table).map(([name, r]) => [name, r.schema])) as { [K in keyof T]: T[K]['schema'] };
}

/** Parsed values of a table's variables, keyed by the table's field names. */
export type SliceOf<T extends EnvTable> = { [K in keyof T as T[K]['field']]: z.output<T[K]['schema']> };

/** Takes a table's parsed variables out of the parsed environment, under their field names. */
export function sliceOf<T extends EnvTable>(table: T, parsed: Record<string, unknown>): SliceOf<T> {
  return Object.fromEntries(Object.entries(table).map(([name, r]) => [r.field, parsed[name]])) as SliceOf<T>;
}

/**
 * The README configuration table's rows for these tables, in order.
 * @example readmeRows({ PORT: row('port', intVar(0, 65535), '`8787`', 'HTTP port') })[0] === '| `PORT` | `8787` | HTTP port |'
 */
export function readmeRows(...tables: EnvTable[]): string[] {
  return tables.flatMap((t) => Object.entries(t).map(([name, r]) => `| \`${name}\` | ${r.shown} | ${r.doc} |`));
}
