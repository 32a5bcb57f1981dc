import { useState } from 'preact/hooks';
import type { ModelVersion } from '../../../../src/index.js';
import { listAllModels } from '../api/lists.js';
import { session } from '../api/session.js';
import { DropZone } from '../components/drop-zone.js';
import { ErrorView, LoadState } from '../components/error-view.js';
import { TableHead } from '../components/table-head.js';
import { useAction, useAsync, useInterval } from '../hooks/use-async.js';
import { formatBytes, formatNumber } from '../lib/format.js';
import { splitPercentages } from '../lib/routing.js';
import { href, Link } from '../router.js';

export function StateBadge({ version }: { version: ModelVersion }) {
  return (
    <span class={`badge state-${version.state.toLowerCase()}`} title={version.reason || undefined}>
      v{version.version} {version.state}
    </span>
  );
}

function UploadModel({ onDone }: { onDone(): void }) {
  const [name, setName] = useState('');
  const upload = useAction();
  const [done, setDone] = useState<ModelVersion | null>(null);
  return (
    <section class="card">
      <h2>Upload a model</h2>
      <p class="muted small">
        An ONNX file becomes the next version of the model with this name (version 1 of a new model). The server loads
        it before answering, so a file it cannot open is refused here.
      </p>
      <div class="row">
        <label for="upload-name">Model name</label>
        <input
          id="upload-name"
          value={name}
          pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}"
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </div>
      <DropZone
        id="upload-model-file"
        what="an .onnx file"
        accept=".onnx,application/octet-stream"
        disabled={upload.busy || !name.trim()}
        onFile={async (file) => {
          setDone(null);
          const version = await upload.run(() => session.client.models.upload(name.trim(), file));
          if (version) {
            setDone(version);
            onDone();
          }
        }}
      />
      {!name.trim() && <p class="muted small">Name the model first.</p>}
      {upload.busy && <p aria-live="polite">Uploading and loading…</p>}
      <ErrorView error={upload.error} title="Upload refused" />
      {done && (
        <p role="status">
          Uploaded <Link to={href('models', done.model)}>{done.model}</Link> version {done.version} ({done.state}).
        </p>
      )}
    </section>
  );
}

export function ModelsPage() {
  const models = useAsync(listAllModels, []);
  useInterval(models.refresh, 5000);
  return (
    <section>
      <h1>Models</h1>
      <LoadState loading={models.loading && !models.data} error={models.error} />
      {models.data && models.data.length === 0 && <p>No models yet: upload one below, or train one.</p>}
      {models.data && models.data.length > 0 && (
        <div class="table-wrap">
          <table data-testid="models-table">
            <TableHead columns={['Model', 'Default', 'Versions', 'Labels', 'Traffic', 'Size', 'Platform', '']} />
            <tbody>
              {models.data.map((m) => {
                const def = m.versions.find((v) => v.version === m.default_version);
                return (
                  <tr key={m.name} data-model={m.name}>
                    <th scope="row">
                      <Link to={href('models', m.name)}>{m.name}</Link>
                      {m.description && <div class="muted small clamp">{m.description}</div>}
                    </th>
                    <td data-col="default">{m.default_version ?? '–'}</td>
                    <td data-col="versions">
                      {m.versions.map((v) => (
                        <StateBadge key={v.version} version={v} />
                      ))}
                    </td>
                    <td data-col="labels">
                      {Object.entries(m.labels).map(([label, v]) => (
                        <span key={label} class="badge">
                          {label} → v{v}
                        </span>
                      ))}
                    </td>
                    <td data-col="traffic">
                      {m.traffic
                        ? splitPercentages(m.traffic)
                            .map((t) => `v${t.version} ${formatNumber(Number(t.percent.toFixed(1)))}%`)
                            .join(' · ')
                        : ''}
                      {m.shadow && <div class="muted small">shadow v{m.shadow.version}</div>}
                    </td>
                    <td data-col="size" class="num">
                      {def ? formatBytes(def.size_bytes) : '–'}
                    </td>
                    <td>{m.platform}</td>
                    <td>{m.default_version && <Link to={href('playground', m.name)}>Try it</Link>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <UploadModel onDone={models.reload} />
    </section>
  );
}
