// deploy/: the Kubernetes objects are checked against Kubernetes' own OpenAPI schemas (kubernetes-models; they
// check types, formats and required fields, not unknown keys), the KServe objects against the CRD fields they use
// (strictly), and all of them against this server: every MAAS_* variable and flag is a real setting that parses,
// every probe path answers on a real server, and the names that tie the objects together resolve.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Ajv } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSettings, settingSpecs, settingsParseArgsOptions } from '../../server/settings.js';
import { repoRoot } from '../support/cli.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { kserveSchemas } from './kserve-schemas.js';

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML
type Manifest = Record<string, any>;
const deploy = join(repoRoot, 'deploy');
const read = (folder: string) =>
  readdirSync(join(deploy, folder))
    .filter((f) => f.endsWith('.yaml'))
    .map((file) => ({ file, doc: parse(readFileSync(join(deploy, folder, file), 'utf8')) as Manifest }));
const kubernetes = read('kubernetes');
const kserve = read('kserve');
const objects = [...kubernetes, ...kserve].filter((m) => m.doc.kind !== 'Kustomization').map((m) => m.doc);
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
const named = (kind: string, name: string) => byKind(kind).find((o) => o.metadata.name === name);
const models: Record<string, new (data: Manifest) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'v1 Service': Service,
  'v1 Secret': Secret,
  'v1 PersistentVolumeClaim': PersistentVolumeClaim,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};
const envNames = new Set(settingSpecs.map((s) => s.env));
const secretValue = (name: string, key: string): string | undefined => named('Secret', name)?.stringData?.[key];
const containers = (o: Manifest): Manifest[] => o.spec.template?.spec.containers ?? o.spec.containers;

describe('deploy/ manifests', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('are valid Kubernetes objects by its schemas, and the kustomization lists every file', () => {
    for (const o of objects.filter((o) => !o.apiVersion.startsWith('serving.kserve.io'))) {
      const Model = models[`${o.apiVersion} ${o.kind}`];
      expect(Model, `${o.apiVersion} ${o.kind}`).toBeDefined();
      expect(() => new Model!(o).validate(), `${o.kind} ${o.metadata.name}`).not.toThrow();
    }
    const kustomization = kubernetes.find((m) => m.doc.kind === 'Kustomization')!.doc;
    expect([...kustomization.resources].sort()).toEqual(
      kubernetes
        .filter((m) => m.doc.kind !== 'Kustomization')
        .map((m) => m.file)
        .sort(),
    );
  });

  it('has KServe objects with the fields of their CRDs, and nothing else', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const o of byKind('ServingRuntime').concat(byKind('InferenceService'))) {
      const validate = ajv.compile(kserveSchemas[o.kind as keyof typeof kserveSchemas]);
      expect(validate(o) ? [] : validate.errors, o.kind).toEqual([]);
    }
    // A typo is caught: the schema is closed at every level these manifests use.
    const runtime = structuredClone(named('ServingRuntime', 'maas-onnx')!);
    runtime.spec.containers[0].readinesProbe = runtime.spec.containers[0].readinessProbe;
    expect(ajv.compile(kserveSchemas.ServingRuntime)(runtime)).toBe(false);
    // Each InferenceService names a runtime that speaks its protocol.
    expect(byKind('InferenceService').length).toBe(2);
    for (const service of byKind('InferenceService')) {
      const model = service.spec.predictor.model;
      expect(named('ServingRuntime', model.runtime)?.spec.protocolVersions, service.metadata.name).toContain(
        model.protocolVersion,
      );
    }
  });

  it('configures maas only through real settings, which parse: serve and worker share one database and queue', () => {
    for (const o of byKind('Deployment')) {
      for (const c of containers(o)) {
        const env: Record<string, string> = {};
        for (const e of c.env ?? []) {
          expect(envNames.has(e.name), `${o.metadata.name}: ${e.name}`).toBe(true);
          const ref = e.valueFrom?.secretKeyRef;
          const value = ref ? secretValue(ref.name, ref.key) : e.value;
          expect(value, `${o.metadata.name}: ${e.name}`).toBeTypeOf('string');
          env[e.name] = value!;
        }
        const settings = loadSettings({ env, cwd: '/app' });
        expect(settings.database).toMatch(/^postgres:\/\//);
        expect(settings.queue).toBe(settings.database);
        if (c.args[0] === 'serve') {
          expect(settings.maxConcurrentJobs).toBe(0);
          // The drain is the server's: not-ready for the drain delay, then in-flight requests, within the grace period.
          expect(o.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
            settings.drainDelay + settings.shutdownTimeout,
          );
        } else {
          expect(c.args).toEqual(['worker']);
          expect(settings.maxConcurrentJobs).toBeGreaterThanOrEqual(1);
          expect(o.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(0);
        }
      }
    }
    const runtimeSettings = (name: string) => {
      const runtime = named('ServingRuntime', name)!.spec.containers[0];
      const { values, positionals } = parseArgs({
        args: runtime.args.slice(1),
        options: settingsParseArgsOptions(),
        strict: true,
      });
      expect([runtime.args[0], positionals]).toEqual(['serve', []]);
      return {
        runtime,
        settings: loadSettings({ flags: values as Record<string, string | boolean | undefined>, env: {} }),
      };
    };
    const http = runtimeSettings('maas-onnx');
    expect([http.settings.modelRepository, http.settings.port, http.settings.host]).toEqual([
      '/mnt/models',
      8080,
      '0.0.0.0',
    ]);
    expect(http.runtime.ports.map((p: Manifest) => p.containerPort)).toEqual([http.settings.port]);
    // KServe's one port of a gRPC runtime is named h2c and is the server's gRPC port.
    const grpc = runtimeSettings('maas-onnx-grpc');
    expect([grpc.settings.modelRepository, grpc.settings.grpc, grpc.settings.grpcPort]).toEqual([
      '/mnt/models',
      true,
      8081,
    ]);
    expect(grpc.runtime.ports).toEqual([{ name: 'h2c', containerPort: grpc.settings.grpcPort, protocol: 'TCP' }]);
  });

  it('probes routes the server answers, on the port it listens on', async () => {
    const probes = [
      ...byKind('Deployment').flatMap((o) => containers(o).map((c) => ({ c, ports: c.ports ?? [] }))),
      ...byKind('ServingRuntime').flatMap((o) => containers(o).map((c) => ({ c, ports: c.ports }))),
    ].flatMap(({ c, ports }) =>
      ['readinessProbe', 'livenessProbe', 'startupProbe']
        .filter((p) => c[p])
        .map((p) => ({ get: c[p].httpGet, grpc: c[p].grpc, ports: ports as Manifest[] })),
    );
    expect(probes.length).toBeGreaterThanOrEqual(7);
    const grpcProbes = probes.filter((p) => p.grpc);
    expect(grpcProbes.length).toBe(2);
    for (const { grpc, ports } of grpcProbes) expect(ports.map((p) => p.containerPort)).toContain(grpc.port);
    for (const { get, ports } of probes.filter((p) => !p.grpc)) {
      expect(get.path).toMatch(/^\/v2\/health\/(ready|live)$/);
      const port = typeof get.port === 'number' ? get.port : ports.find((p) => p.name === get.port)?.containerPort;
      expect(ports.map((p) => p.containerPort)).toContain(port);
      const res = await fetch(`${server.baseUrl}${get.path}`);
      expect(res.status, get.path).toBe(200);
    }
  });

  it('ties its objects together by names that resolve, and runs nothing as root', () => {
    const serve = named('Deployment', 'maas-serve')!;
    const hpa = byKind('HorizontalPodAutoscaler')[0]!;
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'maas-serve' });
    const service = named('Service', 'maas')!;
    expect(serve.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    const servePorts = containers(serve)[0]!.ports as Manifest[];
    for (const port of service.spec.ports) expect(servePorts.map((p) => p.name)).toContain(port.targetPort);
    // The gRPC port is the server's default one.
    expect(servePorts.find((p) => p.name === 'grpc')?.containerPort).toBe(loadSettings({ env: {} }).grpcPort);
    for (const o of byKind('Deployment')) {
      const pod = o.spec.template.spec;
      expect(o.spec.template.metadata.labels).toMatchObject(o.spec.selector.matchLabels);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      const volumes = new Set(pod.volumes.map((v: Manifest) => v.name));
      for (const c of containers(o)) for (const m of c.volumeMounts) expect(volumes.has(m.name)).toBe(true);
      for (const v of pod.volumes.filter((v: Manifest) => v.persistentVolumeClaim)) {
        const claim = named('PersistentVolumeClaim', v.persistentVolumeClaim.claimName)!;
        expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
      }
    }
    expect(secretValue('maas-database', 'url')).toContain('@maas-postgres:5432/');
    expect(named('Service', 'maas-postgres')?.spec.type).toBe('ExternalName');
  });

  it('builds a multi-stage, non-root image with npm ci --omit=dev plus the server peers the lock pins', () => {
    const dockerfile = readFileSync(join(deploy, 'Dockerfile'), 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const final = stages.at(-1)!;
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/^HEALTHCHECK [^\n]*\n[^\n]*\/v2\/health\/live/m);
    expect(final).toContain('ENTRYPOINT ["node", "dist/server/cli.js"]');
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toContain('npm install --no-save --omit=dev $(node deploy/peer-packages.mjs)');
    for (const [, name] of final.matchAll(/^\s+(MAAS_[A-Z_]+)=/gm)) expect(envNames.has(name!), name).toBe(true);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
    const peers = execFileSync(process.execPath, [join(deploy, 'peer-packages.mjs')], { encoding: 'utf8' })
      .trim()
      .split(' ');
    expect(peers).toEqual(
      Object.keys(pkg.peerDependencies)
        .filter((n) => n !== 'msw')
        .map((n) => `${n}@${lock.packages[`node_modules/${n}`].version}`),
    );
    expect(peers.map((p) => p.replace(/@[^@]+$/, ''))).toEqual(expect.arrayContaining(['pg', 'pg-boss', 'fastify']));
  });
});
