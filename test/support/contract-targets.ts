// The three targets the contract suite runs against, and `describeContract`, which runs one behaviour suite on each.
// (a) the real server on 127.0.0.1:0 (temp copy of examples/models, temp data dir), SDK on its undici transport;
// (b) the msw handlers under setupServer, SDK with a fetch transport (msw patches the global fetch);
// (c) the msw handlers behind a node:http bridge, SDK on its undici transport (msw never sees undici's requests).
// Every response of every target goes through one ResponseRecorder (see contract-recorder.ts) and is checked
// against openapi.yaml; a violation fails the test that caused it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import { type Dispatcher, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getCurrentSuite } from 'vitest/suite';
import { MaasClient, type TrainingJob } from '../../src/index.js';
import { createMaasHandlers, DEFAULT_MODELS, type MaasMockState } from '../../src/msw/index.js';
import { startMswBridge } from './contract-msw-bridge.js';
import { ResponseRecorder, recordingDispatcher, recordingFetch } from './contract-recorder.js';
import { allOperations } from './openapi-validator.js';
import { startTestServer } from './server.js';

/** Where targets legitimately differ. Tests branch only through these, with `it.skipIf(...)`/`it.runIf(...)`. */
export interface ContractCapabilities {
  /** keras_mlp runs its real (untrained, seed 42) weights; the mock answers its documented function (runFakeModel). */
  realModelValues: boolean;
  /** Training runs real gradient descent: a trained model's outputs come from the learned weights. */
  realTraining: boolean;
  /** Test-controlled state (msw `state`): jobs can be stepped one at a time, state inspected. */
  mockState: boolean;
  /** How the SDK reaches the target. */
  transport: 'undici' | 'fetch';
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  json(): any;
}

export interface RawInit {
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface ContractSession {
  /** A client with no API key (`apiKey: null`) and no retries, so every status reaches the test. */
  client: MaasClient;
  baseUrl: string;
  /** One request outside the SDK (malformed bodies, raw headers), through the same recorder. */
  raw(method: string, path: string, init?: RawInit): Promise<RawResponse>;
  /** Runs every queued or running job to its end (server: waits for them; msw: `state.advance()`). */
  advanceJobs(): Promise<void>;
  /** The msw state, on the mock targets. */
  state: MaasMockState | undefined;
  recorder: ResponseRecorder;
  close(): Promise<void>;
}

export interface StartOptions {
  apiKeys?: string[];
}

export interface ContractTarget {
  name: string;
  capabilities: ContractCapabilities;
  start(options?: StartOptions): Promise<ContractSession>;
}

const DEMO_MODELS = fileURLToPath(new URL('../../examples/models', import.meta.url));
/**
 * The demo models every target starts with: msw is seeded with them, the server loads a copy of exactly their files
 * from examples/models (so whatever else a user put in that folder does not change what the tests see).
 */
export const DEMO_MODEL_NAMES: readonly string[] = DEFAULT_MODELS.map((m) => m.name).sort();

function copyDemoModels(target: string): void {
  for (const seed of DEFAULT_MODELS) {
    const files = ['config.json', ...seed.versions.map((v, i) => `${v.version ?? String(i + 1)}/model.onnx`)];
    for (const file of files) {
      mkdirSync(dirname(join(target, seed.name, file)), { recursive: true });
      copyFileSync(join(DEMO_MODELS, seed.name, file), join(target, seed.name, file));
    }
  }
}
/** Time drives mock jobs (as wall time drives the server's): one step (start, or one epoch) per 5 ms. */
const MOCK_CLOCK = { speed: 1, epochMs: 5 };
const CLIENT_DEFAULTS = { apiKey: null, maxRetries: 0, timeout: 30_000 } as const;

function rawOverUndici(baseUrl: string, dispatcher: Dispatcher): ContractSession['raw'] {
  return async (method, path, init = {}) => {
    const response = await request(`${baseUrl}${path}`, {
      dispatcher,
      method: method as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body,
    });
    const headers = new Headers();
    for (const [k, v] of Object.entries(response.headers)) {
      if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    const text = await response.body.text();
    return { status: response.statusCode, headers, text, json: () => JSON.parse(text) };
  };
}

function rawOverFetch(baseUrl: string, fetchImpl: typeof fetch): ContractSession['raw'] {
  return async (method, path, init = {}) => {
    const response = await fetchImpl(`${baseUrl}${path}`, {
      method,
      headers: init.headers,
      body: init.body as BodyInit | undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  };
}

const TERMINAL = new Set<TrainingJob['status']>(['succeeded', 'failed', 'cancelled']);

async function waitForJobs(client: MaasClient): Promise<void> {
  for (let tries = 0; tries < 600; tries++) {
    const active: string[] = [];
    for await (const job of client.trainingJobs.list({ limit: 100 }))
      if (!TERMINAL.has(job.status)) active.push(job.id);
    if (active.length === 0) return;
    await Promise.all(active.map((id) => client.trainingJobs.wait(id, { timeout: 60_000 })));
  }
  throw new Error('advanceJobs: jobs still active');
}

export const serverTarget: ContractTarget = {
  name: 'server',
  capabilities: { realModelValues: true, realTraining: true, mockState: false, transport: 'undici' },
  async start(options = {}) {
    const temp = mkdtempSync(join(tmpdir(), 'maas-contract-'));
    const modelRepository = join(temp, 'models');
    copyDemoModels(modelRepository);
    const server = await startTestServer({
      modelRepository,
      dataDir: join(temp, 'data'),
      apiKeys: options.apiKeys ?? [],
      settings: { intraOpThreads: 1 },
    });
    const recorder = new ResponseRecorder();
    const tap = recordingDispatcher(recorder);
    const client = new MaasClient({ ...CLIENT_DEFAULTS, baseUrl: server.baseUrl, dispatcher: tap.dispatcher });
    return {
      client,
      baseUrl: server.baseUrl,
      raw: rawOverUndici(server.baseUrl, tap.dispatcher),
      advanceJobs: () =>
        waitForJobs(options.apiKeys?.[0] ? client.withOptions({ apiKey: options.apiKeys[0] }) : client),
      state: undefined,
      recorder,
      async close() {
        await client.close();
        await tap.close();
        try {
          await server.close();
        } finally {
          rmSync(temp, { recursive: true, force: true });
        }
      },
    };
  },
};

export const mswFetchTarget: ContractTarget = {
  name: 'msw (setupServer, fetch transport)',
  capabilities: { realModelValues: false, realTraining: false, mockState: true, transport: 'fetch' },
  async start(options = {}) {
    const baseUrl = 'http://maas.contract.test:8000';
    const mock = createMaasHandlers({ baseUrl, apiKeys: options.apiKeys ?? [], clock: MOCK_CLOCK });
    const server = setupServer(...mock.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    const recorder = new ResponseRecorder();
    const fetchImpl = recordingFetch(recorder);
    const client = new MaasClient({ ...CLIENT_DEFAULTS, baseUrl, fetch: fetchImpl });
    return {
      client,
      baseUrl,
      raw: rawOverFetch(baseUrl, fetchImpl),
      advanceJobs: async () => {
        mock.state.advance();
      },
      state: mock.state,
      recorder,
      async close() {
        await client.close();
        server.close();
      },
    };
  },
};

export const mswBridgeTarget: ContractTarget = {
  name: 'msw (node:http bridge, undici transport)',
  capabilities: { realModelValues: false, realTraining: false, mockState: true, transport: 'undici' },
  async start(options = {}) {
    let state: MaasMockState | undefined;
    const bridge = await startMswBridge((baseUrl) => {
      const mock = createMaasHandlers({ baseUrl, apiKeys: options.apiKeys ?? [], clock: MOCK_CLOCK });
      state = mock.state;
      return mock.handlers;
    });
    const recorder = new ResponseRecorder();
    const tap = recordingDispatcher(recorder);
    const client = new MaasClient({ ...CLIENT_DEFAULTS, baseUrl: bridge.baseUrl, dispatcher: tap.dispatcher });
    return {
      client,
      baseUrl: bridge.baseUrl,
      raw: rawOverUndici(bridge.baseUrl, tap.dispatcher),
      advanceJobs: async () => {
        state?.advance();
      },
      state,
      recorder,
      async close() {
        await client.close();
        await tap.close();
        await bridge.close();
      },
    };
  },
};

export const CONTRACT_TARGETS: readonly ContractTarget[] = [serverTarget, mswFetchTarget, mswBridgeTarget];

/** What a suite body sees: the target's static capabilities now, its session once `beforeAll` has started it. */
export interface ContractContext {
  readonly target: ContractTarget;
  readonly cap: ContractCapabilities;
  readonly session: ContractSession;
  readonly client: MaasClient;
}

/** How a contract file runs on each target. */
export interface ContractOptions extends StartOptions {
  /**
   * Why this file's tests must run in the order written (each continues what an earlier one left in the session).
   * Leave it out when the tests run in any order: then they are shuffled along with `--sequence.shuffle`.
   */
  inOrderBecause?: string;
}

/**
 * Runs `define` once per target. Every response is validated (a violation fails the test that caused it), and a last
 * test checks that the suite really exercised each operation it claims to cover.
 */
export function describeContract(
  area: string,
  covers: readonly string[],
  define: (t: ContractContext) => void,
  options: ContractOptions = {},
): void {
  const known = new Set(allOperations().map((o) => o.operationId));
  for (const op of covers) if (!known.has(op)) throw new Error(`describeContract: openapi.yaml has no '${op}'`);
  const { inOrderBecause, ...startOptions } = options;
  // `--sequence.shuffle` as the run has it (vitest records it on the file while collecting).
  const shuffleRun = getCurrentSuite().file.shuffle ?? false;
  for (const target of CONTRACT_TARGETS) {
    // In order on purpose: the coverage test reads what every behaviour test sent, so it runs after them.
    describe(`${area} — '${target.name}'`, { shuffle: false }, () => {
      let session: ContractSession | undefined;
      const ctx: ContractContext = {
        target,
        cap: target.capabilities,
        get session() {
          if (!session) throw new Error(`${target.name} did not start`);
          return session;
        },
        get client() {
          return ctx.session.client;
        },
      };
      beforeAll(async () => {
        session = await target.start(startOptions);
      });
      afterEach(() => {
        if (session)
          expect(session.recorder.takeViolations(), 'responses that openapi.yaml does not allow').toEqual([]);
      });
      afterAll(async () => {
        await session?.close();
      });

      describe(inOrderBecause ? 'in order' : 'any order', { shuffle: inOrderBecause ? false : shuffleRun }, () =>
        define(ctx),
      );

      it(`exercised every operation it covers (${covers.length})`, () => {
        const seen = ctx.session.recorder.operationsSeen();
        expect(covers.filter((op) => !seen.has(op))).toEqual([]);
      });
    });
  }
}
