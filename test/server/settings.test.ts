import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadSettings,
  parseByteSize,
  resolveSettings,
  SettingsError,
  settingSpecs,
  settingsHelp,
} from '../../server/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'maas-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('settings', () => {
  it('has documented defaults, with the model repository under the data dir', () => {
    const s = loadSettings({ env: {}, cwd: '/srv' });
    expect(s).toEqual({
      modelRepository: '/srv/.maas-data/models',
      createRepository: true,
      demo: false,
      host: '127.0.0.1',
      port: 8000,
      grpc: true,
      grpcPort: 8001,
      metricsPort: undefined,
      pollInterval: 0,
      maxBodySize: 64 * 1024 * 1024,
      maxDatasetSize: 100 * 1024 * 1024,
      intraOpThreads: 0,
      instanceCount: 1,
      sessionThreads: 'auto',
      inlineRunLimit: 1000,
      maxInflight: 1024,
      maxEvaluations: 2,
      drainDelay: 5,
      apiKeys: [],
      dataDir: '/srv/.maas-data',
      database: null,
      queue: null,
      jobLease: 30,
      maxConcurrentJobs: 1,
      shutdownTimeout: 10,
      logLevel: 'warn',
      logFormat: 'json',
    });
  });

  it('layers default < config file < MAAS_* env < flag', () => {
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({ port: 9000, host: '0.0.0.0', 'poll-interval': 5, maxBodySize: '1mb', 'data-dir': 'data' }),
    );
    const s = loadSettings({
      cwd: '/work',
      flags: { config, port: '9002' },
      env: { MAAS_PORT: '9001', MAAS_POLL_INTERVAL: '2.5' },
    });
    expect(s.port).toBe(9002);
    expect(s.pollInterval).toBe(2.5);
    expect(s.host).toBe('0.0.0.0');
    expect(s.maxBodySize).toBe(1024 * 1024);
    // Paths in the config file are relative to the file.
    expect(s.dataDir).toBe(resolve(dir, 'data'));
    expect(s.modelRepository).toBe(resolve(dir, 'data', 'models'));
  });

  it('serves gRPC unless --no-grpc (or MAAS_GRPC=false, or "no-grpc": true / "grpc": false in the file)', () => {
    expect(loadSettings({ env: {}, flags: { 'no-grpc': true } }).grpc).toBe(false);
    expect(loadSettings({ env: { MAAS_GRPC: 'false' } }).grpc).toBe(false);
    expect(loadSettings({ env: { MAAS_GRPC_PORT: '0' } }).grpcPort).toBe(0);
    expect(loadSettings({ env: {}, flags: { 'grpc-port': '9001' } }).grpcPort).toBe(9001);
    expect(() => loadSettings({ env: {}, flags: { 'grpc-port': '70000' } })).toThrow(/--grpc-port/);
    const byFlag = join(dir, 'no-grpc.json');
    writeFileSync(byFlag, JSON.stringify({ 'no-grpc': true }));
    expect(loadSettings({ env: {}, flags: { config: byFlag } }).grpc).toBe(false);
    const byKey = join(dir, 'grpc-false.json');
    writeFileSync(byKey, JSON.stringify({ grpc: false }));
    expect(loadSettings({ env: {}, flags: { config: byKey } }).grpc).toBe(false);
  });

  it('takes --max-evaluations from a flag, MAAS_MAX_EVALUATIONS or the file, 0 to 64', () => {
    expect(loadSettings({ env: {}, flags: { 'max-evaluations': '5' } }).maxEvaluations).toBe(5);
    expect(loadSettings({ env: { MAAS_MAX_EVALUATIONS: '0' } }).maxEvaluations).toBe(0);
    const config = join(dir, 'evaluations.json');
    writeFileSync(config, JSON.stringify({ 'max-evaluations': 3 }));
    expect(loadSettings({ env: {}, flags: { config } }).maxEvaluations).toBe(3);
    expect(() => loadSettings({ env: {}, flags: { 'max-evaluations': '65' } })).toThrow(
      new SettingsError("--max-evaluations: expected an integer from 0 to 64, got '65'"),
    );
  });

  it('takes --session-threads and --inline-run-limit from a flag or MAAS_*, naming a bad value', () => {
    const flags = { 'session-threads': 'workers', 'inline-run-limit': '250' };
    expect(loadSettings({ env: {}, flags })).toMatchObject({ sessionThreads: 'workers', inlineRunLimit: 250 });
    expect(loadSettings({ env: { MAAS_SESSION_THREADS: 'main', MAAS_INLINE_RUN_LIMIT: '5000' } })).toMatchObject({
      sessionThreads: 'main',
      inlineRunLimit: 5000,
    });
    expect(() => loadSettings({ env: {}, flags: { 'inline-run-limit': '0' } })).toThrow(
      new SettingsError("--inline-run-limit: expected an integer from 1 to 1000000, got '0'"),
    );
    expect(() => loadSettings({ env: {}, flags: { 'session-threads': 'sometimes' } })).toThrow(
      new SettingsError("--session-threads: expected one of auto, workers, main, got 'sometimes'"),
    );
  });

  it('reads the config file from MAAS_CONFIG too', () => {
    const config = join(dir, 'env-config.json');
    writeFileSync(config, JSON.stringify({ 'api-key': ['a', 'b'] }));
    expect(loadSettings({ env: { MAAS_CONFIG: config } }).apiKeys).toEqual(['a', 'b']);
  });

  it('takes API keys from repeated flags or a comma-separated env var; the flag wins', () => {
    expect(loadSettings({ env: { MAAS_API_KEYS: 'k1, k2,,' } }).apiKeys).toEqual(['k1', 'k2']);
    expect(loadSettings({ env: { MAAS_API_KEYS: 'k1' }, flags: { 'api-key': ['x', 'y'] } }).apiKeys).toEqual([
      'x',
      'y',
    ]);
  });

  it('parses sizes with units as powers of 1024', () => {
    expect(parseByteSize('1048576')).toBe(1048576);
    expect(parseByteSize('512kb')).toBe(512 * 1024);
    expect(parseByteSize('64MB')).toBe(64 * 1024 * 1024);
    expect(parseByteSize('1gb')).toBe(1024 ** 3);
    expect(parseByteSize('1.5mib')).toBe(1.5 * 1024 * 1024);
    expect(() => parseByteSize('lots', '--max-body-size')).toThrow(
      "--max-body-size: expected a size such as 1048576, 512kb, 64mb or 1gb, got 'lots'",
    );
  });

  it('names the source of a bad value', () => {
    expect(() => loadSettings({ env: {}, flags: { port: 'http' } })).toThrow(
      new SettingsError("--port: expected an integer from 0 to 65535, got 'http'"),
    );
    expect(() => loadSettings({ env: { MAAS_PORT: '70000' } })).toThrow(
      "MAAS_PORT: expected an integer from 0 to 65535, got '70000'",
    );
    expect(() => loadSettings({ env: { MAAS_LOG_LEVEL: 'loud' } })).toThrow('MAAS_LOG_LEVEL: expected one of');
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ prot: 1 }));
    expect(() => loadSettings({ env: {}, configFile: config })).toThrow(`--config ${config}: "prot" is not a setting`);
    writeFileSync(config, '{nope');
    expect(() => loadSettings({ env: {}, configFile: config })).toThrow(`--config ${config}: not valid JSON`);
  });

  it('resolveSettings fills defaults for programmatic use without reading env', () => {
    const s = resolveSettings({ port: 0, modelRepository: undefined }, '/x');
    expect(s.port).toBe(0);
    expect(s.modelRepository).toBe('/x/.maas-data/models');
  });

  it('creates only the default repository; a named one must exist unless --create-repository; --demo seeds its own', () => {
    expect(loadSettings({ env: {}, cwd: '/srv', flags: { 'model-repository': 'm' } })).toMatchObject({
      modelRepository: '/srv/m',
      createRepository: false,
    });
    expect(
      loadSettings({ env: { MAAS_CREATE_REPOSITORY: 'yes' }, cwd: '/srv', flags: { 'model-repository': 'm' } })
        .createRepository,
    ).toBe(true);
    expect(loadSettings({ env: {}, cwd: '/srv', flags: { demo: true } })).toMatchObject({
      demo: true,
      modelRepository: '/srv/.maas-data/demo-models',
    });
    expect(() => loadSettings({ env: { MAAS_DEMO: 'maybe' } })).toThrow(
      "MAAS_DEMO: expected true or false (1/0, yes/no), got 'maybe'",
    );
  });

  it('documents every setting with its flag, env var and default in --help', () => {
    const help = settingsHelp();
    for (const spec of settingSpecs) {
      expect(help).toContain(`--${spec.flag}${spec.valueName ? ` ${spec.valueName}` : ''}\n`);
      expect(help).toContain(`env ${spec.env}; default ${spec.defaultText}`);
    }
  });

  it('takes a PostgreSQL --database and a --queue on the same database, and explains what does not fit', () => {
    const pg = 'postgres://maas:pw@db.internal:5432/maas';
    expect(
      loadSettings({ env: { MAAS_DATABASE: pg, MAAS_QUEUE: pg }, flags: { 'max-concurrent-jobs': '0' } }),
    ).toMatchObject({ database: pg, queue: pg, maxConcurrentJobs: 0, jobLease: 30 });
    expect(() => loadSettings({ env: {}, flags: { database: 'mysql://h/db' } })).toThrow(
      '--database: expected a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL, got mysql://h/db',
    );
    expect(() => loadSettings({ env: {}, flags: { database: pg, queue: 'redis://cache:6379' } })).toThrow(
      '--queue: Redis is not supported; maas keeps jobs and their queue (pg-boss) in PostgreSQL',
    );
    expect(() => loadSettings({ env: {}, flags: { queue: pg } })).toThrow('--queue needs --database');
    expect(() => loadSettings({ env: {}, flags: { database: pg, queue: 'postgres://db.internal/other' } })).toThrow(
      '--queue must name the --database database',
    );
    expect(() => loadSettings({ env: {}, flags: { 'max-concurrent-jobs': '0' } })).toThrow(
      '--max-concurrent-jobs 0 needs --queue',
    );
  });
});
