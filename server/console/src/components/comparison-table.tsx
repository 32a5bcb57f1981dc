// Two versions' figures side by side (or one version's), one row per figure (lib/comparison.ts). Each value cell carries its raw number
// in data-value, so a test can compare the table with the API's figures exactly.
import type { ComparisonRow } from '../lib/comparison.js';
import { TableHead } from './table-head.js';

export function ComparisonTable({
  rows,
  columns,
  caption,
  testId,
}: {
  rows: ComparisonRow[];
  /** The reference's heading and the other's ("parent v1", "candidate v2"); one heading shows the reference alone. */
  columns: [string, string] | [string];
  caption: string;
  testId: string;
}) {
  return (
    <div class="table-wrap">
      <table class="comparison" data-testid={testId}>
        <caption>{caption}</caption>
        <TableHead columns={columns.length === 2 ? ['Figure', ...columns, 'Change'] : ['Figure', ...columns]} />
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-figure={r.key}>
              <th scope="row">{r.label}</th>
              {r.values.slice(0, columns.length).map((v, i) => (
                <td key={i} class="num" data-value={v === null ? 'null' : String(v)}>
                  {r.text[i]}
                </td>
              ))}
              {columns.length === 2 && <td class="num muted">{r.change}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
