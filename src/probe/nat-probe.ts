/**
 * How the NAT in front of this host behaves, measured against a sipwall responder (RFC 4787
 * terms): the mapping type (one local socket to two responder ports: the same public address and
 * port is an endpoint-independent mapping, two are address-and-port dependent, which breaks SIP
 * without a media relay), whether the local port is kept, and how long the mapping lives without
 * traffic (the responder resends its answer after N s of silence, `X-Sipwall-Callback`; the
 * answer gets back only while the mapping lives). Every wait is bounded.
 */
import dgram from 'node:dgram';
import { parseSipMessage } from './sip-message.js';
import { answers, buildOptions, CALLBACK, hostPort, natOf, type Endpoint, type OptionsRequest } from './sip-options.js';
import { parseSipTarget } from './target.js';

export interface NatBehaviour {
  /** This host's address and the local port of the socket that reached both responder ports. */
  readonly local: string;
  /** What the responder saw at each of its ports, from that one socket (undefined: no answer). */
  readonly mappings: ReadonlyArray<{ readonly port: number; readonly public: string | undefined }>;
  readonly behindNat: boolean | undefined;
  readonly mapping: 'endpoint-independent' | 'address-and-port-dependent' | 'unknown';
  readonly portPreserved: boolean | undefined;
  /** For each idle time: whether the answer resent after it got back (undefined: no first answer). */
  readonly binding: ReadonlyArray<{ readonly idleSeconds: number; readonly alive: boolean | undefined }>;
}

/** The first answer: sends at 0, 0.5 and 1.5 s, gives up at 4 s. */
const SENDS_MS = [0, 500, 1500];
const ANSWER_MS = 4000;
/** After the callback is due, how long to wait for it. */
const CALLBACK_GRACE_MS = 2000;

/** This host's address toward the responder (a connected UDP socket sends nothing). */
async function localAddress(address: string, port: number): Promise<string> {
  const s = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.connect(port, address, () => resolve());
    });
    return s.address().address;
  } finally {
    s.close();
  }
}

interface Exchange {
  /** Resolves with the public endpoint the responder saw, or undefined after ANSWER_MS. */
  readonly first: Promise<string | undefined>;
  /** Resolves true when the same answer comes a second time before `ms`. */
  again(ms: number): Promise<boolean>;
}

function exchange(socket: dgram.Socket, local: Endpoint, address: string, port: number, callbackSeconds?: number): Exchange {
  const target = parseSipTarget(`${address.includes(':') ? `[${address}]` : address}:${port}`, 'responder');
  const request: OptionsRequest = buildOptions(target, 'udp', local, callbackSeconds === undefined ? [] : [{ name: CALLBACK.header, value: String(callbackSeconds) }]);
  let seen = 0;
  let onAnswer: (() => void) | undefined;
  let firstDone: (v: string | undefined) => void = () => undefined;
  const first = new Promise<string | undefined>((r) => (firstDone = r));
  const timers: NodeJS.Timeout[] = [];
  const listener = (raw: Buffer, rinfo: dgram.RemoteInfo) => {
    if (rinfo.port !== port) return;
    try {
      const message = parseSipMessage(raw, true);
      if (!answers(request, message)) return;
      seen++;
      if (seen === 1) {
        timers.forEach(clearTimeout);
        firstDone(natOf(message, local).public);
      } else onAnswer?.();
    } catch {
      // not ours, or not SIP
    }
  };
  socket.on('message', listener);
  const bytes = Buffer.from(request.text, 'latin1');
  for (const at of SENDS_MS) timers.push(setTimeout(() => seen === 0 && socket.send(bytes, port, address, () => undefined), at));
  timers.push(setTimeout(() => firstDone(undefined), ANSWER_MS));
  return {
    first,
    again: (ms) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        onAnswer = () => {
          clearTimeout(timer);
          resolve(true);
        };
      }),
  };
}

async function boundSocket(address: string): Promise<{ socket: dgram.Socket; local: Endpoint }> {
  const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, address, () => resolve()));
  return { socket, local: { address, port: socket.address().port } };
}

/**
 * `ports`: two UDP ports of one responder (the mapping type needs both); `idleSeconds`: the idle
 * times tried at once, each on its own socket (so the whole measure takes the longest of them).
 */
export async function natBehaviour(address: string, ports: readonly [number, number], idleSeconds: readonly number[]): Promise<NatBehaviour> {
  const me = await localAddress(address, ports[0]);
  const main = await boundSocket(me);
  const sockets = [main.socket];
  try {
    const mappings: Array<{ port: number; public: string | undefined }> = [];
    for (const port of ports) mappings.push({ port, public: await exchange(main.socket, main.local, address, port).first });
    const binding = await Promise.all(
      idleSeconds.map(async (idle) => {
        const b = await boundSocket(me);
        sockets.push(b.socket);
        const x = exchange(b.socket, b.local, address, ports[0], idle);
        if ((await x.first) === undefined) return { idleSeconds: idle, alive: undefined };
        return { idleSeconds: idle, alive: await x.again(idle * 1000 + CALLBACK_GRACE_MS) };
      }),
    );
    const [a, b] = mappings.map((m) => m.public);
    const local = hostPort(main.local);
    return {
      local,
      mappings,
      behindNat: a === undefined ? undefined : a !== local,
      mapping: a === undefined || b === undefined ? 'unknown' : a === b ? 'endpoint-independent' : 'address-and-port-dependent',
      portPreserved: a === undefined ? undefined : a.endsWith(`:${main.local.port}`),
      binding,
    };
  } finally {
    for (const s of sockets) s.close();
  }
}
