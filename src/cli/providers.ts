/** `sipwall providers`: the built-in profiles with their sources and retrieval dates. */
import { profileAgeDays } from '../providers/parse.js';
import { PBX_PRESETS } from '../providers/pbx.js';
import { PLATFORMS_WITHOUT_RANGES } from '../providers/builtin.js';
import { builtinProviders } from '../providers/registry.js';
import { formatPrefix } from '../net/cidr.js';
import { formatPortRange } from '../net/ports.js';
import type { Context } from './context.js';

export function runProviders(args: { json: boolean }, ctx: Context): number {
  const now = ctx.io.now();
  const providers = builtinProviders();
  if (args.json) {
    const report = providers.map((p) => ({
      id: p.id,
      name: p.name,
      source: p.source,
      retrieved: p.retrieved,
      ageDays: profileAgeDays(p, now),
      sip: p.sip && { addresses: p.sip.addresses.map(formatPrefix), gateways: p.sip.gateways.map(formatPrefix), transports: p.sip.transports },
      media: p.media && {
        addresses: p.media.addresses === 'any' ? 'any' : p.media.addresses.map(formatPrefix),
        providerPorts: p.media.providerPorts === 'any' ? 'any' : p.media.providerPorts.map((r) => formatPortRange(r, '-')),
        hostPorts: p.media.hostPorts?.map((r) => formatPortRange(r, '-')),
      },
    }));
    ctx.io.stdout(`${JSON.stringify({ providers: report, withoutRanges: PLATFORMS_WITHOUT_RANGES, pbx: PBX_PRESETS }, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const p of providers) {
    lines.push(`${p.id}  ${p.name}`, `  source:    ${p.source}`, `  retrieved: ${p.retrieved} (${profileAgeDays(p, now)} days ago)`);
    if (p.sip) {
      const transports = Object.entries(p.sip.transports).map(([t, port]) => `${t} ${port}`).join(', ');
      lines.push(`  SIP:       ${p.sip.addresses.map(formatPrefix).join(', ')} (${transports})`);
      if (p.sip.gateways.length > 0) lines.push(`  gateways:  ${p.sip.gateways.map(formatPrefix).join(', ')}`);
    }
    if (p.media) {
      const from = p.media.addresses === 'any' ? 'any address' : p.media.addresses.map(formatPrefix).join(', ');
      const theirs = p.media.providerPorts === 'any' ? 'any port' : p.media.providerPorts.map((r) => formatPortRange(r, '-')).join(',');
      const ours = p.media.hostPorts ? `; PBX side ${p.media.hostPorts.map((r) => formatPortRange(r, '-')).join(',')}` : '';
      lines.push(`  RTP:       udp from ${from}, ${theirs} on their side${ours}`);
    }
    lines.push('');
  }
  lines.push('Platforms that publish no IP ranges (no firewall rules: sipwall invents none):');
  for (const p of PLATFORMS_WITHOUT_RANGES) {
    const transports = p.transports.map((t) => (p.ports[t] === undefined ? t : `${t} ${p.ports[t]}`)).join(', ');
    lines.push(`${p.id}  ${p.name}`, `  source:    ${p.source}`, `  retrieved: ${p.retrieved} (${profileAgeDays(p, now)} days ago)`, `  SIP:       ${transports}; no published addresses`, `  notes:     ${p.notes}`, '');
  }
  lines.push('PBX presets (--pbx):');
  for (const h of Object.values(PBX_PRESETS)) {
    const sip = Object.entries(h.sip).map(([t, ports]) => `${t} ${ports.join(',')}`).join(', ');
    lines.push(`  ${h.preset.padEnd(10)} ${h.title}: SIP ${sip}; RTP ${(h.rtp ?? []).map((r) => formatPortRange(r, '-')).join(',')}`);
  }
  ctx.io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
