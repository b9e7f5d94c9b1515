/** What the replay reads from this host: its ruleset, public interface and addresses (read only). */
import { spawnSync } from 'node:child_process';
import { liveRuleset, type Ruleset } from './ruleset.js';

function output(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, maxBuffer: 256 << 20 });
  return r.status === 0 ? r.stdout : '';
}

export function hostRuleset(): Ruleset {
  return liveRuleset({ nft: output('nft', ['list', 'ruleset']), iptables: output('iptables-save', []), ip6tables: output('ip6tables-save', []), ipset: output('ipset', ['save']) });
}

/** The interface of the default route (IPv4, else IPv6), or undefined. */
export function defaultInterface(): string | undefined {
  for (const family of ['-4', '-6']) {
    try {
      const routes = JSON.parse(output('ip', ['-j', family, 'route', 'show', 'default']) || '[]') as Array<{ dev?: string }>;
      if (routes[0]?.dev) return routes[0].dev;
    } catch {
      // no JSON: no route
    }
  }
  return undefined;
}

/** The first global address of each family on an interface. */
export function interfaceAddresses(iface: string): { 4?: string; 6?: string } {
  try {
    const links = JSON.parse(output('ip', ['-j', 'addr', 'show', 'dev', iface]) || '[]') as Array<{ addr_info?: Array<{ family: string; local: string; scope: string }> }>;
    const info = links[0]?.addr_info ?? [];
    const first = (f: string) => info.find((a) => a.family === f && a.scope === 'global')?.local;
    return { ...(first('inet') ? { 4: first('inet')! } : {}), ...(first('inet6') ? { 6: first('inet6')! } : {}) };
  } catch {
    return {};
  }
}
