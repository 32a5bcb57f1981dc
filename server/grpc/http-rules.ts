// The HTTP API's rules that gRPC applies too — the one error mapping, the API-key check, request ids, version
// references and routing keys. app.ts (the composition root) hands them over from http/, so both protocols answer
// alike from one implementation while grpc/ itself never reaches into http/ (DESIGN.md §2, test/server/layout).

/** An error as the error body describes it (http/error-handler.ts `mapError`). */
export interface MappedError {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

export interface HttpRules {
  /** The one mapping of anything thrown to the error body's status, code and message. */
  mapError(err: unknown, maxBodySize: number): MappedError;
  /** Throws UnauthorizedError unless `open` or the `authorization` value carries a configured key. */
  authorize(open: boolean, authorization: string | undefined): void;
  /** The client's `x-request-id` when it is a sane token, else a fresh one. */
  requestId(given: string | undefined): string;
  /** A request's `version` as a version number or a label (checked as the HTTP path parameter is). */
  versionRef(version: string | undefined): { version?: number; label?: string };
  /** An `x-routing-key` value, bounded as the HTTP header is. */
  routingKey(value: string | undefined): string | undefined;
}
