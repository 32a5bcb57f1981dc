// The build's size check: what a page loads (its HTML, its chunks static and lazy, their CSS), gzipped, against the
// page's budget; over it, the build fails.
import { expect, it } from 'vitest';
import { type PageSize, sizeBudget } from '../../server/console/build/size-budget.js';

function bundle(jsBytes: number) {
  const random = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(33 + Math.floor(Math.random() * 90))).join('');
  return {
    'index.html': { type: 'asset', fileName: 'index.html', source: '<script src="/console/assets/app.js"></script>' },
    'assets/app.js': {
      type: 'chunk',
      fileName: 'assets/app.js',
      code: random(jsBytes),
      imports: [],
      dynamicImports: ['assets/lazy.js'],
      isEntry: true,
      facadeModuleId: '/x/index.html',
      viteMetadata: { importedCss: new Set(['assets/app.css']), importedAssets: new Set() },
    },
    'assets/lazy.js': {
      type: 'chunk',
      fileName: 'assets/lazy.js',
      code: 'export const x = 1;',
      imports: [],
      dynamicImports: [],
      isEntry: false,
    },
    'assets/app.css': { type: 'asset', fileName: 'assets/app.css', source: 'body{margin:0}' },
    'assets/other.js': {
      type: 'chunk',
      fileName: 'assets/other.js',
      code: random(5000),
      imports: [],
      dynamicImports: [],
      isEntry: false,
    },
  };
}

function run(budget: number, jsBytes: number) {
  const emitted: { fileName: string; source: string }[] = [];
  const plugin = sizeBudget({ 'index.html': budget });
  const context = {
    error: (message: string) => {
      throw new Error(message);
    },
    info: () => {},
    emitFile: (file: { fileName: string; source: string }) => emitted.push(file),
  };
  (plugin.generateBundle as (this: unknown, o: unknown, b: unknown) => void).call(context, {}, bundle(jsBytes));
  return JSON.parse(emitted[0]!.source) as PageSize[];
}

it('counts every file the page loads, lazy chunks and CSS included, and nothing else', () => {
  const [page] = run(100_000, 2000);
  expect(page!.page).toBe('index.html');
  expect(page!.files.map((f) => f.file).sort()).toEqual([
    'assets/app.css',
    'assets/app.js',
    'assets/lazy.js',
    'index.html',
  ]);
  expect(page!.gzip).toBe(page!.files.reduce((n, f) => n + f.gzip, 0));
  expect(page!.gzip).toBeGreaterThan(1000); // random text does not compress much
});

it('fails the build above the budget, saying by how much', () => {
  expect(() => run(1024, 4000)).toThrow(/^index\.html is \d+\.\d KiB gzipped, over its budget of 1\.0 KiB$/);
});
