/** Runs the RFC 4475 table against a responder on loopback, over UDP and TCP. */
import { Responder, UDP_AMPLIFICATION } from '../../../src/probe/responder.js';
import { freePort } from '../../helpers/ports.js';
import { judge, replayTcp, replayUdp } from './replay.js';
import { TORTURE, type Expect } from './table.js';

export interface Verdict {
  readonly name: string;
  readonly section: string;
  readonly transport: 'udp' | 'tcp';
  readonly expected: Expect;
  readonly statuses: readonly number[];
  readonly problems: readonly string[];
}

/** `archive`: the messages are the RFC's own archive bytes (its known defects allowed for). */
export async function conform(messages: ReadonlyMap<string, Buffer>, archive = false): Promise<Verdict[]> {
  const port = await freePort();
  // A rate high enough that 98 replays from one address are all answered.
  const responder = new Responder({
    sip: [
      { transport: 'udp', port },
      { transport: 'tcp', port },
    ],
    rtp: undefined,
    allow: undefined,
    host: '127.0.0.1',
    sipRate: 10_000,
    rtpRate: 1,
    log: () => undefined,
  });
  await responder.start();
  const verdicts: Verdict[] = [];
  try {
    for (const row of TORTURE) {
      const bytes = messages.get(row.name);
      if (!bytes) throw new Error(`no message ${row.name}`);
      for (const transport of ['udp', 'tcp'] as const) {
        const expected = (archive && row.archive?.[transport]) || (transport === 'tcp' ? (row.tcp ?? row.udp) : row.udp);
        const outcome = transport === 'udp' ? await replayUdp(port, bytes) : await replayTcp(port, bytes);
        const statuses = outcome.answers.map((a) => Number(a.toString('latin1').slice(8, 11)));
        const problems = judge(row, expected, bytes, outcome);
        // QUIC's anti-amplification bound (RFC 9000 §8.1), bytes out against bytes in.
        const out = outcome.answers.reduce((n, a) => n + a.length, 0);
        if (transport === 'udp' && out > UDP_AMPLIFICATION * bytes.length) problems.push(`${out} bytes answered to ${bytes.length}, over ${UDP_AMPLIFICATION}x`);
        verdicts.push({ name: row.name, section: row.section, transport, expected, statuses, problems });
      }
    }
  } finally {
    await responder.stop();
  }
  return verdicts;
}
