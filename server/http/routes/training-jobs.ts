import type { ServerFeature } from '../../services.js';
import { registerJobRoutes } from './job-routes.js';

/** POST/GET /v1/training-jobs, GET /v1/training-jobs/{id}, POST .../cancel, GET .../events (JSON page or SSE). */
export const trainingJobRoutes: ServerFeature = {
  name: 'training-jobs',
  setup(app, services) {
    registerJobRoutes(app, services, {
      kind: 'training',
      path: '/v1/training-jobs',
      createOperation: 'createTrainingJob',
    });
  },
};
