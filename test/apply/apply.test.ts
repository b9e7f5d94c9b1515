/**
 * `sipwall apply` and `sipwall remove` as a user runs them, each test on a host of its own: a
 * network namespace with private /run and /var/lib (tmpfs) and /etc (an overlay whose writes
 * vanish with it), so nothing reaches this machine's firewall or files. Documentation addresses
 * only; every wait is bounded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const skip = rootMissing() || toolsMissing('nft', 'ip', 'unshare', 'iptables-restore', 'ipset', 'setsid');
const CLI = join(import.meta.dirname, '..', '..', 'bin', 'sipwall.cjs');
const work = mkdtempSync(join(tmpdir(), 'sipwall-apply-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A host of its own; `$SW` runs the CLI; the output of `mark NAME` lines is split out. */
function host(script: string): { status: number; output: string; parts: Map<string, string> } {
  const setup = `set -u
mount --make-rprivate /
mount -t tmpfs sw-run /run
mount -t tmpfs sw-lib /var/lib
T=$(mktemp -d); mount -t tmpfs sw-etc "$T"; mkdir "$T/u" "$T/w"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$T/u,workdir=$T/w" /etc
ip link set lo up
SW="${process.execPath} ${CLI}"
# Everything goes to stderr but what mark and S print, and what is sent to fd 3.
exec 3>&1 1>&2
mark() { echo "@@$1" >&3; }
S() { { nft list ruleset; echo; iptables-save -c 2>/dev/null | grep -v '^#'; ip6tables-save -c 2>/dev/null | grep -v '^#'; ipset save 2>/dev/null | sed 's/ initval 0x[0-9a-f]*//'; } >&3; }
`;
  const r = spawnSync('unshare', ['-n', '-m', 'sh', '-c', setup + script], { encoding: 'utf8', timeout: 240_000, cwd: work });
  const output = `${r.stdout}${r.stderr}`;
  const parts = new Map<string, string>();
  let name = '';
  const lines = r.stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    const m = /^@@(\S+)$/.exec(line);
    if (m) parts.set((name = m[1]!), '');
    else if (name) parts.set(name, `${parts.get(name)}${line}\n`);
  }
  return { status: r.status ?? -1, output, parts };
}

/** The host's own firewall: a table with an input chain that drops, and one more table after it. */
const OWN_NFT = `nft -f - <<'X'
table inet filter {
  set admins { type ipv4_addr; flags interval; elements = { 198.51.100.0/28 }; }
  chain input { type filter hook input priority filter; policy drop; iif lo accept; ip saddr @admins tcp dport 22 counter accept; tcp dport 22 accept; }
}
table inet later { chain x { type filter hook output priority 10; policy accept; counter; }; }
X`;

const FLY = '-p flynumber --pbx asterisk';

describe.skipIf(skip)('sipwall apply and remove on a host of its own', () => {
  it('nftables standalone: applies, a second apply changes nothing (counters kept), remove leaves the host as it was', () => {
    const r = host(`mark before; S
$SW apply ${FLY} --yes; echo "rc=$?"
mark applied; S
$SW apply ${FLY} --yes; echo "rc=$?"
mark again; S
$SW remove; echo "rc=$?"
mark after; S; ls /var/lib/sipwall >&3 2>/dev/null`);
    expect(r.output).toMatch(/Kept: nftables inet sipwall/);
    // Nothing lost and nothing widened, on the live rules: every provider flow in, every stranger out.
    expect(r.output).toMatch(/applied; the live rules pass: (\d+) of \1 provider flows accepted, (\d+) of \2 strangers on SIP refused/);
    expect(r.output).toMatch(/No change: the live rules are already these/);
    expect(r.output.match(/rc=0/g)).toHaveLength(3);
    expect(r.parts.get('applied')).toMatch(/table inet sipwall \{[\s\S]*ip saddr @flynumber_sipmedia_v4 udp dport 5060 counter/);
    // Byte for byte, counters included: the second apply touched nothing.
    expect(r.parts.get('again')).toBe(r.parts.get('applied'));
    expect(r.parts.get('after')).toBe(r.parts.get('before'));
  }, 240_000);

  it('--into: no confirmation (stdin ends, or the answer is not yes) restores the previous ruleset byte for byte', () => {
    const r = host(`${OWN_NFT}
mark before; S
$SW apply ${FLY} --into inet/filter/input < /dev/null; echo "rc=$?"
mark eof; S
echo no | $SW apply ${FLY} --into inet/filter/input; echo "rc=$?"
mark no; S`);
    expect(r.output).toMatch(/no confirmation within 60 s \(no answer, or stdin closed\): the previous rules are restored/);
    expect(r.output).toMatch(/not confirmed: the previous rules are restored/);
    expect(r.output.match(/rc=1/g)).toHaveLength(2);
    expect(r.parts.get('before')).toMatch(/ip saddr @admins tcp dport 22 counter packets 0 bytes 0 accept/);
    expect(r.parts.get('eof')).toBe(r.parts.get('before'));
    expect(r.parts.get('no')).toBe(r.parts.get('before'));
  }, 240_000);

  it('a kill -9 of sipwall in the confirmation window: its watchdog still restores the previous ruleset', () => {
    const r = host(`${OWN_NFT}
mark before; S
mkfifo in; (sleep 120 > in 2>/dev/null < /dev/null 3>&- &)
$SW apply ${FLY} --into inet/filter/input --confirm 10s < in 2> err &
P=$!
i=0; until grep -q 'type yes' err; do i=$((i+1)); [ $i -gt 600 ] && break; sleep 0.1; done
mark window; S
kill -9 $P
i=0; until [ -e /run/sipwall/apply-*/reverted ]; do i=$((i+1)); [ $i -gt 300 ] && break; sleep 0.1; done
mark reverted; cat /run/sipwall/apply-*/reverted >&3
mark after; S`);
    expect(r.parts.get('window')).toMatch(/jump sipwall_in comment "sipwall"/);
    expect(r.parts.get('reverted')).toBe('0\n');
    expect(r.parts.get('after')).toBe(r.parts.get('before'));
  }, 240_000);

  it('SIGTERM or a hang-up (SIGHUP) in the confirmation window: sipwall restores the previous ruleset itself and exits 1 at once', () => {
    const r = host(`${OWN_NFT}
mark before; S
mkfifo in; (sleep 120 > in 2>/dev/null < /dev/null 3>&- &)
for sig in TERM HUP; do
  : > err
  $SW apply ${FLY} --into inet/filter/input --confirm 60s < in 2> err &
  P=$!
  i=0; until grep -q 'type yes' err; do i=$((i+1)); [ $i -gt 600 ] && break; sleep 0.1; done
  kill -$sig $P
  # Bounded well under the 60 s window: the exit comes from the signal, not the timeout.
  i=0; while kill -0 $P 2>/dev/null; do i=$((i+1)); [ $i -gt 150 ] && break; sleep 0.1; done
  kill -0 $P 2>/dev/null && echo "$sig: still running"
  wait $P; echo "$sig rc=$?"
  cat err
  mark "after-$sig"; S
done`);
    expect(r.output).toMatch(/interrupted: the previous rules are restored/);
    expect(r.output).toMatch(/the terminal hung up: the previous rules are restored/);
    expect(r.output).not.toMatch(/still running/);
    expect(r.output).toMatch(/TERM rc=1[\s\S]*HUP rc=1/);
    expect(r.parts.get('after-TERM')).toBe(r.parts.get('before'));
    expect(r.parts.get('after-HUP')).toBe(r.parts.get('before'));
  }, 240_000);

  it('the lock-out guard: a ruleset that closes the SSH session or a --keep port is refused, and nothing changes', () => {
    const r = host(`mark bare; S
SSH_CONNECTION='198.51.100.7 50022 192.0.2.10 2222' $SW apply ${FLY} --yes; echo "rc=$?"
mark bare-after; S
${OWN_NFT}
mark before; S
$SW apply ${FLY} --into inet/filter/input --keep tcp/8443 --yes; echo "rc=$?"
SSH_CONNECTION='198.51.100.7 50022 192.0.2.10 22' $SW apply ${FLY} --into inet/filter/input --dry-run; echo "rc=$?"
mark after; S`);
    expect(r.output).toMatch(/would close your SSH session from 198\.51\.100\.7 \(SSH_CONNECTION\): tcp\/2222, by the policy drop of chain input \(table inet sipwall\)/);
    expect(r.output).toMatch(/would close --keep tcp\/8443: tcp\/8443, by the policy drop of chain input \(table inet filter\)/);
    expect(r.output).toMatch(/rc=2[\s\S]*rc=2[\s\S]*rc=0/);
    expect(r.output).toMatch(/1 of 1 management flows kept/);
    expect(r.parts.get('after')).toBe(r.parts.get('before'));
    expect(r.parts.get('bare-after')).toBe(r.parts.get('bare'));
  }, 240_000);

  it('finds the other managers (ufw, firewalld, Docker, fail2ban, a dropping nftables table) and refuses a standalone apply next to them', () => {
    const managers = {
      ufw: 'iptables -N ufw-before-input; iptables -A INPUT -j ufw-before-input',
      firewalld: "nft 'add table inet firewalld; add chain inet firewalld filter_INPUT { type filter hook input priority filter + 10; policy accept; }'",
      Docker: 'iptables -N DOCKER; iptables -N DOCKER-USER; iptables -A FORWARD -j DOCKER-USER',
      fail2ban: 'iptables -N f2b-sshd; iptables -A f2b-sshd -j RETURN; iptables -I INPUT -p tcp --dport 22 -j f2b-sshd',
      'nftables table inet filter': OWN_NFT,
    };
    for (const [name, setup] of Object.entries(managers)) {
      const r = host(`${setup}
mark before; S
$SW apply ${FLY} --yes; echo "rc=$?"
$SW apply ${FLY} -t iptables --yes; echo "rc=$?"
mark after; S`);
      expect(r.output, name).toContain(`sipwall: apply: ${name} manages this host's firewall`);
      expect(r.output.match(/rc=2/g), name).toHaveLength(2);
      expect(r.parts.get('after'), name).toBe(r.parts.get('before'));
    }
  }, 480_000);

  it('iptables --into INPUT with ipsets: unconfirmed it is restored, confirmed a re-apply changes nothing, and remove leaves the other rules untouched', () => {
    const r = host(`iptables -N DOCKER; iptables -A INPUT -p tcp --dport 8443 -j ACCEPT; ip6tables -A INPUT -p tcp --dport 8443 -j ACCEPT
I() { { iptables-save -c | grep -v '^#'; ip6tables-save -c | grep -v '^#'; ipset save | sed 's/ initval 0x[0-9a-f]*//'; } >&3; }
mark saved; I
$SW apply -p flynumber -p vapi --pbx asterisk -t iptables --into INPUT --ipset < /dev/null; echo "rc=$?"
mark unconfirmed; I
mark before; S
$SW apply -p flynumber -p vapi --pbx asterisk -t iptables --into INPUT --ipset --yes; echo "rc=$?"
mark applied; { iptables-save -c | grep -v '^#'; ipset list -n; } >&3
$SW apply -p flynumber -p vapi --pbx asterisk -t iptables --into INPUT --ipset --yes; echo "rc=$?"
mark again; { iptables-save -c | grep -v '^#'; ipset list -n; } >&3
$SW remove; echo "rc=$?"
mark after; S`);
    expect(r.output.match(/rc=0/g)).toHaveLength(3);
    // Not confirmed: what iptables-save and ipset save print is back byte for byte, counters too.
    expect(r.output).toMatch(/rc=1/);
    expect(r.parts.get('saved')).toMatch(/--dport 8443/);
    expect(r.parts.get('unconfirmed')).toBe(r.parts.get('saved'));
    expect(r.parts.get('applied')).toMatch(/^\[\d+:\d+\] -A INPUT -j SIPWALL-IN$/m);
    expect(r.parts.get('applied')).toMatch(/--match-set sipwall-flynumber\S* src/);
    expect(r.parts.get('again')).toBe(r.parts.get('applied'));
    expect(r.parts.get('after')).toBe(r.parts.get('before'));
  }, 240_000);

  it('iptables standalone: refused where it would wipe rules sipwall did not write; on a bare host apply and remove restore the policies', () => {
    const r = host(`mark bare; S
$SW apply ${FLY} -t iptables --yes; echo "rc=$?"
mark applied; iptables -S INPUT | head -1 >&3
$SW remove; echo "rc=$?"
mark removed; S
iptables -A INPUT -p tcp --dport 8443 -j ACCEPT
mark before; S
$SW apply ${FLY} -t iptables --yes; echo "rc=$?"
mark after; S`);
    expect(r.parts.get('applied')).toBe('-P INPUT DROP\n');
    expect(r.parts.get('removed')).toBe(r.parts.get('bare'));
    expect(r.output).toMatch(/it would remove 1 rule sipwall did not write, e\.g\. iptables -A INPUT -p tcp -m tcp --dport 8443 -j ACCEPT/);
    expect(r.parts.get('after')).toBe(r.parts.get('before'));
  }, 240_000);

  it('remove: nothing applied, or a record sipwall did not write, is one line, exit 2, nothing changed', () => {
    const r = host(`${OWN_NFT}
mark before; S
$SW remove; echo "rc=$?"
mkdir -p /var/lib/sipwall
echo '{"target":"nftables","into":["inet/filter/input;nft flush ruleset"],"tables":[],"ipsets":[],"script":"","persisted":[]}' > /var/lib/sipwall/applied.json
$SW remove; echo "rc=$?"
mark after; S`);
    expect(r.output).toMatch(/^sipwall: remove: sipwall has applied nothing on this host \(no \/var\/lib\/sipwall\/applied\.json\); nothing to remove/m);
    expect(r.output).toMatch(/^sipwall: remove: \/var\/lib\/sipwall\/applied\.json is not a record sipwall wrote \(a name that is not a word\)/m);
    expect(r.output.match(/rc=2/g)).toHaveLength(2);
    expect(r.output).not.toMatch(/\n\s+at /);
    expect(r.parts.get('after')).toBe(r.parts.get('before'));
  }, 240_000);

  it('rules the real parser refuses leave the host untouched: no ruleset change, no record, no window', () => {
    const templates = join(work, 'broken');
    rmSync(templates, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', templates]);
    writeFileSync(join(templates, 'nftables-body.hbs'), 'table inet sipwall {\n\tchain input { this is not nft }\n}\n');
    const r = host(`${OWN_NFT}
mark before; S
$SW apply ${FLY} --templates ${templates} --yes; echo "rc=$?"
mark after; S; ls /var/lib/sipwall /run/sipwall >&3 2>&3`);
    expect(r.output).toMatch(/sipwall: apply: nft -c -f \S+ refused the rules \(nothing was changed\)/);
    expect(r.output).toMatch(/rc=2/);
    expect(r.parts.get('after')).toBe(`${r.parts.get('before')}ls: cannot access '/var/lib/sipwall': No such file or directory\nls: cannot access '/run/sipwall': No such file or directory\n`);
  }, 240_000);

  it('--persist: an include for nftables (remove takes it out again), the netfilter-persistent files for iptables; --dry-run changes nothing', () => {
    const r = host(`cp /etc/nftables.conf conf.before 2>/dev/null || true
mark before; S
$SW apply ${FLY} --dry-run; echo "rc=$?"
mark dry; S
$SW apply ${FLY} --yes --persist; echo "rc=$?"
mark file; grep -v '^#' /etc/nftables.d/sipwall.nft | head -3 >&3
mark conf; tail -2 /etc/nftables.conf >&3
mark check; nft -c -f /etc/nftables.d/sipwall.nft && echo parsed >&3
$SW remove; echo "rc=$?"
mark removed; { ls /etc/nftables.d; cmp /etc/nftables.conf conf.before && echo same-conf; } >&3
$SW apply ${FLY} -t iptables --into INPUT --yes --persist; echo "rc=$?"
mark rules; grep -c SIPWALL-IN /etc/iptables/rules.v4 >&3`);
    expect(r.output).toMatch(/\+\+\+ after apply[\s\S]*\+table inet sipwall \{/);
    expect(r.parts.get('dry')).toBe(r.parts.get('before'));
    expect(r.parts.get('file')).toBe('table inet sipwall\ndelete table inet sipwall\ntable inet sipwall {\n');
    expect(r.parts.get('conf')).toBe('# sipwall apply --persist; sipwall remove takes these two lines out\ninclude "/etc/nftables.d/sipwall.nft"\n');
    expect(r.parts.get('check')).toBe('parsed\n');
    expect(r.parts.get('removed')).toBe('same-conf\n');
    expect(Number(r.parts.get('rules'))).toBeGreaterThan(2);
  }, 240_000);
});
