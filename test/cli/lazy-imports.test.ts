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
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC)) {
      if (spec!.startsWith('.')) visit(resolve(dirname(file), spec!.replace(/\.js$/, '.ts')), [...chain, spec!]);
      else if (!spec!.startsWith('node:') && !found.has(spec!)) found.set(spec!, chain);
    }
  };
  visit(join(SRC, entry), [entry]);
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
