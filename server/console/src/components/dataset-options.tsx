import type { Dataset } from '../../../../src/index.js';

/** A dataset select's options: name and id, and the row count. */
export function DatasetOptions({ datasets }: { datasets: Dataset[] }) {
  return (
    <>
      {datasets.map((d) => (
        <option key={d.id} value={d.id}>
          {d.name ? `${d.name} (${d.id})` : d.id} · {d.rows} rows
        </option>
      ))}
    </>
  );
}
