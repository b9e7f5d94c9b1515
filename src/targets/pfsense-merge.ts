/**
 * Merges sipwall's aliases and rules into an exported pfSense config.xml (pure: text in, text
 * out). Earlier sipwall entries — aliases named `sipwall_*`, rules whose description starts with
 * `sipwall:` — are replaced; everything else is kept as it was, in its order.
 */
import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { TargetError } from './types.js';

const FLAG = '--pfsense-config';
/** Trackers of sipwall rules: a block far above the GUI's microtime() values. */
export const TRACKER_BASE = 3_900_000_000;

function parse(text: string, what: string): Document {
  const problems: string[] = [];
  let doc: Document | undefined;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') problems.push(message.split('\n')[0]!);
      },
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    // xmldom throws on a fatal error after reporting it.
    problems.push((error as Error).message.split('\n')[0]!);
  }
  if (problems.length > 0 || !doc?.documentElement) {
    throw new TargetError('E_PFSENSE_CONFIG', FLAG, `${what} is not well-formed XML (${problems[0] ?? 'no root element'})`, 'give the config.xml exported from Diagnostics > Backup & Restore');
  }
  return doc;
}

const children = (parent: Element, name: string): Element[] =>
  Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).tagName === name);

const childText = (parent: Element, name: string): string => children(parent, name)[0]?.textContent?.trim() ?? '';

/** The section `<name>` under the root, created when the export has none. */
function section(doc: Document, name: string): Element {
  const root = doc.documentElement!;
  const found = children(root, name)[0];
  if (found) return found;
  const created = doc.createElement(name);
  root.appendChild(doc.createTextNode('\t'));
  root.appendChild(created);
  root.appendChild(doc.createTextNode('\n'));
  return created;
}

function removeWithIndent(el: Element): void {
  const before = el.previousSibling;
  if (before && before.nodeType === 3 && /^\s*$/.test(before.nodeValue ?? '')) before.parentNode!.removeChild(before);
  el.parentNode!.removeChild(el);
}

export function mergePfsenseConfig(base: string, fragment: string): string {
  const doc = parse(base, 'the file');
  if (doc.documentElement!.tagName !== 'pfsense') {
    throw new TargetError('E_PFSENSE_CONFIG', FLAG, `the root element is <${doc.documentElement!.tagName}>, not <pfsense>`, 'export the whole configuration (Backup area: All)');
  }
  const output = parse(fragment, 'sipwall output').documentElement!;
  const aliases = section(doc, 'aliases');
  const filter = section(doc, 'filter');
  for (const a of children(aliases, 'alias')) if (childText(a, 'name').startsWith('sipwall_')) removeWithIndent(a);
  for (const r of children(filter, 'rule')) if (childText(r, 'descr').startsWith('sipwall:')) removeWithIndent(r);

  const taken = new Set(children(filter, 'rule').map((r) => childText(r, 'tracker')));
  const newRules = children(children(output, 'filter')[0]!, 'rule');
  const clash = newRules.some((r) => taken.has(childText(r, 'tracker')));
  // Trackers must stay unique: on a clash, number sipwall's rules after the highest one in use.
  const next = clash ? Math.max(TRACKER_BASE, ...[...taken].map(Number).filter(Number.isFinite)) + 1 : undefined;
  const append = (parent: Element, el: Element) => {
    const indent = parent === aliases || parent === filter ? '\n\t\t' : '\n';
    parent.appendChild(doc.createTextNode(indent));
    parent.appendChild(doc.importNode(el, true));
  };
  // Rules go before the section's closing whitespace, after the user's own.
  const trailing = (parent: Element) => {
    const last = parent.lastChild;
    if (last && last.nodeType === 3) parent.removeChild(last);
  };
  trailing(aliases);
  trailing(filter);
  for (const a of children(children(output, 'aliases')[0]!, 'alias')) append(aliases, a);
  newRules.forEach((r, i) => {
    if (next !== undefined) children(r, 'tracker')[0]!.textContent = String(next + i);
    append(filter, r);
  });
  aliases.appendChild(doc.createTextNode('\n\t'));
  filter.appendChild(doc.createTextNode('\n\t'));
  const text = new XMLSerializer().serializeToString(doc);
  return text.endsWith('\n') ? text : `${text}\n`;
}
