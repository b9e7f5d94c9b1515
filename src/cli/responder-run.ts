/** `sipwall responder`: answers OPTIONS and echoes RTP until SIGINT/SIGTERM (or --duration). */
import { parseCidr, type Prefix } from '../net/cidr.js';
import { InputError } from '../net/errors.js';
import { parsePortRange } from '../net/ports.js';
import { Responder } from '../probe/responder.js';
import { readInput, type Context } from './context.js';
import { parseListeners, type ResponderArgs } from './responder.js';

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
  const read = (flag: string, path: string) => readInput(ctx, flag, path, 'name a PEM file');
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
