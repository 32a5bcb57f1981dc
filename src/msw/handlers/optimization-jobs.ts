import { checkEvaluateBody } from '../../protocol/evaluate-request.js';
import { json } from '../context.js';
import { evaluateInMock } from '../optimization.js';
import { modelParam, versionParam } from '../params.js';
import type { RouteDef } from '../router.js';
import { jobRoutes } from './jobs.js';

export const optimizationJobsRoutes: RouteDef[] = [
  ...jobRoutes({
    kind: 'optimization',
    path: '/v1/optimization-jobs',
    ops: [
      'createOptimizationJob',
      'listOptimizationJobs',
      'retrieveOptimizationJob',
      'cancelOptimizationJob',
      'listOptimizationJobEvents',
    ],
    create: (ctx, body) => ctx.state.createOptimizationJob(body),
  }),
  {
    operationId: 'evaluateModelVersion',
    method: 'POST',
    path: '/v1/models/:model/versions/:version/evaluate',
    handle: async (ctx) => {
      const body = checkEvaluateBody(await ctx.routeBody());
      ctx.state.sync();
      return json(evaluateInMock(ctx.state, modelParam(ctx), versionParam(ctx), body));
    },
  },
];
