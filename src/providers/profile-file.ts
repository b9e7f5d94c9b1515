/**
 * Parses the text of a user profile file (YAML or JSON, YAML being a superset). Pure: the CLI
 * reads the file and hands the text here. Imported lazily: yaml and zod cost start-up time.
 */
import { readStructured } from '../text/structured.js';
import { toProvider } from './parse.js';
import { rawProfileSchema } from './schema.js';
import type { Provider } from './types.js';

/** Every field name of a profile, for "did you mean". */
const FIELDS = ['id', 'name', 'source', 'retrieved', 'notes', 'roles', 'sip', 'media', 'addresses', 'gateways', 'transports', 'udp', 'tcp', 'tls', 'providerPorts', 'hostPorts'];

export function parseProfileText(text: string, fileName: string): Provider {
  const where = `profile ${fileName}`;
  const data = readStructured(text, where, rawProfileSchema, 'docs/profiles.md', FIELDS);
  return toProvider(data, where);
}
