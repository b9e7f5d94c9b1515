/**
 * Issue 10.2 and 10.6: names derived from provider ids are injective in every target. Before,
 * ids `acme` (SIP) and `acme-sip` (SIP + media) both made set `acme_sip_v4`, and CloudFormation
 * ids of `a-1` and `a1` were one key: one provider's rule vanished.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPolicy } from '../../src/policy/build.js';
import { DEFAULT_HOST, PBX_PRESETS } from '../../src/providers/pbx.js';
import { toProvider } from '../../src/providers/parse.js';
import type { Provider } from '../../src/providers/types.js';
import { logicalId } from '../../src/targets/aws.js';
import { findTarget, TARGETS } from '../../src/targets/registry.js';
import type { RenderOptions } from '../../src/targets/types.js';

/** The inverse of logicalId: proves it injective. */
function decode(id: string): string {
  let out = '';
  for (let i = 0; i < id.length; i++) {
    const ch = id[i]!;
    if (ch === 'X') {
      const next = id[i + 1];
      if (next === 'x' || (next !== undefined && /[0-9]/.test(next))) {
        out += `-${next}`;
        i++;
      } else out += '-';
    } else if (/[A-Z]/.test(ch)) out += `-${ch.toLowerCase()}`;
    else out += ch;
  }
  return out.slice(1);
}

const kebab = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/);

describe('CloudFormation logical ids', () => {
  it('decode back to the name: no two names share an id', () => {
    fc.assert(fc.property(kebab, (name) => {
      const id = logicalId(name);
      expect(id).toMatch(/^[A-Za-z0-9]+$/);
      expect(decode(id)).toBe(name);
    }), { numRuns: 5000 });
    expect(logicalId('a-1')).not.toBe(logicalId('a1'));
    expect(logicalId('flynumber-sip-udp-in-1')).toBe('FlynumberSipUdpInX1');
  });
});

/** Names a target derives from ids, read from its output; [] where it derives none (ufw). */
const NAMES: Record<string, { form?: string; ipset?: boolean; pattern?: RegExp; files?: RegExp; json?: true }> = {
  nftables: { pattern: /^\tset (\S+) \{/gm },
  iptables: { ipset: true, pattern: /^create (\S+) hash:net/gm },
  firewalld: { form: 'xml', files: /^ipsets\/(.+)\.xml$/ },
  pfsense: { pattern: /<name>(sipwall_[^<]+)<\/name>/g },
  opnsense: { pattern: /<name>(sipwall_[^<]+)<\/name>/g },
  aws: { form: 'cloudformation', json: true },
  gcp: { form: 'terraform', pattern: /^resource "google_compute_firewall" "([^"]+)"/gm },
  azure: { form: 'terraform', pattern: /^resource "azurerm_network_security_rule" "([^"]+)"/gm },
  routeros: { pattern: /^add list=(\S+) /gm },
  windows: { pattern: /-Name '([^']+)'/g },
  asterisk: { pattern: /^\[(sipwall-[^\]]+)\]$/gm },
  freeswitch: { pattern: /<list name="([^"]+)"/g },
};

function names(id: string, providers: Provider[]): Set<string> {
  const how = NAMES[id]!;
  const target = findTarget(id);
  const policy = buildPolicy({ providers, host: { ...DEFAULT_HOST, rtp: [{ from: 10000, to: 20000 }] }, direction: 'in', families: [4, 6] });
  const options: RenderOptions = { mode: 'standalone', form: how.form ?? target.meta.forms[0]!, ipset: how.ipset === true, header: { version: 't', command: 't' } };
  const { files } = target.render(policy, options);
  const out = new Set<string>();
  for (const f of files) {
    if (how.json) for (const key of Object.keys((JSON.parse(f.content) as { Resources: object }).Resources)) out.add(key);
    if (how.files) { const m = how.files.exec(f.name); if (m) out.add(m[1]!); }
    if (how.pattern) for (const m of f.content.matchAll(how.pattern)) out.add(m[1]!);
  }
  return out;
}

/** A provider: SIP over udp and tls from one /24; media from the same /24 (shared set), another, or none. */
function provider(id: string, net: number, media: 'same' | 'other' | 'none'): Provider {
  const sip = [`198.51.${net}.0/24`, `2001:db8:${net}::/48`];
  return toProvider(
    {
      id,
      name: id,
      source: 'https://example.com',
      retrieved: '2026-11-01',
      roles: {
        sip: { addresses: sip, transports: { udp: 5060, tls: 5061 } },
        ...(media === 'none' ? {} : { media: { addresses: media === 'same' ? sip : [`203.0.${net}.0/24`] } }),
      },
    },
    id,
  );
}

/** Id pairs that collided before, or that share a long head that a length limit cuts. */
const pairs = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,12}$/), fc.constantFrom('sip', 'media', 'sipmedia', '1', 'v4', 'x1', 'long'), fc.constantFrom('same' as const, 'other' as const, 'none' as const), fc.constantFrom('same' as const, 'other' as const, 'none' as const))
  .map(([base, how, mediaA, mediaB]) => {
    if (how === '1') return { a: `${base}-1`, b: `${base}1`, mediaA, mediaB };
    if (how === 'long') {
      const head = `${base}-${'y'.repeat(29 - base.length)}`;
      return { a: `${head}a`, b: `${head}b`, mediaA, mediaB };
    }
    return { a: base, b: `${base}-${how}`, mediaA, mediaB };
  });

describe('names derived from ids are injective in every target', () => {
  it('every target but ufw and the AI platforms is listed (ufw derives no name from an id: rules carry the run tag; VAPI and LiveKit name the one credential or trunk of a run after all its ids)', () => {
    expect(TARGETS.map((t) => t.meta.id).filter((id) => NAMES[id] === undefined)).toEqual(['ufw', 'vapi-trunk', 'livekit-trunk']);
  });

  for (const id of Object.keys(NAMES)) {
    it(`${id}: two providers together have as many names as each alone`, () => {
      fc.assert(
        fc.property(pairs, ({ a, b, mediaA, mediaB }) => {
          const pa = provider(a, 1, mediaA);
          const pb = provider(b, 2, mediaB);
          const alone = names(id, [pa]).size + names(id, [pb]).size;
          expect(alone).toBeGreaterThan(0);
          expect(names(id, [pa, pb]).size, `${a} + ${b}`).toBe(alone);
        }),
        { numRuns: 60 },
      );
    });
  }
});

describe('AWS resources of a term split over two security groups', () => {
  // Found by the parse-back (issue 11.9): numbering restarted in each group, so a term whose
  // rules spanned two groups gave two CloudFormation resources (and two Terraform resources)
  // one name, and one rule vanished.
  it('CloudFormation and Terraform keep every rule the API form has', async () => {
    const { awsAtoms, terraformAtoms } = await import('../targets/parse-back.js');
    const raw = [
      { id: 'p0', sip: ['0.0.0.0/4', '16.0.0.0/5', '2001:db8::/32'], gateways: ['24.0.0.0/6'], transports: { udp: 1, tls: 1 } },
      { id: 'p1', sip: ['0.0.0.0/5'], gateways: ['8.0.0.0/6'], transports: { tls: 1 } },
      { id: 'p2', sip: ['0.0.0.0/10', '8.0.0.0/5', '17.0.0.0/8', '24.0.0.0/5', '16.0.0.0/10', '16.128.0.0/9', '0.64.0.0/11', '2001:db8::/32'], gateways: ['18.0.0.0/7', '32.0.0.0/4', '4.0.0.0/6'], transports: { udp: 1, tls: 1 }, media: ['0.0.0.0/4', '48.0.0.0/5', '32.0.0.0/4', '56.0.0.0/6', '16.0.0.0/5'] },
    ];
    const providers = raw.map((r) => toProvider({ id: r.id, name: r.id, source: 's', retrieved: '2026-11-01', roles: { sip: { addresses: r.sip, gateways: r.gateways, transports: r.transports }, ...(r.media ? { media: { addresses: r.media } } : {}) } }, r.id));
    const policy = buildPolicy({ providers, host: PBX_PRESETS.freeswitch!, direction: 'in', families: [4, 6] });
    const render = (form: string) => findTarget('aws').render(policy, { mode: 'standalone', form, ipset: false, header: { version: 't', command: 't' } }).files;
    const api = awsAtoms(render('api'));
    expect(api.length).toBe(65);
    expect(awsAtoms(render('cloudformation'))).toEqual(api);
    expect(await terraformAtoms(render('terraform'))).toEqual(api);
  });
});
