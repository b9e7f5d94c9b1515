/**
 * Mutation testing (`npm run mutate`, not in CI: it is slow): how many deliberate breaks of the
 * code the fast tests catch. Scores are recorded in BENCHMARKS.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: ['src/net/**/*.ts', 'src/policy/**/*.ts', 'src/targets/nftables.ts', 'src/targets/iptables.ts'],
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
};
