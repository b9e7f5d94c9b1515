/**
 * OPNsense: config.xml aliases (the MVC alias model) and filter rules. The config.xml layout is
 * shared with pfSense (pfsense.ts, templates/opnsense.hbs holds this dialect's text).
 */
import { configXmlMeta, renderConfigXml } from './pfsense.js';
import type { Target } from './types.js';

export const meta = configXmlMeta('opnsense');
export const opnsense: Target = { meta, render: (policy, options) => renderConfigXml('opnsense', policy, options) };
