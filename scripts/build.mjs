// Build: precompile templates, then bundle the CLI into dist/ (one file plus lazily loaded
// chunks) so start-up reads few modules.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts/gen-templates.mjs')], { stdio: 'inherit' });
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: { sipwall: join(root, 'src/cli/bin.ts') },
  outdir: join(root, 'dist'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  // yargs and cliui reach for require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __sipwallRequire } from 'node:module'; const require = __sipwallRequire(import.meta.url);" },
});
