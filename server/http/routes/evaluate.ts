import { checkEvaluateBody } from '../../../src/protocol/evaluate-request.js';
import { asServerError } from '../../errors.js';
import type { ServerFeature } from '../../services.js';
import { modelParam, versionParam } from '../params.js';

/** POST /v1/models/{model}/versions/{version}/evaluate: a version's figures on a dataset. */
export const evaluateRoutes: ServerFeature = {
  name: 'evaluate',
  setup(app, { evaluations }) {
    app.post('/v1/models/:model/versions/:version/evaluate', async (request) => {
      const model = modelParam(request.params);
      const version = versionParam(request.params)!;
      const body = asServerError(() => checkEvaluateBody(request.body));
      return evaluations.evaluate(model, version, body);
    });
  },
};
