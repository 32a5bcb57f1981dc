import type { ServerFeature } from '../../services.js';
import { registerJobRoutes } from './job-routes.js';

/** POST/GET /v1/optimization-jobs, GET /v1/optimization-jobs/{id}, POST .../cancel, GET .../events (JSON or SSE). */
export const optimizationJobRoutes: ServerFeature = {
  name: 'optimization-jobs',
  setup(app, services) {
    registerJobRoutes(app, services, {
      kind: 'optimization',
      path: '/v1/optimization-jobs',
      createOperation: 'createOptimizationJob',
    });
  },
};
