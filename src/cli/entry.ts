/** What bin/sipwall.cjs calls: run the CLI with the process's arguments and streams. */
import { isService, keepYoungGenerationSmall } from './heap.js';
import { nodeIo, serviceIo, type Io } from './io.js';
import { main } from './main.js';

export function run(argv: readonly string[]): Promise<void> {
  const service = isService(argv);
  if (service) keepYoungGenerationSmall();
  return main(argv, service ? serviceIo : nodeIo).then((code) => {
    process.exitCode = code;
  });
}

/** The files of the warm-up run: a profile (YAML) with an address list file, documentation addresses. */
const WARM_FILES = new Map([
  ['/sipwall-warm/trunk.yaml', 'id: trunk\nname: Trunk\nsource: https://example.com/\nretrieved: 2026-11-01\nroles:\n  sip:\n    addresses: { file: sip.txt }\n    transports: { udp: 5060, tcp: 5060, tls: 5061 }\n  media:\n    addresses: [203.0.113.0/24, 2001:db8:1::/48]\n    providerPorts: 10000-60000\n'],
  ['/sipwall-warm/sip.txt', '# a list file\n203.0.113.0/24\n198.51.100.16/28    # a comment\n2001:db8:1::/48\n'],
]);

/**
 * One render of the most common kind (two built-in providers, a YAML profile with a list file,
 * nftables), in this process, with nothing read from or written to the outside: bin/sipwall.cjs
 * runs it before it writes V8's code cache, so that the cache holds what a render compiles
 * whatever command wrote it. (A cache written by `--version` alone made every later
 * `render --profile` 40 ms slower: 218 against 176 ms, BENCHMARKS.md.) The build writes the
 * first cache so; a user's first run after a Node upgrade, which finds the cache rejected, again.
 */
export async function warm(): Promise<number> {
  const io: Io = {
    stdout: () => undefined,
    stderr: () => undefined,
    readFile: (path) => {
      const text = WARM_FILES.get(path);
      if (text === undefined) throw Object.assign(new Error(`no ${path} in the warm-up`), { code: 'ENOENT' });
      return text;
    },
    listFolder: () => [],
    writeFiles: () => [],
    now: () => new Date('2026-12-01T00:00:00Z'),
    stderrIsTTY: false,
    env: {},
    onStop: () => undefined,
    onReload: () => undefined,
  };
  return main(['render', '-p', 'flynumber', '-p', 'vapi', '--profile', '/sipwall-warm/trunk.yaml', '--target', 'nftables', '--pbx', 'asterisk'], io);
}
