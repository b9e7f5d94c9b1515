/** `sipwall diagnose [firewall|config]`: flags and help. The work is in diagnose-run.ts. */
import type { Argv } from 'yargs';

export interface DiagnoseArgs {
  part: 'all' | 'firewall' | 'config' | 'call' | 'nat';
  responder?: string;
  idle?: string;
  keepalive?: string;
  capture?: string[];
  live?: string;
  maxCaptureMib: number;
  provider?: string[];
  profile?: string[];
  pbx?: string;
  rtpPorts?: string;
  sipPorts?: string;
  ruleset?: string[];
  interface?: string;
  address?: string[];
  configDir?: string;
  json: boolean;
  maxProfileMib: number;
}

export function diagnoseOptions(y: Argv): Argv {
  return y
    .positional('part', { choices: ['all', 'firewall', 'config', 'call', 'nat'], default: 'all', describe: 'Which part: the firewall replay, the PBX config, a captured call, the NAT\'s behaviour, or every part that applies' })
    .positional('capture', { type: 'string', array: true, describe: 'diagnose call: a capture of the call (pcap or pcapng, as tcpdump and sngrep write them); two captures of one call from two points show a SIP ALG' })
    .option('live', { type: 'string', describe: 'diagnose call: capture with tcpdump for this long (e.g. 60s, at most 10m) while you place a test call' })
    .option('responder', { type: 'string', describe: 'diagnose nat: a sipwall responder outside this NAT, HOST or HOST:PORT,PORT (two UDP ports; default 5060,5062), started with --callback' })
    .option('idle', { type: 'string', describe: 'diagnose nat: idle times to try at once, each on its own socket (default 15s,30s,60s,120s; at most 300s)' })
    .option('keepalive', { type: 'string', describe: 'diagnose nat: how often the PBX sends OPTIONS keepalives, e.g. 60s (default: qualify_frequency from the Asterisk config)' })
    .option('max-capture-mib', { type: 'number', default: 256, describe: 'Largest capture file read, in MiB' })
    .option('provider', { alias: 'p', type: 'string', array: true, describe: 'Built-in provider id (repeatable): flynumber, vapi' })
    .option('profile', { type: 'string', array: true, describe: 'Your own provider profile, YAML or JSON (repeatable)' })
    .option('pbx', { type: 'string', describe: 'PBX preset: asterisk, freepbx, freeswitch, 3cx (its RTP range and SIP ports)' })
    .option('rtp-ports', { type: 'string', describe: "The PBX's RTP range, e.g. 10000-20000 (overrides --pbx and the config)" })
    .option('sip-ports', { type: 'string', describe: 'What the PBX listens on, e.g. udp:5060,tcp:5060,tls:5061 (overrides --pbx)' })
    .option('ruleset', { type: 'string', array: true, describe: 'A saved ruleset instead of this host\'s (repeatable: nft list ruleset, iptables-save, ip6tables-save, ipset save output)' })
    .option('interface', { type: 'string', describe: 'The interface the provider\'s packets arrive on (default: the default route\'s; eth0 for --ruleset)' })
    .option('address', { type: 'string', array: true, describe: 'The PBX\'s address the provider sends to, one per family (default: the interface\'s; 192.0.2.10 and 2001:db8::10 for --ruleset)' })
    .option('config-dir', { type: 'string', describe: 'A copy of the PBX\'s configuration (/etc/asterisk or FreeSWITCH\'s conf folder); default: those folders on this host' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON (docs/diagnose-result.schema.json)' })
    .option('max-profile-mib', { type: 'number', default: 64, describe: 'Largest profile file read, in MiB' })
    .example('sudo $0 diagnose -p flynumber --pbx asterisk', 'replay FlyNumber\'s flows against this host\'s firewall and read /etc/asterisk: ranked findings with fixes')
    .example('sudo $0 diagnose firewall -p vapi --ruleset saved.nft --address 203.0.113.5 --json', 'a saved nftables ruleset: which rule decides each flow, as JSON')
    .example('$0 diagnose config --config-dir ./asterisk-etc', 'NAT and RTP-range mistakes in a copy of the Asterisk config (no root needed)')
    .example('sudo $0 diagnose call capture.pcap', 'a captured call: its dialog, SDP and RTP each way, and why audio is one-way')
    .example('sudo $0 diagnose call --live 60s', 'capture while you place a test call, then read it')
    .example('$0 diagnose call at-pbx.pcap at-provider.pcap', 'one call captured at two points: what was rewritten in between')
    .example('$0 diagnose nat --responder 203.0.113.7 --keepalive 60s', 'the NAT\'s mapping type and binding timeout against the PBX\'s keepalive (takes the longest idle time, 2 min)');
}
