/**
 * The errors of the commands besides `render`: probe, responder, watch, exporter, history and
 * diagnose. They name the flag or the config field they are about; data that came from the user
 * is cut short where it is echoed. test/errors/catalogue.test.ts renders each; docs/errors.md
 * lists them. Pure.
 */
import { entry, raise } from './entry.js';

const SIP_TARGET_FIX = 'write a host (pbx.example.com), host:port, an IP address ([2001:db8::1]:5060) or a SIP URI (sip:user@host;transport=tcp)';
const CAPTURE_FIX = 'give a pcap or pcapng file (tcpdump -w, sngrep)';

export const COMMAND_ERRORS = {
  // probe sip, probe rtp (src/cli/probe-run.ts, src/probe/target.ts).
  E_PROBE_COUNT: entry<{ flag: string; value: number; max: number }>({
    input: (d) => d.flag,
    problem: (d) => `${d.value} is not a whole number from 1 to ${d.max}`,
    fix: (d) => `use e.g. ${d.flag} ${Math.min(d.max, 100)}`,
    example: { flag: '--concurrency', value: 0, max: 10000 },
  }),
  E_DNS_SERVER: entry<{ value: string }>({
    input: () => '--dns-server',
    problem: (d) => `"${d.value}" is not an IP address (with an optional :port)`,
    fix: () => 'write e.g. 127.0.0.1:5353 or [2001:db8::53]:53',
    example: { value: 'dns.example.com' },
  }),
  E_CA_NOT_PEM: entry<{ path: string }>({
    input: () => '--ca',
    problem: (d) => `${d.path} holds no PEM certificate`,
    fix: () => 'name a PEM file with the CA certificate',
    example: { path: 'ca.der' },
  }),
  E_NO_TARGET: entry<Record<string, never>>({
    input: () => 'target',
    problem: () => 'none given',
    fix: () => 'name a host or SIP URI, e.g. sipwall probe sip pbx.example.com, or --targets FILE',
    example: {},
  }),
  E_TRANSPORT_CONFLICT: entry<{ name: string; text: string; theirs: string; wanted: string }>({
    input: (d) => d.name,
    problem: (d) => `"${d.text}" says transport ${d.theirs} but --transport is ${d.wanted}`,
    fix: () => 'drop one of them',
    example: { name: 'target 1', text: 'sip:pbx.example.com;transport=tcp', theirs: 'tcp', wanted: 'udp' },
  }),
  E_SIP_TARGET: entry<{ name: string; text: string; problem: string }>({
    input: (d) => d.name,
    problem: (d) => `"${d.text}" ${d.problem}`,
    fix: () => SIP_TARGET_FIX,
    example: { name: 'target 1', text: 'sip:pbx.example.com;transport=sctp', problem: 'has transport=sctp; sipwall speaks udp, tcp and tls' },
  }),
  E_RTP_HOST: entry<{ host: string }>({
    input: () => 'host',
    problem: (d) => `"${d.host}" is not a bare host`,
    fix: () => 'name the responder host alone, e.g. pbx.example.com or 203.0.113.5; ports go in --ports and --sip',
    example: { host: 'sip:pbx.example.com:5060' },
  }),
  E_RTP_LISTENERS: entry<{ value: string; count: number }>({
    input: () => '--sip',
    problem: (d) => `"${d.value}" names ${d.count} listeners`,
    fix: () => 'name the one the responder answers on, e.g. udp:5060',
    example: { value: 'udp:5060,tcp:5060', count: 2 },
  }),
  E_AS_USER: entry<{ name: string; text: string }>({
    input: (d) => d.name,
    problem: (d) => `"${d.text}" has no user part: with --as it stands for a forwarding, whose username is the user`,
    fix: () => 'write the forwarding as a SIP URI, e.g. sip:+13025551234@abc.sip.vapi.ai',
    example: { name: 'target 1', text: 'abc.sip.vapi.ai' },
  }),
  E_SAMPLE_WITH_ALL: entry<Record<string, never>>({
    input: () => '--sample',
    problem: () => 'cannot go with --all',
    fix: () => 'use --all (every port) or --sample N',
    example: {},
  }),

  // responder (src/cli/responder.ts, responder-run.ts).
  E_LISTENER: entry<{ flag: string; part: string }>({
    input: (d) => d.flag,
    problem: (d) => `"${d.part}" is not transport:port`,
    fix: () => 'write e.g. udp:5060,tcp:5060,tls:5061',
    example: { flag: '--sip', part: 'sctp:5060' },
  }),
  E_LISTENER_RANGE: entry<{ flag: string; part: string }>({
    input: (d) => d.flag,
    problem: (d) => `"${d.part}" names a range`,
    fix: () => 'give one port per listener',
    example: { flag: '--sip', part: 'udp:5060-5070' },
  }),
  E_LISTENER_TWICE: entry<{ flag: string; port: number; transports: string }>({
    input: (d) => d.flag,
    problem: (d) => `port ${d.port} is named twice for ${d.transports}`,
    fix: () => 'give each listener its own port',
    example: { flag: '--sip', port: 5060, transports: 'tcp and tls' },
  }),
  E_RATE: entry<{ flag: string; value: number }>({
    input: (d) => d.flag,
    problem: (d) => `${d.value} is outside 1-1000000`,
    fix: (d) => `use e.g. ${d.flag} 100`,
    example: { flag: '--sip-rate', value: 0 },
  }),
  E_RESPONDER_DURATION: entry<{ value: string }>({
    input: () => '--duration',
    problem: (d) => `"${d.value}" is not a number of seconds above 0 (at most 31536000)`,
    fix: () => 'write e.g. --duration 600, or leave it out to run until Ctrl-C',
    example: { value: '-1' },
  }),
  E_TLS_PAIR: entry<{ flag: string }>({
    input: (d) => d.flag,
    problem: () => 'is given without its pair',
    fix: () => 'give both --tls-cert and --tls-key, or neither for a self-signed certificate',
    example: { flag: '--tls-cert' },
  }),

  // watch, exporter, history (src/cli/watch-run.ts, watch-config.ts, history-run.ts, src/watch/config.ts).
  E_CONFIG_MISSING: entry<{ flag: string; fix: string }>({
    input: (d) => d.flag,
    problem: () => 'is missing',
    fix: (d) => d.fix,
    example: { flag: '--config', fix: 'name the watch config, e.g. --config checks.yaml (docs/watch.md)' },
  }),
  E_HISTORY_SOURCE: entry<{ flag: string; problem: string }>({
    input: (d) => d.flag,
    problem: (d) => d.problem,
    fix: () => 'give the watch config (--config) or its history folder (--dir), one of them',
    example: { flag: '--dir', problem: 'cannot go with --config' },
  }),
  E_HISTORY_READ: entry<{ dir: string; code: string }>({
    input: (d) => `history ${d.dir}`,
    problem: (d) => `cannot be read (${d.code})`,
    fix: () => 'name the folder the watch writes (history.dir)',
    example: { dir: '/var/lib/sipwall', code: 'EACCES' },
  }),
  E_HISTORY_DIR: entry<{ dir: string; why: string }>({
    input: (d) => `history.dir ${d.dir}`,
    problem: (d) => `cannot be used (${d.why})`,
    fix: () => 'name a folder the watch may write, or run it as a systemd service (StateDirectory)',
    example: { dir: '/var/lib/sipwall', why: 'EACCES' },
  }),
  E_JSON_NEEDS_ONCE: entry<Record<string, never>>({
    input: () => '--json',
    problem: () => 'goes with --once',
    fix: () => 'add --once, or read results with sipwall history --json',
    example: {},
  }),
  E_LISTEN: entry<{ value: string }>({
    input: () => '--listen',
    problem: (d) => `"${d.value}" is not host:port`,
    fix: () => 'write e.g. 127.0.0.1:9877 or [::1]:9877',
    example: { value: '9877' },
  }),
  E_SYSTEMD_CONFIG_RELATIVE: entry<{ value: string }>({
    input: () => '--config',
    problem: (d) => `"${d.value}" is relative`,
    fix: () => 'give an absolute path: the service does not run in this folder',
    example: { value: 'checks.yaml' },
  }),
  E_SYSTEMD_CONFIG_CHARACTERS: entry<Record<string, never>>({
    input: () => '--config',
    problem: () => 'has spaces, quotes, %, $, ; or backslashes',
    fix: () => 'put the config at a plain path, e.g. /etc/sipwall/checks.yaml',
    example: {},
  }),
  E_CHECK_RTP_MISSING: entry<{ at: string }>({
    input: (d) => `${d.at}.rtp`,
    problem: () => 'is missing for probe: rtp',
    fix: () => "add rtp: { ports: 10000-20000 } (the responder's RTP range)",
    example: { at: 'checks.yaml: checks[0]' },
  }),
  E_CHECK_RTP_EXTRA: entry<{ at: string }>({
    input: (d) => `${d.at}.rtp`,
    problem: () => 'is only for probe: rtp',
    fix: () => 'add probe: rtp, or remove rtp',
    example: { at: 'checks.yaml: checks[0]' },
  }),
  E_CHECK_RTP_TARGET: entry<{ at: string }>({
    input: (d) => `${d.at}.target`,
    problem: () => 'is not a bare host',
    fix: () => 'name the responder host alone for probe: rtp; its SIP port goes in rtp.sip',
    example: { at: 'checks.yaml: checks[0]' },
  }),
  E_CHECK_NAME_TWICE: entry<{ at: string; name: string }>({
    input: (d) => `${d.at}.name`,
    problem: (d) => `"${d.name}" is used by another check`,
    fix: () => 'give every check its own name',
    example: { at: 'checks.yaml: checks[1]', name: 'trunk-tls' },
  }),
  E_CHECK_TARGET: entry<{ at: string; target: string }>({
    input: (d) => `${d.at}.target`,
    problem: (d) => `"${d.target}" is not a SIP target`,
    fix: () => 'write a host, host:port, IP or SIP URI',
    example: { at: 'checks.yaml: checks[0]', target: '' },
  }),
  E_CHECK_SCHEDULE_TWICE: entry<{ at: string }>({
    input: (d) => d.at,
    problem: () => 'has both interval and cron',
    fix: () => 'keep one of them',
    example: { at: 'checks.yaml: checks[0]' },
  }),
  E_CHECK_CRON: entry<{ at: string; cron: string; why: string }>({
    input: (d) => `${d.at}.cron`,
    problem: (d) => `"${d.cron}" is not a cron expression (${d.why})`,
    fix: () => 'write e.g. "*/5 * * * *" (every five minutes)',
    example: { at: 'checks.yaml: checks[0]', cron: '61 * * * *', why: 'Invalid minute' },
  }),
  E_CHECK_INTERVAL_SHORT: entry<{ at: string; ms: number }>({
    input: (d) => `${d.at}.interval`,
    problem: (d) => `${d.ms} ms is too short`,
    fix: () => 'check at most once a second',
    example: { at: 'checks.yaml: checks[0]', ms: 500 },
  }),
  E_DURATION_ZERO: entry<{ input: string }>({
    input: (d) => d.input,
    problem: () => 'is zero',
    fix: () => 'give a positive duration, e.g. 5s',
    example: { input: 'checks.yaml: checks[0].rtp.interval' },
  }),

  // lint (src/cli/lint-run.ts).
  E_LINT_NOTHING: entry<Record<string, never>>({
    input: () => 'lint',
    problem: () => 'no forwarding given',
    fix: () => 'give its settings (--domain, --username, --port, --transport, --network) or --config FILE',
    example: {},
  }),
  E_LINT_BOTH: entry<Record<string, never>>({
    input: () => '--config',
    problem: () => 'cannot go with --domain',
    fix: () => 'give the forwarding in flags or in the file, not both',
    example: {},
  }),
  E_LINT_RULES: entry<{ file: string }>({
    input: (d) => `--rules ${d.file}`,
    problem: () => 'has no sipwall header line "Host: …; RTP …"',
    fix: () => 'give a file sipwall render wrote (nftables, iptables, ufw, …), unchanged',
    example: { file: 'rules.txt' },
  }),
  E_LINT_RTP_PAIR: entry<Record<string, never>>({
    input: () => '--pbx and --rules',
    problem: () => 'go together: the PBX preset\'s RTP range is checked against the rendered rules',
    fix: () => 'give both, or neither',
    example: {},
  }),

  // diagnose (src/cli/diagnose-*.ts, src/diagnose/ruleset.ts).
  E_DIAGNOSE_FLAG_PART: entry<{ flag: string; part: string; asked: string }>({
    input: (d) => d.flag,
    problem: (d) => `is for diagnose ${d.part}, not diagnose ${d.asked}`,
    fix: (d) => (d.part === 'call' ? 'write sipwall diagnose call FILE, or sipwall diagnose call --live 60s' : 'write sipwall diagnose nat --responder HOST'),
    example: { flag: '--live', part: 'call', asked: 'firewall' },
  }),
  E_DIAGNOSE_NO_RESPONDER: entry<Record<string, never>>({
    input: () => 'diagnose nat',
    problem: () => 'no responder given',
    fix: () => 'run sipwall responder --sip udp:5060,udp:5062 --callback on a host outside this NAT and name it: --responder HOST',
    example: {},
  }),
  E_DIAGNOSE_NO_PROVIDER: entry<Record<string, never>>({
    input: () => '--provider',
    problem: () => "no provider given: the replay sends the provider's flows",
    fix: () => 'name one, e.g. --provider flynumber, or --profile FILE',
    example: {},
  }),
  E_INTERFACE_NAME: entry<{ value: string }>({
    input: () => '--interface',
    problem: (d) => `"${d.value}" is not an interface name`,
    fix: () => 'give a name of 1-15 letters, digits, _ . or -, e.g. eth0',
    example: { value: 'eth0;reboot' },
  }),
  E_DIAGNOSE_NO_CAPTURE: entry<Record<string, never>>({
    input: () => 'diagnose call',
    problem: () => 'no capture given',
    fix: () => 'give a file (sipwall diagnose call capture.pcap) or capture now: --live 60s',
    example: {},
  }),
  E_DIAGNOSE_NO_REPLAY: entry<{ why: string }>({
    input: () => 'diagnose firewall',
    problem: (d) => d.why,
    fix: () => 'run it on the Linux host as root, or give a saved ruleset to a Linux machine where you are root',
    example: { why: 'the replay needs root (network namespaces)' },
  }),
  E_DIAGNOSE_NOTHING: entry<{ parts: string }>({
    input: () => 'diagnose',
    problem: (d) => `nothing could be checked (${d.parts})`,
    fix: () => 'name a provider (-p flynumber) for the firewall, --config-dir for the PBX config, a capture (diagnose call FILE) or --responder (diagnose nat)',
    example: { parts: 'firewall: no provider given; config: no PBX configuration found' },
  }),
  E_DIAGNOSE_ADDRESS: entry<{ value: string }>({
    input: () => '--address',
    problem: (d) => `"${d.value}" is not an IP address`,
    fix: () => "give the PBX's address, e.g. --address 203.0.113.5",
    example: { value: 'pbx.local' },
  }),
  E_DIAGNOSE_ADDRESS_TWICE: entry<{ family: 4 | 6 }>({
    input: () => '--address',
    problem: (d) => `two IPv${d.family} addresses given`,
    fix: () => 'give one address per family',
    example: { family: 4 },
  }),
  E_CONFIG_DIR_NOT_FOLDER: entry<{ dir: string }>({
    input: () => '--config-dir',
    problem: (d) => `${d.dir} is not a folder`,
    fix: () => 'give the folder that holds pjsip.conf (Asterisk) or vars.xml (FreeSWITCH)',
    example: { dir: '/etc/asterisk/pjsip.conf' },
  }),
  E_CONFIG_DIR_READ: entry<{ dir: string; code: string }>({
    input: () => '--config-dir',
    problem: (d) => `${d.dir} cannot be read (${d.code})`,
    fix: () => 'give a readable folder (a copy of /etc/asterisk will do)',
    example: { dir: '/etc/asterisk', code: 'EACCES' },
  }),
  E_CONFIG_DIR_EMPTY: entry<{ dir: string }>({
    input: () => '--config-dir',
    problem: (d) => `${d.dir} holds no pjsip*.conf, rtp*.conf (Asterisk) or vars.xml (FreeSWITCH)`,
    fix: () => "give the PBX's configuration folder",
    example: { dir: './pbx' },
  }),
  E_RULESET_KIND: entry<{ name: string }>({
    input: (d) => `--ruleset ${d.name}`,
    problem: () => 'is not an nftables ruleset, iptables-save, ip6tables-save or ipset save output',
    fix: () => 'save one with: nft list ruleset, iptables-save, ip6tables-save or ipset save',
    example: { name: 'rules.txt' },
  }),
  E_RULESET_TWICE: entry<{ name: string; kind: string }>({
    input: (d) => `--ruleset ${d.name}`,
    problem: (d) => `is a second ${d.kind} ruleset`,
    fix: (d) => (d.kind === 'iptables' ? 'give one file of each kind; name the ip6tables-save file *.v6 if it has no header' : 'give one file of each kind'),
    example: { name: 'rules.v4', kind: 'iptables' },
  }),
  E_LIVE_WITH_FILE: entry<Record<string, never>>({
    input: () => '--live',
    problem: () => 'given with a capture file',
    fix: () => 'give one: a file, or --live 60s',
    example: {},
  }),
  E_CAPTURES_MANY: entry<{ count: number; max: number }>({
    input: () => 'capture',
    problem: (d) => `${d.count} files given`,
    fix: (d) => `give at most ${d.max} captures of one call`,
    example: { count: 5, max: 4 },
  }),
  E_CAPTURE_READ: entry<{ file: string; problem: string; tooBig: boolean }>({
    input: (d) => `capture ${d.file}`,
    problem: (d) => d.problem,
    fix: (d) => (d.tooBig ? 'raise --max-capture-mib' : CAPTURE_FIX),
    example: { file: 'call.pcap', problem: 'cannot be read (ENOENT)', tooBig: false },
  }),
  E_CAPTURE_FORMAT: entry<{ file: string; problem: string }>({
    input: (d) => `capture ${d.file}`,
    problem: (d) => d.problem,
    fix: () => CAPTURE_FIX,
    example: { file: 'call.txt', problem: 'is not a pcap or pcapng file' },
  }),
  E_LIVE_DURATION: entry<{ value: string }>({
    input: () => '--live',
    problem: (d) => `"${d.value}" is outside 1s-10m`,
    fix: () => 'give e.g. --live 60s',
    example: { value: '1h' },
  }),
  E_LIVE_ROOT: entry<Record<string, never>>({
    input: () => '--live',
    problem: () => 'capturing needs root',
    fix: () => 'run it with sudo, or capture yourself: tcpdump -i any -w call.pcap',
    example: {},
  }),
  E_LIVE_TCPDUMP: entry<Record<string, never>>({
    input: () => '--live',
    problem: () => 'needs tcpdump',
    fix: () => 'install it (Debian: apt install tcpdump), or give a capture file',
    example: {},
  }),
  E_LIVE_NO_CAPTURE: entry<Record<string, never>>({
    input: () => '--live',
    problem: () => 'tcpdump wrote no capture',
    fix: () => 'check that tcpdump runs here: tcpdump -i any -c 1',
    example: {},
  }),
  E_NAT_RESPONDER: entry<{ value: string }>({
    input: () => '--responder',
    problem: (d) => `"${d.value}" is not HOST or HOST:PORT,PORT`,
    fix: () => 'write e.g. --responder 203.0.113.7 or --responder 203.0.113.7:5060,5062 (two different UDP ports)',
    example: { value: '203.0.113.7:5060,5060' },
  }),
  E_NAT_RESPONDER_DNS: entry<{ host: string; code: string }>({
    input: () => '--responder',
    problem: (d) => `"${d.host}" does not resolve (${d.code})`,
    fix: () => "give the responder's IP address or a name that resolves",
    example: { host: 'responder.example.com', code: 'ENOTFOUND' },
  }),
  E_NAT_IDLE: entry<{ value: string; max: number }>({
    input: () => '--idle',
    problem: (d) => `"${d.value}" is not a list of up to 8 whole seconds from 2s to ${d.max}s`,
    fix: () => 'write e.g. --idle 15s,30s,60s,120s',
    example: { value: '1s', max: 300 },
  }),
  E_NAT_KEEPALIVE: entry<{ value: string }>({
    input: () => '--keepalive',
    problem: (d) => `"${d.value}" is not whole seconds`,
    fix: () => 'write e.g. --keepalive 60s, or 0 for none',
    example: { value: '1500ms' },
  }),
  // apply and remove (src/cli/apply-run.ts, src/apply/).
  E_APPLY_CANNOT: entry<{ command: string; why: string }>({
    input: (d) => d.command,
    problem: (d) => d.why,
    fix: () => 'run it on the Linux host as root (sudo), with nftables, iptables and iproute2 installed',
    example: { command: 'apply', why: 'it needs root' },
  }),
  E_APPLY_KEEP: entry<{ value: string }>({
    input: () => '--keep',
    problem: (d) => `"${d.value}" is not PROTOCOL/PORT[@ADDRESS]`,
    fix: () => 'write e.g. --keep tcp/443 or --keep tcp/22@198.51.100.7',
    example: { value: 'https' },
  }),
  E_APPLY_CONFIRM: entry<{ value: string }>({
    input: () => '--confirm',
    problem: (d) => `"${d.value}" is not a time from 10s to 1h`,
    fix: () => 'write e.g. --confirm 60s (or --yes to keep the rules once the checks pass)',
    example: { value: '2s' },
  }),
  E_APPLY_BUSY: entry<{ what: string }>({
    input: () => 'apply',
    problem: (d) => d.what,
    fix: () => 'wait for it to end; an apply nobody confirms is restored by its watchdog when its time is up',
    example: { what: 'another sipwall apply (pid 4242) is running' },
  }),
  E_APPLY_PARSER: entry<{ command: string; output: string }>({
    input: () => 'apply',
    problem: (d) => `${d.command} refused the rules (nothing was changed): ${d.output}`,
    fix: () => 'check --templates and the profile; sipwall render with the same flags and --check shows the same refusal',
    example: { command: 'nft -c -f nftables.nft', output: 'syntax error, unexpected accept' },
  }),
  E_APPLY_REHEARSAL: entry<{ why: string }>({
    input: () => 'apply',
    problem: (d) => `the rules did not load onto a copy of this host's ruleset (nothing was changed): ${d.why}`,
    fix: () => 'see the message of the tool that refused; sudo sipwall diagnose firewall shows what is loaded',
    example: { why: 'the apply ruleset does not load: Error: No such file or directory; did you mean table ‘filter’ in family inet?' },
  }),
  E_APPLY_MANAGER: entry<{ name: string; evidence: string; instead: string }>({
    input: () => 'apply',
    problem: (d) => `${d.name} manages this host's firewall (${d.evidence}): a standalone apply would fight it (nothing was changed)`,
    fix: (d) => `${d.instead}; or --force to apply anyway`,
    example: { name: 'ufw', evidence: 'iptables chain ufw-before-input', instead: 'let ufw own the firewall: sipwall render --target ufw' },
  }),
  E_APPLY_WIPES: entry<{ count: number; first: string }>({
    input: () => 'apply',
    problem: (d) => `it would remove ${d.count} rule${d.count > 1 ? 's' : ''} sipwall did not write, e.g. ${d.first} (nothing was changed)`,
    fix: () => 'hook into your own firewall instead: --into INPUT (iptables) or --into FAMILY/TABLE/CHAIN (nftables); or --force to replace them',
    example: { count: 3, first: 'inet filter input: tcp dport 8443 accept' },
  }),
  E_APPLY_OPENS_NOTHING: entry<{ count: number; what: string; rule: string; instead: string }>({
    input: () => 'apply',
    problem: (d) => `${d.count} provider flow${d.count > 1 ? 's' : ''} (${d.what}) would still be blocked, by ${d.rule} (nothing was changed)`,
    fix: (d) => d.instead,
    example: { count: 6, what: 'FlyNumber SIP udp from 46.19.212.0', rule: 'the policy drop of chain input (table inet filter)', instead: 'hook into that firewall: --into inet/filter/input' },
  }),
  E_APPLY_LOCKOUT: entry<{ what: string; rule: string }>({
    input: () => 'apply',
    problem: (d) => `the new rules would close ${d.what}, by ${d.rule} (nothing was changed)`,
    fix: () => 'keep it open (--ssh-port, --ssh-from, or your own rule before sipwall\'s), or --allow-lockout if you have another way in',
    example: { what: 'your SSH session from 198.51.100.7 (SSH_CONNECTION): tcp/2222', rule: 'the policy drop of chain input (table inet sipwall)' },
  }),
  E_REMOVE_NOTHING: entry<{ path: string }>({
    input: () => 'remove',
    problem: (d) => `sipwall has applied nothing on this host (no ${d.path})`,
    fix: () => 'nothing to remove; rules loaded by hand (nft -f, a render script) are removed by hand',
    example: { path: '/var/lib/sipwall/applied.json' },
  }),
  E_REMOVE_RECORD: entry<{ path: string; why: string }>({
    input: () => 'remove',
    problem: (d) => `${d.path} is not a record sipwall wrote (${d.why})`,
    fix: () => 'remove the rules by hand (sipwall render shows them) and delete the file',
    example: { path: '/var/lib/sipwall/applied.json', why: 'not JSON' },
  }),
} as const;

export type CommandCode = keyof typeof COMMAND_ERRORS;

/** The error of entry `code` with `data`. */
export const commandError = <C extends CommandCode>(code: C, data: (typeof COMMAND_ERRORS)[C]['example']) => raise(COMMAND_ERRORS, code, data);
