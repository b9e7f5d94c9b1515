import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isService } from '../../src/cli/heap.js';

let dir: string;
let script: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sipwall-heap-'));
  script = join(dir, 'grow.mjs');
  // A burst that keeps tens of thousands of young objects alive, as 200 requests in flight do.
  await build({
    stdin: {
      contents: `
        import { getHeapSpaceStatistics } from 'node:v8';
        import { keepYoungGenerationSmall } from ${JSON.stringify(join(import.meta.dirname, '../../src/cli/heap.ts'))};
        if (process.argv[2] === 'small') keepYoungGenerationSmall();
        const live = [];
        for (let i = 0; i < 2e6; i++) { live.push({ i, s: 'x' + i }); if (live.length > 50000) live.splice(0, 25000); }
        process.stdout.write(String(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));
      `,
      resolveDir: dir,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: script,
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const newSpace = (mode: string) => Number(execFileSync(process.execPath, [script, mode], { encoding: 'utf8' })) / 2 ** 20;

describe('the services keep the young generation small', () => {
  it('the young generation stays at its start size under a burst, and grows without the flag', () => {
    expect(newSpace('small')).toBeLessThanOrEqual(4);
    expect(newSpace('default')).toBeGreaterThanOrEqual(8);
  });

  it('applies to exporter, watch and responder only', () => {
    for (const argv of [['exporter'], ['watch', '--config', 'x.yaml'], ['--no-color', 'responder']]) expect(isService(argv), argv.join(' ')).toBe(true);
    for (const argv of [['render', '-p', 'flynumber'], ['probe', 'sip', 'exporter'], ['history'], [], ['--help'], ['responder', '--help'], ['exporter', '--version']]) expect(isService(argv), argv.join(' ')).toBe(false);
  });
});
