#!/usr/bin/env node
import { main } from './cli/main.js';

// Exit explicitly: a finished `serve` must not linger on handles a native addon may still hold.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`maas: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
