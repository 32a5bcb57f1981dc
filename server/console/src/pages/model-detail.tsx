import { useState } from 'preact/hooks';
import type { Model, ModelStatistics, ModelVersion, TensorMetadata } from '../../../../src/index.js';
import { session } from '../api/session.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { DropZone } from '../components/drop-zone.js';
import { ErrorView, LoadState } from '../components/error-view.js';
import { TableHead } from '../components/table-head.js';
import { useAction, useAsync, useInterval } from '../hooks/use-async.js';
import { formatBytes, formatMs, formatShape, formatTime } from '../lib/format.js';
import { href, Link } from '../router.js';
import { PromoteButton, Routing } from './model-routing.js';
import { StateBadge } from './models.js';

function Tensors({ title, tensors }: { title: string; tensors: TensorMetadata[] }) {
  return (
    <table class="compact">
      <caption>{title}</caption>
      <TableHead columns={['Name', 'Datatype', 'Shape']} />
      <tbody>
        {tensors.map((t) => (
          <tr key={t.name}>
            <td>
              <code>{t.name}</code>
            </td>
            <td>{t.datatype}</td>
            <td>{formatShape(t.shape)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Versions({ model, onChange, onUpdate }: { model: Model; onChange(): void; onUpdate(m: Model): void }) {
  const labelsOf = (version: string) =>
    Object.entries(model.labels)
      .filter(([, v]) => v === version)
      .map(([label]) => label);
  return (
    <div class="table-wrap">
      <table data-testid="versions-table">
        <TableHead columns={['Version', 'State', 'Size', 'Source', 'Created', '']} />
        <tbody>
          {model.versions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <th scope="row">
                {v.version}
                {v.version === model.default_version && <span class="badge">default</span>}
                {labelsOf(v.version).map((l) => (
                  <span key={l} class="badge">
                    {l}
                  </span>
                ))}
              </th>
              <td>
                <StateBadge version={v} />
                {v.reason && <div class="muted small">{v.reason}</div>}
              </td>
              <td class="num">{formatBytes(v.size_bytes)}</td>
              <td>
                {v.source}
                {v.training_job && (
                  <>
                    {' '}
                    (<Link to={href('jobs', v.training_job)}>{v.training_job}</Link>)
                  </>
                )}
              </td>
              <td>{formatTime(v.created_at)}</td>
              <td>
                {v.state !== 'UNLOADING' && <PromoteButton model={model} version={v.version} onChange={onUpdate} />}{' '}
                <ConfirmButton
                  label="Delete"
                  confirm={`Yes, delete version ${v.version}`}
                  action={() => session.client.models.deleteVersion(model.name, v.version)}
                  onDone={onChange}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const meanMs = (d: { count: number; ns: number }) => (d.count > 0 ? d.ns / d.count / 1e6 : Number.NaN);

function Statistics({ stats }: { stats: ModelStatistics[] }) {
  if (stats.length === 0) return <p class="muted">No statistics yet.</p>;
  return (
    <div class="table-wrap">
      <table data-testid="stats-table">
        <TableHead
          columns={[
            'Version',
            'Inferences',
            'Executions',
            'Succeeded',
            'Failed',
            'Mean latency',
            'Mean queue',
            'Mean compute',
            'Batch sizes',
          ]}
        />
        <tbody>
          {stats.map((s) => (
            <tr key={s.version} data-version={s.version}>
              <th scope="row">{s.version}</th>
              <td class="num" data-col="inference_count">
                {s.inference_count}
              </td>
              <td class="num">{s.execution_count}</td>
              <td class="num">{s.inference_stats.success.count}</td>
              <td class="num">{s.inference_stats.fail.count}</td>
              <td class="num">{formatMs(meanMs(s.inference_stats.success))}</td>
              <td class="num">{formatMs(meanMs(s.inference_stats.queue))}</td>
              <td class="num">{formatMs(meanMs(s.inference_stats.compute_infer))}</td>
              <td>{s.batch_stats.map((b) => `${b.batch_size}×${b.compute_infer.count}`).join(', ') || '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UploadVersion({ model, onDone }: { model: string; onDone(): void }) {
  const upload = useAction();
  const [done, setDone] = useState<ModelVersion | null>(null);
  return (
    <section class="card">
      <h2>Upload a version</h2>
      <DropZone
        id="upload-version-file"
        what="an .onnx file"
        accept=".onnx,application/octet-stream"
        disabled={upload.busy}
        onFile={async (file) => {
          setDone(null);
          const version = await upload.run(() => session.client.models.upload(model, file));
          if (version) {
            setDone(version);
            onDone();
          }
        }}
      />
      {upload.busy && <p aria-live="polite">Uploading and loading…</p>}
      <ErrorView error={upload.error} title="Upload refused" />
      {done && (
        <p role="status">
          Uploaded version {done.version} ({done.state}).
        </p>
      )}
    </section>
  );
}

export function ModelDetailPage({ name }: { name: string }) {
  const model = useAsync((signal) => session.client.models.retrieve(name, { signal }), [name]);
  const config = useAsync((signal) => session.client.models.config(name, {}, { signal }), [name]);
  const stats = useAsync(
    async (signal) => (await session.client.models.stats(name, {}, { signal })).model_stats,
    [name],
  );
  useInterval(stats.refresh, 5000);
  const reloadAll = () => {
    model.reload();
    config.reload();
    stats.reload();
  };
  const m = model.data;
  const shown = m?.versions.find((v) => v.version === m.default_version) ?? m?.versions.at(-1);
  return (
    <section>
      <p class="crumbs">
        <Link to="/models">Models</Link> /
      </p>
      <h1>{name}</h1>
      <LoadState loading={model.loading && !m} error={model.error} />
      {m && (
        <>
          {m.description && <p>{m.description}</p>}
          <dl class="facts">
            <dt>Default version</dt>
            <dd data-testid="default-version">{m.default_version ?? 'none ready'}</dd>
            <dt>Platform</dt>
            <dd>{m.platform}</dd>
            <dt>Versions</dt>
            <dd>{m.versions.length}</dd>
          </dl>
          {m.default_version && (
            <p>
              <Link to={href('playground', name)} class="button">
                Open in the playground
              </Link>
            </p>
          )}
          <h2>Versions</h2>
          <Versions model={m} onChange={reloadAll} onUpdate={model.replace} />
          <h2>Routing</h2>
          <Routing model={m} onChange={model.replace} />
          {shown && (
            <>
              <h2>Signature (version {shown.version})</h2>
              <div class="two">
                <Tensors title="Inputs" tensors={shown.inputs} />
                <Tensors title="Outputs" tensors={shown.outputs} />
              </div>
            </>
          )}
        </>
      )}
      <h2>Statistics</h2>
      <LoadState loading={stats.loading && !stats.data} error={stats.error} />
      {stats.data && <Statistics stats={stats.data} />}
      <h2>Configuration</h2>
      <LoadState loading={config.loading && !config.data} error={config.error} />
      {config.data && <pre class="json">{JSON.stringify(config.data, null, 2)}</pre>}
      {m && <UploadVersion model={name} onDone={reloadAll} />}
    </section>
  );
}
