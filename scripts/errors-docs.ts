// The generated part of docs/errors.md: every entry of the error tables (src/errors/all.ts) and
// of the warning catalogue (src/errors/warnings.ts), rendered from its example as the CLI prints it.
import { ERROR_TABLES, exampleOf } from '../src/errors/all.js';
import { warning, WARNINGS, type WarningCode } from '../src/errors/warnings.js';

const cell = (text: string) => text.replaceAll('|', '\\|');
const HEAD = ['| code | what the CLI prints (for the example data) |', '| --- | --- |'];

export function errorsDocs(): string {
  const errors = Object.entries(ERROR_TABLES).flatMap(([title, table]) => [
    `## Errors: ${title}`,
    '',
    ...HEAD,
    ...Object.entries(table).map(([code, e]) => `| \`${code}\` | ${cell(`sipwall: ${exampleOf(e).message}`)} |`),
    '',
  ]);
  const warnings = (Object.keys(WARNINGS) as WarningCode[]).map((code) => `| \`${code}\` | ${cell(`sipwall: warning: ${warning(code, WARNINGS[code].example as never)}`)} |`);
  return [...errors, '## Warnings', '', ...HEAD, ...warnings, ''].join('\n');
}
