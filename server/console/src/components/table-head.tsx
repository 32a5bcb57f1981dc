/** A table's header row: one column heading per name; an empty name is an actions column (named for screen readers). */
export function TableHead({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => (
          <th key={i} scope="col">
            {c || <span class="visually-hidden">Actions</span>}
          </th>
        ))}
      </tr>
    </thead>
  );
}
