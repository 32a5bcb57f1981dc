// A model's routing in the mock, as the server keeps it (server/inference/routing.ts): pinned default, labels,
// traffic split (sticky per routing key, the same pick as the server's), shadow, and the log of changes. The shape of
// a PATCH is checked by the shared src/protocol/model-update.ts; the version checks use the server's messages.
import { describeUpdate, type ModelUpdate } from '../protocol/model-update.js';
import { ShadowTally } from '../protocol/shadow-report.js';
import { hashUnit, pickByWeight } from '../protocol/traffic.js';
import { notFound, unprocessable } from './errors.js';
import { isoTime } from './ids.js';
import type { ModelEvent } from './types.js';

export interface RoutingRecord {
  pinned: string | null;
  labels: Record<string, string>;
  traffic: Array<{ version: string; weight: number }> | null;
  rollback: { max_error_rate?: number; max_p99_ratio?: number; min_requests: number } | null;
  shadow: { version: string; fraction: number } | null;
  events: ModelEvent[];
  /** Per shadow version. */
  shadows: Map<string, ShadowTally>;
}

export function emptyRouting(): RoutingRecord {
  return { pinned: null, labels: {}, traffic: null, rollback: null, shadow: null, events: [], shadows: new Map() };
}

/** The version a label names; 404 as the server words it. */
export function labelledVersion(model: string, routing: RoutingRecord, label: string): string {
  const version = routing.labels[label];
  if (version === undefined) {
    const labels = Object.keys(routing.labels);
    throw notFound(
      'version_not_found',
      `Model '${model}' has no version labelled '${label}'${labels.length ? `; its labels are ${labels.map((l) => `'${l}'`).join(', ')}` : ''}`,
    );
  }
  return version;
}

/** Where an unversioned request goes: the split among its READY versions, else the pin (undefined: highest READY). */
export function routedVersion(
  routing: RoutingRecord,
  ready: (version: string) => boolean,
  routingKey?: string,
): string | undefined {
  if (routing.traffic) {
    const live = routing.traffic.filter((t) => ready(t.version));
    const picked = pickByWeight(live, routingKey === undefined ? Math.random() : hashUnit(routingKey));
    if (picked) return picked.version;
  }
  return routing.pinned ?? undefined;
}

/** Versions routing names: they stay loaded whatever the version policy says. */
export function retainedVersions(routing: RoutingRecord): Set<string> {
  const out = new Set(Object.values(routing.labels));
  if (routing.pinned !== null) out.add(routing.pinned);
  for (const t of routing.traffic ?? []) out.add(t.version);
  if (routing.shadow) out.add(routing.shadow.version);
  return out;
}

/** Applies a checked PATCH: 422 version_not_found naming the field when a version is unknown; records its events. */
export function applyUpdate(
  model: string,
  routing: RoutingRecord,
  update: ModelUpdate,
  versions: readonly string[],
): void {
  const need = (version: string, field: string) => {
    if (!versions.includes(version)) {
      throw unprocessable(
        'version_not_found',
        `${field}: model '${model}' has no version ${version}; its versions are ${versions.join(', ') || 'none'}`,
      );
    }
  };
  if (update.default_version !== undefined && update.default_version !== null)
    need(update.default_version, 'default_version');
  for (const [label, v] of Object.entries(update.labels ?? {})) if (v !== null) need(v, `labels.${label}`);
  update.traffic?.forEach((t, i) => {
    need(t.version, `traffic[${i}].version`);
  });
  if (update.shadow) need(update.shadow.version, 'shadow.version');

  if (update.default_version !== undefined) routing.pinned = update.default_version;
  for (const [label, v] of Object.entries(update.labels ?? {})) {
    if (v === null) delete routing.labels[label];
    else routing.labels[label] = v;
  }
  if (update.traffic !== undefined) routing.traffic = update.traffic ? update.traffic.map((t) => ({ ...t })) : null;
  if (update.rollback !== undefined) {
    routing.rollback = update.rollback && { ...update.rollback, min_requests: update.rollback.min_requests ?? 100 };
  }
  if (update.shadow !== undefined) {
    routing.shadow = update.shadow && { ...update.shadow };
    routing.shadows.clear();
  }
  const at = isoTime(Date.now());
  for (const { kind, reason } of describeUpdate(update)) {
    routing.events.push({
      id: routing.events.length + 1,
      object: 'model.event',
      model,
      created_at: at,
      kind,
      reason,
      default_version: routing.pinned,
      labels: { ...routing.labels },
      traffic: routing.traffic ? routing.traffic.map((t) => ({ ...t })) : null,
      shadow: routing.shadow && { ...routing.shadow },
    });
  }
}

/** The tally of the model's current shadow version (created on first use). */
export function shadowTally(routing: RoutingRecord): ShadowTally | undefined {
  if (!routing.shadow) return undefined;
  let tally = routing.shadows.get(routing.shadow.version);
  if (!tally) routing.shadows.set(routing.shadow.version, (tally = new ShadowTally()));
  return tally;
}
