/**
 * Issue 18.2: LiveKit, ElevenLabs, Retell and Bland publish no IP ranges on the FlyNumber page.
 * `providers` shows them with what the page does state (transports, ports, source, date), and a
 * render for one is a named error: sipwall never invents a range.
 */
import { describe, expect, it } from 'vitest';
import { PLATFORMS_WITHOUT_RANGES } from '../../src/providers/builtin.js';
import { runCli } from '../helpers/cli.js';

const IDS = ['livekit', 'elevenlabs', 'retell', 'bland'];

describe('platforms that publish no IP ranges', () => {
  it('providers lists each with its transports, source and date, and no address', async () => {
    const run = await runCli(['providers']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Platforms that publish no IP ranges (no firewall rules: sipwall invents none):');
    expect(run.stdout).toMatch(/^livekit {2}LiveKit\n.*\n {2}retrieved: 2026-11-23 \(0 days ago\)\n {2}SIP: {7}udp 5060, tcp, tls 5061; no published addresses$/m);
    expect(run.stdout).toMatch(/^elevenlabs {2}ElevenLabs\n(.*\n){2} {2}SIP: {7}tls 5061; no published addresses$/m);
    expect(run.stdout).toMatch(/^retell {2}Retell AI\n(.*\n){2} {2}SIP: {7}tcp, tls; no published addresses$/m);
    expect(run.stdout).toMatch(/^bland {2}Bland AI\n(.*\n){2} {2}SIP: {7}tcp, tls; no published addresses$/m);
    const json = JSON.parse((await runCli(['providers', '--json'])).stdout) as { withoutRanges: Array<{ id: string; transports: string[] }>; providers: Array<{ id: string }> };
    expect(json.withoutRanges.map((p) => p.id)).toEqual(IDS);
    expect(json.providers.map((p) => p.id)).toEqual(['flynumber', 'vapi']);
    // Data only: no address anywhere in these profiles.
    expect(JSON.stringify(PLATFORMS_WITHOUT_RANGES)).not.toMatch(/\d+\.\d+\.\d+\.\d+|::/);
  });

  it.each(IDS)('render -p %s stops with the reason and the fix, nothing written', async (id) => {
    const name = PLATFORMS_WITHOUT_RANGES.find((p) => p.id === id)!.name;
    for (const args of [['-p', id, '--target', 'nftables'], ['-p', 'flynumber', '-p', id, '--pbx', 'asterisk', '--target', 'all']]) {
      const run = await runCli(['render', ...args, '--out', 'out']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`sipwall: --provider: ${name} publishes no IP ranges for its SIP or media (https://www.flynumber.com/ (help centre: Contact Methods > SIP Forwarding, "AI Voice Platforms"), read 2026-11-23), and sipwall does not invent them; ask ${name} for the addresses it sends from and write them in a profile (--profile FILE, docs/profiles.md); sipwall providers shows what is known\n`);
      expect(run.written).toEqual([]);
    }
  });
});
