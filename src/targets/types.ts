/** What a target is, what it can express, and what rendering returns. */
import { InputError } from '../net/errors.js';
import type { Policy } from '../policy/types.js';

export type Mode = 'standalone' | 'into';
/** restore/shell for netfilter; xml, api, cloudformation, terraform, ps1, rsc for the others. */
export type Form = string;

export interface RenderOptions {
  /** standalone: a complete host firewall; into: one chain inside the user's own ruleset. */
  readonly mode: Mode;
  /** With mode `into`: where inbound rules hook in (nftables FAMILY/TABLE/CHAIN, iptables CHAIN). */
  readonly into?: string;
  /** With mode `into` and direction out: where outbound rules hook in. */
  readonly intoOutput?: string;
  /** restore: the file for the native loader (nft -f, iptables-restore); shell: one re-runnable script. */
  readonly form: Form;
  /** iptables only: match address lists through ipset sets. */
  readonly ipset: boolean;
  readonly header: HeaderInfo;
  /** Fail instead of widening a term the target cannot narrow (e.g. source ports on AWS). */
  readonly strict?: boolean;
  /** Azure/GCP: the first (highest-precedence) priority sipwall's rules use. */
  readonly priority?: number;
  /** pfSense/OPNsense: the interface the rules sit on (wan, lan, optN). */
  readonly interface?: string;
  /** pfSense: the text of an exported config.xml to merge the aliases and rules into. */
  readonly baseConfig?: string;
}

export interface HeaderInfo {
  readonly version: string;
  /** The exact command line that made the output (already shell-quoted). */
  readonly command: string;
}

export interface OutputFile {
  /** File name, relative to --out. */
  readonly name: string;
  readonly content: string;
  /** 0o755 for scripts. */
  readonly mode: number;
}

export interface RenderResult {
  readonly files: OutputFile[];
  readonly warnings: string[];
  /** Platform limits used by this output: printed after every render, returned in --json. */
  readonly budget?: BudgetLine[];
}

/** One platform limit and how much of it the output uses. */
export interface BudgetLine {
  /** What is counted, e.g. `inbound IPv4 rules in security group 1`. */
  readonly what: string;
  readonly used: number;
  readonly limit: number;
}

/** Declared capabilities, checked before rendering (ESLint-style `meta`). */
export interface TargetMeta {
  /** kebab-case id, shared by the module file, templates and golden folder. */
  readonly id: string;
  readonly title: string;
  /** Separator between the two ends of a port range in this language. */
  readonly rangeSeparator: '-' | ':';
  readonly forms: readonly Form[];
  readonly modes: readonly Mode[];
  readonly capabilities: {
    /** One rule can carry both IPv4 and IPv6 addresses. */
    readonly mixedFamilyPerRule: boolean;
    readonly sourcePorts: boolean;
    readonly namedSets: boolean;
    readonly statefulReturn: boolean;
    readonly deny: boolean;
    /** Can filter outbound traffic (--direction out|both). */
    readonly outbound: boolean;
  };
  readonly limits: {
    /** Ports in one rule (a range counting 2 for iptables multiport); undefined = none. */
    readonly portsPerRule?: number;
    readonly commentBytes: number;
    /**
     * The longest line (bytes, without the newline) the tool that reads the output takes as one
     * line; undefined where it has none. Checked on every rendered file before anything is written.
     */
    readonly lineBytes?: number;
    /** Where `lineBytes` comes from (source file or documentation), or why there is none. */
    readonly lineSource: string;
    /** Other platform limits, as text for `--target list` (the numbers live in the module). */
    readonly other?: readonly string[];
  };
  /** Render flags only this target reads; given to another target they are refused, never ignored. */
  readonly flags?: readonly TargetFlag[];
  /** The real parsers that check this target's output. */
  readonly validators: readonly string[];
}

/** Render flags that belong to some targets only (named as in RenderArgs). */
export type TargetFlag = 'priority' | 'interface' | 'pfsenseConfig' | 'ipset';

export interface Target {
  readonly meta: TargetMeta;
  render(policy: Policy, options: RenderOptions): RenderResult;
}

/** A policy or option the target cannot express: rendering stops, nothing is written. */
export class TargetError extends InputError {
  readonly code: string;
  constructor(code: string, input: string, problem: string, fix: string) {
    super(input, problem, fix);
    this.name = 'TargetError';
    this.code = code;
  }
}
