/**
 * An error caused by what the user gave us (a flag, a profile, a CIDR). The CLI prints
 * `message` as one line and exits with code 2; nothing is written.
 */
export class InputError extends Error {
  /** The input the error is about, e.g. `--rtp-ports` or `profile roles.sip.sources[2]`. */
  readonly input: string;
  /** What is wrong with it. */
  readonly problem: string;
  /** What the user should do instead. */
  readonly fix: string;
  /** The catalogue entry it comes from (src/errors/, docs/errors.md). */
  readonly code: string;
  constructor(input: string, problem: string, fix: string, code = 'E_INPUT') {
    super(`${input}: ${problem}; ${fix}`);
    this.name = 'InputError';
    this.input = input;
    this.problem = problem;
    this.fix = fix;
    this.code = code;
  }
}
