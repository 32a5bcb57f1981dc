// The SDK's only import of @grpc/grpc-js: one channel to inference.GRPCInferenceService and one unary call shape.
// Messages go through src/protocol/grpc's codec as bytes, so grpc-js only frames them (no proto-loader at run time).

import {
  type CallOptions,
  type ChannelCredentials,
  type ChannelOptions,
  Client,
  credentials,
  Metadata,
  type ServiceError,
  status,
} from '@grpc/grpc-js';

import { ERROR_STATUS_KEY } from '../protocol/grpc/status-codes.js';

const SERVICE = '/inference.GRPCInferenceService/';

const passBytes = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const keepBytes = (bytes: Buffer): Uint8Array => bytes;

/** What one successful call returns: the response message's bytes and the server's metadata (headers + trailers). */
export interface UnaryReply {
  bytes: Uint8Array;
  metadata: Record<string, string>;
}

/** A failed call: the gRPC status, its message, and the server's trailing metadata. */
export interface UnaryFailure {
  code: number;
  details: string;
  metadata: Record<string, string>;
  /** The call never reached a server that answered (connection refused, reset, DNS). */
  connection: boolean;
}

export interface ChannelConfig {
  address: string;
  credentials?: ChannelCredentials | undefined;
  channelOptions?: ChannelOptions | undefined;
}

/** A grpc-js client to one address; calls pass message bytes through. */
export class InferenceChannel {
  readonly #client: Client;

  constructor(config: ChannelConfig) {
    this.#client = new Client(config.address, config.credentials ?? credentials.createInsecure(), {
      // grpc-js refuses messages above 4 MiB by default; the server's own limit (--max-body-size) is what counts.
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
      ...config.channelOptions,
    });
  }

  /** One unary RPC; `signal` cancels it, `deadlineMs` bounds it. Rejects with a UnaryFailure. */
  unary(
    method: string,
    request: Uint8Array,
    headers: Readonly<Record<string, string>>,
    deadlineMs: number,
    signal: AbortSignal | undefined,
  ): Promise<UnaryReply> {
    const metadata = new Metadata();
    for (const key in headers) metadata.set(key, headers[key]!);
    const options: CallOptions = deadlineMs > 0 ? { deadline: Date.now() + deadlineMs } : {};
    return new Promise((resolve, reject) => {
      let message: Uint8Array | undefined;
      let failed: ServiceError | undefined;
      let initial: Metadata | undefined;
      const call = this.#client.makeUnaryRequest(
        SERVICE + method,
        passBytes,
        keepBytes,
        request,
        metadata,
        options,
        (err, value) => {
          if (err) failed = err;
          else message = value;
        },
      );
      const onAbort = () => call.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      call.on('metadata', (m: Metadata) => (initial = m));
      // The callback runs first; 'status' carries the trailers, so the call settles here.
      call.on('status', (s: { code: number; details: string; metadata: Metadata }) => {
        signal?.removeEventListener('abort', onAbort);
        const all = { ...flatten(initial), ...flatten(s.metadata) };
        if (s.code === status.OK && message !== undefined) resolve({ bytes: message, metadata: all });
        else
          reject({
            code: failed?.code ?? s.code,
            details: failed?.details ?? s.details,
            metadata: all,
            // A server's own UNAVAILABLE (overloaded, draining) carries its error status; grpc-js's has none.
            connection: s.code === status.UNAVAILABLE && all[ERROR_STATUS_KEY] === undefined,
          } satisfies UnaryFailure);
      });
    });
  }

  close(): void {
    this.#client.close();
  }
}

function flatten(metadata: Metadata | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!metadata) return out;
  for (const [key, value] of Object.entries(metadata.getMap())) {
    if (key.endsWith('-bin')) continue; // binary values are not header text
    out[key] = typeof value === 'string' ? value : value.toString('utf8');
  }
  return out;
}
