/**
 * main.ts patches a private yargs method (skipHelpCache) to save start-up time. These tests fail
 * when yargs changes underneath: the method must exist, yargs must still call it when a command
 * runs (else the patch does nothing and should go), and help and failures must still work.
 */
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { skipHelpCache } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

type Internals = { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } };

function counted(patch: boolean): { calls: () => number; cli: ReturnType<typeof yargs> } {
  const cli = yargs();
  const usage = (cli as unknown as Internals).getInternalMethods().getUsageInstance();
  let calls = 0;
  const original = usage.cacheHelpMessage.bind(usage);
  usage.cacheHelpMessage = () => {
    calls++;
    original();
  };
  if (patch) skipHelpCache(cli);
  cli.command('render', 'r', (y) => y.option('target', { type: 'string' })).exitProcess(false).fail(() => undefined);
  return { calls: () => calls, cli };
}

describe('skipHelpCache (a private yargs API)', () => {
  it('yargs still renders the help cache when a command runs: the patch has work to skip', () => {
    const { calls, cli } = counted(false);
    cli.parse(['render', '--target', 'nftables']);
    expect(calls()).toBeGreaterThan(0);
  });

  it('patched, yargs never calls it', () => {
    const { calls, cli } = counted(true);
    cli.parse(['render', '--target', 'nftables']);
    expect(calls()).toBe(0);
  });

  it('refuses loudly when the method is gone', () => {
    const fake = { getInternalMethods: () => ({ getUsageInstance: () => ({}) }) };
    expect(() => skipHelpCache(fake)).toThrow('yargs has no usage.cacheHelpMessage any more');
  });

  it('help and bad-argument messages still come out of sipwall', async () => {
    const help = await runCli(['render', '--help']);
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('sipwall render')]);
    const bad = await runCli(['render', '--colour']);
    expect([bad.code, bad.stderr]).toEqual([2, 'sipwall: Unknown argument: colour; see sipwall render --help\n']);
  });
});
