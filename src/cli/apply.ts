/**
 * `sipwall apply` and `sipwall remove`: flags and help. The work is in apply-run.ts, loaded only
 * when one of them runs.
 */
import type { Argv } from 'yargs';
import { policyOptions, type RenderArgs } from './render.js';

export interface ApplyArgs extends Omit<RenderArgs, 'target' | 'form' | 'out' | 'json' | 'check' | 'lockAddresses'> {
  target: 'nftables' | 'iptables';
  confirm: string;
  yes: boolean;
  dryRun: boolean;
  persist: boolean;
  force: boolean;
  allowLockout: boolean;
  keep?: string[];
}

export interface RemoveArgs {
  dryRun: boolean;
}

export function applyOptions(y: Argv): Argv {
  return policyOptions(
    y.option('target', { alias: 't', choices: ['nftables', 'iptables'] as const, default: 'nftables' as const, describe: 'Which firewall to put the rules into' }),
  )
    .option('confirm', { type: 'string', default: '60s', describe: 'How long to wait for you to type yes before the previous rules are restored (10s to 1h)' })
    .option('yes', { type: 'boolean', default: false, describe: 'Keep the rules as soon as the checks pass, without asking (for scripts)' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Print the difference between the live rules and the new ones; change nothing' })
    .option('persist', { type: 'boolean', default: false, describe: 'Once kept, load them at boot: /etc/nftables.d/sipwall.nft included from /etc/nftables.conf, or /etc/iptables/rules.v4 and rules.v6 (iptables-persistent)' })
    .option('keep', { type: 'string', array: true, describe: 'Access the new rules must not close, besides your SSH session: tcp/443, tcp/22@198.51.100.7 (repeatable)' })
    .option('force', { type: 'boolean', default: false, describe: 'Apply standalone rules although another tool (ufw, firewalld, Docker, fail2ban) manages the firewall, or replacing rules sipwall did not write' })
    .option('allow-lockout', { type: 'boolean', default: false, describe: 'Apply although the rules close your SSH session or a --keep port' })
    .example('sudo $0 apply -p flynumber --pbx asterisk', 'standalone nftables: check, rehearse on a copy, apply, check again, and restore unless you type yes within 60 s')
    .example('sudo $0 apply -p flynumber -p vapi --pbx asterisk -t iptables --into INPUT --persist', 'one sipwall chain hooked into your INPUT chain, loaded at boot once kept')
    .example('sudo $0 apply -p flynumber --pbx asterisk --into inet/filter/input --dry-run', 'what would change in your own nftables table')
    .example('sudo $0 remove', 'take out everything the last apply added');
}

export function removeOptions(y: Argv): Argv {
  return y
    .option('dry-run', { type: 'boolean', default: false, describe: 'Print what would be run; change nothing' })
    .example('sudo $0 remove', "take out sipwall's table or chains, the jump into them, its sets and persisted files; nothing else")
    .example('sudo $0 remove --dry-run', 'the commands remove would run');
}
