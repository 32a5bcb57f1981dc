// Triton's model-configuration and statistics extensions, which the server serves but the SDK has no method for yet
// (client.models.config/stats are on their way): read here with fetch, the same origin and the same key. Once the
// SDK has them, these become one-line calls to it and the types below come from src/types.ts.
import { APIError } from '../../../../src/index.js';
import { session } from './session.js';

interface Duration {
  count: number;
  ns: number;
}

/** One version's statistics (`GET /v2/models[/{model}]/stats`, Triton's field names). */
export interface ModelStats {
  name: string;
  version: string;
  last_inference: number;
  inference_count: number;
  execution_count: number;
  inference_stats: Record<
    'success' | 'fail' | 'queue' | 'compute_input' | 'compute_infer' | 'compute_output',
    Duration
  >;
  batch_stats: { batch_size: number; compute_infer: Duration }[];
}

/** The effective model configuration (`GET /v2/models/{model}/config`), defaults filled in. */
export type ModelConfig = Record<string, unknown>;

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json', ...session.authHeaders() }, signal });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: APIError keeps the text
  }
  if (!response.ok) throw APIError.generate(response.status, body, undefined, response.headers);
  return body as T;
}

const modelPath = (model: string) => `/v2/models/${encodeURIComponent(model)}`;

export function modelConfig(model: string, signal?: AbortSignal): Promise<ModelConfig> {
  return getJson<ModelConfig>(`${modelPath(model)}/config`, signal);
}

/** Every version of one model, or (without a name) of every model. */
export async function modelStats(model?: string, signal?: AbortSignal): Promise<ModelStats[]> {
  const path = model === undefined ? '/v2/models/stats' : `${modelPath(model)}/stats`;
  return (await getJson<{ model_stats: ModelStats[] }>(path, signal)).model_stats;
}
