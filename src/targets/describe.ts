/**
 * What the targets' `meta` says, as text: `sipwall render --target list` and the generated tables
 * of docs/targets.md (`npm run docs`; a test keeps the file current). Pure.
 */
import { capabilitiesOf } from './contract.js';
import type { Capabilities, TargetMeta } from './types.js';

/** Words for each capability, as --target list and the docs print them. */
const CAPABILITY_WORDS: Readonly<Record<keyof Capabilities, string>> = {
  outbound: 'outbound rules',
  sourcePorts: 'source ports',
  dualFamilyRule: 'one rule for IPv4 and IPv6',
  statefulReturn: 'return traffic',
};
const CAPABILITIES = Object.keys(CAPABILITY_WORDS) as Array<keyof Capabilities>;

/** `yes`, `no`, or the forms that have it (`--form shell`). */
function capabilityCell(meta: TargetMeta, capability: keyof Capabilities): string {
  const forms = meta.forms.filter((form) => capabilitiesOf(meta, form)[capability]);
  if (forms.length === meta.forms.length) return 'yes';
  return forms.length === 0 ? 'no' : `--form ${forms.join('|')} only`;
}

function limitWords(meta: TargetMeta): string[] {
  const { limits } = meta;
  const ports = limits.portsPerRule ? `${limits.portsPerRule} ports/rule${meta.rangeSeparator === ':' ? ' (range = 2)' : ''}` : 'no port limit';
  const line = limits.lineBytes === undefined ? [] : [`line ≤ ${limits.lineBytes} bytes (${limits.lineSource.split(' (')[0]})`];
  return [ports, `comment ≤ ${limits.commentBytes} bytes`, ...line, ...(limits.other ?? [])];
}

/** The text of `sipwall render --target list`. */
export function listText(metas: readonly TargetMeta[]): string {
  const rows = metas.map((m) => {
    const can = CAPABILITIES.map((c) => [c, capabilityCell(m, c)] as const).filter(([, cell]) => cell !== 'no');
    const traits = Object.entries(m.traits).filter(([, v]) => v).map(([k]) => k);
    return [
      `${m.id}: ${m.title}`,
      `  forms: ${m.forms.join(', ')}; modes: ${m.modes.join(', ')}; port ranges written a${m.rangeSeparator}b`,
      `  can: ${[...can.map(([c, cell]) => (cell === 'yes' ? c : `${c} (${cell})`)), ...traits].join(', ')}`,
      `  limits: ${limitWords(m).join(', ')}`,
      `  checked by: ${m.validators.join(', ')}`,
    ].join('\n');
  });
  return `${rows.join('\n\n')}\n`;
}

/** A markdown cell: a `|` would end it. */
const cell = (text: string) => text.replaceAll('|', '\\|');

/** The generated part of docs/targets.md. */
export function docsTables(metas: readonly TargetMeta[]): string {
  const targets = [
    `| id | forms (first = default) | modes | ${CAPABILITIES.map((c) => CAPABILITY_WORDS[c]).join(' | ')} | apply | re-run | checked by |`,
    `|${' --- |'.repeat(6 + CAPABILITIES.length)}`,
    ...metas.map((m) =>
      `| ${[m.id, m.forms.join(', '), m.modes.join(', '), ...CAPABILITIES.map((c) => capabilityCell(m, c)), m.apply, m.rerun, m.validators.join('; ')].map(cell).join(' | ')} |`,
    ),
  ];
  const lines = [
    '| target | longest line (bytes, newline excluded) | source |',
    '| --- | --- | --- |',
    ...metas.map((m) => `| ${[m.id, m.limits.lineBytes === undefined ? 'none' : m.limits.lineBytes.toLocaleString('en-US'), m.limits.lineSource].map(cell).join(' | ')} |`),
  ];
  const limits = ['| target | limits |', '| --- | --- |', ...metas.map((m) => `| ${cell(m.id)} | ${cell(limitWords(m).join('; '))} |`)];
  return [
    '### Targets and what they can express',
    '',
    ...targets,
    '',
    '### Line limits (checked on every render)',
    '',
    ...lines,
    '',
    '### Other limits',
    '',
    ...limits,
    '',
  ].join('\n');
}

export const DOCS_BEGIN = '<!-- generated from each target\'s meta by `npm run docs`: do not edit by hand -->';
export const DOCS_END = '<!-- end of generated tables -->';

/** `text` (docs/targets.md) with its generated part replaced by `docsTables(metas)`. */
export function withDocsTables(text: string, metas: readonly TargetMeta[]): string {
  const begin = text.indexOf(DOCS_BEGIN);
  const end = text.indexOf(DOCS_END);
  if (begin === -1 || end < begin) throw new Error(`docs/targets.md has no ${DOCS_BEGIN} … ${DOCS_END} block`);
  return `${text.slice(0, begin + DOCS_BEGIN.length)}\n\n${docsTables(metas)}\n${text.slice(end)}`;
}
