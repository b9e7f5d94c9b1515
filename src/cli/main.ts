/**
 * The command line: parses arguments, runs one command, returns the exit code
 * (0 ok, 1 unexpected failure, 2 bad input). Only bin/sipwall.js sets process.exitCode.
 */
import yargs from 'yargs';
import { InputError } from '../net/errors.js';
import type { Provider } from '../providers/types.js';
import { terminalLines, terminalText } from '../text/escape.js';
import { VERSION } from '../version.js';
import { quoteCommand, type Context } from './context.js';
import type { Io } from './io.js';
import { runProviders } from './providers.js';
import { probeOptions, type ProbeRtpArgs, type ProbeSipArgs } from './probe.js';
import { TARGETS } from '../targets/registry.js';
import type { Target } from '../targets/types.js';
import { renderOptions, runRender, type RenderArgs } from './render.js';
import { checkParsed, recorded, type FlagTable } from './flags.js';
import { completer } from './completion.js';
import { diagnoseOptions, type DiagnoseArgs } from './diagnose.js';
import { lintOptions, type LintArgs } from './lint.js';
import { applyOptions, removeOptions, type ApplyArgs, type RemoveArgs } from './apply.js';
import { responderOptions, type ResponderArgs } from './responder.js';
import { exporterOptions, historyOptions, watchOptions, type ExporterArgs, type HistoryArgs, type WatchArgs } from './watch.js';

const COMMANDS = ['render', 'providers', 'probe', 'responder', 'watch', 'history', 'exporter', 'diagnose', 'apply', 'remove', 'completion'];

/**
 * yargs renders and caches a command's help after running it, to show on a later failure;
 * sipwall's .fail() never shows it, and the rendering cost ~6 ms of a render's start-up
 * (BENCHMARKS.md). This reaches into yargs' internals (yargs 18): test/cli/yargs-patch.test.ts
 * fails when yargs stops calling cacheHelpMessage or the method moves.
 */
export function skipHelpCache(cli: object): void {
  const usage = (cli as { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } }).getInternalMethods().getUsageInstance();
  if (typeof usage.cacheHelpMessage !== 'function') throw new Error('yargs has no usage.cacheHelpMessage any more: drop skipHelpCache');
  usage.cacheHelpMessage = () => undefined;
}

export async function main(argv: readonly string[], rawIo: Io, targets: readonly Target[] = TARGETS): Promise<number> {
  // Everything on stderr is a message of ours around echoed values: none reaches the terminal raw.
  // (rawIo's other fields through the prototype: a spread would read them all, and reading
  // stderrIsTTY makes process.stderr, 3-4 ms of a run that writes nothing to it.)
  const io: Io = Object.create(rawIo, { stderr: { value: (text: string) => rawIo.stderr(terminalLines(text)) } }) as Io;
  // js-yaml is loaded only when a profile file is given: it costs start-up time.
  const profiles = argv.some((a) => a === '--profile' || a.startsWith('--profile='))
    ? await import('../providers/profile-file.js')
    : undefined;
  // --quiet, known once yargs has parsed: warnings and notes are left out, errors never.
  let quiet = false;
  const ctx: Context = {
    io,
    targets,
    command: quoteCommand(argv),
    note: (line) => {
      if (!quiet) io.stderr(`sipwall: ${line}\n`);
    },
    get quiet() {
      return quiet;
    },
    parseProfile: (text, file, readFile): Promise<Provider> => {
      if (!profiles) throw new Error('profile parser not loaded');
      return profiles.parseProfileText(text, file, readFile);
    },
  };
  // Commands have no yargs handler: the job runs after yargs has checked every argument, so a
  // bad argument stops everything before anything is written. (A yargs handler would also make
  // yargs render and cache the command's help text on every run: a third of start-up.)
  let parsed: { _: Array<string | number> } | undefined;
  const flags = new Map<string, FlagTable>();
  let failure: string | undefined;
  let printed = '';
  try {
    // The arguments are given here too: yargs' completion of a command's flags parses them again.
    const cli = yargs([...argv]);
    skipHelpCache(cli);
    cli
      .scriptName('sipwall')
      .usage('$0 <command> [options]\n\nFirewall rules for SIP trunks and AI voice platforms, checked by the real parsers, and probes that prove them open.')
      .command('render', 'Write firewall rules for one or more providers', recorded('render', renderOptions, flags))
      .command(
        'providers',
        'List built-in provider profiles (source URL, retrieval date) and PBX presets',
        recorded('providers', (y) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON' }).example('$0 providers', 'what sipwall knows and when it was read'), flags),
      )
      .command('probe', 'Prove the firewall is open: SIP OPTIONS (probe sip) and RTP echo (probe rtp)', recorded('probe', probeOptions, flags))
      .command('responder', 'Answer SIP OPTIONS and echo RTP, for probe sip and probe rtp to talk to', recorded('responder', responderOptions, flags))
      .command('watch', 'Run SIP checks on a schedule: history, alerts on state changes', recorded('watch', watchOptions, flags))
      .command('history', 'Uptime, RTT percentiles and state changes from the watch history', recorded('history', historyOptions, flags))
      .command('exporter', 'Prometheus metrics: /metrics for a watch, /probe for Prometheus to schedule', recorded('exporter', exporterOptions, flags))
      .command('lint', 'Check the settings of a SIP forwarding before a call fails (username, domain, port, transport)', recorded('lint', lintOptions, flags))
      .command('diagnose [part] [capture..]', 'Say why calls never arrive or have one-way audio: the firewall replayed, the PBX config and a captured call read, the NAT measured', recorded('diagnose', diagnoseOptions, flags))
      .command('apply', 'Put the rules on this host: checked, rehearsed on a copy, checked again live, restored unless you confirm', recorded('apply', applyOptions, flags))
      .command('remove', 'Take out everything the last apply added, and nothing else', recorded('remove', removeOptions, flags))
      .completion('completion', 'Print a completion script for bash, or zsh when $SHELL is zsh: sipwall completion >> ~/.bashrc', completer(argv.slice(2)))
      .option('quiet', { alias: 'q', type: 'boolean', global: true, describe: 'No warnings or notes on stderr: only results and errors' })
      .demandCommand(1, 'name a command: render, providers, probe, responder, watch, history, exporter, lint, diagnose, apply, remove or completion')
      .strict()
      .version(VERSION)
      .help()
      // No wrapping: examples stay whole lines that can be copied.
      .wrap(null)
      .fail((message, error) => {
        if (error && !(error instanceof InputError)) throw error;
        // yargs' own messages name the input; add where the fix is described.
        const command = argv.find((a) => COMMANDS.includes(a));
        // yargs says "Invalid values: Argument: transport, Given: "x", Choices: …": say it as sipwall does.
        const choice = /Argument: ([\w-]+), Given: (".*"), Choices: (.*)$/s.exec(message ?? '');
        const text = choice ? `--${choice[1]}: ${choice[2]} is not one of ${choice[3]!.replace(/\s+/g, ' ')}` : message;
        failure = error ? error.message : `${text}; see sipwall ${command ? `${command} ` : ''}--help`;
      })
      .exitProcess(false);
    // What the completion script asks for: the words typed so far, the last under the cursor.
    // yargs completes a command's flags by parsing the process arguments again (hence yargs(argv)
    // above) and prints with console.log (its parse callback is never called on that road), so
    // the lines are collected from console.log for the length of the parse.
    if (argv[0] === '--get-yargs-completions') {
      const lines: string[] = [];
      const log = console.log;
      console.log = (...a: unknown[]) => void lines.push(a.join(' '));
      try {
        cli.parse();
      } finally {
        console.log = log;
      }
      io.stdout(lines.map((w) => `${terminalText(w)}\n`).join(''));
      return 0;
    }
    cli.parse([...argv], {}, (_error, args, output) => {
      parsed = args;
      printed = output;
    });
    if (failure === undefined && printed === '' && parsed) {
      quiet = (parsed as { quiet?: unknown }).quiet === true;
      // Every flag of the command that runs, checked against its declaration before it runs.
      checkParsed(flags.get(parsed._.slice(0, parsed._[0] === 'probe' ? 2 : 1).join(' ')), parsed as unknown as Record<string, unknown>, argv);
      if (parsed._[0] === 'render') return await runRender(parsed as unknown as RenderArgs, ctx);
      if (parsed._[0] === 'providers') return runProviders(parsed as unknown as { json: boolean }, ctx);
      // Sockets, TLS and crypto load only for the commands that use them (start-up time).
      if (parsed._[0] === 'probe' && parsed._[1] === 'sip') return await (await import('./probe-run.js')).runProbeSip(parsed as unknown as ProbeSipArgs, ctx);
      if (parsed._[0] === 'probe' && parsed._[1] === 'rtp') return await (await import('./probe-run.js')).runProbeRtp(parsed as unknown as ProbeRtpArgs, ctx);
      if (parsed._[0] === 'responder') return await (await import('./responder-run.js')).runResponder(parsed as unknown as ResponderArgs, ctx);
      if (parsed._[0] === 'watch') return await (await import('./watch-run.js')).runWatch(parsed as unknown as WatchArgs, ctx);
      if (parsed._[0] === 'history') return await (await import('./history-run.js')).runHistory(parsed as unknown as HistoryArgs, ctx);
      if (parsed._[0] === 'lint') return await (await import('./lint-run.js')).runLint(parsed as unknown as LintArgs, ctx);
      if (parsed._[0] === 'diagnose') return await (await import('./diagnose-run.js')).runDiagnose(parsed as unknown as DiagnoseArgs, ctx);
      if (parsed._[0] === 'apply') return await (await import('./apply-run.js')).runApply(parsed as unknown as ApplyArgs, ctx);
      if (parsed._[0] === 'remove') return await (await import('./apply-run.js')).runRemove(parsed as unknown as RemoveArgs, ctx);
      if (parsed._[0] === 'exporter') return await (await import('./watch-run.js')).runExporter(parsed as unknown as ExporterArgs, ctx);
    }
  } catch (error) {
    if (!(error instanceof InputError)) {
      io.stderr(`sipwall: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return 1;
    }
    failure = error.message;
  }
  if (failure !== undefined) {
    // One line: yargs writes some messages over several ("Invalid values:\n  Argument: …").
    io.stderr(`sipwall: ${terminalText(failure.replace(/\s*\n\s*/g, ' '))}\n`);
    return 2;
  }
  if (printed !== '') io.stdout(`${printed}\n`);
  return 0;
}
