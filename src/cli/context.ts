/** What a command handler gets: the outside world and the exact command line. */
import { cliError } from '../errors/cli.js';
import type { Target } from '../targets/types.js';
import type { Provider } from '../providers/types.js';
import { shellWord } from '../text/shell-word.js';
import type { Io } from './io.js';
import { ReadLimitError } from './read.js';

export interface Context {
  readonly io: Io;
  /** The command line as typed, shell-quoted, for the output header. */
  readonly command: string;
  /** Parses a user profile (loaded lazily: js-yaml costs start-up time). */
  readonly parseProfile: (text: string, fileName: string, readFile: (name: string, where: string) => string) => Promise<Provider>;
  /** A warning or note on stderr (`sipwall: …`), which --quiet leaves out; errors use io.stderr. */
  readonly note: (line: string) => void;
  /** --quiet: no warnings, notes or progress. */
  readonly quiet: boolean;
  /** The targets render knows: the registry (a test may hand in one more, see test/targets/tester.ts). */
  readonly targets: readonly Target[];
}

export function quoteCommand(argv: readonly string[]): string {
  return ['sipwall', ...argv].map(shellWord).join(' ');
}

/** Bytes of an input file at most, unless a flag says otherwise (--max-profile-mib). */
export const DEFAULT_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a file the user named: a regular file of at most `maxBytes`. An unreadable one is bad
 * input (exit 2) that names the flag; `limitFix` says how to raise the limit where a flag can.
 */
export function readInput(ctx: Context, flag: string, file: string, fix: string, maxBytes = DEFAULT_INPUT_BYTES, limitFix = 'give a smaller file'): string {
  try {
    return ctx.io.readFile(file, maxBytes);
  } catch (error) {
    if (error instanceof ReadLimitError) throw cliError('E_READ_LIMIT', { flag, file: shellWord(file), problem: error.message, fix: error.code === 'EFBIG' ? limitFix : fix });
    throw cliError('E_READ', { flag, file: shellWord(file), code: (error as NodeJS.ErrnoException).code ?? 'unreadable', fix });
  }
}
