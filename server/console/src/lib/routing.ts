import type { TrafficWeight } from '../../../../src/index.js';

/** Each weight of a split as a share of their sum, in percent (the weights need not add up to 100). */
export function splitPercentages(traffic: readonly TrafficWeight[]): (TrafficWeight & { percent: number })[] {
  const total = traffic.reduce((sum, t) => sum + t.weight, 0);
  return traffic.map((t) => ({ ...t, percent: total > 0 ? (t.weight / total) * 100 : 0 }));
}
