/**
 * The registry is the one list of targets: every registered target has all its pieces, the docs
 * tables are generated from the metas and current, and a new target (a throw-away fixture) is
 * picked up by the contract check, --target list, the docs tables and this completeness check.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPolicy } from '../../src/policy/build.js';
import { PBX_PRESETS } from '../../src/providers/pbx.js';
import { findBuiltinProvider } from '../../src/providers/registry.js';
import { docsTables, listText, withDocsTables, withGenerated } from '../../src/targets/describe.js';
import { findTarget, MODULES, registered, TARGETS } from '../../src/targets/registry.js';
import type { RenderOptions } from '../../src/targets/types.js';
import { sample } from '../fixtures/targets/sample.js';
import { CASES } from './cases.js';
import { testTargets } from './tester.js';
import { runCli } from '../helpers/cli.js';
import { missingPieces, moduleMeta, ROOT } from './pieces.js';
import { SEMANTICS } from './semantics.js';

const metas = TARGETS.map((t) => t.meta);

describe('every registered target has all its pieces', () => {
  it.each(metas.map((m) => [m.id, m] as const))('%s', async (_, meta) => {
    expect(await missingPieces(meta)).toEqual([]);
  });

  it('docs/targets.md holds the tables generated from the metas (npm run docs)', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'targets.md'), 'utf8');
    expect(withDocsTables(docs, metas), 'docs/targets.md is out of date: run npm run docs').toBe(docs);
  });

  it('every module in src/targets that exports a meta is registered, and no golden folder is left over', async () => {
    const exporting: string[] = [];
    for (const name of readdirSync(join(ROOT, 'src', 'targets')).filter((n) => n.endsWith('.ts'))) {
      const meta = await moduleMeta(name.slice(0, -3));
      if (meta !== undefined) exporting.push(meta.id);
    }
    expect(exporting.sort()).toEqual(metas.map((m) => m.id).sort());
    const golden = join(ROOT, 'test', 'golden');
    for (const id of readdirSync(golden)) {
      expect(metas.map((m) => m.id), `test/golden/${id}`).toContain(id);
      for (const name of readdirSync(join(golden, id)).filter((n) => statSync(join(golden, id, n)).isDirectory())) {
        expect(CASES.some((c) => c.target === id && c.name === name), `test/golden/${id}/${name} has no case in cases.ts`).toBe(true);
      }
    }
  });
});

/** The throw-away target's cases, run by the same tester as every target's (goldens under test/fixtures/targets/golden). */
const SAMPLE_CASES = [
  { name: 'basic', target: 'sample', args: ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk'], warnings: ['vapi-media-udp-in: sample cannot match source ports; this rule accepts any udp source port, not only 40000-60000.'] },
  { name: 'outbound', target: 'sample', args: ['-p', 'flynumber', '--pbx', 'asterisk', '--direction', 'both'], error: '--direction: sample filters inbound traffic only' },
];
testTargets(SAMPLE_CASES, { goldenRoot: join(ROOT, 'test', 'fixtures', 'targets', 'golden'), targets: registered([...MODULES, sample]) });

describe('a new target is one module, one template, one case folder and one registry line', () => {
  const targets = registered([...MODULES, sample]);
  const all = targets.map((t) => t.meta);
  const options: RenderOptions = { mode: 'standalone', form: 'text', ipset: false, header: { version: '0', command: 'x' } };
  const policy = (direction: 'in' | 'both') => buildPolicy({ providers: [findBuiltinProvider('flynumber'), findBuiltinProvider('vapi')], host: PBX_PRESETS.asterisk!, direction, families: [4, 6] });
  const root = mkdtempSync(join(tmpdir(), 'sipwall-target-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the contract check runs on it from its meta: outbound refused, source ports widened and named, families split', () => {
    const target = findTarget('sample', targets);
    expect(() => target.render(policy('both'), options)).toThrow(/sample filters inbound traffic only/);
    const result = target.render(policy('in'), options);
    expect(result.warnings).toEqual(['vapi-media-udp-in: sample cannot match source ports; this rule accepts any udp source port, not only 40000-60000.']);
    const text = result.files[0]!.content;
    expect(text).toContain('allow udp from 0.0.0.0/0 to port 10000-20000 (vapi-media-udp-in-v4)');
    expect(text).toContain('allow udp from ::/0 to port 10000-20000 (vapi-media-udp-in-v6)');
    // The other targets' fixes now name it where it has the capability, and leave it out where not.
    expect(() => findTarget('pfsense', targets).render(policy('both'), { ...options, form: 'xml' })).toThrow(/filters outbound \(nftables, iptables, ufw --form shell, firewalld, aws, gcp, azure, routeros, windows\)/);
  });

  it('the CLI renders it and lists it, with the registry that holds it', async () => {
    const list = await runCli(['render', '--target', 'list'], undefined, targets);
    expect(list.stdout).toMatch(/^sample: A sample target/m);
    const run = await runCli(['render', '-p', 'flynumber', '--pbx', 'asterisk', '--target', 'sample', '--form', 'nope'], undefined, targets);
    expect([run.code, run.stderr]).toEqual([2, 'sipwall: --form: target sample has no form "nope"; use one of text\n']);
  });

  it('--target list and the docs tables show it', () => {
    expect(listText(all)).toMatch(/^sample: A sample target \(one text line per rule\)\n {2}forms: text; modes: standalone[^\n]*\n {2}can: statefulReturn\n/m);
    expect(docsTables(all)).toContain('| sample | firewall | text | standalone | no | no | no | yes | `cat sample.txt` | replaces the file | none (a fixture) |');
  });

  it('the completeness check names each missing piece, and is satisfied once they are there', async () => {
    const cases = [...CASES, { name: 'basic', target: 'sample', args: [] }];
    const where = { cases, semantics: { ...SEMANTICS }, root };
    for (const dir of ['src/targets', 'templates', 'docs']) mkdirSync(join(root, dir), { recursive: true });
    cpSync(join(ROOT, 'docs', 'targets.md'), join(root, 'docs', 'targets.md'));
    expect(await missingPieces(sample.meta, where)).toEqual([
      'src/targets/sample.ts exporting meta with id "sample"',
      'templates/sample.hbs (or templates/sample-<form>.hbs)',
      'test/golden/sample/basic/ (npm run test:update)',
      'docs/targets.md rows for sample (npm run docs)',
    ]);
    writeFileSync(join(root, 'src', 'targets', 'sample.ts'), "export const meta = { id: 'sample' };\n");
    writeFileSync(join(root, 'templates', 'sample.hbs'), '{{#each lines}}{{this}}\n{{/each}}');
    mkdirSync(join(root, 'test', 'golden', 'sample', 'basic'), { recursive: true });
    writeFileSync(join(root, 'test', 'golden', 'sample', 'basic', 'sample.txt'), findTarget('sample', targets).render(policy('in'), options).files[0]!.content);
    writeFileSync(join(root, 'docs', 'targets.md'), withDocsTables(readFileSync(join(ROOT, 'docs', 'targets.md'), 'utf8'), all));
    expect(await missingPieces(sample.meta, where)).toEqual(['a checker for sample/basic: a planner in src/validate/checks.ts or a SEMANTICS entry in test/targets/semantics.ts']);
    expect(await missingPieces(sample.meta, { ...where, semantics: { ...SEMANTICS, sample: () => [] } })).toEqual([]);
    // A form without a case is named too.
    expect(await missingPieces({ ...sample.meta, forms: ['text', 'json'] }, { ...where, semantics: { ...SEMANTICS, sample: () => [] } })).toEqual(['a golden case for --form json in test/targets/cases.ts']);
  });
});

describe('docs/templates.md', () => {
  it('holds the tables generated from the templates and the renders (npm run docs)', async () => {
    const { templatesDocs } = await import('../../scripts/template-docs.js');
    const docs = readFileSync(join(ROOT, 'docs', 'templates.md'), 'utf8');
    expect(withGenerated(docs, templatesDocs()), 'docs/templates.md is out of date: run npm run docs').toBe(docs);
  });
});

describe('flag help comes from the metas', () => {
  it("each target flag's help names every target that declares it, with its text", async () => {
    const help = (await runCli(['render', '--help'])).stdout.replace(/\s+/g, ' ');
    const declared = TARGETS.flatMap((t) => Object.entries(t.meta.flags ?? {}).map(([flag, text]) => ({ id: t.meta.id, flag, text: text! })));
    expect(declared.length).toBeGreaterThan(5);
    for (const { id, flag, text } of declared) {
      const name = `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      const line = new RegExp(`${name} (.*?)\\[`).exec(help)?.[1] ?? '';
      expect([name, line]).toEqual([name, expect.stringContaining(id)]);
      expect(line.replace(/\s+/g, ' ')).toContain(text.replace(/\s+/g, ' '));
    }
  });

  it('--into and --into-output name the syntax of every target with mode into, and only those', async () => {
    const help = (await runCli(['render', '--help'])).stdout.replace(/\s+/g, ' ');
    for (const { meta } of TARGETS) {
      expect([meta.id, meta.into !== undefined]).toEqual([meta.id, meta.modes.includes('into')]);
      for (const [flag, side] of [['--into', 'input'], ['--into-output', 'output']] as const) {
        const line = new RegExp(`${flag} (.*?)\\[`).exec(help)?.[1] ?? '';
        if (meta.into) expect(line).toContain(`${meta.id} ${meta.into[side]}`);
        else expect(line).not.toMatch(new RegExp(`\\b${meta.id}\\b`));
      }
    }
  });
});
