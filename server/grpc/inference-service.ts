// inference.GRPCInferenceService: each RPC translates its request to the data plane or the registry — the same calls
// the HTTP routes make (http/routes/server.ts, infer.ts, repository.ts), so both protocols answer alike.

import type { Metadata, UntypedServiceImplementation } from '@grpc/grpc-js';
import { decodeWireInferRequest, encodeInferMessage, wireTensors } from '../../src/protocol/grpc/infer-messages.js';
import { MaasServerError, ModelNotFoundError, ModelNotReadyError, ServiceUnavailableError } from '../errors.js';
import type { DataPlane, InferResult } from '../inference/data-plane.js';
import { checkModelName } from '../inference/names.js';
import type { ModelRegistry } from '../inference/registry.js';
import { type CallWrapper, metadataValue } from './call-context.js';
import type { HttpRules } from './http-rules.js';

export interface InferenceServiceDeps {
  dataPlane: DataPlane;
  registry: ModelRegistry;
  rules: HttpRules;
}

/** Keeps a client on one version of a traffic split, as the HTTP header of the same name. */
export const ROUTING_KEY = 'x-routing-key';

interface NamedVersion {
  name?: string;
  version?: string;
}

/** A request's model name (checked before it can reach the filesystem) and version number or label. */
export function modelRef(rules: HttpRules, name: string | undefined, version: string | undefined, field = 'name') {
  return { name: checkModelName(name ?? '', field), ...rules.versionRef(version || undefined) };
}

/** `x-routing-key` metadata, bounded as the HTTP header is. */
export function routingKeyOf(rules: HttpRules, metadata: Metadata): string | undefined {
  return rules.routingKey(metadataValue(metadata, ROUTING_KEY));
}

/** The RPCs' handlers, by method name (the service definition's keys). */
export function inferenceService(deps: InferenceServiceDeps, wrap: CallWrapper): UntypedServiceImplementation {
  const { dataPlane, registry } = deps;

  return {
    ServerLive: wrap.unary('ServerLive', true, () => ({ live: dataPlane.isLive() })),
    ServerReady: wrap.unary('ServerReady', true, () => ({ ready: dataPlane.isReady() })),
    ServerMetadata: wrap.unary('ServerMetadata', true, () => dataPlane.serverMetadata()),

    ModelReady: wrap.unary<NamedVersion>('ModelReady', false, (request) => {
      const { name, version, label } = modelRef(deps.rules, request.name, request.version);
      // An unknown model is NOT_FOUND (as its HTTP 404); a known one that cannot serve is `ready: false`.
      try {
        dataPlane.modelReady(name, version, label);
        return { ready: true };
      } catch (err) {
        if (err instanceof ModelNotReadyError) return { ready: false };
        throw err;
      }
    }),

    ModelMetadata: wrap.unary<NamedVersion>('ModelMetadata', false, (request) => {
      const { name, version, label } = modelRef(deps.rules, request.name, request.version);
      return dataPlane.modelMetadata(name, version, label);
    }),

    ModelConfig: wrap.unary<NamedVersion>('ModelConfig', false, (request) => {
      const { name, version, label } = modelRef(deps.rules, request.name, request.version);
      return { config: dataPlane.modelConfig(name, version, label) };
    }),

    ModelStatistics: wrap.unary<NamedVersion>('ModelStatistics', false, (request) => {
      if (!request.name) {
        // Every model's (a version without a model names nothing).
        return dataPlane.modelStats();
      }
      const { name, version } = modelRef(deps.rules, request.name, request.version);
      return dataPlane.modelStats(name, version);
    }),

    ModelInfer: wrap.unary<Buffer>('ModelInfer', false, (bytes, _context, call) => {
      const controller = new AbortController();
      let answered = false;
      call.once('cancelled', () => {
        // Only a call still waiting is worth aborting (and an error worth building).
        if (!answered) {
          controller.abort(
            new ServiceUnavailableError('unavailable', 'The client cancelled the call before the model ran'),
          );
        }
      });
      return runInfer(deps, bytes, routingKeyOf(deps.rules, call.metadata), controller.signal).finally(() => {
        answered = true;
      });
    }),

    RepositoryIndex: wrap.unary<{ ready?: boolean }>('RepositoryIndex', false, async (request) => {
      const entries = await registry.index();
      return {
        models: entries
          .filter((e) => !request.ready || e.state === 'READY')
          .map((e) => ({ name: e.name, version: String(e.version), state: e.state, reason: e.reason })),
      };
    }),

    RepositoryModelLoad: wrap.unary<{ model_name?: string }>('RepositoryModelLoad', false, async (request) => {
      await registry.loadModel(checkModelName(request.model_name ?? '', 'model_name'));
      return {};
    }),

    RepositoryModelUnload: wrap.unary<{ model_name?: string }>('RepositoryModelUnload', false, async (request) => {
      await registry.unloadModel(checkModelName(request.model_name ?? '', 'model_name'));
      return {};
    }),

    ...notImplemented(wrap),
  };
}

/**
 * One ModelInferRequest through the data plane: decoded, run (batched with HTTP requests alike), encoded — raw when
 * the request came raw, else typed contents (FP16 outputs have no typed field: then the whole answer is raw).
 */
export async function runInfer(
  deps: InferenceServiceDeps,
  bytes: Uint8Array,
  routingKey: string | undefined,
  signal: AbortSignal | undefined,
  wrapStream = false,
): Promise<Uint8Array> {
  const request = decodeWireInferRequest(bytes);
  const { name, version, label } = modelRef(deps.rules, request.modelName, request.modelVersion, 'model_name');
  // An unknown model is NOT_FOUND whatever the tensors (as the HTTP route checks it before reading the body).
  if (!deps.registry.has(name)) {
    throw new ModelNotFoundError(
      name,
      deps.registry.listModels().map((m) => m.name),
    );
  }
  const inputs = wireTensors(request.inputs, request.rawInputContents, 'inputs');
  const outputs = request.outputs.length > 0 ? request.outputs.map((o) => o.name) : undefined;
  const options = { ...(signal ? { signal } : {}), ...(label ? { label } : {}), ...(routingKey ? { routingKey } : {}) };
  const result: InferResult = await deps.dataPlane.infer(name, version, inputs, outputs, options);
  return encodeInferMessage(
    'response',
    {
      modelName: result.modelName,
      modelVersion: result.modelVersion,
      id: request.id,
      tensors: result.outputs,
      raw: request.rawInputContents.length > 0,
    },
    wrapStream,
  );
}

/** The service's other RPCs (shared memory, trace and log settings): UNIMPLEMENTED, saying so. */
function notImplemented(wrap: CallWrapper): UntypedServiceImplementation {
  const what: Record<string, string> = {
    SystemSharedMemoryStatus: 'system shared memory',
    SystemSharedMemoryRegister: 'system shared memory',
    SystemSharedMemoryUnregister: 'system shared memory',
    CudaSharedMemoryStatus: 'CUDA shared memory',
    CudaSharedMemoryRegister: 'CUDA shared memory',
    CudaSharedMemoryUnregister: 'CUDA shared memory',
    TraceSetting: 'trace settings',
    LogSettings: 'log settings',
  };
  const out: UntypedServiceImplementation = {};
  for (const [rpc, feature] of Object.entries(what)) {
    out[rpc] = wrap.unary(rpc, false, () => {
      // 501 → UNIMPLEMENTED; the closest body code the contract has is `not_found`.
      throw new MaasServerError(
        501,
        'not_found',
        `${rpc} is not implemented: maas serve does not support ${feature}; send tensors in ModelInferRequest (raw_input_contents) instead`,
      );
    });
  }
  return out;
}
