import type { ModelStatus } from '../inference/registry.js';

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
  const header = ['MODEL', 'VERSION', 'STATE', 'REASON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const ready = rows.filter((r) => r[2] === 'READY').length;
  return [
    `maas serve: ${repository}: ${ready} of ${rows.length} model versions ready`,
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}
