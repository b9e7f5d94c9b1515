/**
 * Parses the text of a user profile file (YAML or JSON, YAML being a superset). Pure: the CLI
 * reads the file and hands the text here. Imported lazily: yaml and zod cost start-up time.
 */
import { readStructured } from '../text/structured.js';
import { parseAddressList } from './address-list.js';
import { toProvider } from './parse.js';
import { rawProfileSchema } from './schema.js';
import type { Provider } from './types.js';

/** Every field name of a profile, for "did you mean". */
const FIELDS = ['id', 'name', 'source', 'retrieved', 'notes', 'roles', 'sip', 'media', 'addresses', 'gateways', 'transports', 'udp', 'tcp', 'tls', 'providerPorts', 'hostPorts', 'file'];

/**
 * `readFile(name, where)` gives the text of an address list file the profile names (the CLI
 * resolves it against the profile's folder and bounds its size); `where` names the field.
 */
export function parseProfileText(text: string, fileName: string, readFile?: (name: string, where: string) => string): Provider {
  const where = `profile ${fileName}`;
  const data = readStructured(text, where, rawProfileSchema, 'docs/profiles.md', FIELDS);
  return toProvider(data, where, readFile && ((ref, field) => parseAddressList(readFile(ref.file, field), ref.file, `${field}: ${ref.file}`)));
}
