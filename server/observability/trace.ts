// W3C Trace Context (`traceparent: 00-<trace id>-<parent id>-<flags>`). OpenTelemetry's current majors need Node 22,
// so the trace is propagated by hand: a request that sends a valid traceparent gets a span id of its own, echoed in
// the response's traceparent and written in its log lines (and the logs of a job it created). A request without
// one costs nothing here.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface TraceContext {
  /** 32 lowercase hex digits, the caller's. */
  traceId: string;
  /** The caller's span (16 hex digits). */
  parentId: string;
  /** This request's span on the server (16 hex digits). */
  spanId: string;
  /** 2 hex digits (`01` = sampled), passed on as they came. */
  flags: string;
}

// Version 00 is exactly these four fields; a later version may append fields after a `-`, which we ignore (W3C §3.3).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** The fields of a valid traceparent header; undefined for anything else (the spec says to ignore it). */
export function parseTraceparent(header: string | string[] | undefined): Omit<TraceContext, 'spanId'> | undefined {
  if (typeof header !== 'string' || header.length < 55) return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || parentId === ZERO_SPAN) return undefined;
  return { traceId, parentId, flags };
}

// A random prefix per process and a counter, as request ids are made: unique, no crypto call per request.
const spanPrefix = randomBytes(4).toString('hex');
let spanCounter = 0;

/** A new span id: never all zeros (the prefix's counter part starts at 1). */
export function newSpanId(): string {
  spanCounter = (spanCounter + 1) % 0xffffffff || 1;
  return spanPrefix + spanCounter.toString(16).padStart(8, '0');
}

// Fastify makes a request's child logger before its onRequest hook runs: both ask here, and get the same span.
const traces = new WeakMap<IncomingMessage, TraceContext | null>();

/** The trace of a request that sent a valid traceparent (made once per request, with a span of its own). */
export function requestTrace(raw: IncomingMessage): TraceContext | undefined {
  const header = raw.headers.traceparent;
  if (header === undefined) return undefined;
  let trace = traces.get(raw);
  if (trace === undefined) {
    const parent = parseTraceparent(header);
    trace = parent ? { ...parent, spanId: newSpanId() } : null;
    traces.set(raw, trace);
  }
  return trace ?? undefined;
}

/** `00-<trace id>-<span id>-<flags>`: what this request passes on (and echoes to its caller). */
export function formatTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}

/** The log fields of a trace (none without one). */
export function traceFields(trace: TraceContext | null | undefined): Record<string, string> {
  return trace ? { trace_id: trace.traceId, span_id: trace.spanId, parent_id: trace.parentId } : {};
}
