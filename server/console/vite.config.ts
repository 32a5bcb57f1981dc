// The console (/console) and the API reference (/docs), built into dist/console by `npm run build` (after tsup,
// which empties dist/). Both are static files the server sends with a strict Content-Security-Policy: no inline
// script or style, so the module-preload polyfill (an inline script in some setups) is off and nothing is inlined.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { sizeBudget } from './build/size-budget.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/console/',
  publicDir: false,
  logLevel: 'info',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2048,
    rollupOptions: {
      input: { console: here('index.html'), docs: here('docs/index.html') },
      checks: { pluginTimings: false },
    },
  },
  plugins: [sizeBudget({ 'index.html': 200 * 1024 })],
});
