/**
 * Shell completion (`sipwall completion`, yargs' bash and zsh scripts): commands and flags come
 * from yargs; the values of the flags that name one of sipwall's own lists (targets, providers,
 * PBX presets) from here, since those lists are checked by sipwall rather than declared as yargs
 * choices.
 */
import { PBX_PRESETS } from '../providers/pbx.js';
import { BUILTIN_PROFILES } from '../providers/builtin.js';
import { TARGETS } from '../targets/registry.js';

const targets = () => [...TARGETS.map((t) => t.meta.id), 'all', 'list'];
const providers = () => BUILTIN_PROFILES.map((p) => p.id);
const presets = () => Object.keys(PBX_PRESETS);

/** The flags whose values complete from a list, by every spelling. */
const VALUES: Record<string, () => string[]> = { '--target': targets, '-t': targets, '--provider': providers, '-p': providers, '--pbx': presets };

/**
 * A yargs completion function (the four-argument form: yargs' own completion as the fallback).
 * `words` are what was typed after the program name, the last being the word under the cursor.
 */
export function completer(words: readonly string[]) {
  return (current: string, _argv: unknown, fallback: () => void, done: (completions: string[]) => void): void => {
    const previous = words[words.length - 2];
    const list = previous === undefined ? undefined : VALUES[previous];
    if (list) done(list().filter((v) => v.startsWith(current)));
    else fallback();
  };
}
