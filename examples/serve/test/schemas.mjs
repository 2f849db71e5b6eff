// The JSON Schemas of examples/serve/api, compiled once with ajv.
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { apiDir } from './lib.mjs';

export const files = ['terms', 'contract', 'scenario', 'request', 'response'].map((n) => `${n}.schema.json`);
export const schemas = Object.fromEntries(files.map((f) => [f, JSON.parse(fs.readFileSync(path.join(apiDir, f), 'utf8'))]));

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false });
addFormats(ajv);
for (const s of Object.values(schemas)) ajv.addSchema(s);

const byId = (f) => schemas[f].$id;

// validator returns a function checking a value against the schema at
// file (and fragment), and answering its errors, or null when it is valid.
export function validator(file, fragment = '') {
  const v = ajv.getSchema(byId(file) + fragment);
  if (!v) throw new Error(`no schema ${file}${fragment}`);
  return (value) => (v(value) ? null : ajv.errorsText(v.errors, { separator: '\n' }));
}
