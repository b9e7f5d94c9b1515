// npm run docs: rewrites the generated parts of docs/targets.md (from each target's meta,
// src/targets/describe.ts), docs/templates.md (scripts/template-docs.ts) and docs/errors.md
// (scripts/errors-docs.ts);
// test/targets/registry.test.ts fails when either is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDocsTables, withGenerated } from '../src/targets/describe.js';
import { TARGETS } from '../src/targets/registry.js';
import { errorsDocs } from './errors-docs.js';
import { templatesDocs } from './template-docs.js';

const docs = join(import.meta.dirname, '..', 'docs');
const targets = join(docs, 'targets.md');
writeFileSync(targets, withDocsTables(readFileSync(targets, 'utf8'), TARGETS.map((t) => t.meta)));
const templates = join(docs, 'templates.md');
writeFileSync(templates, withGenerated(readFileSync(templates, 'utf8'), templatesDocs()));
const errors = join(docs, 'errors.md');
writeFileSync(errors, withGenerated(readFileSync(errors, 'utf8'), errorsDocs()));
