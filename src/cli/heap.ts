/**
 * The long-running commands (exporter, watch, responder) keep V8's young generation at its start
 * size. By default it grows up to 16 MiB a semi-space (three of them: 48 MiB) under a burst of
 * requests and stays there: 200 concurrent `/probe` requests took the exporter from 55 MB to
 * 88-94 MB resident, at 74-75 MB with this, for the same latency (BENCHMARKS.md, issue 13).
 * `--max-semi-space-size` is fixed when the heap is made, but the growth factor is read each time
 * the new space grows (V8 src/heap/new-spaces.cc, SemiSpaceNewSpace::Grow), so it can be set here.
 */
import { createRequire } from 'node:module';

const SERVICES = new Set(['exporter', 'watch', 'responder']);

/**
 * Whether a process runs a service: its command (the first argument that is not an option) is
 * one, and it was not asked only for help or the version (a service's `--help` is a command that
 * prints and exits: no flag to set, and its output goes to the descriptors, stdio.ts).
 */
export function isService(argv: readonly string[]): boolean {
  return SERVICES.has(argv.find((a) => !a.startsWith('-')) ?? '') && !argv.some((a) => a === '--help' || a === '--version');
}

export function keepYoungGenerationSmall(): void {
  // node:v8 is loaded here only (a require, not an import, which would load it at every start:
  // with the stream modules it brings, 3-4 ms of every other command's start-up).
  const { setFlagsFromString } = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  setFlagsFromString('--semi-space-growth-factor=1');
}
