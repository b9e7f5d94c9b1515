/**
 * The errors of the command line itself: a flag given twice or empty, a number that is none,
 * flags that do not go together, files and folders that cannot be read or written. The CLI's
 * own words, so these name flags directly. test/errors/catalogue.test.ts renders each;
 * docs/errors.md lists them. Pure.
 */
import { flag } from './concepts.js';
import { entry, raise } from './entry.js';

/** `--into` and the like as a flag's data: the flag as written. */
type Named = { flag: string };

export const CLI_ERRORS = {
  // Every command's flags, checked against their declarations (src/cli/flags.ts, options.ts).
  E_FLAG_EMPTY: entry<Named & { required: boolean }>({
    input: (d) => d.flag,
    problem: () => 'is empty',
    fix: (d) => (d.required ? 'give a value' : `give a value, or leave ${d.flag} out`),
    example: { flag: '--out', required: false },
  }),
  E_FLAG_EMPTY_VALUE: entry<Named>({
    input: (d) => d.flag,
    problem: () => 'has an empty value',
    fix: (d) => `give a value each time, or leave ${d.flag} out`,
    example: { flag: '--provider' },
  }),
  E_FLAG_REPEATED: entry<Named & { times: number; text: boolean }>({
    input: (d) => d.flag,
    problem: (d) => `is given ${d.times} times`,
    fix: (d) => `give it once${d.text ? ' (several values go comma-separated in one)' : ''}`,
    example: { flag: '--rtp-ports', times: 2, text: true },
  }),
  E_FLAG_NUMBER: entry<Named & { value: string; example: number }>({
    input: (d) => d.flag,
    problem: (d) => `"${d.value}" is not a number`,
    fix: (d) => `write e.g. ${d.flag} ${d.example}`,
    example: { flag: '--ssh-port', value: 'ssh', example: 22 },
  }),
  E_FLAG_WHOLE: entry<Named & { value: string; min: number; max: number; example: number }>({
    input: (d) => d.flag,
    problem: (d) => `"${d.value}" is not a whole number from ${d.min} to ${d.max}`,
    fix: (d) => `write e.g. ${d.flag} ${d.example}`,
    example: { flag: '--max-age', value: '-5', min: 0, max: 36500, example: 180 },
  }),
  E_FAMILY: entry<{ value: string }>({
    input: () => flag('family'),
    problem: (d) => `"${d.value}" is not a family`,
    fix: () => 'use ipv4, ipv6 or dual',
    example: { value: 'ipv5' },
  }),
  E_SIP_PORTS: entry<{ item: string }>({
    input: () => flag('sip-ports'),
    problem: (d) => `"${d.item}" is not TRANSPORT:PORT`,
    fix: () => 'write e.g. udp:5060,tcp:5060,tls:5061',
    example: { item: 'sctp:5060' },
  }),
  E_RTP_SINGLE_PORT: entry<{ value: string }>({
    input: () => flag('rtp-ports'),
    problem: (d) => `"${d.value}" is a single port`,
    fix: () => "give the PBX's RTP range, e.g. 10000-20000",
    example: { value: '10000' },
  }),

  // Files and folders the user names (src/cli/context.ts, write.ts, templates.ts).
  E_READ: entry<Named & { file: string; code: string; fix: string }>({
    input: (d) => `${d.flag} ${d.file}`,
    problem: (d) => `cannot be read (${d.code})`,
    fix: (d) => d.fix,
    example: { flag: '--profile', file: './acme.yaml', code: 'ENOENT', fix: 'give the path of a provider profile (docs/profiles.md)' },
  }),
  E_READ_LIMIT: entry<Named & { file: string; problem: string; fix: string }>({
    input: (d) => `${d.flag} ${d.file}`,
    problem: (d) => d.problem,
    fix: (d) => d.fix,
    example: { flag: '--profile', file: './feed.json', problem: 'has 80000000 bytes, over the limit of 67108864', fix: 'raise the limit with --max-profile-mib 256' },
  }),
  E_WRITE: entry<{ dir: string; code: string; at: string }>({
    input: (d) => `${flag('out')} ${d.dir}`,
    problem: (d) => `cannot be written (${d.code}${d.at === '' ? '' : ` at ${d.at}`}); nothing was changed`,
    fix: () => 'give a folder you can write to, with room for the files',
    example: { dir: './fw', code: 'EEXIST', at: 'nftables.nft' },
  }),
  E_TEMPLATES_FOLDER: entry<{ dir: string; problem: string }>({
    input: (d) => `${flag('templates')} ${d.dir}`,
    problem: (d) => d.problem,
    fix: () => 'give a folder of NAME.hbs files named after the built-in templates (the templates folder of sipwall)',
    example: { dir: './my-templates', problem: 'is not a folder' },
  }),
  E_TEMPLATES_NONE: entry<{ dir: string }>({
    input: (d) => `${flag('templates')} ${d.dir}`,
    problem: () => 'holds no .hbs file',
    fix: () => 'copy the templates to change from the templates folder of sipwall into it',
    example: { dir: './my-templates' },
  }),

  // `render`'s flags that do not go together (src/cli/render.ts).
  E_OUT_NEEDED: entry<{ target: string; count: number; names: string; shell: boolean }>({
    input: () => flag('out'),
    problem: (d) => `${d.target} writes ${d.count} files (${d.names})`,
    fix: (d) => `give a folder with ${flag('out')} DIR${d.shell ? `, or ${flag('form')} shell for one script` : ''}`,
    example: { target: 'iptables', count: 2, names: 'rules.v4, rules.v6', shell: true },
  }),
  E_ALL_NEEDS_OUT: entry<Record<string, never>>({
    input: () => `${flag('target')} all`,
    problem: () => 'writes one folder per target',
    fix: () => `give the parent folder with ${flag('out')} DIR`,
    example: {},
  }),
  E_FLAG_NOT_FOR_ALL: entry<Named>({
    input: (d) => d.flag,
    problem: () => `applies to one target, not to ${flag('target')} all`,
    fix: (d) => `drop ${d.flag}, or render that target on its own`,
    example: { flag: '--form' },
  }),
  E_FLAG_OTHER_TARGET: entry<Named & { users: readonly string[]; target: string }>({
    input: (d) => d.flag,
    problem: (d) => `applies to target ${d.users.join(', ')}, not ${d.target}`,
    fix: (d) => `drop ${d.flag}, or use ${flag('target')} ${d.users[0]}`,
    example: { flag: '--priority', users: ['azure', 'gcp'], target: 'nftables' },
  }),
  E_PBX_ADDRESS_CHAIN: entry<Record<string, never>>({
    input: () => flag('pbx-address'),
    problem: () => `is read with ${flag('routeros-chain')} forward only (the PBX behind the router)`,
    fix: () => `add ${flag('routeros-chain')} forward, or drop ${flag('pbx-address')}`,
    example: {},
  }),
  E_PFSENSE_AFTER_CONFIG: entry<Record<string, never>>({
    input: () => flag('pfsense-after'),
    problem: () => `needs ${flag('pfsense-config')} (it places the rules inside that config)`,
    fix: () => `add ${flag('pfsense-config')} FILE, or drop ${flag('pfsense-after')}`,
    example: {},
  }),
  E_INTO_OUTPUT_ALONE: entry<Record<string, never>>({
    input: () => flag('into-output'),
    problem: () => `needs ${flag('into')}`,
    fix: () => `add ${flag('into')} too, or drop ${flag('into-output')}`,
    example: {},
  }),
  E_SSH_FROM_INTO: entry<Record<string, never>>({
    input: () => flag('ssh-from'),
    problem: () => `applies to a standalone firewall only; with ${flag('into')} your own ruleset decides SSH`,
    fix: () => `drop ${flag('ssh-from')}`,
    example: {},
  }),
  E_INTO_OUTPUT_INBOUND: entry<Record<string, never>>({
    input: () => flag('into-output'),
    problem: () => `has no rules to hold with ${flag('direction')} in`,
    fix: () => `add ${flag('direction')} out or both, or drop ${flag('into-output')}`,
    example: {},
  }),
  E_TARGETS_REFUSED: entry<{ input: string; names: string; problem: string; fix: string }>({
    input: (d) => d.input,
    problem: (d) => `${d.names} refused (nothing written): ${d.problem}`,
    fix: (d) => d.fix,
    example: { input: '--direction', names: 'aws, azure', problem: 'cannot hold outbound rules', fix: 'use --direction in' },
  }),
  E_PRIORITY: entry<{ value: string }>({
    input: () => flag('priority'),
    problem: (d) => `"${d.value}" is not a priority`,
    fix: () => 'use a whole number: azure 100-4096, gcp 0-65535',
    example: { value: '-1' },
  }),
  E_PBX_ADDRESS_SYNTAX: entry<{ word: string }>({
    input: () => flag('pbx-address'),
    problem: (d) => `"${d.word}" is not an IP address`,
    fix: () => "give the PBX's address behind the router, e.g. 192.168.88.10",
    example: { word: 'pbx.local' },
  }),
  E_PBX_ADDRESS_TWICE: entry<{ family: 4 | 6 }>({
    input: () => flag('pbx-address'),
    problem: (d) => `names two IPv${d.family} addresses`,
    fix: () => 'give one address per family',
    example: { family: 4 },
  }),
  E_TRACKER: entry<{ value: string }>({
    input: () => flag('pfsense-after'),
    problem: (d) => `"${d.value}" is not a rule tracker`,
    fix: () => 'give the Tracking ID of your rule (a number, shown when you edit the rule in Firewall > Rules)',
    example: { value: 'lan-rule' },
  }),
  E_ENDPOINT: entry<{ value: string }>({
    input: () => flag('endpoint'),
    problem: (d) => `"${d.value}" is not an endpoint name or PROVIDER=NAME`,
    fix: () => 'name the pjsip endpoint: letters, digits, _ . + - (at most 64), e.g. --endpoint flynumber-trunk or --endpoint flynumber=trunk1,vapi=trunk2',
    example: { value: 'my trunk' },
  }),
  E_NUMBER: entry<{ value: string }>({
    input: () => flag('number'),
    problem: (d) => `"${d.value}" is not a number in E.164`,
    fix: () => 'write + then the country code and number, digits only, e.g. --number +13025551234',
    example: { value: '302-555-1234' },
  }),
  E_VAPI_CREDENTIAL: entry<{ value: string }>({
    input: () => flag('vapi-credential'),
    problem: (d) => `"${d.value}" is not a credential id`,
    fix: () => 'give the "id" VAPI returned for the credential, a UUID like a1b2c3d4-5678-90ab-cdef-1234567890ab',
    example: { value: 'my-trunk' },
  }),
  E_ROOM_PREFIX: entry<{ value: string }>({
    input: () => flag('room-prefix'),
    problem: (d) => `"${d.value}" is not a room name prefix`,
    fix: () => 'use letters, digits, _ . - (at most 32), e.g. --room-prefix call-',
    example: { value: 'call me/' },
  }),
  E_INTERFACE: entry<{ value: string }>({
    input: () => flag('interface'),
    problem: (d) => `"${d.value}" is not a pfSense interface name`,
    fix: () => 'use e.g. wan, lan or opt1',
    example: { value: 'WAN 1' },
  }),
} as const;

export type CliCode = keyof typeof CLI_ERRORS;

/** The error of entry `code` with `data`. */
export const cliError = <C extends CliCode>(code: C, data: (typeof CLI_ERRORS)[C]['example']) => raise(CLI_ERRORS, code, data);
