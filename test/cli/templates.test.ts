/** `render --templates DIR`: a user's templates in place of the built-in ones, refused clearly when wrong. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { rootMissing, toolsMissing } from '../helpers/tools.js';

const render = (...args: string[]) => runCli(['render', '-p', 'flynumber', '--pbx', 'asterisk', '--target', 'nftables', ...args]);
/** The lines of a ruleset that are not comments. */
const body = (text: string) => text.split('\n').filter((l) => !l.startsWith('#'));

describe('render --templates', () => {
  it('a header.hbs replaces the header of the output, and the rules stay byte for byte', async () => {
    const [plain, own] = [await render(), await render('--templates', 'templates/header')];
    expect(own.code).toBe(0);
    expect(own.stdout.split('\n')[0]).toBe('# ACME firewall, change ticket CHG-1234');
    expect(body(own.stdout)).toEqual(body(plain.stdout));
    expect(own.stderr).not.toMatch(/--templates/);
  });

  it('the partial is replaced for every template that includes it (--target all)', async () => {
    const run = await runCli(['render', '-p', 'flynumber', '--pbx', 'asterisk', '--target', 'all', '--out', 'out', '--templates', 'templates/header']);
    expect(run.code).toBe(0);
    // Every file whose template includes header.hbs; the XML targets use xml-header.hbs, the EC2 API JSON no template.
    const users = run.written.filter((f) => f.content.split('\n').slice(0, 2).includes('# ACME firewall, change ticket CHG-1234'));
    expect(users.map((f) => f.name).sort()).toEqual(['azure.sh', 'firewalld.sh', 'gcp.sh', 'iptables.rules.v4', 'iptables.rules.v6', 'nftables.nft', 'routeros.rsc', 'ufw.sh', 'windows.ps1']);
  });

  it.each([
    ['templates/unknown', /^sipwall: --templates nftable\.hbs: is not the name of a built-in template; name it after one of .*nftables\.hbs/],
    ['templates/syntax', /^sipwall: --templates nftables\.hbs: does not parse: .*; fix the template \(Handlebars syntax\)\n$/],
    ['templates/field', /^sipwall: --templates nftables\.hbs: failed while rendering nftables: "nosuchfield" not defined .*; use only the fields the built-in templates\/nftables\.hbs uses\n$/],
    ['templates/none', /^sipwall: --templates templates\/none: holds no \.hbs file; /],
    ['templates/header/header.hbs', /^sipwall: --templates templates\/header\/header\.hbs: is not a folder; /],
    ['templates/missing', /^sipwall: --templates templates\/missing: cannot be read \(ENOENT\); /],
  ])('%s is refused in one line, exit 2, nothing written', async (dir, message) => {
    const run = await render('--templates', dir, '--out', 'out');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.written).toEqual([]);
  });

  it('a template no render of the run uses is named in a warning', async () => {
    const run = await render('--templates', 'templates/unused');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: --templates: routeros.hbs replaces a template this run does not use');
    expect(run.stderr).not.toContain('header.hbs replaces');
  });

  it.skipIf(rootMissing() || toolsMissing('unshare', 'nft'))('--check runs the real parser on what the user template made, and writes nothing when it refuses', async () => {
    const run = await render('--templates', 'templates/broken', '--check', '--out', 'out');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^sipwall: nft -c -f nftables\.nft refused the nftables output \(nothing written\)/);
    expect(run.written).toEqual([]);
    const good = await render('--templates', 'templates/header', '--check', '--out', 'out');
    expect(good.code).toBe(0);
    expect(good.written[0]!.content.startsWith('# ACME firewall')).toBe(true);
  });
});
