// What the fake vendor CLIs (fake-az.mjs, fake-gcloud.mjs) share: their state in the JSON file
// an environment variable names, and a failure that prints one line and exits like the real tool.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function fail(code, text) {
  process.stderr.write(`${text}\n`);
  process.exit(code);
}

/** The state in $`envName` (or `empty` before the first write), and how to save it. */
export function vendorState(tool, envName, empty) {
  const file = process.env[envName];
  if (!file) fail(2, `fake ${tool}: ${envName} is not set`);
  const state = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : empty;
  return { file, state, save: () => writeFileSync(file, JSON.stringify(state, null, 1)) };
}
