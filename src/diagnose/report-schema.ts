/**
 * The `sipwall diagnose --json` result (v1) as zod, from which docs/diagnose-result.schema.json is
 * generated (`npm run schema`; a test keeps the file equal and checks real output against it).
 * Loaded by tests and the schema script only.
 */
import { z } from 'zod';

export const DIAGNOSE_SCHEMA = 'urn:sipwall:schema:diagnose-result:v1';

const part = z.enum(['firewall', 'config', 'call', 'nat']);
const sdp = z.strictObject({ address: z.string(), port: z.int().min(0), codecs: z.array(z.string()), by: z.string().describe('Who sent it (packet source)') });

export const diagnoseReportSchema = z.strictObject({
  schema: z.literal(DIAGNOSE_SCHEMA),
  ok: z.boolean().describe('No error and no warning (exit code 0; 1 otherwise)'),
  parts: z.array(z.strictObject({ part, ran: z.boolean(), summary: z.string().describe('What the part looked at, or why it did not run') })),
  findings: z
    .array(
      z.strictObject({
        severity: z.enum(['error', 'warning', 'info']),
        part,
        title: z.string().describe('What is wrong, one line'),
        evidence: z.array(z.string()).describe('What was seen, one fact each'),
        fix: z.string().describe('The command or config line that fixes it'),
      }),
    )
    .describe('Ranked: errors, then warnings, then notes'),
  flows: z
    .array(
      z.strictObject({
        id: z.int().min(0),
        family: z.union([z.literal(4), z.literal(6)]),
        protocol: z.enum(['udp', 'tcp']),
        source: z.string(),
        sourcePort: z.int().min(1).max(65535),
        destinationPort: z.int().min(1).max(65535),
        expect: z.enum(['accept', 'refuse']).describe('accept: a provider flow that must pass; refuse: SIP from an address no provider lists'),
        provider: z.string(),
        role: z.enum(['sip', 'media']),
        label: z.string(),
        verdict: z.enum(['accept', 'drop', 'reject', 'untraced']).describe('What the kernel decided on the way in (nft trace)'),
        decidedBy: z.string().optional().describe('The deciding rule or chain policy'),
        arrived: z.boolean().describe('A listener in the replay received it'),
        sender: z.string().describe('What the sender saw: sent, connected, ECONNREFUSED, timeout, …'),
      }),
    )
    .optional()
    .describe('Every replayed flow (when the firewall part ran)'),
  calls: z
    .array(
      z.strictObject({
        capture: z.string().describe('The file, or "a N s live capture"'),
        dialogs: z.array(
          z.strictObject({
            callId: z.string(),
            to: z.string(),
            invite: z.strictObject({ time: z.number(), from: z.string(), to: z.string(), sends: z.int().min(1).describe('Retransmissions included') }),
            final: z.strictObject({ time: z.number(), from: z.string(), to: z.string(), status: z.int(), reason: z.string() }).optional(),
            statuses: z.array(z.int()).describe('Every response to the INVITE, in order'),
            offer: sdp.optional(),
            answer: sdp.optional(),
            ack: z.boolean(),
            bye: z.boolean(),
          }),
        ),
        streams: z.array(
          z.strictObject({
            source: z.string(),
            sourcePort: z.int(),
            destination: z.string(),
            destinationPort: z.int(),
            ssrc: z.int().min(0),
            packets: z.int().min(1),
            lost: z.int().min(0).describe('From the sequence numbers'),
            first: z.number().describe('Seconds since the epoch'),
            last: z.number(),
          }),
        ),
        tls: z.array(z.string()).describe('Servers seen speaking TLS: signalling that cannot be read'),
      }),
    )
    .optional()
    .describe('Each capture of the call, read (diagnose call)'),
  nat: z
    .strictObject({
      local: z.string().describe("This host's address and the socket's local port"),
      mappings: z.array(z.strictObject({ port: z.int(), public: z.string().optional().describe('What the responder saw at that port (absent: no answer)') })),
      behindNat: z.boolean().optional(),
      mapping: z.enum(['endpoint-independent', 'address-and-port-dependent', 'unknown']).describe('RFC 4787 mapping behaviour'),
      portPreserved: z.boolean().optional(),
      binding: z.array(z.strictObject({ idleSeconds: z.int(), alive: z.boolean().optional().describe('The answer resent after this idle time got back (absent: no first answer)') })),
    })
    .optional()
    .describe('The NAT in front of this host, measured against a responder (diagnose nat)'),
});

export function diagnoseReportJsonSchema(): string {
  const schema = z.toJSONSchema(diagnoseReportSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, $id: DIAGNOSE_SCHEMA, title: 'sipwall diagnose result (v1)' }, null, 2)}\n`;
}
