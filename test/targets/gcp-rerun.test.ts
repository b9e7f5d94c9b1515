/**
 * Issue 17.6: the gcp script sets exactly what it says on a re-run. gcloud's update keeps a list
 * flag that is not given (googlecloudsdk firewall_rules/update.py), so a run with an empty
 * TARGET_TAGS must pass `--target-tags=` to clear the tags an earlier run set. Run through a fake
 * gcloud with those semantics (test/helpers/fake-gcloud.mjs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'sipwall-gcp-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
symlinkSync(join(import.meta.dirname, '..', 'helpers', 'fake-gcloud.mjs'), join(work, 'gcloud'));
const state = join(work, 'rules.json');

async function apply(args: readonly string[], tags: string) {
  const run = await runCli(['render', '--target', 'gcp', ...args]);
  expect(run.code, run.stderr).toBe(0);
  writeFileSync(join(work, 'gcp.sh'), run.stdout);
  return spawnSync('sh', [join(work, 'gcp.sh')], { encoding: 'utf8', env: { PATH: `${work}:${process.env.PATH}`, NETWORK: 'default', TARGET_TAGS: tags, FAKE_GCP: state }, timeout: 60_000 });
}

type Rule = { name: string; targetTags: string[]; sourceRanges: string[]; rules: string[] };
const rules = () => Object.values(JSON.parse(readFileSync(state, 'utf8')) as Record<string, Rule>);

describe('gcp shell re-runs', () => {
  it('target tags set, changed and removed: every rule has exactly the tags of the last run', async () => {
    const args = ['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk'];
    for (const tags of ['pbx', 'pbx,sip', '', 'pbx']) {
      const run = await apply(args, tags);
      expect([tags, run.status, run.stderr]).toEqual([tags, 0, '']);
      const expected = tags === '' ? [] : tags.split(',');
      expect(rules().map((r) => [r.name, r.targetTags])).toEqual(rules().map((r) => [r.name, expected]));
      expect(rules().length).toBeGreaterThan(0);
    }
  });

  it('a provider dropped from the command leaves no rule of it', async () => {
    expect((await apply(['-p', 'flynumber', '-p', 'vapi', '--pbx', 'asterisk'], '')).status).toBe(0);
    expect(rules().some((r) => r.name.includes('vapi'))).toBe(true);
    expect((await apply(['-p', 'flynumber', '--pbx', 'asterisk'], '')).status).toBe(0);
    expect(rules().some((r) => r.name.includes('vapi'))).toBe(false);
  });
});
