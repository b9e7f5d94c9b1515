/**
 * `sipwall completion` in real shells: the script is sourced in bash (and zsh), and the shell's
 * own completion function is called the way the shell calls it on <TAB>, with sipwall (the built
 * bin/sipwall.cjs) on PATH.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../src/targets/registry.js';
import { toolsMissing } from '../helpers/tools.js';

const bin = mkdtempSync(join(tmpdir(), 'sipwall-completion-'));
writeFileSync(join(bin, 'sipwall'), `#!/bin/sh\nexec "${process.execPath}" "${join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs')}" "$@"\n`);
chmodSync(join(bin, 'sipwall'), 0o755);
const env = { PATH: `${bin}:${process.env.PATH}`, HOME: bin };

/** What the shell offers for `words` (the last is the word under the cursor). */
function bash(words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const script = `source <(sipwall completion) && COMP_WORDS=(${quoted}) && COMP_CWORD=${words.length - 1} && _sipwall_yargs_completions && printf '%s\\n' "\${COMPREPLY[@]}"`;
  const run = spawnSync('bash', ['-c', script], { env: { ...env, SHELL: '/bin/bash' }, encoding: 'utf8', timeout: 20_000 });
  expect(run.stderr).toBe('');
  return run.stdout.split('\n').filter((l) => l !== '');
}

const targets = [...TARGETS.map((t) => t.meta.id), 'all', 'list'];

describe.skipIf(toolsMissing('bash'))('sipwall completion in bash', () => {
  it('prints a bash script that registers itself for sipwall', () => {
    const run = spawnSync(join(bin, 'sipwall'), ['completion'], { env: { ...env, SHELL: '/bin/bash' }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('complete -o bashdefault -o default -F _sipwall_yargs_completions sipwall');
  });

  it('sipwall ren<TAB> completes to render', () => {
    expect(bash(['sipwall', 'ren'])).toEqual(['render']);
    expect(bash(['sipwall', 'pro'])).toEqual(['providers', 'probe']);
  });

  it('--target <TAB> offers every target; a prefix narrows it', () => {
    expect(bash(['sipwall', 'render', '--target', ''])).toEqual(targets);
    expect(bash(['sipwall', 'render', '-t', 'ip'])).toEqual(['iptables']);
    expect(bash(['sipwall', 'render', '--pbx', ''])).toEqual(['asterisk', 'freepbx', 'freeswitch', '3cx']);
    expect(bash(['sipwall', 'render', '-p', 'fl'])).toEqual(['flynumber']);
  });

  it("a command's flags and a flag's declared choices come from yargs", () => {
    expect(bash(['sipwall', 'render', '--pf'])).toEqual(['--pfsense-config', '--pfsense-after']);
    expect(bash(['sipwall', 'render', '--direction', ''])).toEqual(['in', 'out', 'both']);
    expect(bash(['sipwall', 'probe', ''])).toEqual(['sip', 'rtp']);
  });
});

describe.skipIf(toolsMissing('zsh'))('sipwall completion in zsh', () => {
  it('prints a zsh script; sourced in zsh, its function hands the targets to _describe', () => {
    // compdef and _describe belong to zsh's completion system, which needs a terminal: stand-ins
    // record what the script gives them.
    const script = [
      'compdef() { print -r -- "compdef $*" }',
      '_describe() { print -rl -- "${(@P)2}" }',
      'source <(sipwall completion)',
      "words=(sipwall render --target f); CURRENT=4; BUFFER='sipwall render --target f'; CURSOR=25",
      '_sipwall_yargs_completions',
    ].join('\n');
    const run = spawnSync('zsh', ['-f', '-c', script], { env: { ...env, SHELL: '/usr/bin/zsh' }, encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').filter((l) => l !== '')).toEqual(['compdef _sipwall_yargs_completions sipwall', 'firewalld', 'freeswitch']);
  });
});
