/**
 * The catalogue of render's warnings (src/errors/warnings.ts): every entry renders from its
 * example as one line; every flag a text names is one the CLI has; every entry is raised
 * somewhere, and the core pushes no warning text of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warning, WARNINGS, type WarningCode } from '../../src/errors/warnings.js';
import { runCli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CODES = Object.keys(WARNINGS) as WarningCode[];
const text = (code: WarningCode) => warning(code, WARNINGS[code].example as never);
const sources = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));

describe('the warning catalogue', () => {
  it.each(CODES)('%s renders from its example as one line', (code) => {
    expect(text(code).length).toBeGreaterThan(20);
    expect(text(code)).not.toMatch(/\bundefined\b|\bNaN\b|\[object|\n/);
  });

  it('names only flags the CLI has', async () => {
    const help = (await runCli(['render', '--help'])).stdout;
    const named = new Set(CODES.flatMap((code) => text(code).match(/--[a-z][a-z-]*/g) ?? []));
    expect(named.size).toBeGreaterThan(5);
    for (const option of named) expect(help, option).toMatch(new RegExp(`^\\s+(-\\w, )?${option}\\b`, 'm'));
  });

  it('every entry is raised, and the core pushes no warning text of its own', () => {
    const all = sources('src').join('\n');
    for (const code of CODES) expect(all, code).toContain(`warning('${code}'`);
    const core = [...sources('src/policy'), ...sources('src/targets'), ...sources('src/providers')].join('\n');
    expect(core).not.toMatch(/(warnings|widened)\.push\(\s*['`"]/);
    expect(core).not.toMatch(/warnings\s*[:=]\s*\[\s*['`"]/);
    expect(sources('src/policy').join('\n')).not.toMatch(/out\.push\(\s*['`"]/);
  });

  it('the texts reach the user unchanged: a wide RTP range and a standalone ruleset', async () => {
    const r = await runCli(['render', '-p', 'flynumber', '--target', 'nftables', '--rtp-ports', '1-65535']);
    expect(r.stderr).toContain(`sipwall: warning: ${warning('W_STANDALONE', {})}\n`);
    expect(r.stderr).toMatch(/sipwall: warning: the RTP range 1-65535 opens 65535 UDP ports to the providers' media addresses: a PBX uses at most 32768 .*; give its real range with --pbx or --rtp-ports\n/);
  });
});
