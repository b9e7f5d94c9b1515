#!/usr/bin/env node
'use strict';
// Loads dist/sipwall.cjs through V8's code cache (dist/sipwall.cjs.cache, written by the build
// and refreshed when V8 rejects it, e.g. after a Node upgrade): start-up then skips compiling.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.join(__dirname, '..', 'dist', 'sipwall.cjs');
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The bundle is ASCII (esbuild escapes the rest; scripts/build.mjs checks), and latin1 decodes
// ASCII to the same text as UTF-8 does, in a third less time (1 ms of start-up).
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'latin1')), { filename: file, cachedData });
const cli = { exports: {} };
script.runInThisContext().call(cli.exports, cli.exports, Module.createRequire(file), cli, file, path.dirname(file));
cli.exports.run(process.argv.slice(2)).finally(async () => {
  if (cachedData === undefined || script.cachedDataRejected) {
    // No cache, or one V8 rejected (a Node upgrade): a warm-up render first, so that the new cache
    // holds what a render compiles, whatever this command was (src/cli/entry.ts warm).
    try {
      await cli.exports.warm();
    } catch {
      // The cache is written all the same, with what this run compiled.
    }
    try {
      fs.writeFileSync(cacheFile, script.createCachedData());
    } catch {
      // A read-only install works, only without the cache.
    }
  }
});
