// npm run docs: rewrites the generated tables of docs/targets.md from each target's meta
// (src/targets/describe.ts); test/targets/registry.test.ts fails when the file is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDocsTables } from '../src/targets/describe.js';
import { TARGETS } from '../src/targets/registry.js';

const file = join(import.meta.dirname, '..', 'docs', 'targets.md');
writeFileSync(file, withDocsTables(readFileSync(file, 'utf8'), TARGETS.map((t) => t.meta)));
