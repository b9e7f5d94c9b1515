// The generated part of docs/errors.md: every entry of the error catalogue
// (src/errors/catalogue.ts) and of the warning catalogue (src/errors/warnings.ts), rendered from
// its example as the CLI prints it.
import { CATALOGUE, exampleMessage, type Code } from '../src/errors/catalogue.js';
import { warning, WARNINGS, type WarningCode } from '../src/errors/warnings.js';

const cell = (text: string) => text.replaceAll('|', '\\|');

export function errorsDocs(): string {
  const errors = (Object.keys(CATALOGUE) as Code[]).map((code) => `| \`${code}\` | ${cell(`sipwall: ${exampleMessage(code)}`)} |`);
  const warnings = (Object.keys(WARNINGS) as WarningCode[]).map((code) => `| \`${code}\` | ${cell(`sipwall: warning: ${warning(code, WARNINGS[code].example as never)}`)} |`);
  return [
    '## Errors',
    '',
    '| code | what the CLI prints (for the example data) |',
    '| --- | --- |',
    ...errors,
    '',
    '## Warnings',
    '',
    '| code | what the CLI prints (for the example data) |',
    '| --- | --- |',
    ...warnings,
    '',
  ].join('\n');
}
