// The generated part of docs/errors.md: every entry of the core's error catalogue
// (src/errors/catalogue.ts), rendered from its example as the CLI prints it.
import { CATALOGUE, exampleMessage, type Code } from '../src/errors/catalogue.js';

export function errorsDocs(): string {
  const rows = (Object.keys(CATALOGUE) as Code[]).map((code) => `| \`${code}\` | ${`sipwall: ${exampleMessage(code)}`.replaceAll('|', '\\|')} |`);
  return ['| code | what the CLI prints (for the example data) |', '| --- | --- |', ...rows, ''].join('\n');
}
