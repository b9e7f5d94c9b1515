/**
 * RFC 4475 conformance: a message of each of the RFC's 49 kinds (torture/messages.ts) sent to a
 * real responder on loopback over UDP and over TCP; each answer held to the RFC's expectation
 * (torture/table.ts) and to RFC 3261's copying rules (torture/replay.ts). The RFC's own archive
 * bytes go through the same table with `npm run conformance -- rfc4475.txt`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from './torture/messages.js';
import { conform, type Verdict } from './torture/run.js';
import { TORTURE } from './torture/table.js';

describe('RFC 4475 torture messages against the responder', () => {
  let verdicts: Verdict[];
  beforeAll(async () => {
    verdicts = await conform(MESSAGES);
  }, 60_000);

  it('covers the 49 messages of the RFC, each once, each with a message', () => {
    expect(TORTURE).toHaveLength(49);
    expect(new Set(TORTURE.map((r) => r.name)).size).toBe(49);
    expect([...MESSAGES.keys()].sort()).toEqual(TORTURE.map((r) => r.name).sort());
  });

  it.each(TORTURE.map((r) => [`${r.section} ${r.name}: ${r.title}`, r.name] as const))('%s', (_, name) => {
    const mine = verdicts.filter((v) => v.name === name);
    expect(mine.map((v) => v.transport)).toEqual(['udp', 'tcp']);
    for (const v of mine) expect({ transport: v.transport, answered: v.statuses, problems: v.problems }).toEqual({ transport: v.transport, answered: v.statuses, problems: [] });
  });
});
