import type { ModelStatus } from '../inference/registry.js';
import { textTable } from './text-table.js';

/**
 * What `maas serve` found at startup, as Triton prints it: one row per model version with its state, and the reason
 * for every version that is not READY (a load failure, the version policy, …).
 */
export function modelTable(repository: string, models: readonly ModelStatus[]): string {
  const rows = models.flatMap((m) =>
    m.versions.map((v) => [m.name, String(v.version), v.state, v.state === 'READY' ? '' : v.reason]),
  );
  if (rows.length === 0) {
    return `maas serve: no models in ${repository} yet: upload one (POST /v1/models/{model}/versions) or train one\n`;
  }
  const ready = rows.filter((r) => r[2] === 'READY').length;
  return `maas serve: ${repository}: ${ready} of ${rows.length} model versions ready\n${textTable([
    ['MODEL', 'VERSION', 'STATE', 'REASON'],
    ...rows,
  ])}`;
}
