/** apply's pure parts: the scope, its snapshot and revert, the detectors, --keep, the record. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { droppingChains, managersOf } from '../../src/apply/detect.js';
import { accessFlows, parseKeep, sshSession } from '../../src/apply/keep.js';
import { parseRecord, removeScript, type AppliedRecord } from '../../src/apply/record.js';
import { normalize, parseSnapshot, revertScript, scopeOf, snapshotScript, wiped } from '../../src/apply/scope.js';
import { liveRuleset } from '../../src/diagnose/ruleset.js';
import { InputError } from '../../src/net/errors.js';

const TABLE = (rules: string) => `table inet filter {\n\tset admins {\n\t\ttype ipv4_addr\n\t\telements = { 198.51.100.1 }\n\t}\n\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n${rules}\t}\n}\n`;
const OWN = '\t\ttcp dport 22 counter packets 7 bytes 420 accept\n';
const JUMP = '\t\tjump sipwall_in comment "sipwall"\n';
const AFTER = `${TABLE(`${JUMP}${OWN}`).slice(0, -2)}\n\tchain sipwall_in {\n\t\tudp dport 5060 counter packets 0 bytes 0 accept\n\t}\n}\n`;
const snap = (tables: string, filter4?: string) => parseSnapshot(`%%table inet filter\n${tables}${filter4 === undefined ? '' : `%%filter 4\n${filter4}`}`);

/** `sh -n`: the script parses (a heredoc's end marker glued to `|| …` did not). */
function parses(script: string): boolean {
  return spawnSync('sh', ['-n'], { input: script }).status === 0;
}

describe('the scope and its snapshot', () => {
  it('is the table of --into, the standalone table, or the filter tables and the ipsets a script creates', () => {
    expect(scopeOf('nftables', 'nft -f - <<X\ntable inet sipwall\ndelete table inet sipwall\ntable inet sipwall {\n', [undefined, undefined]).tables).toEqual(['inet sipwall']);
    expect(scopeOf('nftables', 'add chain inet filter sipwall_in\n', ['inet/filter/input', 'inet/filter/output']).tables).toEqual(['inet filter']);
    const ipt = scopeOf('iptables', 'create sipwall-a hash:net\ncreate sipwall-a-tmp hash:net\ncreate sipwall-b hash:net\n', [undefined]);
    expect([ipt.tables, ipt.ipsets]).toEqual([[], ['sipwall-a', 'sipwall-b']]);
  });

  it('reads each part back, absent ones as absent; the snapshot script names every part', () => {
    const s = parseSnapshot('%%table inet sipwall\n%%absent\n%%filter 4\n*filter\n:INPUT ACCEPT [3:4]\nCOMMIT\n%%filter 6\n%%absent\n%%ipset sipwall-a\ncreate sipwall-a hash:net family inet initval 0x1234abcd\nadd sipwall-a 198.51.100.0/24\n');
    expect(s.tables).toEqual({ 'inet sipwall': undefined });
    expect(s.filter).toEqual({ 4: '*filter\n:INPUT ACCEPT [3:4]\nCOMMIT\n' });
    expect(s.ipsets['sipwall-a']).toMatch(/^create sipwall-a/);
    const script = snapshotScript({ target: 'iptables', tables: [], ipsets: ['sipwall-a'] });
    expect(script).toMatch(/iptables-save -c -t filter/);
    expect(script).toMatch(/ip6tables-save -c -t filter/);
    expect(script).toMatch(/ipset save sipwall-a/);
  });

  it('compares without counters, ipset seeds or member order: what a re-apply leaves equal', () => {
    const a = parseSnapshot('%%table inet filter\n\t\ttcp dport 22 counter packets 7 bytes 420 accept\n%%filter 4\n[5:300] -A INPUT -j ACCEPT\n:INPUT ACCEPT [5:300]\n%%ipset s\ncreate s hash:net initval 0x1\nadd s 198.51.100.2\nadd s 198.51.100.1\n');
    const b = parseSnapshot('%%table inet filter\n\t\ttcp dport 22 counter packets 0 bytes 0 accept\n%%filter 4\n[0:0] -A INPUT -j ACCEPT\n:INPUT ACCEPT [0:0]\n%%ipset s\ncreate s hash:net initval 0x2\nadd s 198.51.100.1\nadd s 198.51.100.2\n');
    expect(normalize(a)).toBe(normalize(b));
    // …but not without the rules themselves.
    const c = parseSnapshot('%%table inet filter\n\t\ttcp dport 23 counter packets 0 bytes 0 accept\n');
    expect(normalize(c)).not.toBe(normalize(b));
  });

  it('names the rules of another a run would lose, never sipwall\'s own chains or its jump', () => {
    expect(wiped(snap(TABLE(OWN)), snap(AFTER))).toEqual([]);
    expect(wiped(snap(AFTER), snap(TABLE(OWN)))).toEqual([]);
    expect(wiped(snap(TABLE(OWN)), snap(TABLE('')))).toEqual(['inet filter input: tcp dport 22 counter accept']);
    const before = snap('', '*filter\n:INPUT ACCEPT [0:0]\n:DOCKER - [0:0]\n[1:2] -A INPUT -j DOCKER\n[0:0] -A SIPWALL-IN -j RETURN\nCOMMIT\n');
    const after = snap('', '*filter\n:INPUT DROP [0:0]\n[0:0] -A INPUT -j SIPWALL-IN\nCOMMIT\n');
    expect(wiped(before, after)).toEqual(['iptables -A INPUT -j DOCKER']);
  });
});

describe('the revert script', () => {
  const scope = { target: 'nftables' as const, tables: ['inet filter'], ipsets: [] };
  it('empties the table in place, drops the chains the run added, refills it from the saved text (with a fallback), and parses', () => {
    const script = revertScript(scope, snap(TABLE(OWN)), snap(AFTER));
    expect(script).toMatch(/^flush table inet filter\nflush set inet filter admins\ndelete chain inet filter sipwall_in\ntable inet filter \{/m);
    expect(script).toMatch(/^table inet filter\ndelete table inet filter\ntable inet filter \{/m);
    expect(script).toContain('counter packets 7 bytes 420');
    expect(parses(script)).toBe(true);
  });

  it('deletes a table that was not there, restores iptables with counters, destroys or refills ipsets, and parses', () => {
    expect(revertScript({ target: 'nftables', tables: ['inet sipwall'], ipsets: [] }, parseSnapshot('%%table inet sipwall\n%%absent\n'), parseSnapshot('%%table inet sipwall\ntable inet sipwall {\n}\n'))).toMatch(/nft delete table inet sipwall/);
    const before = parseSnapshot('%%filter 4\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n%%filter 6\n%%absent\n%%ipset a\ncreate a hash:net initval 0xdeadbeef\nadd a 198.51.100.1\n%%ipset b\n%%absent\n');
    const script = revertScript({ target: 'iptables', tables: [], ipsets: ['a', 'b'] }, before, before);
    expect(script).toMatch(/^iptables-restore -c <<'SIPWALL_REVERT' \|\| status=1\n\*filter\n:INPUT ACCEPT \[0:0\]\nCOMMIT\nSIPWALL_REVERT$/m);
    expect(script).toMatch(/nft delete table ip6 filter/);
    expect(script).toMatch(/ipset flush a 2>\/dev\/null; ipset restore -exist <<'SIPWALL_REVERT' \|\| status=1\ncreate a hash:net\nadd a 198.51.100.1\n/);
    expect(script).toMatch(/ipset destroy b/);
    expect(parses(script)).toBe(true);
  });
});

describe('the other managers', () => {
  const live = (nft: string, iptables = '') => liveRuleset({ nft, iptables, ip6tables: '', ipset: '' });
  it.each([
    ['ufw', live('', '*filter\n:INPUT DROP [0:0]\n:ufw-before-input - [0:0]\nCOMMIT\n'), 'iptables chain ufw-before-input'],
    ['firewalld', live('table inet firewalld {\n\tchain filter_INPUT {\n\t}\n}\n'), 'nftables table inet firewalld'],
    ['Docker', live('', '*filter\n:DOCKER-USER - [0:0]\nCOMMIT\n'), 'iptables chain DOCKER-USER'],
    ['fail2ban', live('table inet f2b-table {\n\tchain f2b-chain {\n\t}\n}\n'), 'nftables table inet f2b-table'],
    ['fail2ban', live('', '*filter\n:f2b-sshd - [0:0]\nCOMMIT\n'), 'iptables chain f2b-sshd'],
  ])('%s: %s', (name, ruleset, evidence) => {
    expect(managersOf(ruleset).map((m) => [m.name, m.evidence])).toEqual([[name, evidence]]);
  });

  it('finds nothing on a bare host or in sipwall\'s own tables and chains', () => {
    expect(managersOf(live('table inet sipwall {\n\tchain sipwall_in {\n\t}\n}\n', '*filter\n:INPUT DROP [0:0]\n:SIPWALL-IN - [0:0]\nCOMMIT\n'))).toEqual([]);
  });

  it('names base chains that drop at the input or forward hook outside sipwall\'s table, and iptables DROP policies', () => {
    const drops = live(`${TABLE('')}table inet sipwall {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\ntable inet open {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport 22 reject\n\t}\n\tchain out {\n\t\ttype filter hook output priority filter; policy drop;\n\t}\n}\n`, '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\nCOMMIT\n');
    expect(droppingChains(drops).map((m) => `${m.name}: ${m.instead}`)).toEqual(['nftables table inet filter: --into inet/filter/input', 'nftables table inet open: --into inet/open/input', 'iptables: --target iptables --into INPUT']);
    expect(droppingChains(live(`table inet open {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n`))).toEqual([]);
  });
});

describe('--keep and the SSH session', () => {
  it('reads PROTOCOL/PORT[@ADDRESS], comma lists too', () => {
    expect(parseKeep(['tcp/443,udp/161', 'tcp/22@2001:db8::7'])).toEqual([
      { protocol: 'tcp', port: 443, label: '--keep tcp/443' },
      { protocol: 'udp', port: 161, label: '--keep udp/161' },
      { protocol: 'tcp', port: 22, from: '2001:db8::7', label: '--keep tcp/22@2001:db8::7' },
    ]);
  });

  it.each(['tcp/0', 'tcp/70000', 'https', 'tcp/22@example.com', '', 'sctp/22', 'tcp/22@198.51.100.0/24'])('refuses %j with one line naming --keep', (value) => {
    expect(() => parseKeep([value])).toThrow(InputError);
    expect(() => parseKeep([value])).toThrow(/^--keep: /);
  });

  it('reads SSH_CONNECTION; none, garbage or loopback is no session to keep', () => {
    expect(sshSession('198.51.100.7 50022 192.0.2.10 2222')).toMatchObject({ protocol: 'tcp', port: 2222, from: '198.51.100.7' });
    expect(sshSession('::ffff:198.51.100.7 50022 ::ffff:192.0.2.10 22')?.from).toBe('198.51.100.7');
    expect(sshSession('2001:db8::7 50022 2001:db8::1 22')?.from).toBe('2001:db8::7');
    for (const v of [undefined, '', '127.0.0.1 5 127.0.0.1 22', '::1 5 ::1 22', 'x y z w', '198.51.100.7 1 192.0.2.1 0', '198.51.100.7 1 192.0.2.1 99999']) expect(sshSession(v), String(v)).toBeUndefined();
  });

  it('becomes one new connection per family, or from the address given, numbered after the provider flows', () => {
    const flows = accessFlows([{ protocol: 'tcp', port: 443, label: '--keep tcp/443' }, { protocol: 'tcp', port: 22, from: '198.51.100.7', label: 'ssh' }], [4, 6], 10);
    expect(flows.map((f) => [f.id, f.family, f.source, f.destinationPort, f.role])).toEqual([
      [10, 4, '192.0.2.200', 443, 'management'],
      [11, 6, '2001:db8:c8::200', 443, 'management'],
      [12, 4, '198.51.100.7', 22, 'management'],
    ]);
  });
});

describe('the record remove reads', () => {
  const record: AppliedRecord = {
    sipwall: '0.1.0',
    applied: '2026-12-03T10:00:00.000Z',
    command: 'sipwall apply',
    target: 'iptables',
    into: [],
    tables: [],
    ipsets: ['sipwall-a'],
    script: `iptables-restore <<'SIPWALL_RULES'\n*filter\n:INPUT DROP [0:0]\n:SIPWALL-IN - [0:0]\n-A INPUT -m comment --comment "$(touch /tmp/pwned) 'x'" -j ACCEPT\n-A INPUT -j SIPWALL-IN\n-A SIPWALL-IN -j RETURN\nCOMMIT\nSIPWALL_RULES\n`,
    policies: { 4: { INPUT: 'ACCEPT', FORWARD: 'ACCEPT', OUTPUT: 'ACCEPT' } },
    created: ['6'],
    persisted: [],
  };

  it('takes out each rule the apply added by its own text, quoted, then its chains, policies, sets and the tables it made; the script parses', () => {
    const script = removeScript(record);
    expect(script).toContain(`printf '%s\\n' '*filter' '-D INPUT -m comment --comment "$(touch /tmp/pwned) '"'"'x'"'"'" -j ACCEPT' COMMIT | iptables-restore --noflush`);
    expect(script).toContain(`'-D INPUT -j SIPWALL-IN'`);
    expect(script).not.toMatch(/-D SIPWALL-IN/);
    expect(script).toMatch(/iptables -F SIPWALL-IN && iptables -X SIPWALL-IN/);
    expect(script).toMatch(/^iptables -P INPUT ACCEPT/m);
    expect(script).toMatch(/nft delete table ip6 filter/);
    expect(script).not.toMatch(/nft delete table ip filter/);
    expect(script).toMatch(/ipset destroy sipwall-a/);
    expect(parses(script)).toBe(true);
  });

  it('nftables: its table, the jumps into its chains by handle, its chains', () => {
    const script = removeScript({ ...record, target: 'nftables', into: ['inet/filter/input'], tables: ['inet filter'], ipsets: [] });
    expect(script).toMatch(/nft -a list chain inet filter input .*grep -E ' jump sipwall_\(in\|out\)\( \|\$\)'.*nft delete rule inet filter input handle "\$h"/);
    expect(script).toMatch(/nft delete chain inet filter sipwall_in/);
    expect(script).not.toMatch(/delete table/);
    expect(parses(script)).toBe(true);
  });

  it('reads back only what sipwall writes: hostile names, paths outside /etc and policies are refused', () => {
    const ok = JSON.stringify(record);
    expect(parseRecord(ok)).toEqual(record);
    const bad = (patch: object) => parseRecord(JSON.stringify({ ...record, ...patch }));
    expect(parseRecord('{')).toBe('not JSON');
    expect(bad({ target: 'pf' })).toBe('no target');
    expect(bad({ ipsets: ['a; reboot'] })).toBe('a name that is not a word');
    expect(bad({ into: ['inet/filter/input;reboot'] })).toBe('a name that is not a word');
    expect(bad({ tables: ['inet $(reboot)'] })).toBe('a name that is not a word');
    expect(bad({ persisted: ['/etc/../root/.ssh/authorized_keys'] })).toMatch(/outside \/etc/);
    expect(bad({ persisted: ['/root/x'] })).toMatch(/outside \/etc/);
    expect(bad({ include: '/etc/../x' })).toMatch(/outside \/etc/);
    expect(bad({ policies: { 4: { INPUT: 'ACCEPT; reboot' } } })).toMatch(/policy/);
    expect(bad({ created: ['4; reboot'] })).toMatch(/created/);
  });
});
