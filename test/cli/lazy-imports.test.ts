/**
 * Issue 15, start-up: libraries only some runs need load on first use (a dynamic import), never
 * through a static import from the entry point. Read from the sources' static imports, so a
 * new `import { … } from 'zod'` on the way is caught here, before the benchmark notices.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');
/** `import x from 'y'`, `import 'y'`, `export … from 'y'`; not `import type`, not `import('y')`. */
const STATIC = /^(?:import|export)\s+(?!type\b)(?:[^;'"]*?\sfrom\s+)?'([^']+)';/gms;

/** Every package a module reaches through static imports, with the chain that reaches it. */
function packagesFrom(entry: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  // Modules still to read, each with its chain; every module is read once.
  const queue: Array<[string, string[]]> = [[join(SRC, entry), [entry]]];
  const seen = new Set([queue[0]![0]]);
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const [file, chain] = next;
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC)) {
      const module = spec!.startsWith('.') ? resolve(dirname(file), spec!.replace(/\.js$/, '.ts')) : undefined;
      if (module !== undefined && !seen.has(module)) {
        seen.add(module);
        queue.push([module, [...chain, spec!]]);
      } else if (module === undefined && !spec!.startsWith('node:') && !found.has(spec!)) found.set(spec!, chain);
    }
  }
  return found;
}

describe('libraries loaded on first use', () => {
  it('the CLI entry reaches neither zod, js-yaml, croner nor ora statically', () => {
    const packages = packagesFrom('cli/entry.ts');
    expect(packages.has('yargs')).toBe(true);
    for (const lazy of ['zod', 'zod/mini', 'zod/v4/core', 'js-yaml', 'croner', 'ora']) expect(packages.get(lazy), lazy).toBeUndefined();
  });

  it('a profile that passes its check loads js-yaml but not zod (zod words refusals only)', () => {
    const packages = packagesFrom('providers/profile-file.ts');
    expect(packages.has('js-yaml')).toBe(true);
    expect([...packages.keys()].filter((p) => p.startsWith('zod'))).toEqual([]);
  });
});
