/** Waiting for a child process to say something (a listener's "ready", tcpdump's "listening on"). */
import type { ChildProcess } from 'node:child_process';

/**
 * Resolves once the child's piped output (stdout and stderr, whichever are pipes) holds `text`;
 * rejects after `ms` or when the child exits first, with what it said. The promised function
 * gives everything said so far, for children whose later output matters.
 */
export function said(child: ChildProcess, text: string, what: string, ms = 10_000): Promise<() => string> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not say "${text}" in ${ms / 1000} s: ${out}`)), ms);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve(() => out);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${out}`));
    });
  });
}
