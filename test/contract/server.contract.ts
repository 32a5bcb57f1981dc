// Server metadata, health, the contract document, and answers for routes the contract does not have.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { METRIC_FAMILIES } from '../../src/protocol/metric-families.js';
import { CONTRACT_AREAS } from '../support/contract-coverage.js';
import { describeContract } from '../support/contract-targets.js';
import { parseExposition } from '../support/exposition.js';

const SPEC_TEXT = readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8');
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describeContract('server', CONTRACT_AREAS.server, (t) => {
  it('GET /v2: name, package version and the protocol extensions', async () => {
    const meta = await t.client.server.metadata();
    expect(meta).toEqual({
      name: 'maas',
      version: PACKAGE_VERSION,
      extensions: expect.arrayContaining(['binary_tensor_data', 'model_repository', 'tf_serving_predict']),
    });
  });

  it('health: live and ready are 200 with their JSON bodies', async () => {
    expect(await t.client.server.live()).toBe(true);
    expect(await t.client.server.ready()).toBe(true);
    const live = await t.session.raw('GET', '/v2/health/live');
    expect([live.status, live.json()]).toEqual([200, { live: true }]);
    const ready = await t.session.raw('GET', '/v2/health/ready');
    expect([ready.status, ready.json()]).toEqual([200, { ready: true }]);
  });

  it('GET /openapi.yaml serves this very contract', async () => {
    const { data, response } = await t.client.spec().withResponse();
    expect(data).toBe(SPEC_TEXT);
    expect(response.headers.get('content-type')).toMatch(/^application\/yaml/);
  });

  it('GET /metrics: Prometheus text format 0.0.4 with every maas_ family, its type and help', async () => {
    const { data, response } = await t.client.server.metrics().withResponse();
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parseExposition(data);
    for (const family of METRIC_FAMILIES) {
      expect(families.get(family.name), family.name).toMatchObject({ type: family.type, help: family.help });
      for (const sample of families.get(family.name)!.samples) {
        expect(Object.keys(sample.labels).filter((l) => l !== 'le')).toEqual(family.labels);
      }
    }
  });

  it('echoes a client x-request-id and makes one up otherwise', async () => {
    const echoed = await t.session.raw('GET', '/v2', { headers: { 'x-request-id': 'contract-42' } });
    expect(echoed.headers.get('x-request-id')).toBe('contract-42');
    const made = await t.session.raw('GET', '/v2');
    expect(made.headers.get('x-request-id')).toMatch(/\S/);
  });

  it('an unknown path is a 404 not_found, a known path with the wrong method a 405 method_not_allowed', async () => {
    const missing = await t.session.raw('GET', '/v1/nothing-here');
    expect([missing.status, missing.json().code]).toEqual([404, 'not_found']);
    const wrongMethod = await t.session.raw('DELETE', '/v1/models');
    expect([wrongMethod.status, wrongMethod.json().code]).toEqual([405, 'method_not_allowed']);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });
});
