/**
 * The errors of what a user writes: CIDR prefixes and ports (src/net), durations and YAML/JSON
 * documents (src/text), provider profiles and address list files (src/providers). The data names
 * where the value came from (a flag, or a profile's field), so one entry serves every caller.
 * test/errors/catalogue.test.ts renders each; docs/errors.md lists them. Pure.
 */
import { flag, list } from './concepts.js';
import { entry, raise } from './entry.js';

export const INPUT_ERRORS = {
  // src/net.
  E_CIDR: entry<{ input: string; text: string }>({
    input: (d) => d.input,
    problem: (d) => `"${d.text}" is not a CIDR prefix`,
    fix: () => 'write e.g. 203.0.113.0/24 or 2001:db8::/32',
    example: { input: '--ssh-from', text: '203.0.113.0/33x' },
  }),
  E_CIDR_LENGTH: entry<{ input: string; text: string; bits: number }>({
    input: (d) => d.input,
    problem: (d) => `"${d.text}" has a prefix length outside 0..${d.bits}`,
    fix: (d) => `use a length from 0 to ${d.bits}`,
    example: { input: '--ssh-from', text: '203.0.113.0/33', bits: 32 },
  }),
  E_CIDR_HOST_BITS: entry<{ input: string; text: string; network: string }>({
    input: (d) => d.input,
    problem: (d) => `"${d.text}" has host bits set`,
    fix: (d) => `write the network ${d.network} (or the host address alone)`,
    example: { input: 'profile ./acme.yaml: roles.sip.addresses[0]', text: '203.0.113.7/24', network: '203.0.113.0/24' },
  }),
  E_PORT: entry<{ input: string; value: string }>({
    input: (d) => d.input,
    problem: (d) => `"${d.value}" is not a port`,
    fix: () => 'use a whole number from 1 to 65535',
    example: { input: '--rtp-ports', value: '70000' },
  }),
  E_PORT_RANGE_REVERSED: entry<{ input: string; text: string; from: number; to: number }>({
    input: (d) => d.input,
    problem: (d) => `"${d.text}" is reversed`,
    fix: (d) => `write ${d.to}-${d.from}`,
    example: { input: '--rtp-ports', text: '20000-10000', from: 20000, to: 10000 },
  }),
  E_PORT_LIST_EMPTY_ENTRY: entry<{ input: string; value: string }>({
    input: (d) => d.input,
    problem: (d) => `"${d.value}" has an empty entry`,
    fix: () => 'separate ports with single commas, e.g. 5060,5061',
    example: { input: '--rtp-ports', value: '10000-20000,,30000' },
  }),

  // src/text.
  E_DURATION: entry<{ input: string; text: string }>({
    input: (d) => d.input,
    problem: (d) => `"${d.text}" is not a duration`,
    fix: () => 'write e.g. 20ms, 5s, 10m, 24h or 30d',
    example: { input: '--since', text: '3 weeks' },
  }),
  E_DOCUMENT_SYNTAX: entry<{ where: string; detail: string; docs: string }>({
    input: (d) => d.where,
    problem: (d) => `is not valid YAML or JSON (${d.detail})`,
    fix: (d) => `fix the syntax; see ${d.docs}`,
    example: { where: 'profile ./acme.yaml', detail: 'Nested mappings are not allowed in compact mappings at line 3, column 7', docs: 'docs/profiles.md' },
  }),
  E_DOCUMENT_KEY_REPEATED: entry<{ where: string; key: string; line: number; docs: string }>({
    input: (d) => d.where,
    problem: (d) => `is not valid YAML or JSON (the key ${JSON.stringify(d.key)} is repeated at line ${d.line})`,
    fix: (d) => `keep one of them; see ${d.docs}`,
    example: { where: 'profile ./acme.json', key: 'id', line: 4, docs: 'docs/profiles.md' },
  }),
  E_DOCUMENT_UNKNOWN_FIELD: entry<{ where: string; path: string; key: string; near: string | undefined; docs: string }>({
    input: (d) => `${d.where}: ${d.path}`,
    problem: (d) => `unknown field ${d.key}`,
    fix: (d) => (d.near ? `did you mean ${d.near}? (${d.docs} lists the fields)` : `see ${d.docs} for the fields`),
    example: { where: 'profile ./acme.yaml', path: 'roles.sip', key: 'adresses', near: 'addresses', docs: 'docs/profiles.md' },
  }),
  E_DOCUMENT_FIELD: entry<{ where: string; path: string; problem: string; docs: string }>({
    input: (d) => `${d.where}: ${d.path}`,
    problem: (d) => d.problem,
    fix: (d) => `see ${d.docs} for the fields`,
    example: { where: 'profile ./acme.yaml', path: 'id', problem: 'Invalid input: expected string, received number', docs: 'docs/profiles.md' },
  }),

  // src/providers.
  E_UNKNOWN_PROVIDER: entry<{ id: string; known: readonly string[] }>({
    input: () => flag('provider'),
    problem: (d) => `unknown provider "${d.id}"`,
    fix: (d) => `use one of ${list(d.known)}, or ${flag('profile')} FILE`,
    example: { id: 'acme', known: ['flynumber', 'vapi'] },
  }),
  E_PROVIDER_WITHOUT_RANGES: entry<{ name: string; source: string; retrieved: string }>({
    input: () => flag('provider'),
    problem: (d) => `${d.name} publishes no IP ranges for its SIP or media (${d.source}, read ${d.retrieved}), and sipwall does not invent them`,
    fix: (d) => `ask ${d.name} for the addresses it sends from and write them in a profile (${flag('profile')} FILE, docs/profiles.md); sipwall providers shows what is known`,
    example: { name: 'LiveKit', source: 'https://docs.livekit.io/sip/', retrieved: '2026-11-30' },
  }),
  E_UNKNOWN_PBX: entry<{ id: string; known: readonly string[] }>({
    input: () => flag('pbx'),
    problem: (d) => `unknown PBX preset "${d.id}"`,
    fix: (d) => `use one of ${list(d.known)}`,
    example: { id: 'yate', known: ['asterisk', 'freepbx', 'freeswitch', '3cx'] },
  }),
  E_PROFILE_DATE: entry<{ field: string; value: string }>({
    input: (d) => d.field,
    problem: (d) => `"${d.value}" is not a date`,
    fix: () => 'write the date as YYYY-MM-DD',
    example: { field: 'profile ./acme.yaml: retrieved', value: '2026-02-30' },
  }),
  E_PROFILE_FUTURE: entry<{ field: string; value: string; today: string }>({
    input: (d) => d.field,
    problem: (d) => `"${d.value}" is in the future (today is ${d.today})`,
    fix: () => 'write the date the source was read',
    example: { field: 'provider acme: retrieved', value: '2027-01-01', today: '2026-12-03' },
  }),
  E_LIST_FILE_NOT_HERE: entry<{ field: string }>({
    input: (d) => d.field,
    problem: () => 'names a list file, which only a profile file may do',
    fix: () => 'list the addresses',
    example: { field: 'built-in acme: roles.sip.addresses' },
  }),
  E_LIST_FILE_LINE: entry<{ where: string; line: number; length: number }>({
    input: (d) => `${d.where} line ${d.line}`,
    problem: (d) => `holds ${d.length} characters, more than any address or prefix`,
    fix: () => 'write one CIDR or address per line',
    example: { where: 'profile ./acme.yaml: roles.sip.addresses: ./acme.txt', line: 12, length: 4000 },
  }),
  E_LIST_FILE_EMPTY: entry<{ where: string; file: string }>({
    input: (d) => d.where,
    problem: () => 'lists no address or prefix',
    fix: (d) => `write one CIDR or address per line in ${d.file}`,
    example: { where: 'profile ./acme.yaml: roles.sip.addresses', file: './acme.txt' },
  }),
} as const;

export type InputCode = keyof typeof INPUT_ERRORS;

/** The error of entry `code` with `data`. */
export const inputError = <C extends InputCode>(code: C, data: (typeof INPUT_ERRORS)[C]['example']) => raise(INPUT_ERRORS, code, data);
