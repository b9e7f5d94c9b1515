/**
 * The probe result schema (v1) as zod, from which docs/probe-result.schema.json is generated
 * (`npm run schema`; a test keeps the file equal). Loaded by tests and the schema script only:
 * the CLI writes the report without zod.
 */
import { z } from 'zod';
import { REPORT_SCHEMA } from './report.js';

const outcome = z.enum(['answered', 'timeout', 'refused', 'tls-failure', 'dns-failure', 'error']);
const transport = z.enum(['udp', 'tcp', 'tls']);

const sipResult = z.strictObject({
  target: z.string().describe('The target as given'),
  transport,
  outcome: outcome.describe('answered: a final response (any status); timeout: none in --timeout; refused: ICMP port unreachable or TCP reset; tls-failure: handshake or certificate; dns-failure: no address'),
  resolution: z.strictObject({ address: z.string(), family: z.union([z.literal(4), z.literal(6)]), port: z.int().min(1).max(65535), method: z.string().describe('How RFC 3263 found it, e.g. "NAPTR SIP+D2T → SRV … → A"') }).optional(),
  status: z.int().min(200).max(699).optional(),
  reason: z.string().optional(),
  rttMs: z.number().min(0).optional().describe('From the first send to the final response'),
  retransmissions: z.int().min(0).optional().describe('UDP sends before the answer, after the first'),
  server: z.string().optional().describe('Server (or User-Agent) header'),
  allow: z.array(z.string()).optional(),
  tls: z
    .strictObject({
      subject: z.string(),
      issuer: z.string(),
      daysToExpiry: z.number(),
      notAfter: z.string().optional().describe('When the certificate expires (ISO 8601, UTC)'),
      verified: z.boolean().describe('Chain and host name verified'),
      verifyError: z.string().optional(),
      insecure: z.boolean().describe('--insecure was given'),
      protocol: z.string().optional(),
    })
    .optional(),
  nat: z
    .strictObject({
      behindNat: z.boolean(),
      local: z.string(),
      public: z.string().optional(),
      evidence: z.enum(['echo', 'via', 'none']).describe('echo: the source a sipwall responder saw (no SIP ALG rewrites it); via: the reply\'s Via received/rport; none: the server said neither'),
    })
    .optional(),
  alg: z.strictObject({ checked: z.boolean().describe('The far end is a sipwall responder that echoed the request'), suspected: z.boolean(), diff: z.array(z.string()) }).optional(),
  error: z.string().optional(),
});

const verdict = z.enum(['open', 'never arrived', 'reply lost', 'no echo']);
const stats = z.strictObject({
  sent: z.int().min(0),
  echoed: z.int().min(0),
  lost: z.int().min(0),
  duplicated: z.int().min(0),
  reordered: z.int().min(0),
  rttMs: z.strictObject({ min: z.number(), avg: z.number(), max: z.number() }).nullable(),
  jitterMs: z.number().min(0).describe('RFC 3550 interarrival jitter of the echoes'),
});

const finding = z.strictObject({ severity: z.enum(['error', 'warning']), code: z.string(), forwarding: z.string(), reason: z.string(), fix: z.string() });

export const sipReportSchema = z.strictObject({
  $schema: z.literal(REPORT_SCHEMA),
  kind: z.literal('sip'),
  results: z.array(sipResult),
  forwarding: z
    .strictObject({
      as: z.string().describe('The provider whose forwarding the probe stands for (--as)'),
      platform: z.string().optional().describe('The destination platform, named or found from the domain'),
      findings: z.array(finding).describe("sipwall lint's findings on the forwarding the URI stands for"),
      explanations: z.array(z.string()).describe("Each result's answer in the destination's terms, in the order of results"),
    })
    .optional(),
  summary: z.strictObject({ probes: z.int().min(0), outcomes: z.partialRecord(outcome, z.int().min(0)), exitCode: z.int().describe('0 all answered, 3 timeout, 4 refused, 5 TLS failure, 6 DNS failure, 1 other (highest wins)') }),
});

export const rtpReportSchema = z.strictObject({
  $schema: z.literal(REPORT_SCHEMA),
  kind: z.literal('rtp'),
  target: z.string(),
  address: z.string(),
  mode: z.enum(['sweep', 'sample']),
  directionKnown: z.boolean().describe('The responder said which packets arrived, so "no echo" is split into "never arrived" and "reply lost"'),
  directionUnknown: z.string().optional().describe('Why directionKnown is false'),
  ranges: z.array(z.strictObject({ from: z.int(), to: z.int(), verdict, probed: z.int().min(1) })),
  ports: z.array(
    z.strictObject({
      port: z.int().min(1).max(65535),
      ssrc: z.int().min(0),
      verdict,
      stats,
      received: z.int().min(0).nullable().describe('Packets the responder says reached it (null: not asked, or it did not say): sent - received were lost inbound, received - echoed on the way back'),
    }),
  ),
  summary: z.strictObject({
    ports: z.int().min(0),
    open: z.int().min(0),
    neverArrived: z.int().min(0),
    replyLost: z.int().min(0),
    noEcho: z.int().min(0),
    wallMs: z.int().min(0),
    exitCode: z.int().describe('0 every port open, 3 some not, 6 DNS failure'),
  }),
});

export const probeReportSchema = z.discriminatedUnion('kind', [sipReportSchema, rtpReportSchema]);

/** The JSON Schema text of docs/probe-result.schema.json. */
export function probeReportJsonSchema(): string {
  const schema = z.toJSONSchema(probeReportSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, $id: REPORT_SCHEMA, title: 'sipwall probe result (v1)' }, null, 2)}\n`;
}
