/**
 * The error catalogue (src/errors/): every entry of every table renders from its example as one
 * line with the input, the problem and the fix; codes are unique; every flag a text names is one
 * the CLI has; every entry is raised somewhere, and nothing outside src/errors makes an error
 * text of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_TABLES, exampleOf } from '../../src/errors/all.js';
import { CATALOGUE, coreError, type Code } from '../../src/errors/catalogue.js';
import { withGenerated } from '../../src/targets/describe.js';
import { runCli } from '../helpers/cli.js';
import { errorsDocs } from '../../scripts/errors-docs.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TABLES = Object.values(ERROR_TABLES);
const ENTRIES = TABLES.flatMap((table) => Object.entries(table));
const RAISERS = new Map<object, string>([
  [ERROR_TABLES['policy and targets (src/errors/catalogue.ts)'], 'coreError'],
  [ERROR_TABLES['addresses, ports, documents and profiles (src/errors/input.ts)'], 'inputError'],
  [ERROR_TABLES['the command line and render (src/errors/cli.ts)'], 'cliError'],
  [ERROR_TABLES['probe, responder, watch, history and diagnose (src/errors/commands.ts)'], 'commandError'],
]);
const files = (dir: string) =>
  readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => ({ path: join(e.parentPath, e.name), text: readFileSync(join(e.parentPath, e.name), 'utf8') }));
/** Every command's help, where a flag named in an error must appear. */
const HELP = ['render', 'providers', 'probe sip', 'probe rtp', 'responder', 'watch', 'history', 'diagnose', 'exporter', 'lint', 'apply', 'remove'];

describe('the error catalogue', () => {
  it.each(ENTRIES.map(([code, e]) => [code, e] as const))('%s renders from its example: input, problem and fix on one line', (_code, e) => {
    const { input, problem, fix, message } = exampleOf(e);
    for (const part of [input, problem, fix]) {
      expect(part.length).toBeGreaterThan(0);
      expect(part).not.toMatch(/\bundefined\b|\bNaN\b|\n/);
    }
    expect(message.split('; ').length).toBeGreaterThanOrEqual(2);
  });

  it('codes are unique across the tables, and each table raises through its own function', () => {
    const codes = ENTRIES.map(([code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThan(130);
    expect(RAISERS.size).toBe(TABLES.length);
  });

  it('a raised error carries its code, and its message is the entry text', () => {
    const error = coreError('E_PROVIDER_TWICE', { id: 'acme' });
    expect([error.code, error.message]).toEqual(['E_PROVIDER_TWICE', exampleOf({ ...CATALOGUE.E_PROVIDER_TWICE, example: { id: 'acme' } }).message]);
  });

  it('names only flags sipwall has: the core and render errors those of render, the others those of some command', async () => {
    const help = (await Promise.all(HELP.map(async (c) => (await runCli([...c.split(' '), '--help'])).stdout))).join('\n');
    const render = (await runCli(['render', '--help'])).stdout;
    const flagsOf = (table: object) => new Set(Object.values(table).flatMap((e) => exampleOf(e).message.match(/--[a-z][a-z-]*/g) ?? []));
    const has = (text: string, option: string) => new RegExp(`^\\s+(-\\w, )?${option}\\b`, 'm').test(text);
    for (const option of flagsOf(CATALOGUE)) expect(has(render, option), option).toBe(true);
    const all = new Set(TABLES.flatMap((t) => [...flagsOf(t)]));
    expect(all.size).toBeGreaterThan(40);
    for (const option of all) expect(has(help, option), option).toBe(true);
  });

  it('every entry is raised, and nothing outside src/errors makes an error text of its own', () => {
    const src = files('src');
    const code = src.filter((f) => !f.path.includes('/src/errors/')).map((f) => f.text).join('\n');
    for (const [table, raiser] of RAISERS) for (const name of Object.keys(table)) expect(code, name).toContain(`${raiser}('${name}'`);
    const own = src.filter((f) => !f.path.includes('/src/errors/') && /new (TargetError|InputError)\(/.test(f.text)).map((f) => f.path);
    expect(own).toEqual([]);
  });

  it('docs/errors.md lists every entry as the CLI prints it (npm run docs)', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
    expect(withGenerated(docs, errorsDocs()), 'docs/errors.md is out of date: run npm run docs').toBe(docs);
  });
});

// The core's codes keep their type: a misspelt code does not compile.
export const _typed: Code = 'E_NO_PROVIDER';
