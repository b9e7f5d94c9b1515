/**
 * `sipwall responder`: flags, help and listener parsing. The run (sockets) is in
 * responder-run.ts, loaded only when the responder starts.
 */
import { commandError } from '../errors/commands.js';
import type { Argv } from 'yargs';
import { parsePortRange } from '../net/ports.js';
import type { Transport } from '../probe/target.js';

export interface ResponderArgs {
  sip: string;
  rtp: string | undefined;
  allow: string[] | undefined;
  bind: string;
  'tls-cert': string | undefined;
  'tls-key': string | undefined;
  'sip-rate': number;
  'rtp-rate': number;
  'tcp-per-source': number;
  duration: number | undefined;
  callback: boolean;
}

export function responderOptions(y: Argv): Argv {
  return y
    .option('sip', { type: 'string', default: 'udp:5060,tcp:5060', describe: 'SIP listeners, transport:port comma-separated (tls uses --tls-cert/--tls-key, or a self-signed certificate)' })
    .option('rtp', { type: 'string', describe: 'RTP port range to echo, e.g. 10000-20000 (one socket per port: ulimit -n must allow it)' })
    .option('allow', { type: 'string', array: true, describe: 'Answer only these sources (CIDR, repeat or comma-separate); everyone when absent' })
    .option('bind', { type: 'string', default: '::', describe: 'Address to listen on (:: takes IPv4 and IPv6)' })
    .option('tls-cert', { type: 'string', describe: 'PEM certificate (chain) for tls listeners (default: a self-signed one, made at start)' })
    .option('tls-key', { type: 'string', describe: 'PEM private key for tls listeners' })
    .option('sip-rate', { type: 'number', default: 20, describe: 'SIP messages per second per source (bursts to twice)' })
    .option('rtp-rate', { type: 'number', default: 10000, describe: 'RTP packets per second per source (bursts to twice)' })
    .option('tcp-per-source', { type: 'number', default: 8, describe: 'TCP/TLS connections one source may hold (a message must arrive whole within 5 s; at 256 connections the one idle the longest goes)' })
    .option('duration', { type: 'number', describe: 'Stop after this many seconds (default: run until Ctrl-C)' })
    .option('callback', { type: 'boolean', default: false, describe: 'Resend an OPTIONS answer N s later when asked (X-Sipwall-Callback: N, at most 300), for diagnose nat to measure the NAT binding timeout' })
    .example('$0 responder --sip udp:5060,tcp:5060,tls:5061 --rtp 10000-20000 --allow 46.19.208.0/21', 'what probe sip and probe rtp talk to (tls with a self-signed certificate)')
    .example('$0 responder --sip tls:5061 --tls-cert cert.pem --tls-key key.pem', 'tls with your certificate')
    .example('$0 responder --sip udp:5060,udp:5062 --callback', 'what diagnose nat talks to: two ports (the mapping type), answers resent later (the binding timeout)');
}

/** `udp:5060,tcp:5060,tls:5061` → listeners; each port once per protocol (tcp and tls share). */
export function parseListeners(text: string, flag = '--sip'): Array<{ transport: Transport; port: number }> {
  const seen = new Set<string>();
  return text.split(',').map((part) => {
    const m = /^(udp|tcp|tls):(.+)$/.exec(part.trim());
    if (!m) throw commandError('E_LISTENER', { flag, part: part.slice(0, 30) });
    const port = parsePortRange(m[2]!, flag);
    if (port.from !== port.to) throw commandError('E_LISTENER_RANGE', { flag, part });
    const key = `${m[1] === 'udp' ? 'udp' : 'tcp'}:${port.from}`;
    if (seen.has(key)) throw commandError('E_LISTENER_TWICE', { flag, port: port.from, transports: m[1] === 'udp' ? 'udp' : 'tcp and tls' });
    seen.add(key);
    return { transport: m[1] as Transport, port: port.from };
  });
}
