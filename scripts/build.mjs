// Build: precompile templates, bundle the CLI into one CommonJS file, and warm its V8 code cache.
//
// Why CommonJS and a code cache: `npm run bench` holds start-up to 1.5× bare `node -e 0`. Node 20
// has no module.enableCompileCache (22.1+), so bin/sipwall.cjs loads the bundle through
// vm.Script with cachedData (what v8-compile-cache does). Every library is bundled (issue 15: a
// user's install is sipwall alone); the ones only some commands need (js-yaml for --profile and
// watch, zod for a refused profile, watch and lint, ora for a probe on a terminal, croner for
// watch and exporter) sit in modules that load on first use, so other commands never run their
// code (test/cli/lazy-imports.test.ts).
// NOMINIFY=1 npm run build: a readable bundle, for CPU profiles.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts/gen-templates.mjs')], { stdio: 'inherit' });
rmSync(join(root, 'dist'), { recursive: true, force: true });

/**
 * Libraries whose top-level code is slow and that most runs never call: string-width compiles
 * Unicode-property regular expressions (RGI_Emoji alone took 20 ms of a 170 ms start-up) for
 * yargs' help layout, and @xmldom/xmldom freezes its entity tables (12 ms) for pfSense merges.
 * Each import gets a stand-in that loads the real module on first use: for string-width, whose
 * default export is the function, one that answers printable ASCII itself (one column a
 * character, as string-width counts it: all of sipwall's help text), so that --help never loads
 * it; otherwise the named exports to forward.
 */
const LAZY = { 'string-width': 'string-width', '@xmldom/xmldom': Object.keys(createRequire(import.meta.url)('@xmldom/xmldom')), assert: 'assert' };
/**
 * yargs' Node shim imports strictEqual and notStrictEqual from node:assert and calls them on every
 * run; node:assert loads its error class, which reads the terminal's colours and so makes
 * process.stderr (3-4 ms of `--version`). The two answer a passing check themselves, with
 * Object.is as node:assert does, and leave a failing one (and every other name) to node:assert.
 */
const ASSERT = `
for (const name of ${JSON.stringify(Object.keys(createRequire(import.meta.url)('node:assert')))}) Object.defineProperty(exports, name, { enumerable: true, configurable: true, get: () => load()[name] });
Object.defineProperty(exports, 'strictEqual', { enumerable: true, value: (a, b, message) => { if (!Object.is(a, b)) load().strictEqual(a, b, message); } });
Object.defineProperty(exports, 'notStrictEqual', { enumerable: true, value: (a, b, message) => { if (Object.is(a, b)) load().notStrictEqual(a, b, message); } });
`;
/**
 * Edits to a library's text, each of which must apply (the build stops when one no longer does).
 */
const EDITS = [
  // yargs' shim reads process.stdout.columns at load, which makes process.stdout (2-4 ms: the
  // stream modules) in every run; sipwall writes through descriptors (src/cli/stdio.ts) and never
  // wraps help (`.wrap(null)`), so the width becomes a getter that is read only if asked.
  {
    file: /yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/,
    from: "stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null",
    to: "get stdColumns() { return typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null; }",
  },
  // cliui (yargs' help layout) asks process.stdout for the terminal's width even when it does not
  // wrap, and then never reads it (its rows are as wide as their text): 2-4 ms of every --help.
  // sipwall's help does not wrap (`.wrap(null)`), so the width is asked for only when wrapping.
  {
    file: /cliui[\\/]build[\\/]lib[\\/]index\.js$/,
    from: 'width: (opts === null || opts === void 0 ? void 0 : opts.width) || getWindowWidth(),',
    to: 'width: (opts === null || opts === void 0 ? void 0 : opts.width) || ((opts === null || opts === void 0 ? void 0 : opts.wrap) === false ? 80 : getWindowWidth()),',
  },
  // yargs() guesses a version from the package.json nearest the working folder: it lists every
  // folder from there up to the first that holds one (all of /tmp's 5,500 names, from /tmp) and
  // reads it, however large, or blocks on it if it is a FIFO. sipwall gives its own version
  // (.version(VERSION)), so the guess is skipped: version(false) sets no version option, and
  // main.ts's .version(VERSION) then sets it as the guess would have.
  {
    file: /yargs[\\/]build[\\/]lib[\\/]yargs-factory\.js$/,
    from: 'yargs.version();',
    to: 'yargs.version(false);',
  },
];
/** The module `args` names as esbuild would resolve it without these plugins (as `kind`). */
const resolvedAround = (b, args, kind = args.kind) => b.resolve(args.path, { kind, resolveDir: args.resolveDir, pluginData: { real: true } });
/**
 * zod as CommonJS (its `require` build): an ES module in the bundle has its whole namespace set
 * up when the bundle loads, used or not (1,200 getters for zod's, 2-3 ms of every start, though
 * only a bad profile, watch, lint and the report schemas ever run zod); a CommonJS module runs
 * when first required. And zod re-exports all 50 of its message locales (`z.locales`, 265 KB of
 * a 1.4 MB bundle read at every start): sipwall uses English only, which zod's classic schemas
 * import themselves, so `z.locales` holds `en` alone.
 */
const zodCommonJs = {
  name: 'zod-commonjs',
  setup(b) {
    b.onResolve({ filter: /^zod(\/.*)?$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const real = await resolvedAround(b, args, 'require-call');
      if (!real.path.endsWith('.cjs')) throw new Error(`zod's require build for ${args.path} is not .cjs: ${real.path}`);
      return { path: real.path };
    });
    b.onResolve({ filter: /^\.\.\/locales\/index\.cjs$/ }, ({ importer }) =>
      /[\\/]zod[\\/]v4[\\/]/.test(importer) ? { path: join(dirname(importer), '..', 'locales', 'en.cjs'), namespace: 'english-only' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'english-only' }, ({ path }) => ({ contents: `exports.en = require(${JSON.stringify(path)}).default;\n`, loader: 'js', resolveDir: dirname(path) }));
  },
};
/** The edits applied in this build: one that no file took (a library's file moved) stops it too. */
const applied = new Set();
const edits = {
  name: 'edits',
  setup(b) {
    // One loader for every edited file, so that two edits of one file both apply.
    b.onLoad({ filter: new RegExp(EDITS.map((e) => e.file.source).join('|')) }, async ({ path }) => {
      let text = await readFile(path, 'utf8');
      for (const edit of EDITS.filter((e) => e.file.test(path))) {
        if (text.split(edit.from).length !== 2) throw new Error(`${path} no longer holds the text the build edits, once: ${edit.from}`);
        text = text.replace(edit.from, edit.to);
        applied.add(edit);
      }
      return { contents: text, loader: 'js', resolveDir: dirname(path) };
    });
  },
};
const lazy = {
  name: 'lazy',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${Object.keys(LAZY).join('|').replace(/[/]/g, '\\/')})$`) }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const real = await resolvedAround(b, args);
      return { path: real.path, namespace: 'lazy', pluginData: { kind: LAZY[args.path] } };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, ({ path, pluginData: { kind } }) => {
      const load = `let real; const load = () => (real ??= require(${JSON.stringify(path)}));`;
      const body =
        kind === 'string-width'
          ? "module.exports = function (text, options) { return typeof text === 'string' && /^[\\x20-\\x7e]*$/.test(text) ? text.length : load().default(text, options); };"
          : kind === 'assert'
            ? ASSERT
            : `for (const name of ${JSON.stringify(kind)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`;
      return { contents: `${load}\n${body}\n`, loader: 'js', resolveDir: dirname(path) };
    });
  },
};
await build({
  entryPoints: [join(root, 'src/cli/entry.ts')],
  outfile: join(root, 'dist/sipwall.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: !process.env.NOMINIFY,
  logLevel: 'warning',
  plugins: [lazy, edits, zodCommonJs],
  // yargs reads import.meta.url (ESM); in the CommonJS bundle it is this file's URL.
  define: { 'import.meta.url': '__sipwallUrl' },
  banner: { js: "var __sipwallUrl=require('url').pathToFileURL(__filename).href;" },
});
for (const edit of EDITS) if (!applied.has(edit)) throw new Error(`no bundled file matched ${edit.file}, which the build edits: ${edit.from}`);
// bin/sipwall.cjs reads the bundle as latin1, which is UTF-8 only for ASCII: esbuild escapes
// everything else in code (its default charset), and this says so before anything runs it.
// (NOMINIFY keeps comments, some not ASCII; read as latin1 they stay comments.)
const bundle = await readFile(join(root, 'dist/sipwall.cjs'));
const wide = bundle.findIndex((byte) => byte > 0x7f);
if (wide !== -1 && !process.env.NOMINIFY) throw new Error(`dist/sipwall.cjs holds a byte over 0x7f at ${wide}: bin/sipwall.cjs reads it as latin1`);
// One run writes dist/sipwall.cjs.cache: finding none, bin/sipwall.cjs runs the warm-up render
// (src/cli/entry.ts warm: a profile file with a list file too, so that the profile reader and
// js-yaml are in the cache) before it writes it, as it does for a user after a Node upgrade.
execFileSync(process.execPath, [join(root, 'bin/sipwall.cjs'), '--version'], { stdio: 'ignore' });
