/**
 * Issue 15: the package as a user installs it. `npm pack`, then `npm install ./sipwall-*.tgz`
 * offline in an empty folder: at most 20 packages and 10 MB, and the README's commands run from
 * that install alone (every library is in dist/, nothing is left to resolve from this repo).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { said } from '../helpers/output.js';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'sipwall-install-'));
const app = join(work, 'app');
const sipwall = join(app, 'node_modules', '.bin', 'sipwall');

function sh(command: string, args: string[], cwd: string) {
  return spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
}

/** Every file under `dir`, for the size and the package count. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The packages installed under `dir`/node_modules, nested ones and scoped ones counted. */
function packages(dir: string): number {
  let n = 0;
  const modules = join(dir, 'node_modules');
  let names: string[];
  try {
    names = readdirSync(modules).filter((name) => !name.startsWith('.'));
  } catch {
    return 0;
  }
  for (const name of names) {
    const dirs = name.startsWith('@') ? readdirSync(join(modules, name)).map((sub) => join(modules, name, sub)) : [join(modules, name)];
    for (const d of dirs) n += 1 + packages(d);
  }
  return n;
}

beforeAll(() => {
  // --ignore-scripts: dist/ is built by `pretest`; a rebuild here would race the other tests.
  const pack = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], root);
  expect(pack.status, pack.stderr).toBe(0);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  const install = sh('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, pack.stdout.trim())], app);
  expect(install.status, install.stderr).toBe(0);
}, 180_000);

describe('the packed package, installed offline in an empty folder', () => {
  it('brings at most 20 packages and 10 MB', () => {
    const modules = join(app, 'node_modules');
    const bytes = walk(modules).reduce((n, f) => n + statSync(f).size, 0);
    expect(packages(app)).toBeLessThanOrEqual(20);
    expect(bytes).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(readdirSync(modules).filter((n) => !n.startsWith('.'))).toEqual(['sipwall']);
  });

  it("runs README's render and providers commands (files named there: an example profile, a pfSense config)", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sipwall-readme-'));
    copyFileSync(join(root, 'examples/profiles/my-trunk.yaml'), join(cwd, 'my-trunk.yaml'));
    copyFileSync(join(root, 'examples/profiles/my-trunk-sip.txt'), join(cwd, 'my-trunk-sip.txt'));
    copyFileSync(join(root, 'test/fixtures/pfsense-config.xml'), join(cwd, 'config.xml'));
    // README's `cp templates/header.hbs my-templates/`, from the templates the package ships.
    mkdirSync(join(cwd, 'my-templates'));
    writeFileSync(join(cwd, 'my-templates', 'header.hbs'), `# my change ticket\n${readFileSync(join(app, 'node_modules', 'sipwall', 'templates', 'header.hbs'), 'utf8')}`);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const commands = [...readme.matchAll(/^npx sipwall ((?:render|providers)\b[^>#\n]*)/gm)].map((m) => m[1]!.trim().split(/\s+/));
    expect(commands.length).toBeGreaterThanOrEqual(15);
    expect(commands.some((args) => args.includes('--templates'))).toBe(true);
    for (const args of commands) {
      const run = sh(sipwall, args, cwd);
      expect([args.join(' '), run.status, run.stderr.split('\n').filter((l) => !/^sipwall: (warning|wrote|budget)/.test(l) && l !== '')]).toEqual([args.join(' '), 0, []]);
    }
  });

  it('every command answers --help, and completion prints its script', () => {
    for (const command of ['render', 'providers', 'probe sip', 'probe rtp', 'responder', 'watch', 'history', 'exporter', 'diagnose', 'apply', 'remove', 'completion']) {
      const run = sh(sipwall, [...command.split(' '), '--help'], app);
      expect([command, run.status, run.stdout]).toEqual([command, 0, expect.stringContaining(`sipwall ${command}`)]);
    }
    expect(sh(sipwall, ['completion'], app).stdout).toContain('_sipwall_yargs_completions');
  });

  it('responder, probe sip and rtp, watch --once, history and diagnose config run from the install (loopback)', async () => {
    const [sip, rtp] = [await freePort(), await freePort()];
    const responder = spawn(sipwall, ['responder', '--sip', `udp:${sip},tls:${sip}`, '--rtp', `${rtp}-${rtp}`, '--bind', '127.0.0.1', '--duration', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await said(responder, 'ready:', 'the installed responder');
      const probe = sh(sipwall, ['probe', 'sip', `127.0.0.1:${sip}`, '--transport', 'udp'], app);
      expect([probe.status, probe.stdout]).toEqual([0, expect.stringContaining('1 answered')]);
      // The responder's throw-away certificate (node:crypto, no selfsigned package) serves TLS.
      const tls = sh(sipwall, ['probe', 'sip', `127.0.0.1:${sip}`, '--transport', 'tls', '--insecure'], app);
      expect([tls.status, tls.stdout]).toEqual([0, expect.stringContaining('1 answered')]);
      const echo = sh(sipwall, ['probe', 'rtp', '127.0.0.1', '--ports', `${rtp}-${rtp}`], app);
      expect(echo.status, echo.stdout + echo.stderr).toBe(0);
      const dir = join(work, 'history');
      writeFileSync(join(work, 'checks.yaml'), `history: { dir: ${dir} }\nchecks:\n  - name: local\n    target: 127.0.0.1:${sip}\n    transport: udp\n`);
      expect(sh(sipwall, ['watch', '--config', join(work, 'checks.yaml'), '--once'], app).status).toBe(0);
      const history = sh(sipwall, ['history', '--dir', dir, '--json'], app);
      expect([history.status, history.stdout]).toEqual([0, expect.stringContaining('"local"')]);
    } finally {
      responder.kill();
    }
    const config = sh(sipwall, ['diagnose', 'config', '--config-dir', join(root, 'test/fixtures/pbx/asterisk-good')], app);
    expect([config.status, config.stderr]).toEqual([0, '']);
  }, 60_000);
});
