/** `sipwall responder`: answers OPTIONS and echoes RTP until SIGINT/SIGTERM (or --duration). */
import type { Argv } from 'yargs';
import { parseCidr, type Prefix } from '../net/cidr.js';
import { InputError } from '../net/errors.js';
import { parsePortRange } from '../net/ports.js';
import { Responder } from '../probe/responder.js';
import type { Transport } from '../probe/target.js';
import type { Context } from './context.js';

export interface ResponderArgs {
  sip: string;
  rtp: string | undefined;
  allow: string[] | undefined;
  bind: string;
  'tls-cert': string | undefined;
  'tls-key': string | undefined;
  'sip-rate': number;
  'rtp-rate': number;
  duration: number | undefined;
}

export function responderOptions(y: Argv): Argv {
  return y
    .option('sip', { type: 'string', default: 'udp:5060,tcp:5060', describe: 'SIP listeners, transport:port comma-separated (tls needs --tls-cert and --tls-key)' })
    .option('rtp', { type: 'string', describe: 'RTP port range to echo, e.g. 10000-20000 (one socket per port: ulimit -n must allow it)' })
    .option('allow', { type: 'string', array: true, describe: 'Answer only these sources (CIDR, repeat or comma-separate); everyone when absent' })
    .option('bind', { type: 'string', default: '::', describe: 'Address to listen on (:: takes IPv4 and IPv6)' })
    .option('tls-cert', { type: 'string', describe: 'PEM certificate (chain) for tls listeners' })
    .option('tls-key', { type: 'string', describe: 'PEM private key for tls listeners' })
    .option('sip-rate', { type: 'number', default: 20, describe: 'SIP messages per second per source (bursts to twice)' })
    .option('rtp-rate', { type: 'number', default: 10000, describe: 'RTP packets per second per source (bursts to twice)' })
    .option('duration', { type: 'number', describe: 'Stop after this many seconds (default: run until Ctrl-C)' })
    .example('$0 responder --sip udp:5060,tcp:5060,tls:5061 --rtp 10000-20000 --allow 46.19.208.0/21 --tls-cert cert.pem --tls-key key.pem', 'what probe sip and probe rtp talk to');
}

function parseListeners(text: string): Array<{ transport: Transport; port: number }> {
  const seen = new Set<string>();
  return text.split(',').map((part) => {
    const m = /^(udp|tcp|tls):(.+)$/.exec(part.trim());
    if (!m) throw new InputError('--sip', `"${part.slice(0, 30)}" is not transport:port`, 'write e.g. udp:5060,tcp:5060,tls:5061');
    const port = parsePortRange(m[2]!, '--sip');
    if (port.from !== port.to) throw new InputError('--sip', `"${part}" names a range`, 'give one port per listener');
    const key = `${m[1] === 'udp' ? 'udp' : 'tcp'}:${port.from}`;
    if (seen.has(key)) throw new InputError('--sip', `port ${port.from} is named twice for ${m[1] === 'udp' ? 'udp' : 'tcp and tls'}`, 'give each listener its own port');
    seen.add(key);
    return { transport: m[1] as Transport, port: port.from };
  });
}

export async function runResponder(args: ResponderArgs, ctx: Context): Promise<number> {
  const sip = parseListeners(args.sip);
  const rtp = args.rtp === undefined ? undefined : parsePortRange(args.rtp, '--rtp');
  const allow: Prefix[] | undefined = args.allow?.flatMap((a) => a.split(',')).map((c, i) => parseCidr(c, `--allow ${i + 1}`));
  for (const [name, value] of [['--sip-rate', args['sip-rate']], ['--rtp-rate', args['rtp-rate']]] as const) {
    if (!(value >= 1 && value <= 1_000_000)) throw new InputError(name, `${value} is outside 1-1000000`, `use e.g. ${name} 100`);
  }
  const needsTls = sip.some((l) => l.transport === 'tls');
  if (needsTls && (args['tls-cert'] === undefined || args['tls-key'] === undefined)) {
    throw new InputError('--sip', 'a tls listener needs a certificate', 'add --tls-cert cert.pem --tls-key key.pem (e.g. from openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=pbx.example.com)');
  }
  const read = (flag: string, path: string) => {
    try {
      return ctx.io.readFile(path);
    } catch (error) {
      throw new InputError(flag, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'name a PEM file');
    }
  };
  const tlsFiles = needsTls ? { cert: read('--tls-cert', args['tls-cert']!), key: read('--tls-key', args['tls-key']!) } : undefined;
  const log = (line: string) => ctx.io.stdout(`${ctx.io.now().toISOString()} ${line}\n`);
  const responder = new Responder({ sip, rtp, allow, host: args.bind, ...(tlsFiles ? { tls: tlsFiles } : {}), sipRate: args['sip-rate'], rtpRate: args['rtp-rate'], log });
  try {
    await responder.start();
  } catch (error) {
    await responder.stop();
    ctx.io.stderr(`sipwall: responder: ${(error as Error).message}\n`);
    return 1;
  }
  const what = [...sip.map((l) => `${l.transport}:${l.port}`), ...(rtp ? [`rtp ${rtp.from}-${rtp.to}`] : [])].join(', ');
  log(`ready: ${what} on ${args.bind}${allow ? ` for ${args.allow!.join(',')}` : ' for every source'}`);
  await new Promise<void>((resolve) => {
    ctx.io.onStop(resolve);
    if (args.duration !== undefined) setTimeout(resolve, Math.max(0, args.duration) * 1000);
  });
  await responder.stop();
  log('stopped');
  return 0;
}
