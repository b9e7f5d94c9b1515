/**
 * Issue 17.2: OPNsense 26.7 no longer edits the legacy <filter> rules, so the default form writes
 * the current rule model (OPNsense/Firewall/Filter) and the alias model at 1.0.1; --form
 * legacy-xml keeps <filter> for older releases. The fields themselves are checked against the
 * models' field lists by test/targets/semantics.ts on every golden and random case.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { OPNSENSE_FILTER_RULE_FIELDS } from './semantics.js';

const render = async (...extra: string[]) => (await runCli(['render', '-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk', '--target', 'opnsense', ...extra])).stdout;

describe('opnsense forms', () => {
  it('the default form: the rule model and the alias model 1.0.1, no legacy <filter>', async () => {
    const xml = await render();
    expect(xml).toContain('<Alias version="1.0.1">');
    expect(xml).toMatch(/<Filter version="1\.0\.5">\s*<rules>\s*<rule uuid=/);
    expect(xml).not.toMatch(/<filter>/);
    // The fields the issue names, each written.
    for (const field of ['action', 'interface', 'direction', 'ipprotocol', 'protocol', 'source_net', 'destination_net', 'destination_port', 'sequence', 'description']) {
      expect(OPNSENSE_FILTER_RULE_FIELDS).toContain(field);
      expect(xml).toContain(`<${field}>`);
    }
    expect(xml).toContain('<source_port>40000-60000</source_port>');
  });

  it('--form legacy-xml: the <filter> rules of releases before 26.7, with the same aliases', async () => {
    const xml = await render('--form', 'legacy-xml');
    expect(xml).toContain('<Alias version="1.0.1">');
    expect(xml).toMatch(/<filter>\s*<rule uuid=/);
    expect(xml).not.toContain('<Filter');
    expect(xml).toContain('Legacy form, for OPNsense before 26.7');
  });
});
