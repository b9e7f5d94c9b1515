/**
 * One check of the parsed arguments against the flags each command declares, before any
 * command runs: yargs gives an array for a repeated flag, NaN for `--priority abc` and '' for an
 * empty value, and every command used to take them as they came (`e.split is not a function`).
 * The declarations are recorded as the command builders make them: one source of truth.
 */
import type { Argv, Options } from 'yargs';
import { cliError } from '../errors/cli.js';

export type FlagTable = Map<string, Options>;

/**
 * Wraps a yargs builder so that every `.option(name, spec)` it makes (and those of the
 * sub-commands it declares, keyed `probe sip`) is recorded in `tables` under `key`.
 */
export function recorded(key: string, builder: (y: Argv) => Argv, tables: Map<string, FlagTable>): (y: Argv) => Argv {
  return (y) => {
    const table: FlagTable = tables.get(key) ?? new Map();
    tables.set(key, table);
    const proxy: Argv = new Proxy(y, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (prop === 'option' && typeof args[0] === 'string') table.set(args[0], (args[1] ?? {}) as Options);
          if (prop === 'command' && typeof args[0] === 'string' && typeof args[2] === 'function') {
            const sub = `${key} ${args[0].split(' ')[0]}`;
            args[2] = recorded(sub, args[2] as (y: Argv) => Argv, tables);
            // The parent's flags apply to the sub-command too.
            tables.set(sub, new Map([...table, ...(tables.get(sub) ?? [])]));
          }
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return builder(proxy);
  };
}

/** The text the user typed for a flag (yargs has turned `abc` into NaN by now). */
function typed(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    if (a === `--${name}`) return argv[i + 1];
  }
  return undefined;
}

/** Throws an InputError for the first flag whose parsed value does not fit its declaration. */
export function checkParsed(table: FlagTable | undefined, args: Record<string, unknown>, argv: readonly string[]): void {
  for (const [name, spec] of table ?? []) {
    const value = args[name];
    if (value === undefined) continue;
    const flag = `--${name}`;
    if (spec.type !== 'boolean' && argv.includes(`${flag}=`)) throw cliError('E_FLAG_EMPTY', { flag, required: false });
    if (spec.array) {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0 || list.some((v) => String(v).trim() === '')) throw cliError('E_FLAG_EMPTY_VALUE', { flag });
      continue;
    }
    if (Array.isArray(value)) {
      throw cliError('E_FLAG_REPEATED', { flag, times: value.length, text: spec.type === 'string' });
    }
    if (spec.type === 'string' && typeof value === 'string' && value.trim() === '' && spec.choices === undefined) {
      throw cliError('E_FLAG_EMPTY', { flag, required: Boolean(spec.demandOption) });
    }
    if (spec.type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw cliError('E_FLAG_NUMBER', { flag, value: typed(argv, name) ?? String(value), example: typeof spec.default === 'number' ? spec.default : 1 });
    }
  }
}
