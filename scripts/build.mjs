// Build: precompile templates, bundle the CLI into one CommonJS file, and warm its V8 code cache.
//
// Why CommonJS and a code cache: `npm run bench` holds start-up to 2× bare `node -e 0`. Node 20
// has no module.enableCompileCache (22.1+), so bin/sipwall.cjs loads the bundle through
// vm.Script with cachedData (what v8-compile-cache does). yaml and zod stay external: only
// --profile needs them; ora and selfsigned too: only a probe on a terminal shows a spinner, only
// a tls responder without a certificate makes one; croner: only watch and exporter.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts/gen-templates.mjs')], { stdio: 'inherit' });
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'src/cli/entry.ts')],
  outfile: join(root, 'dist/sipwall.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  external: ['yaml', 'zod', 'ora', 'selfsigned', 'croner'],
  logLevel: 'warning',
  // yargs reads import.meta.url (ESM); in the CommonJS bundle it is this file's URL.
  define: { 'import.meta.url': '__sipwallUrl' },
  banner: { js: "var __sipwallUrl=require('url').pathToFileURL(__filename).href;" },
});
// One real run writes dist/sipwall.cjs.cache.
execFileSync(process.execPath, [join(root, 'bin/sipwall.cjs'), 'render', '-p', 'flynumber', '-p', 'vapi', '--target', 'nftables', '--pbx', 'asterisk'], { stdio: 'ignore' });
