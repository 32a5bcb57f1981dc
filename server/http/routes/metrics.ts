import type { ServerFeature } from '../../services.js';

/**
 * `GET /metrics`: Prometheus text format, behind the API keys like every other route. With `--metrics-port` it is
 * served on that port instead (server/observability/metrics-server.ts) and not here.
 */
export const metricsRoutes: ServerFeature = {
  name: 'metrics',
  setup(app, { metrics, settings }) {
    if (settings.metricsPort !== undefined) return;
    app.get('/metrics', async (_request, reply) =>
      reply.header('content-type', metrics.contentType).send(await metrics.scrape()),
    );
  },
};
