/** What a command handler gets: the outside world and the exact command line. */
import type { Provider } from '../providers/types.js';
import { shellWord } from '../targets/quote.js';
import type { Io } from './io.js';

export interface Context {
  readonly io: Io;
  /** The command line as typed, shell-quoted, for the output header. */
  readonly command: string;
  /** Parses a user profile (loaded lazily: yaml and zod cost start-up time). */
  readonly parseProfile: (text: string, fileName: string) => Provider;
}

export function quoteCommand(argv: readonly string[]): string {
  return ['sipwall', ...argv].map(shellWord).join(' ');
}
