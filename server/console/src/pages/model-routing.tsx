// How a model's unversioned traffic is routed, and the controls that change it (PATCH /v1/models/{model}): the
// default version (promote a version, or follow the version policy), labels, a weighted split with its rollback
// guard, and a shadow with its report; then every routing change, with its reason.
import { useState } from 'preact/hooks';
import type { Model, ModelUpdateRequest } from '../../../../src/index.js';
import { session } from '../api/session.js';
import { ErrorView } from '../components/error-view.js';
import { type Action, useAction, useAsync } from '../hooks/use-async.js';
import { formatMs, formatNumber, formatTime } from '../lib/format.js';
import { splitPercentages } from '../lib/routing.js';

interface RoutingProps {
  model: Model;
  /** The model as the update answered it. */
  onChange(model: Model): void;
}

/** Sends one routing change with the reason typed, and hands the updated model back. */
function useUpdate(
  name: string,
  onChange: (m: Model) => void,
): Action & { send(body: ModelUpdateRequest): Promise<void> } {
  const action = useAction();
  return {
    ...action,
    async send(body) {
      const updated = await action.run(() => session.client.models.update(name, body));
      if (updated) onChange(updated);
    },
  };
}

// Any version can be routed to: the server loads one the version policy had unloaded, and says so when it cannot.
const routable = (model: Model) => model.versions.map((v) => v.version);

/** A version's Promote button (for the versions table): pins unversioned traffic to it. */
export function PromoteButton({ model, version, onChange }: RoutingProps & { version: string }) {
  const update = useUpdate(model.name, onChange);
  if (model.default_version === version && model.pinned_version === version) return null;
  return (
    <>
      <button
        type="button"
        class="small"
        disabled={update.busy}
        onClick={() =>
          update.send({ default_version: version, reason: `promoted to version ${version} in the console` })
        }
      >
        Promote
      </button>
      <ErrorView error={update.error} title="Promote refused" />
    </>
  );
}

function Labels({ model, onChange }: RoutingProps) {
  const update = useUpdate(model.name, onChange);
  const [label, setLabel] = useState('');
  const versions = routable(model);
  const [version, setVersion] = useState(versions.at(-1) ?? '');
  const labels = Object.entries(model.labels);
  return (
    <section class="card" aria-labelledby="labels-title">
      <h3 id="labels-title">Labels</h3>
      {labels.length === 0 ? (
        <p class="muted">No labels.</p>
      ) : (
        <ul class="plain" data-testid="labels">
          {labels.map(([name, v]) => (
            <li key={name} data-label={name}>
              <span class="badge">
                {name} → v{v}
              </span>{' '}
              <button
                type="button"
                class="small"
                disabled={update.busy}
                onClick={() =>
                  update.send({ labels: { [name]: null }, reason: `label ${name} removed in the console` })
                }
              >
                Remove {name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void update.send({
            labels: { [label.trim()]: version },
            reason: `label ${label.trim()} → ${version} in the console`,
          });
        }}
      >
        <label for="label-name">Label</label>
        <input
          id="label-name"
          value={label}
          placeholder="canary"
          required
          onInput={(e) => setLabel(e.currentTarget.value)}
        />
        <label for="label-version">Version</label>
        <select id="label-version" value={version} onChange={(e) => setVersion(e.currentTarget.value)}>
          {versions.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
        <button type="submit" disabled={update.busy || !label.trim() || !version}>
          Set label
        </button>
      </form>
      <ErrorView error={update.error} title="Label refused" />
    </section>
  );
}

function Split({ model, onChange }: RoutingProps) {
  const update = useUpdate(model.name, onChange);
  const versions = routable(model);
  const current = new Map((model.traffic ?? []).map((t) => [t.version, t.weight]));
  const [weights, setWeights] = useState<Record<string, string>>(() =>
    Object.fromEntries(versions.map((v) => [v, String(current.get(v) ?? 0)])),
  );
  const [guard, setGuard] = useState({
    max_error_rate: model.rollback?.max_error_rate?.toString() ?? '',
    max_p99_ratio: model.rollback?.max_p99_ratio?.toString() ?? '',
    min_requests: model.rollback?.min_requests?.toString() ?? '',
  });
  const apply = () => {
    const traffic = versions
      .map((version) => ({ version, weight: Number(weights[version] ?? 0) }))
      .filter((t) => t.weight > 0 || Number.isNaN(t.weight));
    const rollback: NonNullable<ModelUpdateRequest['rollback']> = {};
    if (guard.max_error_rate) rollback.max_error_rate = Number(guard.max_error_rate);
    if (guard.max_p99_ratio) rollback.max_p99_ratio = Number(guard.max_p99_ratio);
    if (guard.min_requests) rollback.min_requests = Number(guard.min_requests);
    const split = traffic.map((t) => `v${t.version} ${t.weight}`).join(', ');
    void update.send({
      traffic,
      rollback: Object.keys(rollback).length > 0 ? rollback : null,
      reason: `split ${split} in the console`,
    });
  };
  return (
    <section class="card" aria-labelledby="split-title">
      <h3 id="split-title">Traffic split</h3>
      {model.traffic ? (
        <p data-testid="split">
          {splitPercentages(model.traffic)
            .map((t) => `v${t.version} ${formatNumber(Number(t.percent.toFixed(1)))}%`)
            .join(' · ')}
          {model.rollback && <span class="muted"> · rollback guard on</span>}
        </p>
      ) : (
        <p class="muted">No split: unversioned requests go to the default version.</p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <div class="row">
          {versions.map((v) => (
            <label key={v} class="inline">
              v{v} weight{' '}
              <input
                class="weight"
                inputMode="decimal"
                data-testid={`weight-${v}`}
                value={weights[v] ?? '0'}
                onInput={(e) => setWeights((w) => ({ ...w, [v]: e.currentTarget.value }))}
              />
            </label>
          ))}
        </div>
        <fieldset class="row">
          <legend>Rollback guard (optional)</legend>
          {(
            [
              ['max_error_rate', 'Max error-rate increase (0–1)'],
              ['max_p99_ratio', 'Max p99 ratio (≥ 1)'],
              ['min_requests', 'Min requests'],
            ] as const
          ).map(([field, text]) => (
            <label key={field} class="inline">
              {text}{' '}
              <input
                class="weight"
                inputMode="decimal"
                value={guard[field]}
                onInput={(e) => setGuard((g) => ({ ...g, [field]: e.currentTarget.value }))}
              />
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={update.busy}>
            Apply split
          </button>
          {model.traffic && (
            <button
              type="button"
              disabled={update.busy}
              onClick={() => update.send({ traffic: null, rollback: null, reason: 'split removed in the console' })}
            >
              Remove split
            </button>
          )}
        </div>
      </form>
      <ErrorView error={update.error} title="Split refused" />
    </section>
  );
}

function ShadowPanel({ model, onChange }: RoutingProps) {
  const update = useUpdate(model.name, onChange);
  const versions = routable(model).filter((v) => v !== model.default_version);
  const [version, setVersion] = useState(model.shadow?.version ?? versions.at(-1) ?? '');
  const [fraction, setFraction] = useState(String(model.shadow?.fraction ?? 0.1));
  const report = useAsync(
    (signal) => (model.shadow ? session.client.models.shadow(model.name, { signal }) : Promise.resolve(undefined)),
    [model.name, model.shadow?.version, model.shadow?.fraction],
  );
  const r = report.data;
  return (
    <section class="card" aria-labelledby="shadow-title">
      <h3 id="shadow-title">Shadow</h3>
      {model.shadow ? (
        <p data-testid="shadow">
          Mirroring {formatNumber(model.shadow.fraction * 100)}% of unversioned requests to version{' '}
          {model.shadow.version}{' '}
          <button
            type="button"
            class="small"
            disabled={update.busy}
            onClick={() => update.send({ shadow: null, reason: 'shadow removed in the console' })}
          >
            Stop
          </button>
        </p>
      ) : (
        <p class="muted">No shadow.</p>
      )}
      {r && r.version !== null && (
        <table class="compact" data-testid="shadow-report">
          <tbody>
            <tr>
              <th scope="row">Mirrored / dropped / failed</th>
              <td class="num">
                {r.mirrored} / {r.dropped} / {r.failed}
              </td>
            </tr>
            <tr>
              <th scope="row">Top-class agreement</th>
              <td class="num">{r.argmax_agreement === null ? '–' : `${formatNumber(r.argmax_agreement * 100)}%`}</td>
            </tr>
            <tr>
              <th scope="row">Largest output difference</th>
              <td class="num">{r.max_abs_diff === null ? '–' : formatNumber(r.max_abs_diff)}</td>
            </tr>
            <tr>
              <th scope="row">p50 / p99 primary</th>
              <td class="num">
                {formatMs(r.latency_ms.primary_p50 ?? Number.NaN)} / {formatMs(r.latency_ms.primary_p99 ?? Number.NaN)}
              </td>
            </tr>
            <tr>
              <th scope="row">p50 / p99 shadow</th>
              <td class="num">
                {formatMs(r.latency_ms.shadow_p50 ?? Number.NaN)} / {formatMs(r.latency_ms.shadow_p99 ?? Number.NaN)}
              </td>
            </tr>
          </tbody>
        </table>
      )}
      {versions.length > 0 && (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void update.send({
              shadow: { version, fraction: Number(fraction) },
              reason: `shadow ${fraction} → version ${version} in the console`,
            });
          }}
        >
          <label for="shadow-version">Version</label>
          <select id="shadow-version" value={version} onChange={(e) => setVersion(e.currentTarget.value)}>
            {versions.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
          <label for="shadow-fraction">Fraction (0–1)</label>
          <input
            id="shadow-fraction"
            class="weight"
            inputMode="decimal"
            value={fraction}
            onInput={(e) => setFraction(e.currentTarget.value)}
          />
          <button type="submit" disabled={update.busy || !version}>
            Mirror
          </button>
        </form>
      )}
      <ErrorView error={update.error} title="Shadow refused" />
    </section>
  );
}

function RoutingEvents({ model }: { model: Model }) {
  // The model object changes with every update: read the log again then.
  const events = useAsync((signal) => session.client.models.events(model.name, { limit: 1000 }, { signal }), [model]);
  const list = events.data?.data ?? [];
  return (
    <section aria-labelledby="routing-events-title">
      <h3 id="routing-events-title">Routing changes</h3>
      <ErrorView error={events.error} />
      {list.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <ol class="log" data-testid="routing-events">
          {[...list].reverse().map((e) => (
            <li key={e.id} data-kind={e.kind}>
              <span class="muted small">
                #{e.id} {formatTime(e.created_at)}
              </span>{' '}
              <strong>{e.kind}</strong> {e.reason}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The routing section of a model's page. */
export function Routing({ model, onChange }: RoutingProps) {
  const update = useUpdate(model.name, onChange);
  const versions = `${model.name}:${routable(model).join(',')}`;
  return (
    <>
      <p data-testid="routing-default">
        Unversioned requests go to version <strong>{model.default_version ?? 'none'}</strong>
        {model.pinned_version ? ' (pinned)' : ' (the highest READY version, by the version policy)'}.{' '}
        {model.pinned_version && (
          <button
            type="button"
            class="small"
            disabled={update.busy}
            onClick={() => update.send({ default_version: null, reason: 'unpinned in the console' })}
          >
            Follow the version policy
          </button>
        )}
      </p>
      <ErrorView error={update.error} />
      {/* Keyed by what their choices come from: a new version or a new default starts their forms afresh. */}
      <div class="two">
        <Labels key={`labels-${versions}`} model={model} onChange={onChange} />
        <Split key={`split-${versions}-${JSON.stringify(model.traffic)}`} model={model} onChange={onChange} />
      </div>
      <ShadowPanel key={`shadow-${versions}-${model.default_version}`} model={model} onChange={onChange} />
      <RoutingEvents model={model} />
    </>
  );
}
