import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.contract.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // ONNX Runtime 1.29+ sends usage telemetry to Microsoft from Linux and macOS too (DNS and HTTPS about a minute
    // into a process); tests stay on the machine. Children the tests spawn inherit it through process.env.
    env: { ORT_DISABLE_TELEMETRY: '1' },
    reporters: ['default'],
  },
});
