// gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) and their correspondence with the
// HTTP statuses of the error body — one table, read by the server (HTTP status → gRPC code) and the SDK's gRPC
// transport (back), so a NOT_FOUND is the same NotFoundError whichever protocol carried it. Pure: no grpc-js import.

export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** Trailing metadata of a failed call: the error body's `code` and `status` (the gRPC code alone is coarser). */
export const ERROR_CODE_KEY = 'maas-error-code';
export const ERROR_STATUS_KEY = 'maas-error-status';
export const REQUEST_ID_KEY = 'x-request-id';
export const RETRY_AFTER_KEY = 'retry-after';

const FROM_HTTP: Readonly<Record<number, number>> = {
  400: GrpcStatus.INVALID_ARGUMENT,
  401: GrpcStatus.UNAUTHENTICATED,
  403: GrpcStatus.PERMISSION_DENIED,
  404: GrpcStatus.NOT_FOUND,
  405: GrpcStatus.UNIMPLEMENTED,
  408: GrpcStatus.DEADLINE_EXCEEDED,
  409: GrpcStatus.ABORTED,
  413: GrpcStatus.RESOURCE_EXHAUSTED,
  415: GrpcStatus.INVALID_ARGUMENT,
  422: GrpcStatus.INVALID_ARGUMENT,
  429: GrpcStatus.RESOURCE_EXHAUSTED,
  499: GrpcStatus.CANCELLED,
  501: GrpcStatus.UNIMPLEMENTED,
  503: GrpcStatus.UNAVAILABLE,
  504: GrpcStatus.DEADLINE_EXCEEDED,
};

/** The gRPC code for an error body's HTTP status: not found → NOT_FOUND, invalid input → INVALID_ARGUMENT, … */
export function grpcStatusForHttp(status: number): number {
  return FROM_HTTP[status] ?? (status >= 500 ? GrpcStatus.INTERNAL : GrpcStatus.INVALID_ARGUMENT);
}

const TO_HTTP: Readonly<Record<number, number>> = {
  [GrpcStatus.CANCELLED]: 499,
  [GrpcStatus.INVALID_ARGUMENT]: 400,
  [GrpcStatus.DEADLINE_EXCEEDED]: 504,
  [GrpcStatus.NOT_FOUND]: 404,
  [GrpcStatus.ALREADY_EXISTS]: 409,
  [GrpcStatus.PERMISSION_DENIED]: 403,
  [GrpcStatus.RESOURCE_EXHAUSTED]: 429,
  [GrpcStatus.FAILED_PRECONDITION]: 400,
  [GrpcStatus.ABORTED]: 409,
  [GrpcStatus.OUT_OF_RANGE]: 400,
  [GrpcStatus.UNIMPLEMENTED]: 501,
  [GrpcStatus.UNAVAILABLE]: 503,
  [GrpcStatus.UNAUTHENTICATED]: 401,
};

/** The HTTP status a gRPC code stands for, when the server did not say it (a server other than maas). */
export function httpStatusForGrpc(code: number): number {
  return TO_HTTP[code] ?? 500;
}
