// `npm test` opens no connection off the machine (docs/testing.md says how to check the whole run with the network
// cut or under strace). These are the switches that make it so; each test names the call home it prevents.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('the tools npm test runs stay on the machine', () => {
  it('ONNX Runtime: telemetry is off in every test process (it would reach mobile.events.data.microsoft.com)', () => {
    expect(process.env.ORT_DISABLE_TELEMETRY).toBe('1');
  });

  it('Redocly CLI: no usage data (redocly.yaml) and no update check (lint:spec runs it through a wrapper)', () => {
    expect(parse(read('redocly.yaml')).telemetry).toBe('off');
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    expect(scripts['lint:spec']).toBe('node scripts/lint-spec.mjs');
    expect(read('scripts/lint-spec.mjs')).toMatch(/REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true'/);
  });

  it('npm: no weekly check for a newer npm in the npm runs of npm test', () => {
    expect(read('.npmrc')).toMatch(/^update-notifier=false$/m);
  });
});
