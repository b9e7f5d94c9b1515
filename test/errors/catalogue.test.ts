/**
 * The catalogue of the core's errors (src/errors/catalogue.ts): every entry renders from its
 * example as one line with the input, the problem and the fix; every flag a text names is one the
 * CLI has; every entry is raised somewhere, and the core raises no error outside the catalogue.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, coreError, type Code } from '../../src/errors/catalogue.js';
import { withGenerated } from '../../src/targets/describe.js';
import { runCli } from '../helpers/cli.js';
import { errorsDocs } from '../../scripts/errors-docs.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CODES = Object.keys(CATALOGUE) as Code[];
const sources = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));

describe('the error catalogue', () => {
  it.each(CODES)('%s renders from its example: input, problem and fix on one line', (code) => {
    const error = coreError(code, CATALOGUE[code].example as never);
    expect(error.code).toBe(code);
    for (const part of [error.input, error.problem, error.fix]) {
      expect(part.length).toBeGreaterThan(0);
      expect(part).not.toMatch(/\bundefined\b|\bNaN\b|\n/);
    }
    expect(error.message).toBe(`${error.input}: ${error.problem}; ${error.fix}`);
  });

  it('names only flags the CLI has', async () => {
    const help = (await runCli(['render', '--help'])).stdout;
    const named = new Set(CODES.flatMap((code) => exampleText(code).match(/--[a-z][a-z-]*/g) ?? []));
    expect(named.size).toBeGreaterThan(10);
    for (const option of named) expect(help, option).toMatch(new RegExp(`^\\s+(-\\w, )?${option}\\b`, 'm'));
  });

  it('every entry is raised by the core, and the core raises nothing outside the catalogue', () => {
    const core = [...sources('src/policy'), ...sources('src/targets')].join('\n');
    for (const code of CODES) expect(core, code).toContain(`coreError('${code}'`);
    expect(core).not.toMatch(/new (TargetError|InputError)\(/);
  });

  it('docs/errors.md lists every entry as the CLI prints it (npm run docs)', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
    expect(withGenerated(docs, errorsDocs()), 'docs/errors.md is out of date: run npm run docs').toBe(docs);
  });
});

function exampleText(code: Code): string {
  return coreError(code, CATALOGUE[code].example as never).message;
}
