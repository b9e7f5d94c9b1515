/**
 * Which real parser checks which target's files, planned as shell steps so that many outputs
 * can be checked in one network namespace (one `unshare` for 200 random cases, not 1,000).
 */
import { TARGETS } from '../targets/registry.js';
import type { CheckKind, OutputFile } from '../targets/types.js';
import { inNetns, type Check } from './run.js';

export interface CheckPlan {
  /** Files to put in the namespace's working folder. */
  readonly files: Record<string, string>;
  /** Shell commands run in order; each one's exit status is a check. */
  readonly steps: ReadonlyArray<{ readonly label: string; readonly command: string }>;
}

type MutablePlan = { files: Record<string, string>; steps: Array<{ label: string; command: string }> };

/** Pulls the restore payloads out of a shell script's here-documents. */
function heredocs(script: string): Array<{ command: string; body: string }> {
  const out: Array<{ command: string; body: string }> = [];
  const re = /^(.*) <<'(SIPWALL_[A-Z0-9]+)'\n([\s\S]*?)\n\2$/gm;
  for (const m of script.matchAll(re)) out.push({ command: m[1]!, body: `${m[3]!}\n` });
  return out;
}

/** nft -c -f on each nftables file (the payload of a shell form). */
function planNftables(files: readonly OutputFile[], id: string): CheckPlan {
  const plan: MutablePlan = { files: {}, steps: [] };
  for (const f of files) {
    const body = f.name.endsWith('.sh') ? heredocs(f.content).map((h) => h.body).join('') : f.content;
    const name = `${id}-${f.name}.nft`;
    plan.files[name] = body;
    plan.steps.push({ label: `nft -c -f ${f.name}`, command: `nft -c -f ${name}` });
  }
  return plan;
}

/**
 * ipset sets are loaded for real first (the rules refer to them), then every rules payload goes
 * through iptables-restore --test (nf_tables backend) and iptables-legacy-restore --test, which
 * also catches a jump to an undeclared chain.
 */
function planIptables(files: readonly OutputFile[], id: string): CheckPlan {
  const parts: Array<{ command: string; body: string }> = [];
  for (const f of files) {
    if (f.name.endsWith('.sh')) parts.push(...heredocs(f.content));
    else if (f.name.endsWith('.ipset')) parts.push({ command: 'ipset restore', body: f.content });
    else parts.push({ command: f.name.endsWith('.v6') ? 'ip6tables-restore' : 'iptables-restore', body: f.content });
  }
  const plan: MutablePlan = { files: {}, steps: [] };
  parts.forEach((p, i) => {
    const name = `${id}-part${i}`;
    plan.files[name] = p.body;
    if (p.command.startsWith('ipset')) {
      plan.steps.push({ label: 'ipset restore', command: `ipset restore < ${name}` });
      return;
    }
    const tool = p.command.startsWith('ip6tables') ? 'ip6tables' : 'iptables';
    for (const restore of [`${tool}-restore`, `${tool}-legacy-restore`]) {
      plan.steps.push({ label: `${restore} --test`, command: `${restore} --test < ${name}` });
    }
  });
  return plan;
}

/** A folder of wrapper commands, created by the first step that needs it. */
const SHIMS: Record<string, string> = {
  // ufw: every command of the script as --dry-run (prints the rules, writes nothing).
  ufw: 'exec "$SIPWALL_REAL_UFW" --dry-run "$@"',
  // firewall-cmd --permanent → firewall-offline-cmd on a copy of /etc/firewalld; no reload.
  'firewall-cmd': [
    'n=$#; i=0',
    'while [ "$i" -lt "$n" ]; do a=$1; shift; i=$((i + 1)); case "$a" in --permanent) ;; --reload) exit 0 ;; *) set -- "$@" "$a" ;; esac; done',
    'exec firewall-offline-cmd --system-config="$FWCONF" "$@"',
  ].join('\n'),
};

/** Adds the wrapper to the plan's files; returns the command that installs it in shims/. */
function shim(plan: MutablePlan, name: string): string {
  plan.files[`shim-${name}`] = `#!/bin/sh\n${SHIMS[name]!}\n`;
  return `mkdir -p shims && cp shim-${name} shims/${name} && chmod +x shims/${name}`;
}

/**
 * ufw: the script runs with every ufw call as --dry-run (set -eu stops at the first refusal);
 * an application profile is loaded by `ufw app info` from a bind-mounted applications.d.
 */
function planUfw(files: readonly OutputFile[], id: string): CheckPlan {
  const plan: MutablePlan = { files: {}, steps: [] };
  // ufw --dry-run refuses a read-only /etc/ufw ("user.rules is not writable"): a copy in the
  // check's throw-away folder stands in for it, once per namespace.
  const conf = 'test -d ufwconf || { cp -R /etc/ufw ufwconf && mount --bind ufwconf /etc/ufw; }';
  for (const f of files) {
    const name = `${id}-${f.name}`;
    plan.files[name] = f.content;
    if (f.name.endsWith('.sh')) {
      plan.steps.push({
        label: `ufw --dry-run (${f.name})`,
        command: `${conf} && SIPWALL_REAL_UFW=$(command -v ufw) && export SIPWALL_REAL_UFW && ${shim(plan, 'ufw')} && PATH="$PWD/shims:$PATH" sh ${name}`,
      });
    } else {
      const dir = `${id}-appd`;
      plan.steps.push({
        label: `ufw app info (${f.name})`,
        command: `${conf} && mkdir -p ${dir} && cp ${name} ${dir}/sipwall && mount --bind ${dir} /etc/ufw/applications.d && for p in $(sed -n 's/^\\[\\(.*\\)\\]$/\\1/p' ${name}); do ufw app info "$p" || exit 1; done; s=$?; umount /etc/ufw/applications.d; exit $s`,
      });
    }
  }
  return plan;
}

/**
 * firewalld: a copy of /etc/firewalld receives the XML files (or the script's commands through
 * firewall-offline-cmd), then `--check-config`; it exits 0 on warnings, so any WARNING or
 * ERROR line fails the step.
 */
function planFirewalld(files: readonly OutputFile[], id: string): CheckPlan {
  const plan: MutablePlan = { files: {}, steps: [] };
  const conf = `${id}-fwconf`;
  const setup = `rm -rf ${conf} && cp -r /etc/firewalld ${conf} && mkdir -p ${conf}/ipsets ${conf}/policies`;
  const verdict = `firewall-offline-cmd --system-config="$PWD/${conf}" --check-config > ${conf}.log 2>&1; cat ${conf}.log; ! grep -qE 'WARNING|ERROR|Error' ${conf}.log`;
  const script = files.find((f) => f.name.endsWith('.sh'));
  if (script) {
    const name = `${id}-${script.name}`;
    plan.files[name] = script.content;
    plan.steps.push({
      label: `firewall-offline-cmd (${script.name})`,
      command: `${setup} && ${shim(plan, 'firewall-cmd')} && FWCONF="$PWD/${conf}" PATH="$PWD/shims:$PATH" sh ${name} > ${conf}.run 2>&1 || { cat ${conf}.run; exit 1; }; ${verdict}`,
    });
    return plan;
  }
  const copies = files.map((f) => {
    const name = `${id}-${f.name.replaceAll('/', '-')}`;
    plan.files[name] = f.content;
    return `cp ${name} ${conf}/${f.name}`;
  });
  plan.steps.push({ label: 'firewall-offline-cmd --check-config', command: `${setup} && ${copies.join(' && ')} && ${verdict}` });
  return plan;
}

/** XML targets: libxml2's parser on every file (the semantic rules are asserted by the tests). */
function planXml(files: readonly OutputFile[], id: string): CheckPlan {
  const plan: MutablePlan = { files: {}, steps: [] };
  for (const f of files) {
    const name = `${id}-${f.name}`;
    plan.files[name] = f.content;
    plan.steps.push({ label: `xmllint --noout ${f.name}`, command: `xmllint --noout ${name}` });
  }
  return plan;
}

/** botocore's own parameter validator on the EC2 API JSON (types, required and unknown keys). */
const BOTOCORE = [
  'import json, sys, botocore.session, botocore.validate',
  "model = botocore.session.get_session().get_service_model('ec2')",
  'bad = 0',
  'for path in sys.argv[1:]:',
  "    op = 'AuthorizeSecurityGroupEgress' if 'egress' in path else 'AuthorizeSecurityGroupIngress'",
  "    params = {'GroupId': 'sg-0123456789abcdef0', 'IpPermissions': json.load(open(path))}",
  '    report = botocore.validate.ParamValidator().validate(params, model.operation_model(op).input_shape)',
  '    if report.has_errors():',
  "        print(path + ': ' + report.generate_report()); bad = 1",
  'sys.exit(bad)',
].join('\n');

function planAws(files: readonly OutputFile[], id: string): CheckPlan {
  const plan: MutablePlan = { files: { 'botocore-check.py': `${BOTOCORE}\n` }, steps: [] };
  const api = files.filter((f) => /^aws-(ingress|egress)(-\d+)?\.json$/.test(f.name));
  for (const f of api) plan.files[`${id}-${f.name}`] = f.content;
  if (api.length > 0) {
    // Debian's python3-botocore is found by /usr/bin/python3, not by a python3 from elsewhere.
    const python = 'PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3;';
    plan.steps.push({ label: 'botocore validate_parameters', command: `${python} "$PY" botocore-check.py ${api.map((f) => `${id}-${f.name}`).join(' ')}` });
  }
  return plan;
}

/** The planner of each check kind a target's meta can declare (`meta.check`). */
const PLANNERS: Record<CheckKind, (files: readonly OutputFile[], id: string) => CheckPlan> = {
  nft: planNftables,
  iptables: planIptables,
  ufw: planUfw,
  firewalld: planFirewalld,
  xml: planXml,
  botocore: planAws,
};

/** The check a target declares: its meta's `check`, found by id in the registry. */
export function checkKindOf(targetId: string): CheckKind | undefined {
  return TARGETS.find((t) => t.meta.id === targetId)?.meta.check;
}

/**
 * The target's own checks, and `sh -n` on every shell script of every target (gcp.sh and azure.sh
 * call cloud CLIs that are not here: their syntax is what can be checked offline). CloudFormation
 * JSON goes through python's JSON parser; Terraform files have no offline parser here (the tests
 * parse them with an HCL parser).
 */
export function planChecks(targetId: string, files: readonly OutputFile[], id = 'out'): CheckPlan {
  const kind = checkKindOf(targetId);
  const own = kind === undefined ? { files: {}, steps: [] } : PLANNERS[kind](files, id);
  const plan: MutablePlan = { files: { ...own.files }, steps: [...own.steps] };
  for (const f of files) {
    const name = `${id}-syntax-${f.name.replaceAll('/', '-')}`;
    if (f.name.endsWith('.sh')) {
      plan.files[name] = f.content;
      plan.steps.push({ label: `sh -n ${f.name}`, command: `sh -n ${name}` });
    } else if (f.name.endsWith('cloudformation.json')) {
      plan.files[name] = f.content;
      plan.steps.push({ label: `python3 -m json.tool ${f.name}`, command: `python3 -m json.tool ${name} > /dev/null` });
    }
  }
  return plan;
}

/** Runs plans in one throw-away namespace after `setup` (e.g. the table an --into file needs). */
export function runChecks(plans: readonly CheckPlan[], setup = ''): Check[] {
  const files: Record<string, string> = { 'setup.nft': setup };
  const steps = plans.flatMap((p) => {
    Object.assign(files, p.files);
    return p.steps;
  });
  const script = [
    setup === '' ? '' : 'nft -f setup.nft || echo "@@setup failed"',
    // The last 2,000 bytes (where errors are); the echo ends a cut line, or the next step's
    // status would be glued to it and lost.
    ...steps.map((s, i) => `( ${s.command} ) > step${i}.out 2>&1; echo "@@$? ${i}"; tail -c 2000 step${i}.out | sed 's/^/@@> ${i} /'; echo`),
  ].join('\n');
  const { ok, output } = inNetns(files, script, 600_000);
  if (!ok || output.includes('@@setup failed')) return [{ command: 'setup', ok: false, output }];
  const status = new Map<number, number>();
  const said = new Map<number, string[]>();
  for (const line of output.split('\n')) {
    const done = /^@@(\d+) (\d+)$/.exec(line);
    if (done) status.set(Number(done[2]), Number(done[1]));
    const text = /^@@> (\d+) (.*)$/.exec(line);
    if (text) said.set(Number(text[1]), [...(said.get(Number(text[1])) ?? []), text[2]!]);
  }
  return steps.map((s, i) => ({ command: s.label, ok: status.get(i) === 0, output: (said.get(i) ?? []).join('\n') }));
}

/** Checks one target's files in their own namespace. */
export function checkTarget(targetId: string, files: readonly OutputFile[], setup = ''): Check[] {
  return runChecks([planChecks(targetId, files)], setup);
}

/** What an nftables --into file expects to exist: the user's table and chains (nft -c only). */
export function intoSetup(targetId: string, into: string | undefined, intoOutput: string | undefined): string {
  if (targetId !== 'nftables' || into === undefined) return '';
  const lines = [into, intoOutput].flatMap((ref, i) => {
    const [family, table, chain] = (ref ?? '').split('/');
    if (!family || !table || !chain) return [];
    return [`add table ${family} ${table}`, `add chain ${family} ${table} ${chain} { type filter hook ${i === 0 ? 'input' : 'output'} priority 0; }`];
  });
  return `${lines.join('\n')}\n`;
}
