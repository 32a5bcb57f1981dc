// The one error type the codecs throw. The server maps it to a 400 (413 for payload_too_large) with `code`.

export type ProtocolErrorCode =
  | 'invalid_input'
  | 'datatype_mismatch'
  | 'input_shape_mismatch'
  | 'invalid_json'
  | 'payload_too_large';

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  /** Where the problem is, e.g. `inputs[0].data[3]`; empty when it concerns the whole body. */
  readonly field: string;
  /** The message without the field prefix. */
  readonly detail: string;

  constructor(code: ProtocolErrorCode, field: string, detail: string) {
    super(field ? `${field}: ${detail}` : detail);
    this.code = code;
    this.field = field;
    this.detail = detail;
  }
}

export function isProtocolError(e: unknown): e is ProtocolError {
  return e instanceof ProtocolError;
}
