/** What a target is, what it can express, and what rendering returns. */
import { InputError } from '../net/errors.js';
import type { Policy } from '../policy/types.js';
import type { TemplateSet } from './templates.js';

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
  /** pfSense with baseConfig: the tracker of the user's rule that sipwall's rules follow. */
  readonly pfsenseAfter?: string;
  /** RouterOS: the router itself (input, the default) or a PBX behind it (forward). */
  readonly routerosChain?: 'input' | 'forward';
  /** RouterOS forward: the PBX's address behind the router, per family. */
  readonly pbxAddresses?: Partial<Record<4 | 6, string>>;
  /** The user's templates in place of built-in ones (`--templates DIR`); the built-in ones otherwise. */
  readonly templates?: TemplateSet;
  /**
   * Asterisk: the pjsip endpoint each provider's calls belong to, by provider id; `*` for every
   * provider not named (`--endpoint NAME` or `--endpoint flynumber=trunk1,vapi=trunk2`).
   */
  readonly endpoints?: ReadonlyMap<string, string>;
  /** AI platforms: the numbers (DIDs, E.164) the provider forwards (`--number`). */
  readonly numbers?: readonly string[];
  /** VAPI: the id of the BYO SIP trunk credential, once created (`--vapi-credential`). */
  readonly vapiCredential?: string;
  /** LiveKit: restrict the inbound trunk to the providers' SIP addresses (`--lock-addresses`). */
  readonly lockAddresses?: boolean;
  /** LiveKit: the prefix of the rooms the dispatch rule creates (`--room-prefix`). */
  readonly roomPrefix?: string;
}

export interface HeaderInfo {
  readonly version: string;
  /** The exact command line that made the output (already shell-quoted). */
  readonly command: string;
}

export interface OutputFile {
  /** File name, relative to --out. */
  readonly name: string;
  /** The whole text. A file made in pieces joins them the first time this is read. */
  readonly content: string;
  /**
   * For a long text (iptables rules of a long list), the same text in pieces, each made when it is
   * asked for: a writer that takes them never holds the whole text (src/targets/pieces.ts).
   */
  readonly pieces?: () => Iterable<string>;
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

/**
 * What a target can express. Each one is read before rendering (src/targets/contract.ts) or by the
 * lowering (src/targets/lower.ts); none is decoration.
 */
export interface Capabilities {
  /** Filters outbound traffic (--direction out|both). Without it an outbound term is an error. */
  readonly outbound: boolean;
  /**
   * Matches source ports. Without it a term with source ports is rendered without them (a header
   * note and a warning say so), or is an error under --strict.
   */
  readonly sourcePorts: boolean;
  /** One rule with no address match covers IPv4 and IPv6; without it, one rule per family. */
  readonly dualFamilyRule: boolean;
  /** Accepts the return traffic of the flows it allows (the policy always needs it). */
  readonly statefulReturn: boolean;
}

/** A target's declaration (ESLint-style `meta`): the contract check, --target list and docs read it. */
export interface TargetMeta {
  /** kebab-case id, shared by the module file, templates and golden folder. */
  readonly id: string;
  readonly title: string;
  /**
   * firewall: rules that accept packets, one per term. receiver: the receiving side's own
   * configuration (a PBX, an AI platform), which says whose SIP it takes as a trunk (the sources
   * of the inbound SIP terms, per provider; trunks.ts) and, for a PBX, where RTP arrives; whom
   * RTP may come from is the firewall's to say.
   */
  readonly kind: 'firewall' | 'receiver';
  /** false: the output says nothing of RTP (an AI platform's own media): a run of such targets only resolves no RTP range. */
  readonly media?: false;
  /** Separator between the two ends of a port range in this language. */
  readonly rangeSeparator: '-' | ':';
  readonly forms: readonly Form[];
  readonly modes: readonly Mode[];
  readonly capabilities: Capabilities;
  /** Forms that can express less than the target's other forms (ufw's application profile). */
  readonly formCapabilities?: Readonly<Record<Form, Partial<Capabilities>>>;
  /** Facts for --target list and docs/targets.md that no term needs, so nothing checks them. */
  readonly traits: {
    /** Keeps an address list as one named object (set, ipset, alias, address list). */
    readonly namedSets: boolean;
    /** Has deny rules or a drop policy (a cloud security group only allows). */
    readonly deny: boolean;
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
  /**
   * Render flags only this target reads, each with what it means here (the flag's help is made
   * from these); given to another target they are refused, never ignored.
   */
  readonly flags?: Readonly<Partial<Record<TargetFlag, string>>>;
  /**
   * With mode `into`: how `--into` and `--into-output` name the user's chains in this target
   * (their help is made from these); a target has it exactly when its modes include `into`.
   */
  readonly into?: { readonly input: string; readonly output: string };
  /** How a user applies the default form (docs/targets.md). */
  readonly apply: string;
  /** What applying the output again does (docs/targets.md). */
  readonly rerun: string;
  /** The real parsers that check this target's output. */
  readonly validators: readonly string[];
  /**
   * Which of src/validate/checks.ts's planners runs them (render --check, the tests); undefined
   * where no offline parser exists. `sh -n` on every shell script and a JSON parse run always.
   */
  readonly check?: CheckKind;
}

/** The real-parser checks src/validate/checks.ts can plan, and the tools each needs. */
export const CHECK_TOOLS = {
  nft: ['unshare', 'nft'],
  iptables: ['unshare', 'iptables-restore', 'ipset'],
  ufw: ['unshare', 'ufw'],
  firewalld: ['unshare', 'firewall-offline-cmd'],
  xml: ['xmllint'],
  botocore: ['unshare', 'python3'],
} as const;
export type CheckKind = keyof typeof CHECK_TOOLS;

/** Render flags that belong to some targets only (named as in RenderArgs). */
export type TargetFlag = 'priority' | 'interface' | 'pfsenseConfig' | 'pfsenseAfter' | 'ipset' | 'routerosChain' | 'pbxAddress' | 'endpoint' | 'number' | 'vapiCredential' | 'lockAddresses' | 'roomPrefix';

export interface Target {
  readonly meta: TargetMeta;
  render(policy: Policy, options: RenderOptions): RenderResult;
}

/** A policy or option the target cannot express: rendering stops, nothing is written. */
export class TargetError extends InputError {
  constructor(code: string, input: string, problem: string, fix: string) {
    super(input, problem, fix, code);
    this.name = 'TargetError';
  }
}
