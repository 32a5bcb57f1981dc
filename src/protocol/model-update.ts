// The body of PATCH /v1/models/{model}: how the model's unversioned traffic is routed. Its shape is checked here,
// every problem at once (400 invalid_input with details); whether the versions exist is the server's (and the mock's)
// check. Shared by both so they accept and reject alike.
import { describeReceived as describe } from './contract-error.js';
import { FieldIssues } from './field-issues.js';

/** A version label: starts with a letter, so it never reads as a version number. */
export const VERSION_LABEL_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const VERSION = /^[1-9][0-9]{0,15}$/;
const FIELDS = ['default_version', 'labels', 'traffic', 'rollback', 'shadow', 'reason'];

export interface ModelUpdate {
  /** Pin unversioned traffic to this version; null follows the version policy (the highest READY). */
  default_version?: string | null;
  /** Set labels to versions; null removes a label. */
  labels?: Record<string, string | null>;
  /** Weighted split of unversioned requests; null removes it. */
  traffic?: Array<{ version: string; weight: number }> | null;
  /** Guard on the split (null removes it). Absent thresholds are not checked. */
  rollback?: { max_error_rate?: number; max_p99_ratio?: number; min_requests?: number } | null;
  /** Mirror a fraction of unversioned requests to a version; null removes it. */
  shadow?: { version: string; fraction: number } | null;
  /** Why: recorded with each change in GET /v1/models/{model}/events. */
  reason?: string;
}

/** Checks the body's shape; returns it typed. Throws 400 invalid_input listing every bad field. */
export function checkModelUpdate(body: unknown): ModelUpdate {
  const issues = new FieldIssues();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    issues.add('body', `expected a JSON object with any of ${FIELDS.join(', ')}, got ${describe(body)}`);
    issues.throwIfAny(400, 'invalid_input');
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!FIELDS.includes(key)) issues.add(key, `unknown field; expected one of ${FIELDS.join(', ')}`);
  }
  if (Object.keys(b).filter((k) => k !== 'reason').length === 0 && issues.empty) {
    issues.add('body', `expected at least one of ${FIELDS.filter((f) => f !== 'reason').join(', ')}`);
  }
  const version = (value: unknown, field: string) => {
    if (typeof value !== 'string' || !VERSION.test(value))
      issues.add(field, `expected a version such as "3", got ${describe(value)}`);
  };
  const number = (value: unknown, field: string, min: number, max: number, what = `a number from ${min} to ${max}`) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
      issues.add(field, `expected ${what}, got ${describe(value)}`);
  };
  if (b.default_version !== undefined && b.default_version !== null) version(b.default_version, 'default_version');
  if (b.labels !== undefined) {
    if (typeof b.labels !== 'object' || b.labels === null || Array.isArray(b.labels)) {
      issues.add('labels', `expected an object of label → version (or null to remove), got ${describe(b.labels)}`);
    } else {
      for (const [label, v] of Object.entries(b.labels)) {
        if (!VERSION_LABEL_PATTERN.test(label)) {
          issues.add(
            `labels.${label}`,
            `expected a label matching ${VERSION_LABEL_PATTERN.source} (it must start with a letter)`,
          );
        }
        if (v !== null) version(v, `labels.${label}`);
      }
    }
  }
  if (b.traffic !== undefined && b.traffic !== null) {
    if (!Array.isArray(b.traffic) || b.traffic.length === 0) {
      issues.add(
        'traffic',
        `expected a non-empty array of { version, weight } (or null to remove the split), got ${describe(b.traffic)}`,
      );
    } else {
      const seen = new Set<unknown>();
      b.traffic.forEach((entry, i) => {
        const at = `traffic[${i}]`;
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
          issues.add(at, `expected { version, weight }, got ${describe(entry)}`);
          return;
        }
        const e = entry as Record<string, unknown>;
        for (const k of Object.keys(e))
          if (k !== 'version' && k !== 'weight') issues.add(`${at}.${k}`, 'unknown field; expected version, weight');
        version(e.version, `${at}.version`);
        number(e.weight, `${at}.weight`, 0, 1_000_000, 'a weight of 0 or more');
        if (seen.has(e.version)) issues.add(`${at}.version`, `version ${String(e.version)} is listed twice`);
        seen.add(e.version);
      });
      const total = b.traffic.reduce(
        (n: number, e) =>
          n + (typeof (e as { weight?: unknown })?.weight === 'number' ? (e as { weight: number }).weight : 0),
        0,
      );
      if (issues.empty && !(total > 0)) issues.add('traffic', 'expected at least one weight above 0');
    }
  }
  if (b.rollback !== undefined && b.rollback !== null) {
    if (typeof b.rollback !== 'object' || Array.isArray(b.rollback)) {
      issues.add(
        'rollback',
        `expected { max_error_rate, max_p99_ratio, min_requests } (or null), got ${describe(b.rollback)}`,
      );
    } else {
      const r = b.rollback as Record<string, unknown>;
      for (const k of Object.keys(r)) {
        if (!['max_error_rate', 'max_p99_ratio', 'min_requests'].includes(k)) {
          issues.add(`rollback.${k}`, 'unknown field; expected max_error_rate, max_p99_ratio, min_requests');
        }
      }
      if (r.max_error_rate !== undefined) number(r.max_error_rate, 'rollback.max_error_rate', 0, 1);
      if (r.max_p99_ratio !== undefined) number(r.max_p99_ratio, 'rollback.max_p99_ratio', 1, 1000);
      if (r.min_requests !== undefined) {
        if (!Number.isInteger(r.min_requests) || (r.min_requests as number) < 1) {
          issues.add('rollback.min_requests', `expected an integer of at least 1, got ${describe(r.min_requests)}`);
        }
      }
      if (r.max_error_rate === undefined && r.max_p99_ratio === undefined) {
        issues.add('rollback', 'expected max_error_rate, max_p99_ratio or both');
      }
    }
  }
  if (b.shadow !== undefined && b.shadow !== null) {
    if (typeof b.shadow !== 'object' || Array.isArray(b.shadow)) {
      issues.add('shadow', `expected { version, fraction } (or null), got ${describe(b.shadow)}`);
    } else {
      const sh = b.shadow as Record<string, unknown>;
      for (const k of Object.keys(sh))
        if (k !== 'version' && k !== 'fraction') issues.add(`shadow.${k}`, 'unknown field; expected version, fraction');
      version(sh.version, 'shadow.version');
      number(sh.fraction, 'shadow.fraction', 0, 1);
    }
  }
  if (b.reason !== undefined && (typeof b.reason !== 'string' || b.reason.length > 500)) {
    issues.add('reason', `expected a string of at most 500 characters, got ${describe(b.reason)}`);
  }
  issues.throwIfAny(400, 'invalid_input');
  return b as ModelUpdate;
}

export type ModelEventKind = 'default' | 'labels' | 'traffic' | 'shadow' | 'rollback';

/** The events an update records, each with its reason (the caller's `reason`, or a description of the change). */
export function describeUpdate(update: ModelUpdate): Array<{ kind: ModelEventKind; reason: string }> {
  const why = (what: string) => update.reason ?? what;
  const events: Array<{ kind: ModelEventKind; reason: string }> = [];
  if (update.default_version !== undefined) {
    events.push({
      kind: 'default',
      reason: why(
        update.default_version === null
          ? 'default follows the version policy (highest READY)'
          : `default pinned to version ${update.default_version}`,
      ),
    });
  }
  if (update.labels !== undefined) {
    const parts = Object.entries(update.labels).map(([label, v]) =>
      v === null ? `label ${label} removed` : `label ${label} → version ${v}`,
    );
    events.push({ kind: 'labels', reason: why(parts.join(', ')) });
  }
  if (update.traffic !== undefined) {
    events.push({
      kind: 'traffic',
      reason: why(
        update.traffic === null
          ? 'traffic split removed'
          : `traffic split ${update.traffic.map((t) => `v${t.version} ${t.weight}`).join(' / ')}`,
      ),
    });
  } else if (update.rollback !== undefined) {
    events.push({ kind: 'traffic', reason: why(update.rollback ? 'rollback guard set' : 'rollback guard removed') });
  }
  if (update.shadow !== undefined) {
    events.push({
      kind: 'shadow',
      reason: why(
        update.shadow
          ? `shadow: ${update.shadow.fraction * 100} % mirrored to version ${update.shadow.version}`
          : 'shadow removed',
      ),
    });
  }
  return events;
}

/** The event recorded when a guarded split takes a canary's weight away. */
export const rollbackReason = (version: number | string, why: string) =>
  `version ${version} rolled back (weight 0): ${why}`;
