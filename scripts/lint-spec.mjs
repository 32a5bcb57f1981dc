// `redocly lint openapi.yaml` without a connection off the machine. Telemetry is off in redocly.yaml; the update
// check has no config key, and in a terminal it asks registry.npmjs.org for Redocly's latest version, so the
// environment switches it off here (an npm script cannot set a variable on every shell npm uses).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const { status, error } = spawnSync(process.execPath, [cli, 'lint', 'openapi.yaml', '--format=stylish'], {
  stdio: 'inherit',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
});
if (error) throw error;
process.exit(status ?? 1);
