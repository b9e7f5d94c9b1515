// npm run schema: writes docs/probe-result.schema.json from src/probe/report-schema.ts and
// docs/watch-config.schema.json from src/watch/config.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeReportJsonSchema } from '../src/probe/report-schema.js';
import { watchConfigJsonSchema } from '../src/watch/config.js';

const docs = join(import.meta.dirname, '..', 'docs');
writeFileSync(join(docs, 'probe-result.schema.json'), probeReportJsonSchema());
writeFileSync(join(docs, 'watch-config.schema.json'), watchConfigJsonSchema());
