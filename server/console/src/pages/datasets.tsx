// Upload CSV or JSON Lines and read the server's validation report: the columns it found (type, missing values) for an
// accepted file, every bad line (line, column, problem) for a refused one.
import { useState } from 'preact/hooks';
import type { Dataset } from '../../../../src/index.js';
import { listAllDatasets } from '../api/lists.js';
import { session } from '../api/session.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { DropZone } from '../components/drop-zone.js';
import { ErrorView, LoadState } from '../components/error-view.js';
import { TableHead } from '../components/table-head.js';
import { useAction, useAsync } from '../hooks/use-async.js';
import { formatBytes, formatTime } from '../lib/format.js';
import { Link } from '../router.js';

function Columns({ dataset }: { dataset: Dataset }) {
  return (
    <table class="compact" data-testid="dataset-columns">
      <caption>
        {dataset.rows} rows · {dataset.columns.length} columns
      </caption>
      <TableHead columns={['Column', 'Type', 'Missing']} />
      <tbody>
        {dataset.columns.map((c) => (
          <tr key={c.name}>
            <td>
              <code>{c.name}</code>
            </td>
            <td>{c.type}</td>
            <td class="num">{c.missing}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Upload({ onDone }: { onDone(): void }) {
  const upload = useAction();
  const [accepted, setAccepted] = useState<Dataset | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  return (
    <section class="card">
      <h2>Upload a dataset</h2>
      <p class="muted small">
        CSV with a header row, or JSON Lines (one object per line). The server checks every line before it keeps the
        file.
      </p>
      <DropZone
        id="dataset-file"
        what="a .csv or .jsonl file"
        accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
        disabled={upload.busy}
        onFile={async (file) => {
          setAccepted(null);
          setFileName(file.name);
          const dataset = await upload.run(() => session.client.datasets.create(file));
          if (dataset) {
            setAccepted(dataset);
            onDone();
          }
        }}
      />
      {upload.busy && <p aria-live="polite">Uploading and checking {fileName}…</p>}
      <ErrorView error={upload.error} title={`${fileName ?? 'The file'} was refused`} />
      {accepted && (
        <div role="status" data-testid="dataset-accepted">
          <p>
            Accepted <strong>{accepted.name ?? fileName}</strong> as <code>{accepted.id}</code>.{' '}
            <Link to={`/jobs/new?dataset=${encodeURIComponent(accepted.id)}`}>Train on it</Link>
          </p>
          <Columns dataset={accepted} />
        </div>
      )}
    </section>
  );
}

export function DatasetsPage() {
  const datasets = useAsync(listAllDatasets, []);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section>
      <h1>Datasets</h1>
      <Upload onDone={datasets.reload} />
      <LoadState loading={datasets.loading && !datasets.data} error={datasets.error} />
      {datasets.data && datasets.data.length === 0 && <p>No datasets yet.</p>}
      {datasets.data && datasets.data.length > 0 && (
        <div class="table-wrap">
          <table data-testid="datasets-table">
            <TableHead columns={['Dataset', 'Format', 'Rows', 'Columns', 'Size', 'Uploaded', '']} />
            <tbody>
              {datasets.data.map((d) => (
                <tr key={d.id} data-dataset={d.id}>
                  <th scope="row">
                    <code>{d.id}</code>
                    {d.name && <div class="muted small">{d.name}</div>}
                  </th>
                  <td>{d.format}</td>
                  <td class="num">{d.rows}</td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      aria-expanded={open === d.id}
                      onClick={() => setOpen(open === d.id ? null : d.id)}
                    >
                      {d.columns.length} columns
                    </button>
                    {open === d.id && <Columns dataset={d} />}
                  </td>
                  <td class="num">{formatBytes(d.bytes)}</td>
                  <td>{formatTime(d.created_at)}</td>
                  <td>
                    <Link to={`/jobs/new?dataset=${encodeURIComponent(d.id)}`}>Train</Link>{' '}
                    <ConfirmButton
                      label="Delete"
                      confirm={`Yes, delete ${d.id}`}
                      action={() => session.client.datasets.delete(d.id)}
                      onDone={datasets.reload}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
