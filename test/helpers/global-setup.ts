// Templates are precompiled into src/targets/templates.gen.ts: refresh them before any test.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'gen-templates.mjs')], { stdio: 'inherit' });
}
