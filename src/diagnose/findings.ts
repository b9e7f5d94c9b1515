/** What `diagnose` reports: findings with their evidence and fix, ranked. Pure. */

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  readonly severity: Severity;
  /** Which part found it: firewall, config (or a part that could not run). */
  readonly part: 'firewall' | 'config' | 'call' | 'nat';
  /** One line: what is wrong. */
  readonly title: string;
  /** What was seen, one fact a line. */
  readonly evidence: readonly string[];
  /** The command or config line that fixes it. */
  readonly fix: string;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then notes; the order each part gave is kept within a severity. */
export function ranked(findings: readonly Finding[]): Finding[] {
  return findings.map((f, i) => ({ f, i })).sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i).map(({ f }) => f);
}

/** Something wrong: an error or a warning (exit code 1). */
export function anyWrong(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity !== 'info');
}
