/**
 * One entry of an error catalogue: what the error is about (an option, or a thing the data names),
 * the problem and the fix, as functions of the data it is built from, with example data for the
 * test and docs/errors.md. Pure.
 */
import { InputError } from '../net/errors.js';

export interface Entry<D> {
  /** What the error is about: an option, or a thing the data names (a set, a file). */
  readonly input: (data: D) => string;
  readonly problem: (data: D) => string;
  readonly fix: (data: D) => string;
  /** Data the catalogue's test and docs/errors.md render the entry with. */
  readonly example: D;
}

export const entry = <D>(e: Entry<D>): Entry<D> => e;

/** An entry of any data type, as a table holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own data type
export type AnyEntry = Entry<any>;

/** Entry `code` of `table` rendered with `data`, as an InputError (exit 2, nothing written). */
export function raise<T extends Record<string, AnyEntry>, C extends keyof T & string>(table: T, code: C, data: T[C]['example']): InputError {
  const e = table[code]!;
  return new InputError(e.input(data), e.problem(data), e.fix(data), code);
}
