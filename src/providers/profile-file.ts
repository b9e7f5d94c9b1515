/**
 * Parses the text of a user profile file (YAML or JSON, YAML being a superset). Pure: the CLI
 * reads the file and hands the text here. Imported lazily: js-yaml costs start-up time. zod is
 * loaded only to word a refusal (profile-check.ts accepts a good profile without it).
 */
import { parseDocument } from '../text/document.js';
import { parseAddressList } from './address-list.js';
import { toProvider } from './parse.js';
import { isRawProfile } from './profile-check.js';
import type { Provider } from './types.js';

const DOCS = 'docs/profiles.md';
/** Every field name of a profile, for "did you mean". */
const FIELDS = ['id', 'name', 'source', 'retrieved', 'notes', 'roles', 'sip', 'media', 'addresses', 'gateways', 'transports', 'udp', 'tcp', 'tls', 'providerPorts', 'hostPorts', 'file'];

/**
 * `readFile(name, where)` gives the text of an address list file the profile names (the CLI
 * resolves it against the profile's folder and bounds its size); `where` names the field.
 */
export async function parseProfileText(text: string, fileName: string, readFile?: (name: string, where: string) => string): Promise<Provider> {
  const where = `profile ${fileName}`;
  const data = parseDocument(text, where, DOCS);
  // A profile the check refuses is refused by the schema too, in words (the test holds them to one verdict).
  const raw = isRawProfile(data) ? data : await explained(data, where);
  return toProvider(raw, where, readFile && ((ref, field) => parseAddressList(readFile(ref.file, field), ref.file, `${field}: ${ref.file}`)));
}

/** The schema's verdict on `data`: its refusal, naming the field (or the data, should it accept). */
async function explained(data: unknown, where: string) {
  const [{ checkDocument }, { rawProfileSchema }] = await Promise.all([import('../text/structured.js'), import('./schema.js')]);
  return checkDocument(data, where, rawProfileSchema, DOCS, FIELDS);
}
