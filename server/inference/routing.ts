// Which version answers a request: the one it names (by number or label), else the model's routing — a weighted
// traffic split (sticky per routing key), a pinned default, or the highest READY version. Routing changes are
// persisted with a reason (the model's event log); a guarded split takes the weight off a canary that does worse
// than the stable version.

import { rollbackReason } from '../../src/protocol/model-update.js';
import { hashUnit, pickByWeight } from '../../src/protocol/traffic.js';
import { NotFoundError, UnprocessableError } from '../errors.js';
import type { ModelEventRecord, ModelRouting } from '../store/records.js';
import type { ModelRoutingRecords } from '../store/store.js';
import type { ModelRegistry } from './registry.js';
import { GuardWindow } from './routing-guard.js';

export const emptyRouting = (): ModelRouting => ({
  defaultVersion: null,
  labels: {},
  traffic: null,
  rollback: null,
  shadow: null,
});

/** A routing change, its shape already checked (src/protocol/model-update.ts); versions as numbers. */
export interface RoutingChange {
  defaultVersion?: number | null;
  /** A label set to null is removed. */
  labels?: Record<string, number | null>;
  traffic?: Array<{ version: number; weight: number }> | null;
  rollback?: ModelRouting['rollback'];
  shadow?: ModelRouting['shadow'];
}

export interface RouterOptions {
  registry: ModelRegistry;
  store: ModelRoutingRecords;
  now?: () => Date;
  random?: () => number;
  /** A routing change was made (e.g. load a newly pinned version); awaited before the change is answered. */
  onChange?: (model: string) => Promise<void> | void;
  log?: { warn(obj: unknown, msg?: string): void };
}

export class Router {
  private readonly routes = new Map<string, ModelRouting>();
  private readonly guards = new Map<string, GuardWindow>();
  private readonly random: () => number;
  private readonly now: () => Date;

  constructor(private readonly options: RouterOptions) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => new Date());
  }

  /** Loads every stored routing (startup). */
  async load(): Promise<void> {
    for (const record of await this.options.store.list()) {
      const before = this.routes.get(record.model);
      this.routes.set(record.model, record.routing);
      const { traffic, rollback } = record.routing;
      if (!traffic || !rollback) this.guards.delete(record.model);
      // A reload keeps the guard's evidence while the split stands; a new split starts a new window.
      else if (!this.guards.has(record.model) || JSON.stringify(before?.traffic) !== JSON.stringify(traffic))
        this.guards.set(record.model, new GuardWindow());
    }
  }

  routing(model: string): ModelRouting {
    return this.routes.get(model) ?? emptyRouting();
  }

  /** Versions routing refers to: they stay loaded whatever the version policy would unload. */
  retained(model: string): number[] {
    const r = this.routes.get(model);
    if (!r) return [];
    const out = new Set<number>(Object.values(r.labels));
    if (r.defaultVersion !== null) out.add(r.defaultVersion);
    for (const t of r.traffic ?? []) out.add(t.version);
    if (r.shadow) out.add(r.shadow.version);
    for (const v of r.candidates ?? []) out.add(v);
    return [...out];
  }

  /**
   * Before a candidate is added: an unpinned model is pinned to `current` (the version serving now), so the new
   * highest version does not take unversioned traffic, even for a moment.
   */
  async holdDefault(model: string, current: number | null, why: string): Promise<void> {
    if (current === null || this.routing(model).defaultVersion !== null) return;
    await this.update(model, { defaultVersion: current }, [
      { kind: 'default', reason: `pinned to version ${current} while ${why} publishes a candidate` },
    ]);
  }

  /** Records `version` as a candidate: kept loaded whatever the version policy says, until pinned. */
  async addCandidate(model: string, version: number, why: string): Promise<void> {
    const next = withCandidate(this.routing(model), version);
    await this.options.store.put({ model, routing: next, updatedAt: this.now().toISOString() }, [
      candidateEvent(version, why),
    ]);
    this.routes.set(model, next);
    await this.options.onChange?.(model);
  }

  /** Makes `version` the default (a promoted deploy): a pinned model's pin moves to it. */
  async promote(model: string, version: number, why: string): Promise<void> {
    const r = this.routes.get(model);
    if (!r || r.defaultVersion === null) return;
    await this.update(model, { defaultVersion: version }, [
      { kind: 'default', reason: `version ${version} deployed as the default (${why})` },
    ]);
  }

  /** The version a label names; 404 version_not_found naming the labels there are. */
  label(model: string, label: string): number {
    const version = this.routes.get(model)?.labels[label];
    if (version === undefined) {
      const labels = Object.keys(this.routing(model).labels);
      throw new NotFoundError(
        'version_not_found',
        `Model '${model}' has no version labelled '${label}'${labels.length ? `; its labels are ${labels.map((l) => `'${l}'`).join(', ')}` : ''}`,
      );
    }
    return version;
  }

  /**
   * The version an unversioned request goes to, or undefined for "the highest READY". A split picks among its READY
   * versions by weight — the same routing key always lands on the same version while the weights stand.
   */
  choose(model: string, routingKey?: string): number | undefined {
    const r = this.routes.get(model);
    if (!r) return undefined;
    if (r.traffic) {
      const ready = r.traffic.filter((t) => this.options.registry.getVersion(model, t.version)?.state === 'READY');
      const picked = pickByWeight(ready, routingKey === undefined ? this.random() : hashUnit(routingKey));
      if (picked) return picked.version;
    }
    return r.defaultVersion ?? undefined;
  }

  /** Whether this unversioned request should also be mirrored to the shadow version (and which). */
  shadowFor(model: string): number | undefined {
    const shadow = this.routes.get(model)?.shadow;
    if (!shadow || shadow.fraction <= 0) return undefined;
    return this.random() < shadow.fraction ? shadow.version : undefined;
  }

  /**
   * Records an outcome of a split's version for the rollback guard; when a canary crosses its guard relative to the
   * stable version (the one with the largest weight), its weight goes to 0 and an event says why.
   */
  observe(model: string, version: number, ok: boolean, latencyMs: number): void {
    const guard = this.guards.get(model);
    const r = this.routes.get(model);
    if (!guard || !r?.traffic || !r.rollback) return;
    guard.record(version, ok, latencyMs);
    const stable = stableOf(r.traffic);
    for (const t of r.traffic) {
      if (t.version === stable || t.weight === 0) continue;
      const verdict = guard.verdict(t.version, stable, r.rollback);
      if (verdict) void this.rollBack(model, t.version, verdict);
    }
  }

  /**
   * Applies a change (its shape already checked): checks the versions against the registry, stores it with its
   * events (their kinds and reasons: src/protocol/model-update.ts describeUpdate), and returns the new routing.
   */
  async update(
    model: string,
    change: RoutingChange,
    events: Array<{ kind: ModelEventRecord['kind']; reason: string }>,
  ): Promise<{ routing: ModelRouting; events: ModelEventRecord[] }> {
    const status = this.options.registry.requireModel(model);
    const known = new Set(status.versions.map((v) => v.version));
    const need = (version: number, field: string) => {
      if (!known.has(version)) {
        throw new UnprocessableError(
          'version_not_found',
          `${field}: model '${model}' has no version ${version}; its versions are ${[...known].join(', ') || 'none'}`,
        );
      }
    };
    const next: ModelRouting = structuredClone(this.routing(model));
    if (change.defaultVersion !== undefined) {
      if (change.defaultVersion !== null) need(change.defaultVersion, 'default_version');
      next.defaultVersion = change.defaultVersion;
      // Pinning a candidate promotes it: its candidacy ends.
      if (next.candidates && change.defaultVersion !== null) {
        next.candidates = next.candidates.filter((v) => v !== change.defaultVersion);
      }
    }
    for (const [label, version] of Object.entries(change.labels ?? {})) {
      if (version === null) delete next.labels[label];
      else {
        need(version, `labels.${label}`);
        next.labels[label] = version;
      }
    }
    if (change.traffic !== undefined) {
      change.traffic?.forEach((t, i) => {
        need(t.version, `traffic[${i}].version`);
      });
      next.traffic = change.traffic;
    }
    if (change.rollback !== undefined) next.rollback = change.rollback;
    if (change.shadow !== undefined) {
      if (change.shadow) need(change.shadow.version, 'shadow.version');
      next.shadow = change.shadow;
    }
    const stored = await this.options.store.put({ model, routing: next, updatedAt: this.now().toISOString() }, events);
    this.routes.set(model, next);
    if (next.traffic && next.rollback) {
      if (change.traffic !== undefined || change.rollback !== undefined || !this.guards.has(model)) {
        this.guards.set(model, new GuardWindow());
      }
    } else {
      this.guards.delete(model);
    }
    await this.options.onChange?.(model);
    return { routing: next, events: stored };
  }

  /** The model's routing changes, oldest first. */
  events(model: string, after: number, limit: number): Promise<ModelEventRecord[]> {
    this.options.registry.requireModel(model);
    return this.options.store.events(model, after, limit);
  }

  private rolling = new Set<string>();

  private async rollBack(model: string, version: number, why: string): Promise<void> {
    const key = `${model}\u0000${version}`;
    if (this.rolling.has(key)) return;
    this.rolling.add(key);
    try {
      const r = this.routing(model);
      const traffic = r.traffic?.map((t) => (t.version === version ? { ...t, weight: 0 } : t)) ?? null;
      const next = { ...structuredClone(r), traffic };
      await this.options.store.put({ model, routing: next, updatedAt: this.now().toISOString() }, [
        { kind: 'rollback', reason: rollbackReason(version, why) },
      ]);
      this.routes.set(model, next);
      this.options.log?.warn({ model, version, why }, 'canary rolled back');
    } finally {
      this.rolling.delete(key);
    }
  }
}

/** The routing with `version` among its candidates. */
export function withCandidate(routing: ModelRouting, version: number): ModelRouting {
  const next: ModelRouting = structuredClone(routing);
  next.candidates = [...new Set([...(next.candidates ?? []), version])].sort((a, b) => a - b);
  return next;
}

export const candidateEvent = (version: number, why: string) => ({
  kind: 'default' as const,
  reason: `version ${version} published as a candidate by ${why}`,
});

function stableOf(traffic: ReadonlyArray<{ version: number; weight: number }>): number {
  let best = traffic[0]!;
  for (const t of traffic) if (t.weight > best.weight) best = t;
  return best.version;
}
