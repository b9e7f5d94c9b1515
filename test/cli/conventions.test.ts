/**
 * Conventions users expect of a CLI (issue 15): --json on every command that prints a result,
 * --quiet/-q leaving out warnings and notes (never errors), and no colour codes but the probe
 * spinner's (NO_COLOR: test/probe/terminal.test.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

/** The commands that print a result (the others run as services or print a script). */
const RESULTS = ['render', 'providers', 'probe sip', 'probe rtp', 'watch', 'history', 'diagnose'];

describe('CLI conventions', () => {
  it.each(RESULTS)('%s has --json', async (command) => {
    const help = await runCli([...command.split(' '), '--help']);
    expect(help.stdout).toMatch(/^\s+--json\s.*\[boolean\]/m);
  });

  it('every command has --quiet (-q), from the top level', async () => {
    for (const command of [...RESULTS, 'responder', 'exporter']) {
      const help = await runCli([...command.split(' '), '--help']);
      expect(help.stdout, command).toMatch(/^\s+-q, --quiet\s.*\[boolean\]/m);
    }
  });

  it('--quiet leaves out warnings and "wrote" notes; the files are written, errors still said', async () => {
    const loud = await runCli(['render', '-p', 'flynumber', '--target', 'iptables', '--out', '/out']);
    expect(loud.stderr).toMatch(/^sipwall: warning: /m);
    expect(loud.stderr).toMatch(/^sipwall: wrote /m);
    const quiet = await runCli(['render', '-q', '-p', 'flynumber', '--target', 'iptables', '--out', '/out']);
    expect([quiet.code, quiet.stderr]).toEqual([0, '']);
    // The same rules (the header's command line differs by the -q).
    const body = (files: Array<{ content: string }>) => files.map((f) => f.content.replace(/^# Command: .*$/m, ''));
    expect(body(quiet.written)).toEqual(body(loud.written));
    const bad = await runCli(['render', '--quiet', '-p', 'nosuch', '--target', 'nftables']);
    expect([bad.code, bad.stderr]).toEqual([2, 'sipwall: --provider: unknown provider "nosuch"; use one of flynumber, vapi, or --profile FILE\n']);
  });

  it('--quiet through the real file system: the folder is written and stderr stays empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipwall-quiet-'));
    let stderr = '';
    const code = await main(['render', '-q', '-p', 'flynumber', '--target', 'iptables', '--out', dir], { ...nodeIo, stderr: (t) => void (stderr += t) });
    expect([code, stderr]).toEqual([0, '']);
    expect(readFileSync(join(dir, 'iptables.rules.v4'), 'utf8')).toContain('-A SIPWALL-IN');
  });

  it('no command writes colour codes (SGR escapes) outside the probe spinner', async () => {
    const runs = await Promise.all([
      runCli(['render', '-p', 'flynumber', '--target', 'nftables']),
      runCli(['providers']),
      runCli(['render', '--help']),
      runCli(['render', '-p', 'nosuch', '--target', 'nftables']),
    ]);
    for (const run of runs) expect(run.stdout + run.stderr).not.toContain(`${String.fromCharCode(27)}[`);
  });
});
