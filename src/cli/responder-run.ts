/** `sipwall responder`: answers OPTIONS and echoes RTP until SIGINT/SIGTERM (or --duration). */
import { commandError } from '../errors/commands.js';
import { hostname } from 'node:os';
import { parseCidr, type Prefix } from '../net/cidr.js';
import { parsePortRange } from '../net/ports.js';
import { Responder, RESPONDER_LIMITS } from '../probe/responder.js';
import { selfSigned } from '../probe/self-signed.js';
import { parseWhole } from './options.js';
import { readInput, type Context } from './context.js';
import { parseListeners, type ResponderArgs } from './responder.js';
import { terminalText } from '../text/escape.js';

export async function runResponder(args: ResponderArgs, ctx: Context): Promise<number> {
  const sip = parseListeners(args.sip);
  const rtp = args.rtp === undefined ? undefined : parsePortRange(args.rtp, '--rtp');
  const allow: Prefix[] | undefined = args.allow?.flatMap((a) => a.split(',')).map((c, i) => parseCidr(c, `--allow ${i + 1}`));
  for (const [name, value] of [['--sip-rate', args['sip-rate']], ['--rtp-rate', args['rtp-rate']]] as const) {
    if (!(value >= 1 && value <= 1_000_000)) throw commandError('E_RATE', { flag: name, value });
  }
  const tcpPerSource = parseWhole('--tcp-per-source', args['tcp-per-source'], 1, RESPONDER_LIMITS.connections, 8);
  if (args.duration !== undefined && !(Number.isFinite(args.duration) && args.duration > 0 && args.duration <= 31_536_000)) {
    throw commandError('E_RESPONDER_DURATION', { value: String(args.duration) });
  }
  const needsTls = sip.some((l) => l.transport === 'tls');
  if ((args['tls-cert'] === undefined) !== (args['tls-key'] === undefined)) {
    throw commandError('E_TLS_PAIR', { flag: args['tls-cert'] === undefined ? '--tls-key' : '--tls-cert' });
  }
  const read = (flag: string, path: string) => readInput(ctx, flag, path, 'name a PEM file');
  const given = args['tls-cert'] !== undefined ? { cert: read('--tls-cert', args['tls-cert']), key: read('--tls-key', args['tls-key']!) } : undefined;
  const log = (line: string) => ctx.io.stdout(`${ctx.io.now().toISOString()} ${terminalText(line)}\n`);
  const tlsFiles = needsTls ? (given ?? throwAway(log)) : undefined;
  const responder = new Responder({ sip, rtp, allow, host: args.bind, ...(tlsFiles ? { tls: tlsFiles } : {}), sipRate: args['sip-rate'], rtpRate: args['rtp-rate'], tcpPerSource, callback: args.callback, log });
  try {
    await responder.start();
  } catch (error) {
    await responder.stop();
    ctx.io.stderr(`sipwall: responder: ${(error as Error).message}\n`);
    return 1;
  }
  const what = [...sip.map((l) => `${l.transport}:${l.port}`), ...(rtp ? [`rtp ${rtp.from}-${rtp.to}`] : [])].join(', ');
  // Until SIGINT/SIGTERM or --duration, whichever comes first; the other must not keep the
  // process alive afterwards. The handlers go in before "ready": a SIGTERM sent on it is caught.
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<void>((resolve) => {
    ctx.io.onStop(resolve);
    if (args.duration !== undefined) timer = setTimeout(resolve, Math.max(0, args.duration) * 1000);
  });
  log(`ready: ${what} on ${args.bind}${allow ? ` for ${args.allow!.join(',')}` : ' for every source'}`);
  await stopped;
  clearTimeout(timer);
  await responder.stop();
  log('stopped');
  return 0;
}

/**
 * A throw-away self-signed certificate for a tls listener without --tls-cert: probes reach it
 * with --insecure (and say the certificate is not verified).
 */
function throwAway(log: (line: string) => void): { cert: string; key: string } {
  const name = hostname();
  const pems = selfSigned(name, 30);
  log(`tls: no --tls-cert, so a self-signed certificate for CN=${name} (SHA-1 ${pems.fingerprint}, 30 days): probe sip needs --insecure or --ca`);
  return { cert: pems.cert, key: pems.key };
}
