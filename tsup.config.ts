import { defineConfig } from 'tsup';

// The SDK and msw entries ship ESM + CJS + d.ts; the server ships as its own entries so that
// `import 'maas'` never pulls server code. Heavy runtime packages stay external (optional peers).
const external = [
  'onnxruntime-node',
  'better-sqlite3',
  'pg',
  'pg-boss',
  'fastify',
  'onnx-proto',
  'prom-client',
  'msw',
  'msw/node',
  'undici',
  '@grpc/grpc-js',
  '@grpc/proto-loader',
];

export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'msw/index': 'src/msw/index.ts', 'grpc/index': 'src/grpc/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    external,
  },
  {
    entry: { 'server/index': 'server/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    shims: true,
    target: 'node20',
    external,
  },
  {
    entry: {
      'server/cli': 'server/cli.ts',
      'server/jobs/worker': 'server/jobs/worker.ts',
      'server/inference/session-worker': 'server/inference/session-worker.ts',
    },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    external,
  },
]);
