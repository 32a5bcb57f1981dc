// Routing a model's traffic: labels on every protocol, a pinned default, a sticky weighted split, a shadow version,
// and the log of changes — the same on the server and the mock.
import { expect, it } from 'vitest';
import { identityModel } from '../../server/onnx/fixtures.js';
import { CONTRACT_AREAS } from '../support/contract-coverage.js';
import { apiError } from '../support/contract-expect.js';
import { describeContract } from '../support/contract-targets.js';

const MODEL = identityModel('FP32', [-1, 3]);
const inputs = { x: { data: new Float32Array([1, 2, 3]), shape: [1, 3] } };

describeContract('routing', CONTRACT_AREAS.routing, (t) => {
  it('labels name versions on OIP (the version segment) and TF Serving (the labels path); routed versions stay loaded', async () => {
    for (let i = 0; i < 3; i++) await t.client.models.upload('routed', MODEL);
    const model = await t.client.models.update('routed', { labels: { stable: '1', canary: '3' } });
    expect(model.labels).toEqual({ stable: '1', canary: '3' });
    // The version policy (latest 1) would keep only 3: labelled 1 stays READY.
    expect(model.versions.map((v) => [v.version, v.state])).toEqual([
      ['1', 'READY'],
      ['2', 'UNAVAILABLE'],
      ['3', 'READY'],
    ]);
    expect((await t.client.models.infer('routed', { inputs, version: 'canary' })).modelVersion).toBe('3');
    expect((await t.client.models.metadata('routed', { version: 'stable' })).name).toBe('routed');
    expect(await t.client.models.ready('routed', { version: 'stable' })).toBe(true);
    const raw = await t.session.raw('POST', '/v1/models/routed/labels/stable:predict', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [[1, 2, 3]] }),
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('x-model-version')).toBe('1');
    // The server runs the identity model; the mock answers its documented fake function (same shape).
    const row = (values: number[]) =>
      t.cap.realModelValues ? values : [expect.any(Number), expect.any(Number), expect.any(Number)];
    expect(raw.json()).toEqual({ predictions: [row([1, 2, 3])] });
    expect(await t.client.models.predict('routed', { instances: [[4, 5, 6]], label: 'canary' })).toEqual({
      predictions: [row([4, 5, 6])],
    });
    expect(await apiError(t.client.models.infer('routed', { inputs, version: 'beta' }))).toMatchObject({
      status: 404,
      code: 'version_not_found',
      message: "Model 'routed' has no version labelled 'beta'; its labels are 'stable', 'canary'",
    });
  });

  it('a pinned default takes unversioned traffic; null follows the version policy again', async () => {
    const pinned = await t.client.models.update('routed', { default_version: '1', reason: 'v3 under review' });
    expect(pinned).toMatchObject({ default_version: '1', pinned_version: '1', ready: true });
    expect((await t.client.models.infer('routed', { inputs })).modelVersion).toBe('1');
    const predict = await t.session.raw('POST', '/v1/models/routed:predict', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [[1, 2, 3]] }),
    });
    expect(predict.headers.get('x-model-version')).toBe('1');
    const unpinned = await t.client.models.update('routed', { default_version: null });
    expect(unpinned).toMatchObject({ default_version: '3', pinned_version: null });
    expect((await t.client.models.infer('routed', { inputs })).modelVersion).toBe('3');
  });

  it('a weighted split is sticky per routing key and spreads keys over its versions', async () => {
    await t.client.models.update('routed', {
      traffic: [
        { version: '1', weight: 50 },
        { version: '3', weight: 50 },
      ],
    });
    const first = (await t.client.models.infer('routed', { inputs, routingKey: 'user-7' })).modelVersion;
    for (let i = 0; i < 10; i++) {
      expect((await t.client.models.infer('routed', { inputs, routingKey: 'user-7' })).modelVersion).toBe(first);
    }
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 40; i++)
      seen.add((await t.client.models.infer('routed', { inputs, routingKey: `k${i}` })).modelVersion);
    expect(seen).toEqual(new Set(['1', '3']));
    expect((await t.client.models.retrieve('routed')).traffic).toEqual([
      { version: '1', weight: 50 },
      { version: '3', weight: 50 },
    ]);
  });

  it('a shadow version gets a copy of routed requests, compared with the primary answer', async () => {
    await t.client.models.update('routed', {
      traffic: null,
      default_version: '1',
      shadow: { version: '3', fraction: 1 },
    });
    for (let i = 0; i < 5; i++) await t.client.models.infer('routed', { inputs });
    // The server mirrors after answering, off the response path: wait for the five.
    let report = await t.client.models.shadow('routed');
    for (let i = 0; i < 100 && report.mirrored < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      report = await t.client.models.shadow('routed');
    }
    expect(report).toMatchObject({
      object: 'model.shadow',
      model: 'routed',
      version: '3',
      fraction: 1,
      mirrored: 5,
      failed: 0,
      argmax_agreement: 1,
      rows_compared: 5,
      max_abs_diff: 0,
    });
    expect(report.latency_ms.shadow_p50).toEqual(expect.any(Number));
    expect((await t.client.models.retrieve('routed')).shadow).toEqual({ version: '3', fraction: 1 });
  });

  it('refuses versions the model lacks (422) and bad shapes (400, every field at once)', async () => {
    expect(await apiError(t.client.models.update('routed', { default_version: '9' }))).toMatchObject({
      status: 422,
      code: 'version_not_found',
      message: "default_version: model 'routed' has no version 9; its versions are 1, 2, 3",
    });
    const bad = await t.session.raw('PATCH', '/v1/models/routed', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ labels: { '9x': '1' }, traffic: [{ version: '1', weight: -1 }], colour: 'red' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json().details.map((d: { field: string }) => d.field)).toEqual([
      'colour',
      'labels.9x',
      'traffic[0].weight',
    ]);
    expect(await apiError(t.client.models.update('no_such_model', { default_version: '1' }))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });

  it('records every change with its time and reason, oldest first, paged by id', async () => {
    const { data } = await t.client.models.events('routed');
    expect(data.map((e) => [e.id, e.kind, e.reason])).toEqual([
      [1, 'labels', 'label stable → version 1, label canary → version 3'],
      [2, 'default', 'v3 under review'],
      [3, 'default', 'default follows the version policy (highest READY)'],
      [4, 'traffic', 'traffic split v1 50 / v3 50'],
      [5, 'default', 'default pinned to version 1'],
      [6, 'traffic', 'traffic split removed'],
      [7, 'shadow', 'shadow: 100 % mirrored to version 3'],
    ]);
    expect(data[1]).toMatchObject({
      object: 'model.event',
      model: 'routed',
      default_version: '1',
      labels: { stable: '1', canary: '3' },
    });
    const page = await t.client.models.events('routed', { after: 5, limit: 1 });
    expect(page).toMatchObject({ has_more: true, next_cursor: '6', data: [{ id: 6 }] });
  });
});
