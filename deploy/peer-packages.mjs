#!/usr/bin/env node
// Prints the server's optional peer packages as name@version, at the versions package-lock.json pins: what the
// image installs beside `npm ci --omit=dev` (msw is for tests, not the server).
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const specs = Object.keys(pkg.peerDependencies)
  .filter((name) => name !== 'msw')
  .map((name) => {
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (!version) throw new Error(`${name} is not in package-lock.json: run npm install`);
    return `${name}@${version}`;
  });
process.stdout.write(`${specs.join(' ')}\n`);
