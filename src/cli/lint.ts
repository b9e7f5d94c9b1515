/** `sipwall lint`: its flags and help; the run is lint-run.ts (loaded only when it runs). */
import type { Argv } from 'yargs';
import { NETWORKS, PLATFORMS } from '../lint/rules.js';

export interface LintArgs {
  platform?: string;
  username?: string;
  domain?: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
  network: string;
  config?: string;
  resolve: boolean;
  dnsServer?: string[];
  pbx?: string;
  rules?: string;
  json: boolean;
}

export function lintOptions(y: Argv): Argv {
  return y
    .option('platform', { choices: PLATFORMS, describe: 'Where the calls go (found from the domain for VAPI and LiveKit)' })
    .option('username', { type: 'string', describe: 'The forwarding\'s Username' })
    .option('domain', { type: 'string', describe: 'The forwarding\'s Domain (host name or address)' })
    .option('port', { type: 'number', default: 5060, describe: 'The forwarding\'s Port' })
    .option('transport', { choices: ['udp', 'tcp', 'tls'] as const, default: 'udp' as const, describe: 'The transport chosen in the panel' })
    .option('network', { choices: NETWORKS, default: 'ipv4-only' as const, describe: 'The forwarding\'s Network Protocol' })
    .option('config', { type: 'string', describe: 'A YAML file of forwardings instead of the flags (docs/lint.md)' })
    .option('resolve', { type: 'boolean', default: false, describe: 'Look the domain up: an IPv6 Only forwarding needs an AAAA record' })
    .option('dns-server', { type: 'string', array: true, describe: 'DNS server for --resolve (default: the system\'s)' })
    .option('pbx', { type: 'string', describe: 'The PBX preset whose RTP range --rules must open (asterisk, freepbx, freeswitch, 3cx)' })
    .option('rules', { type: 'string', describe: 'A file sipwall render wrote: its header says the RTP range it opens' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
    .example('$0 lint --domain abcd1234.sip.livekit.cloud --username agent1', 'LiveKit wants the DID in E.164: error, exit 1')
    .example('$0 lint --platform elevenlabs --domain elevenlabs-sip.example.com --transport udp', 'ElevenLabs takes TLS only')
    .example('$0 lint --config forwardings.yaml --resolve --pbx asterisk --rules sipwall.nft', 'every forwarding in a file, DNS and the rendered rules too');
}
