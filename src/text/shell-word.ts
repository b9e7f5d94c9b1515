/** A POSIX shell word: single-quoted unless it is plainly safe. Used by the targets' scripts and the CLI's echoed commands. Pure. */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}
