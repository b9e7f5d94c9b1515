/**
 * OPNsense: config.xml aliases (the alias model, OPNsense/Firewall/Alias 1.0.1) and filter rules in
 * the current rule model (OPNsense/Firewall/Filter 1.0.5, opnsense/core
 * src/opnsense/mvc/app/models/OPNsense/Firewall/Filter.xml), or with --form legacy-xml the legacy
 * <filter> rules that releases before 26.7 edit (26.7 moved the legacy rules pages to a plugin).
 * The config.xml code is shared with pfSense (pfsense.ts); templates/opnsense.hbs and
 * opnsense-legacy.hbs hold this dialect's layout.
 */
import { CONFIG_XML_LIMITS, renderConfigXml } from './pfsense.js';
import type { Target, TargetMeta } from './types.js';

export const meta: TargetMeta = {
  id: 'opnsense',
  title: 'OPNsense config.xml alias and rule models (or the legacy <filter> rules)',
  kind: 'firewall',
  rangeSeparator: '-',
  forms: ['xml', 'legacy-xml'],
  modes: ['standalone'],
  capabilities: { outbound: false, sourcePorts: true, dualFamilyRule: true, statefulReturn: true },
  traits: { namedSets: true, deny: true },
  limits: CONFIG_XML_LIMITS,
  flags: { interface: 'interface the rules sit on (default wan)' },
  apply: 'merge the <Alias> and <Filter> models into an exported config.xml, or enter them through the GUI or API',
  rerun: '—',
  validators: ['xmllint --noout', 'fields checked against the OPNsense models (tests)'],
  check: 'xml',
};

export const opnsense: Target = { meta, render: (policy, options) => renderConfigXml('opnsense', meta, policy, options) };
