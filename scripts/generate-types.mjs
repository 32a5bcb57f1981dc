#!/usr/bin/env node
// Generates src/generated/openapi.ts from openapi.yaml with openapi-typescript.
// `--check` exits 1 when the committed file differs from a fresh generation (run by `npm test`).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const specPath = resolve(root, 'openapi.yaml');
const outPath = resolve(root, 'src/generated/openapi.ts');
const header = `/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: openapi.yaml, by openapi-typescript (npm run generate).
 * npm test fails when this file is stale.
 */
/* eslint-disable */
`;

const ast = await openapiTS(pathToFileURL(specPath), {
  alphabetize: false,
  exportType: false,
  defaultNonNullable: false,
});
const fresh = header + astToString(ast);

if (process.argv.includes('--check')) {
  const current = existsSync(outPath) ? readFileSync(outPath, 'utf8') : '';
  if (current !== fresh) {
    console.error('src/generated/openapi.ts is stale: run `npm run generate` and commit the result.');
    process.exit(1);
  }
  console.log('generated types are fresh');
} else {
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, fresh);
  console.log(`wrote ${outPath}`);
}
