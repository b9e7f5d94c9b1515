/** Issue 10.3: windows.ps1 reads the same in Windows PowerShell 5.1's cp1252 as in UTF-8. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { SEMANTICS } from '../targets/semantics.js';

describe('windows.ps1 under cp1252', () => {
  it('is ASCII, so cp1252 reads what UTF-8 reads, and no profile text lands outside a string', async () => {
    const run = await runCli(['render', '--profile', 'windows-cp1252.yaml', '--target', 'windows', '--rtp-ports', '10000-20000']);
    expect(run.code, run.stderr).toBe(0);
    const bytes = Buffer.from(run.stdout, 'utf8');
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    const cp1252 = new TextDecoder('windows-1252').decode(bytes);
    expect(cp1252).toBe(run.stdout);
    expect(await SEMANTICS.windows!({ name: 'windows.ps1', content: cp1252, mode: 0o644 })).toEqual([]);
    // The name is still there, written with [char] for what is not ASCII.
    expect(cp1252).toContain("-DisplayName ('sipwall ' + [char]0x00D2 + ' (& net user eve Passw0rd1 /add) ' + [char]0x00D2 + ' SIP udp in')");
  });
});
