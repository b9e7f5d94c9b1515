// npm run schema: writes docs/probe-result.schema.json from src/probe/report-schema.ts and
// docs/watch-config.schema.json from src/watch/config.ts, docs/diagnose-result.schema.json from
// src/diagnose/report-schema.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeReportJsonSchema } from '../src/probe/report-schema.js';
import { watchConfigJsonSchema } from '../src/watch/config.js';
import { diagnoseReportJsonSchema } from '../src/diagnose/report-schema.js';

const docs = join(import.meta.dirname, '..', 'docs');
writeFileSync(join(docs, 'probe-result.schema.json'), probeReportJsonSchema());
writeFileSync(join(docs, 'watch-config.schema.json'), watchConfigJsonSchema());
writeFileSync(join(docs, 'diagnose-result.schema.json'), diagnoseReportJsonSchema());
