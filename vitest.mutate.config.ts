/**
 * The fast tests that guard src/net, src/policy, the nftables and iptables targets, the SIP
 * server's decisions and the watch's pure parts, for mutation testing (`npm run mutate`,
 * StrykerJS). No network namespaces, no processes: a mutant run must take seconds. The real-parser checks of the goldens stay in `npm test`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/net/**/*.test.ts',
      'test/policy/**/*.test.ts',
      'test/targets/golden.test.ts',
      'test/targets/quote.test.ts',
      'test/security/names.test.ts',
      'test/security/line-limit.test.ts',
      'test/security/input.test.ts',
      'test/cli/cli.test.ts',
      // The SIP server's decisions and the watch's pure parts (loopback only, seconds a run).
      'test/probe/uas.test.ts',
      'test/probe/sip-message.test.ts',
      'test/probe/torture.test.ts',
      'test/watch/state.test.ts',
      'test/watch/summary.test.ts',
      'test/watch/config.test.ts',
      'test/watch/watch.test.ts',
      // diagnose's pure parts: rulesets, traces, sampled flows, PBX configs.
      'test/diagnose/ruleset.test.ts',
      'test/diagnose/flows.test.ts',
      'test/diagnose/config.test.ts',
      'test/diagnose/pcap.test.ts',
      // Profile reading (issue 15): JSON and YAML fast paths, address list files.
      'test/text/**/*.test.ts',
      'test/providers/**/*.test.ts',
    ],
    globalSetup: ['test/helpers/global-setup.ts'],
    env: { SIPWALL_NO_PARSER: '1' },
    testTimeout: 60_000,
  },
});
