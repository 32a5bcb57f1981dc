// grpc.health.v1.Health/Check (Triton's health.proto): SERVING while the server is ready, NOT_SERVING while it loads or
// drains — what Kubernetes' gRPC probes and service meshes ask. Open without an API key, like /v2/health/ready.

import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { NotFoundError } from '../errors.js';
import type { DataPlane } from '../inference/data-plane.js';
import type { CallWrapper } from './call-context.js';

/** The services Check knows: the server as a whole (''), and the inference service. */
const KNOWN = new Set(['', 'inference.GRPCInferenceService']);

export function healthService(dataPlane: DataPlane, wrap: CallWrapper): UntypedServiceImplementation {
  return {
    Check: wrap.unary<{ service?: string }>('Check', true, (request) => {
      const service = request.service ?? '';
      if (!KNOWN.has(service)) {
        throw new NotFoundError(
          'not_found',
          `Unknown service '${service}'; this server has inference.GRPCInferenceService`,
        );
      }
      return { status: dataPlane.isReady() ? 'SERVING' : 'NOT_SERVING' };
    }),
  };
}
