/**
 * The table of cases test/targets/tester.ts runs: a files case has a folder under
 * test/golden/<target>/<case>/ holding the files rendered; an error case names the error the
 * command must stop with.
 */
export interface GoldenCase {
  readonly name: string;
  readonly target: string;
  readonly args: readonly string[];
  /** nft --into cases: what must exist before the file can load. */
  readonly prelude?: string;
  /** The error text the command stops with (exit 2, nothing written) instead of files. */
  readonly error?: string;
  /** Warnings the command prints (each one contained in a `warning:` line). */
  readonly warnings?: readonly string[];
}

const HOSTILE = ['--profile', 'hostile.yaml', '--profile', 'many-ports.yaml', '--rtp-ports', '10000-10010,10020,10030'];
const DUAL = ['--profile', 'test-trunk.yaml', '-p', 'vapi', '--rtp-ports', '20000-20100,20200-20300'];

const INTO_PRELUDE = [
  'table inet filter {',
  '  chain input { type filter hook input priority filter; policy drop; }',
  '  chain output { type filter hook output priority filter; policy accept; }',
  '}',
].join('\n');

export const CASES: readonly GoldenCase[] = [
  { name: 'flynumber-vapi', target: 'nftables', args: ['-p', 'flynumber', '-p', 'vapi'] },
  { name: 'flynumber-asterisk', target: 'nftables', args: ['-p', 'flynumber', '--pbx', 'asterisk'] },
  { name: 'vapi-freeswitch-both', target: 'nftables', args: ['-p', 'vapi', '--pbx', 'freeswitch', '--direction', 'both', '--ssh-from', '192.0.2.0/24,2001:db8:ff::/48'] },
  { name: 'into-both', target: 'nftables', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', '3cx', '--into', 'inet/filter/input', '--direction', 'both', '--into-output', 'inet/filter/output'], prelude: INTO_PRELUDE },
  { name: 'into-shell', target: 'nftables', args: ['-p', 'flynumber', '--into', 'inet/filter/input', '--form', 'shell'], prelude: INTO_PRELUDE },
  { name: 'shell', target: 'nftables', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--form', 'shell', '--no-ssh'] },
  { name: 'profile-dual', target: 'nftables', args: ['--profile', 'test-trunk.yaml', '--rtp-ports', '20000-20100'] },
  { name: 'hostile', target: 'nftables', args: ['--profile', 'hostile.yaml', '--profile', 'many-ports.yaml', '--rtp-ports', '10000-10010,10020,10030,10040,10050,10060,10070,10080,10090,10100,10110,10120,10130,10140,10150,10160'] },
  { name: 'flynumber-asterisk', target: 'iptables', args: ['-p', 'flynumber', '--pbx', 'asterisk'] },
  { name: 'flynumber-vapi', target: 'iptables', args: ['-p', 'flynumber', '-p', 'vapi'] },
  { name: 'into', target: 'iptables', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--into', 'INPUT'] },
  { name: 'into-shell-both', target: 'iptables', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'freepbx', '--into', 'INPUT', '--direction', 'both', '--form', 'shell'] },
  { name: 'ipset', target: 'iptables', args: ['--profile', 'test-trunk.yaml', '-p', 'vapi', '--rtp-ports', '20000-20100', '--ipset'] },
  { name: 'ipset-shell', target: 'iptables', args: ['--profile', 'test-trunk.yaml', '--rtp-ports', '20000-20100', '--ipset', '--form', 'shell', '--direction', 'both'] },
  // SSH limited to two sources and outbound only: the baseline's SSH rules and its jumps.
  { name: 'ssh-out', target: 'iptables', args: ['-p', 'flynumber', '--pbx', 'asterisk', '--direction', 'out', '--ssh-from', '192.0.2.0/24,2001:db8:ff::/48', '--ssh-port', '2222'] },
  { name: 'hostile', target: 'iptables', args: ['--profile', 'hostile.yaml', '--profile', 'many-ports.yaml', '--rtp-ports', '10000-10010,10020,10030,10040,10050,10060,10070,10080,10090,10100,10110,10120,10130,10140,10150,10160'] },

  { name: 'flynumber-vapi', target: 'ufw', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk'] },
  { name: 'dual-both', target: 'ufw', args: [...DUAL, '--direction', 'both'] },
  { name: 'app', target: 'ufw', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'freepbx', '--form', 'app'] },
  { name: 'hostile', target: 'ufw', args: HOSTILE },
  { name: 'flynumber-vapi', target: 'firewalld', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk'] },
  { name: 'dual-both', target: 'firewalld', args: [...DUAL, '--direction', 'both'] },
  { name: 'xml', target: 'firewalld', args: [...DUAL, '--form', 'xml'] },
  { name: 'hostile', target: 'firewalld', args: [...HOSTILE, '--form', 'xml'] },
  { name: 'flynumber-vapi', target: 'pfsense', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk'] },
  { name: 'dual', target: 'pfsense', args: [...DUAL, '--interface', 'opt1'] },
  { name: 'merge', target: 'pfsense', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', '3cx', '--pfsense-config', 'pfsense-config.xml'] },
  // A user block rule on WAN: sipwall's rules go before the interface's first rule (issue 17.3).
  { name: 'merge-block', target: 'pfsense', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--pfsense-config', 'pfsense-config-block.xml'] },
  { name: 'hostile', target: 'pfsense', args: HOSTILE },
  { name: 'flynumber-vapi', target: 'opnsense', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk'] },
  { name: 'dual', target: 'opnsense', args: DUAL },
  // OPNsense before 26.7: the legacy <filter> rules (issue 17.2).
  { name: 'legacy', target: 'opnsense', args: [...DUAL, '--form', 'legacy-xml'] },
  { name: 'api-both', target: 'aws', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--direction', 'both'] },
  { name: 'dual', target: 'aws', args: DUAL },
  { name: 'cloudformation', target: 'aws', args: [...DUAL, '--form', 'cloudformation', '--direction', 'both'] },
  { name: 'terraform', target: 'aws', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--form', 'terraform'] },
  { name: 'hostile', target: 'aws', args: [...HOSTILE, '--form', 'terraform'] },
  { name: 'shell', target: 'gcp', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--direction', 'both'] },
  { name: 'terraform', target: 'gcp', args: [...DUAL, '--form', 'terraform', '--priority', '900'] },
  { name: 'hostile', target: 'gcp', args: [...HOSTILE, '--form', 'terraform'] },
  { name: 'shell', target: 'azure', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk'] },
  { name: 'terraform', target: 'azure', args: [...DUAL, '--form', 'terraform', '--direction', 'both', '--priority', '300'] },
  { name: 'hostile', target: 'azure', args: [...HOSTILE, '--form', 'terraform'] },
  { name: 'flynumber-vapi', target: 'routeros', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk'] },
  { name: 'dual-both', target: 'routeros', args: [...DUAL, '--direction', 'both'] },
  { name: 'hostile', target: 'routeros', args: HOSTILE },
  // A PBX behind the router (issue 17.4): dst-nat restricted to the providers, forward accepts.
  { name: 'forward', target: 'routeros', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--direction', 'both', '--routeros-chain', 'forward', '--pbx-address', '192.168.88.10,2001:db8::10'] },
  { name: 'flynumber', target: 'asterisk', args: ['-p', 'flynumber', '--pbx', 'asterisk'] },
  { name: 'endpoints-dual-both', target: 'asterisk', args: [...DUAL.slice(0, 4), '-p', 'flynumber', '--pbx', 'freepbx', '--direction', 'both', '--endpoint', 'test-trunk=trunk-a,vapi=vapi-ai'] },
  { name: 'hostile', target: 'asterisk', args: ['--profile', 'hostile.yaml', '--rtp-ports', '10000-10010', '--endpoint', 'Trunk.1+x'] },
  { name: 'any-sip', target: 'asterisk', args: ['--profile', 'any-sip.yaml', '--pbx', 'asterisk'], error: '--provider anywhere: its SIP may come from any address: the asterisk configuration would take every caller on the internet for its trunk (toll fraud)' },
  { name: 'two-ranges', target: 'asterisk', args: ['-p', 'vapi', '--rtp-ports', '10000-10010,10020'], error: "--rtp-ports: asterisk takes one RTP range, and the host's is 10000-10010, 10020-10020" },
  { name: 'endpoint-unknown', target: 'asterisk', args: ['-p', 'vapi', '--pbx', 'asterisk', '--endpoint', 'flynumber=x'], error: '--endpoint: names provider flynumber, which is not rendered' },
  { name: 'flynumber-vapi', target: 'freeswitch', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'freeswitch'] },
  { name: 'dual-both', target: 'freeswitch', args: [...DUAL, '--direction', 'both'] },
  { name: 'hostile', target: 'freeswitch', args: HOSTILE },
  { name: 'any-sip', target: 'freeswitch', args: ['--profile', 'any-sip.yaml', '--pbx', 'freeswitch'], error: 'its SIP may come from any address: the freeswitch configuration would take every caller' },
  { name: 'flynumber', target: 'vapi-trunk', args: ['-p', 'flynumber', '--number', '+13025551234,+13025551235'] },
  { name: 'credential', target: 'vapi-trunk', args: ['--profile', 'test-trunk.yaml', '--family', 'ipv4', '--number', '+442071234567', '--vapi-credential', 'a1b2c3d4-5678-90ab-cdef-1234567890ab'] },
  { name: 'hostile', target: 'vapi-trunk', args: ['--profile', 'hostile.yaml', '--number', '+13025551234'] },
  { name: 'no-number', target: 'vapi-trunk', args: ['-p', 'flynumber'], error: '--number: vapi-trunk needs the numbers the provider forwards' },
  { name: 'ipv6', target: 'vapi-trunk', args: ['--profile', 'test-trunk.yaml', '--number', '+13025551234'], error: 'a VAPI gateway that takes inbound calls must be an IPv4 address; use --family ipv4' },
  { name: 'wide', target: 'vapi-trunk', args: ['--profile', 'wide-trunk.yaml', '--number', '+13025551234'], error: "wide-trunk's SIP addresses 198.51.100.0/22 are wider than a VAPI gateway's /24" },
  { name: 'flynumber', target: 'livekit-trunk', args: ['-p', 'flynumber', '--number', '+17185301799'] },
  { name: 'locked-dual', target: 'livekit-trunk', args: ['--profile', 'test-trunk.yaml', '-p', 'flynumber', '--lock-addresses', '--room-prefix', 'fly-'] },
  { name: 'hostile', target: 'livekit-trunk', args: ['--profile', 'hostile.yaml', '--number', '+13025551234'] },
  { name: 'wildcard', target: 'livekit-trunk', args: ['-p', 'flynumber'], error: 'is a wildcard trunk, which LiveKit rejects' },
  { name: 'flynumber-vapi', target: 'windows', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', '3cx'] },
  { name: 'dual-both', target: 'windows', args: [...DUAL, '--direction', 'both', '--family', 'ipv4'] },
  { name: 'hostile', target: 'windows', args: HOSTILE },

  // What a target cannot express: a named error before it renders, or a widened rule it warns about.
  { name: 'outbound-refused', target: 'pfsense', args: ['-p', 'flynumber', '--pbx', 'asterisk', '--direction', 'both'], error: '--direction: pfsense filters inbound traffic only' },
  { name: 'strict-source-ports', target: 'aws', args: ['-p', 'vapi', '--pbx', 'asterisk', '--strict'], error: '--strict: aws cannot match source ports, which term vapi-media-udp-in needs' },
  { name: 'app-outbound-refused', target: 'ufw', args: ['-p', 'vapi', '--pbx', 'asterisk', '--form', 'app', '--direction', 'out'], error: '--direction: ufw --form app filters inbound traffic only' },
  { name: 'widened', target: 'gcp', args: ['-p', 'vapi', '--pbx', 'asterisk'], warnings: ['vapi-media-udp-in: gcp cannot match source ports; this rule accepts any udp source port, not only 40000-60000.'] },
];
