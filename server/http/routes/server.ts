import { ServiceUnavailableError } from '../../errors.js';
import type { ServerFeature } from '../../services.js';
import { modelParam, versionParam, versionRef } from '../params.js';

/** OIP server metadata, health, model metadata and model readiness. */
export const serverRoutes: ServerFeature = {
  name: 'oip-server',
  setup(app, { dataPlane, lifecycle }) {
    app.get('/v2', async () => dataPlane.serverMetadata());
    app.get('/v2/health/live', async () => ({ live: dataPlane.isLive() }));
    app.get('/v2/health/ready', async () => {
      if (!dataPlane.isReady()) {
        const why = lifecycle.loaded ? 'it is shutting down' : 'it is loading models';
        throw new ServiceUnavailableError('unavailable', `The server is not ready: ${why}`);
      }
      return { ready: true };
    });

    const metadata = async (request: { params: unknown }) => {
      const { version, label } = versionRef(request.params);
      return dataPlane.modelMetadata(modelParam(request.params), version, label);
    };
    app.get('/v2/models/:model', metadata);
    app.get('/v2/models/:model/versions/:version', metadata);

    const ready = async (request: { params: unknown }) => {
      const { version, label } = versionRef(request.params);
      return dataPlane.modelReady(modelParam(request.params), version, label);
    };
    app.get('/v2/models/:model/ready', ready);
    app.get('/v2/models/:model/versions/:version/ready', ready);

    // Triton's model-configuration extension: the effective configuration, defaults filled in.
    const config = async (request: { params: unknown }) => {
      const { version, label } = versionRef(request.params);
      return dataPlane.modelConfig(modelParam(request.params), version, label);
    };
    app.get('/v2/models/:model/config', config);
    app.get('/v2/models/:model/versions/:version/config', config);

    // Triton's statistics extension.
    app.get('/v2/models/stats', async () => dataPlane.modelStats());
    const stats = async (request: { params: unknown }) =>
      dataPlane.modelStats(modelParam(request.params), versionParam(request.params));
    app.get('/v2/models/:model/stats', stats);
    app.get('/v2/models/:model/versions/:version/stats', stats);
  },
};
