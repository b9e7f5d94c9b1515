/**
 * Every error sipwall can stop with, one table per layer: the core's (catalogue.ts), what a user
 * writes (input.ts), the command line's (cli.ts) and the other commands' (commands.ts). Codes are
 * unique across them (a test checks). For docs/errors.md and the tests; code raises through the
 * layer's own function.
 */
import { CATALOGUE } from './catalogue.js';
import { CLI_ERRORS } from './cli.js';
import { COMMAND_ERRORS } from './commands.js';
import type { AnyEntry } from './entry.js';
import { INPUT_ERRORS } from './input.js';

export const ERROR_TABLES = {
  'policy and targets (src/errors/catalogue.ts)': CATALOGUE,
  'addresses, ports, documents and profiles (src/errors/input.ts)': INPUT_ERRORS,
  'the command line and render (src/errors/cli.ts)': CLI_ERRORS,
  'probe, responder, watch, history and diagnose (src/errors/commands.ts)': COMMAND_ERRORS,
} as const satisfies Record<string, Record<string, AnyEntry>>;

/** An entry of any table, rendered from its example as the CLI prints it (without `sipwall: `). */
export function exampleOf(e: AnyEntry): { input: string; problem: string; fix: string; message: string } {
  const input = e.input(e.example);
  const problem = e.problem(e.example);
  const fix = e.fix(e.example);
  return { input, problem, fix, message: `${input}: ${problem}; ${fix}` };
}
