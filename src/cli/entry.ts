/** What bin/sipwall.cjs calls: run the CLI with the process's arguments and streams. */
import { isService, keepYoungGenerationSmall } from './heap.js';
import { nodeIo } from './io.js';
import { main } from './main.js';

export function run(argv: readonly string[]): Promise<void> {
  if (isService(argv)) keepYoungGenerationSmall();
  return main(argv, nodeIo).then((code) => {
    process.exitCode = code;
  });
}
