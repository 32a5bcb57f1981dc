// The contract suite's one validation point: every response any target gives is checked against openapi.yaml here,
// whichever way it travelled. Two taps feed it — a fetch wrapper (msw under setupServer) and an undici dispatcher
// interceptor (the real server and the msw bridge, driven by the SDK's undici transport) — and both hand the same
// observation (method, URL, status, headers, body chunks as the client reads them) to `ResponseRecorder`.
import { Agent, DecoratorHandler, type Dispatcher } from 'undici';
import {
  eventSchemaOf,
  parseSse,
  tryFindOperation,
  validateJobEventStream,
  validateResponse,
  validateSchema,
} from './openapi-validator.js';

/** What the recorder saw of one response. */
export interface RecordedResponse {
  method: string;
  path: string;
  /** The operationId, or `unrouted` when the spec has no operation for the request. */
  operation: string;
  status: number;
  contentType: string | null;
}

const decoder = new TextDecoder();
const mediaOf = (contentType: string | null) => (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** Collects every response and every way one breaks the contract. `takeViolations()` empties the list. */
export class ResponseRecorder {
  readonly responses: RecordedResponse[] = [];
  #violations: string[] = [];

  /** Starts observing one request; call `start` when its response head arrives. */
  begin(method: string, url: string): Observation {
    return new Observation(this, method.toUpperCase(), new URL(url));
  }

  /** Operation ids seen so far (with at least one response). */
  operationsSeen(): Set<string> {
    return new Set(this.responses.map((r) => r.operation));
  }

  /** Problems found since the last call, each naming the request and what the spec says. */
  takeViolations(): string[] {
    const out = this.#violations;
    this.#violations = [];
    return out;
  }

  /** @internal */
  report(where: string, problems: readonly string[]): void {
    for (const p of problems) this.#violations.push(`${where}: ${p}`);
  }
}

/** One response on its way to the client. */
export class Observation {
  #status = 0;
  #headers = new Headers();
  #chunks: Uint8Array[] = [];
  #sseText = '';
  #sseChecked = 0;
  #operation: string | undefined;
  #done = false;

  constructor(
    private readonly recorder: ResponseRecorder,
    private readonly method: string,
    private readonly url: URL,
  ) {}

  get #where(): string {
    return `${this.method} ${this.url.pathname}${this.url.search} → ${this.#status}`;
  }

  get #isSse(): boolean {
    return mediaOf(this.#headers.get('content-type')) === 'text/event-stream';
  }

  start(status: number, headers: Headers): void {
    this.#status = status;
    this.#headers = headers;
    this.#operation = tryFindOperation(`${this.method} ${this.url.pathname}`)?.operationId;
    this.recorder.responses.push({
      method: this.method,
      path: this.url.pathname,
      operation: this.#operation ?? 'unrouted',
      status,
      contentType: headers.get('content-type'),
    });
    const problems: string[] = [];
    if (!headers.get('x-request-id')) problems.push('x-request-id header is missing');
    this.recorder.report(this.#where, problems);
  }

  data(chunk: Uint8Array): void {
    if (this.#done) return;
    if (!this.#isSse) {
      this.#chunks.push(chunk);
      return;
    }
    // Events are checked as they arrive, so a stream the client breaks off is still checked up to there.
    this.#sseText += decoder.decode(chunk, { stream: true });
    const complete = this.#sseText.lastIndexOf('\n\n');
    if (complete + 2 > this.#sseChecked) {
      const fresh = this.#sseText.slice(this.#sseChecked, complete + 2);
      this.#sseChecked = complete + 2;
      for (const block of fresh.split(/\r?\n\r?\n/)) {
        const [event] = parseSse(block); // undefined for a heartbeat comment
        if (event)
          this.recorder.report(
            `${this.#where} (SSE id ${event.id})`,
            validateJobEventStream(block, eventSchemaOf(this.#where)),
          );
      }
    }
  }

  /** The whole body arrived. */
  end(): void {
    if (this.#done) return;
    this.#finish(true);
  }

  /** The body was cut off (the client broke off a stream): what arrived is still checked for SSE. */
  abort(): void {
    if (this.#done) return;
    this.#finish(false);
  }

  #finish(complete: boolean): void {
    this.#done = true;
    const contentType = this.#headers.get('content-type');
    const where = this.#where;
    const operation = this.#operation ?? `${this.method} ${this.url.pathname}`;
    if (this.#isSse) {
      this.recorder.report(where, validateResponse(operation, this.#status, contentType, this.#sseText));
      return;
    }
    if (!complete) return;
    const bytes = concat(this.#chunks);
    const media = mediaOf(contentType);
    if (media === 'application/octet-stream' && this.#status < 300) {
      this.recorder.report(where, validateResponse(operation, this.#status, contentType, bytes));
      this.recorder.report(where, checkBinaryInferBody(this.#headers, bytes));
      return;
    }
    const text = media === 'application/octet-stream' ? bytes : decoder.decode(bytes);
    this.recorder.report(where, validateResponse(operation, this.#status, contentType, text));
    if (this.#status >= 400 && typeof text === 'string')
      this.recorder.report(where, checkErrorEcho(this.#status, this.#headers, text));
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// An error body repeats the status and the request id of its headers (clients quote either).
function checkErrorEcho(status: number, headers: Headers, text: string): string[] {
  let body: { request_id?: unknown; status?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    return []; // validateResponse reports it
  }
  const problems: string[] = [];
  const requestId = headers.get('x-request-id');
  if (body.request_id !== requestId)
    problems.push(`error body request_id ${String(body.request_id)} != header ${requestId}`);
  if (body.status !== status) problems.push(`error body status ${String(body.status)} != ${status}`);
  return problems;
}

// A binary tensor response: its JSON header (Inference-Header-Content-Length bytes) is an InferResponse, and the
// raw data after it is exactly the sum of the outputs' binary_data_size.
function checkBinaryInferBody(headers: Headers, bytes: Uint8Array): string[] {
  const declared = headers.get('inference-header-content-length');
  const length = declared === null ? Number.NaN : Number(declared);
  if (!Number.isInteger(length) || length < 0 || length > bytes.length) {
    return [`binary response: Inference-Header-Content-Length is ${declared}, body has ${bytes.length} bytes`];
  }
  let header: { outputs?: Array<{ parameters?: { binary_data_size?: number } }> };
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(0, length)));
  } catch (error) {
    return [`binary response: the JSON header does not parse: ${(error as Error).message}`];
  }
  const problems = validateSchema('InferResponse', header);
  const raw = (header.outputs ?? []).reduce((n, o) => n + (o.parameters?.binary_data_size ?? 0), 0);
  if (raw !== bytes.length - length)
    problems.push(`binary response: outputs declare ${raw} raw bytes, the body has ${bytes.length - length}`);
  return problems;
}

/**
 * A fetch that goes through `globalThis.fetch` at call time (so msw's patched fetch answers) and lets the recorder
 * watch each response body as the caller reads it.
 */
export function recordingFetch(recorder: ResponseRecorder): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await globalThis.fetch(request);
    const observation = recorder.begin(request.method, request.url);
    observation.start(response.status, response.headers);
    const source = response.body;
    if (!source) {
      observation.end();
      return response;
    }
    const reader = source.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            observation.end();
            controller.close();
          } else {
            observation.data(value);
            controller.enqueue(value);
          }
        } catch (error) {
          observation.abort();
          controller.error(error);
        }
      },
      cancel(reason) {
        observation.abort();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

type RawHeaders = Record<string, string | string[] | undefined>;
interface ResponseHooks {
  onResponseStart(c: Dispatcher.DispatchController, status: number, headers: RawHeaders, message?: string): void;
  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void;
  onResponseEnd(c: Dispatcher.DispatchController, trailers: RawHeaders): void;
  onResponseError(c: Dispatcher.DispatchController, error: Error): void;
}
// DecoratorHandler adapts undici's old-style handlers (undici.request uses one) to the new hooks; its typings omit them.
const Decorator = DecoratorHandler as unknown as new (handler: Dispatcher.DispatchHandler) => ResponseHooks;

class RecordingHandler extends Decorator {
  constructor(
    handler: Dispatcher.DispatchHandler,
    private readonly observation: Observation,
  ) {
    super(handler);
  }

  override onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: RawHeaders,
    statusMessage?: string,
  ): void {
    const h = new Headers();
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) h.append(name, v);
    }
    if (statusCode >= 200) this.observation.start(statusCode, h);
    super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.observation.data(chunk);
    super.onResponseData(controller, chunk);
  }

  override onResponseEnd(controller: Dispatcher.DispatchController, trailers: RawHeaders): void {
    this.observation.end();
    super.onResponseEnd(controller, trailers);
  }

  override onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.observation.abort();
    super.onResponseError(controller, error);
  }
}

/** A keep-alive undici Agent whose every response is watched by the recorder. Close it when done. */
export function recordingDispatcher(recorder: ResponseRecorder): { dispatcher: Dispatcher; close(): Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const dispatcher = agent.compose(
    (dispatch) => (options, handler) =>
      dispatch(
        options,
        new RecordingHandler(
          handler,
          recorder.begin(options.method, new URL(options.path, String(options.origin)).toString()),
        ) as Dispatcher.DispatchHandler,
      ),
  );
  return { dispatcher, close: () => agent.close() };
}
