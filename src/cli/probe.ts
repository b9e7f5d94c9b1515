/**
 * `sipwall probe sip` and `sipwall probe rtp`: flags and help. The work is in probe-run.ts,
 * loaded only when a probe runs (sockets and TLS cost every other command start-up time).
 */
import type { Argv } from 'yargs';
import { PLATFORMS } from '../lint/rules.js';

export interface ProbeSipArgs {
  target: string[] | undefined;
  transport: string | undefined;
  targets: string | undefined;
  concurrency: number;
  timeout: number;
  insecure: boolean;
  ca: string | undefined;
  'dns-server': string[] | undefined;
  json: boolean;
  as: string | undefined;
  platform: string | undefined;
}

export interface ProbeRtpArgs {
  host: string;
  ports: string;
  all: boolean;
  sample: number | undefined;
  count: number | undefined;
  interval: string;
  rate: number;
  wait: number;
  sip: string;
  timeout: number;
  'dns-server': string[] | undefined;
  json: boolean;
}

const common = (y: Argv) =>
  y
    .option('timeout', { type: 'number', default: 5000, describe: 'Milliseconds to wait for an answer (UDP retransmits at 500 ms, doubling)' })
    .option('dns-server', { type: 'string', array: true, describe: 'DNS server(s) for NAPTR/SRV/A lookups, e.g. 127.0.0.1:5353 (default: the system resolver)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the versioned JSON result (docs/probe-result.schema.json)' });

export function probeOptions(y: Argv): Argv {
  return y
    .command('sip [target..]', 'Send SIP OPTIONS over udp, tcp and tls and report what answers', (s) =>
      common(s)
        .positional('target', { type: 'string', array: true, describe: 'host, host:port, IP, [IPv6]:port or SIP URI' })
        .option('transport', { type: 'string', choices: ['udp', 'tcp', 'tls'], describe: 'Only this transport (default: udp, tcp and tls in turn, or the URI\'s ;transport=)' })
        .option('targets', { type: 'string', describe: 'File with one target per line (# comments)' })
        .option('concurrency', { type: 'number', default: 100, describe: 'Probes in flight at once' })
        .option('insecure', { type: 'boolean', default: false, describe: 'TLS: probe even when the certificate does not verify (reported as such)' })
        .option('ca', { type: 'string', describe: 'TLS: PEM file of the CA(s) to trust instead of the system\'s (a private CA)' })
        .option('as', { type: 'string', describe: "Probe the way this provider's forwarding reaches the target (a sip:USER@DOMAIN URI): its settings linted, the answer explained in the destination's terms" })
        .option('platform', { type: 'string', choices: PLATFORMS, describe: 'With --as: the destination platform (found from the domain for VAPI and LiveKit)' })
        .example('$0 probe sip pbx.example.com', 'OPTIONS over udp, tcp and tls in turn')
        .example('$0 probe sip sip:+13025551234@abc.sip.vapi.ai --transport tcp --json', 'one transport, JSON result')
        .example('$0 probe sip --targets hosts.txt --concurrency 200', 'many targets at once')
        .example('$0 probe sip --as flynumber sip:+13025551234@a1b2c3d4-5678-90ab-cdef-1234567890ab.sip.vapi.ai', 'as the FlyNumber forwarding calls VAPI: a 503 = not a BYO SIP trunk')
        .example('$0 probe sip --as flynumber sip:+17185301799@abcd1234.sip.livekit.cloud', 'as it calls LiveKit: a 404 = the username is not a trunk number'),
    )
    .command('rtp <host>', 'Send RTP to a sipwall responder and report which ports echo', (s) =>
      common(s)
        .positional('host', { type: 'string', demandOption: true, describe: 'the responder host (IP or name)' })
        .option('ports', { type: 'string', default: '10000-20000', describe: 'RTP port range of the responder' })
        .option('all', { type: 'boolean', default: false, describe: 'Sweep every port of the range (one packet each, silent ports retried)' })
        .option('sample', { type: 'number', describe: 'Probe N ports spread evenly over the range (default 32 unless --all)' })
        .option('count', { type: 'number', describe: 'Packets per port (default 1 with --all, else 20)' })
        .option('interval', { type: 'string', default: '20ms', describe: 'Time between packets to one port (20ms = a call)' })
        .option('rate', { type: 'number', default: 8000, describe: 'Packets per second at most (the responder limits each source to its --rtp-rate)' })
        .option('wait', { type: 'number', default: 500, describe: 'Milliseconds to wait for echoes after the last packet' })
        .option('sip', { type: 'string', default: 'udp:5060', describe: 'Where the responder answers SIP (asks it which packets arrived)' })
        .example('$0 probe rtp pbx.example.com --ports 10000-20000 --all', 'every port, progress bar')
        .example('$0 probe rtp pbx.example.com --ports 10000-20000 --sample 64 --count 50 --interval 20ms', 'loss, jitter and RTT on 64 ports'),
    )
    .demandCommand(1, 'name what to probe: sip or rtp');
}
