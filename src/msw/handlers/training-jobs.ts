import { checkCreateBody } from '../../protocol/training-spec.js';
import { jobRoutes } from './jobs.js';

export const trainingJobsRoutes = jobRoutes({
  kind: 'training',
  path: '/v1/training-jobs',
  ops: ['createTrainingJob', 'listTrainingJobs', 'retrieveTrainingJob', 'cancelTrainingJob', 'listTrainingJobEvents'],
  create: (ctx, body) => ctx.state.createJob(checkCreateBody(body)),
});
