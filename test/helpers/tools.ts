/**
 * Tests that need a real tool or root: in CI (CI=true) a missing tool is a failure; on a
 * developer's machine the test is skipped with a message that says how to install it.
 */
import { hasTool } from '../../src/validate/run.js';

const INSTALL = 'apt-get install -y nftables iptables ipset iproute2 ufw firewalld libxml2-utils python3-botocore sip-tester tcpdump zsh (or run .ci/run)';

export function toolsMissing(...tools: string[]): boolean {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) return false;
  const message = `missing ${missing.join(', ')}: ${INSTALL}`;
  if (process.env.CI) throw new Error(`CI needs ${message}`);
  console.warn(`skipping: ${message}`);
  return true;
}

export function rootMissing(): boolean {
  if (process.getuid?.() === 0) return false;
  if (process.env.CI) throw new Error('CI runs the network-namespace tests as root');
  console.warn('skipping: network-namespace tests need root (sudo npm test)');
  return true;
}
