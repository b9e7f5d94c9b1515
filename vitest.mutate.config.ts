/**
 * The fast tests that guard src/net, src/policy and the nftables and iptables targets, for
 * mutation testing (`npm run mutate`, StrykerJS). No network namespaces, no processes: a mutant
 * run must take seconds. The real-parser checks of the goldens stay in `npm test`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/net/**/*.test.ts', 'test/policy/**/*.test.ts', 'test/targets/golden.test.ts', 'test/targets/quote.test.ts', 'test/security/names.test.ts', 'test/security/line-limit.test.ts', 'test/security/input.test.ts', 'test/cli/cli.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    env: { SIPWALL_NO_PARSER: '1' },
    testTimeout: 60_000,
  },
});
