import { emptyExposition, METRICS_CONTENT_TYPE } from '../../protocol/metric-families.js';
import type { RouteDef } from '../router.js';

/**
 * `GET /metrics`: the mock has no process to measure, so it answers a valid exposition with every family's HELP and
 * TYPE lines and no samples (a scraper pointed at it sees the names, not numbers).
 */
export const metricsRoutes: RouteDef[] = [
  {
    operationId: 'getMetrics',
    method: 'GET',
    path: '/metrics',
    handle: () => new Response(emptyExposition(), { headers: { 'content-type': METRICS_CONTENT_TYPE } }),
  },
];
