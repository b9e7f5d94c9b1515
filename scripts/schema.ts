// npm run schema: writes docs/probe-result.schema.json from src/probe/report-schema.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeReportJsonSchema } from '../src/probe/report-schema.js';

writeFileSync(join(import.meta.dirname, '..', 'docs', 'probe-result.schema.json'), probeReportJsonSchema());
