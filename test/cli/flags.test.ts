/**
 * Issue 11.8: every value-taking flag of every command, given repeated, empty, of the wrong type
 * or out of range, is one line naming it, exit 2, no stack trace and nothing written. The flags
 * come from each command's own --help, so a new flag is walked without touching this test.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** A run of each command that would succeed quickly (or fail as it does) were a bad flag let through. */
const BASE: Record<string, string[]> = {
  render: ['render', '-p', 'flynumber', '--target', 'nftables', '--out', '/nonexistent/never-written'],
  'probe sip': ['probe', 'sip', '127.0.0.1:9', '--timeout', '200'],
  'probe rtp': ['probe', 'rtp', '127.0.0.1', '--ports', '9-9', '--wait', '10', '--timeout', '200'],
  responder: ['responder', '--sip', 'udp:45123', '--bind', '127.0.0.1', '--duration', '0.05'],
  watch: ['watch', '--config', 'watch-refused.yaml', '--once'],
  history: ['history', '--dir', '/nonexistent/history', '--since', '1h'],
  // A config that does not exist: were a bad flag let through, the error would name --config.
  exporter: ['exporter', '--listen', '127.0.0.1:19877', '--config', 'no-such-config.yaml'],
  // A folder that does not exist: were a bad flag let through, the error would name --config-dir.
  diagnose: ['diagnose', 'config', '--config-dir', '/nonexistent/pbx-config'],
  // --dry-run: were a bad flag let through, it would print a diff and exit 0, changing nothing.
  apply: ['apply', '-p', 'flynumber', '--pbx', 'asterisk', '--dry-run'],
};

/** Each option of a command, from its --help: name, kind, and its choices if it has them. */
async function optionsOf(command: string): Promise<Array<{ name: string; kind: string; choices: boolean }>> {
  const help = await runCli([...command.split(' '), '--help']);
  const out: Array<{ name: string; kind: string; choices: boolean }> = [];
  for (const line of help.stdout.split('\n')) {
    const m = /^\s+(?:-\w, )?--([a-z][a-z-]*)\s.*\[(string|number|boolean|array)\]/.exec(line);
    if (m && !['help', 'version'].includes(m[1]!)) out.push({ name: m[1]!, kind: m[2]!, choices: line.includes('[choices:') });
  }
  return out;
}

/** The bad values for a flag of a kind: [what, argv]. */
function cases(name: string, kind: string, choices: boolean): Array<[string, string[]]> {
  const flag = `--${name}`;
  const sample = kind === 'number' ? '100' : choices ? '' : 'x';
  const list: Array<[string, string[]]> = [['empty', [`${flag}=`]]];
  if (kind !== 'array' && !choices) list.push(['repeated', [flag, sample, flag, sample]]);
  if (kind === 'number') list.push(['not a number', [flag, 'abc']], ['negative', [flag, '-1']], ['huge', [flag, '99999999999']], ['fractional', [flag, '0.5']]);
  if (choices) list.push(['not a choice', [flag, 'nosuch']]);
  return list;
}

/** Number flags for which a fraction is a fine value (seconds). */
const FRACTIONS_OK = new Set(['responder --duration']);

describe('bad values of every flag: one line, exit 2, nothing written', () => {
  for (const command of Object.keys(BASE)) {
    it(`${command}: every value-taking flag`, async () => {
      const options = (await optionsOf(command)).filter((o) => o.kind !== 'boolean');
      expect(options.length).toBeGreaterThan(0);
      for (const { name, kind, choices } of options) {
        for (const [what, argv] of cases(name, kind, choices)) {
          if (what === 'fractional' && FRACTIONS_OK.has(`${command} --${name}`)) continue;
          const run = await runCli([...BASE[command]!, ...argv]);
          const label = `${command} --${name} ${what}: ${run.stderr}`;
          expect(run.code, label).toBe(2);
          expect(run.stderr.trim().split('\n'), label).toHaveLength(1);
          expect(run.stderr, label).not.toMatch(/internal error|\n\s+at /);
          expect(run.stderr, label).toContain(`--${name}`);
          expect(run.written, label).toEqual([]);
          expect(run.stdout, label).toBe('');
        }
      }
    }, 120_000);
  }
});

describe('flags a target does not read are refused, never ignored', () => {
  it.each([
    [['--target', 'nftables', '--priority', '100'], '--priority: applies to target gcp, azure, not nftables'],
    [['--target', 'aws', '--interface', 'lan'], '--interface: applies to target pfsense, opnsense, not aws'],
    [['--target', 'nftables', '--ipset'], '--ipset: applies to target iptables, not nftables'],
    [['--target', 'opnsense', '--pfsense-config', 'pfsense-config.xml'], '--pfsense-config: applies to target pfsense, not opnsense'],
    [['--target', 'ufw', '--form', 'app', '--direction', 'both'], '--direction: ufw --form app filters inbound traffic only'],
  ])('%j', async (args, message) => {
    const run = await runCli(['render', '-p', 'flynumber', ...args, '--out', '/nonexistent/x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('an IPv6-only profile with --family ipv4 is told which family the providers have', async () => {
    const v6 = await runCli(['render', '-p', 'flynumber', '--pbx', 'asterisk', '--target', 'nftables', '--family', 'ipv6', '--out', 'x']);
    expect(v6.code).toBe(2);
    expect(v6.stderr).toMatch(/--family: no rule left for IPv6: the providers publish IPv4 addresses only; use --family ipv4/);
  });

  it('a profile key typo is named, with the field it probably meant', async () => {
    const run = await runCli(['render', '--profile', 'bad/typo.yaml', '--target', 'nftables', '--out', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/roles\.sip: unknown field adresses; did you mean addresses\?/);
  });
});
