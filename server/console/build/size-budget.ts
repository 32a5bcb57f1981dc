// A build step that measures what each page really downloads (its HTML, the JS chunks it loads — static and lazy —
// and their CSS), gzipped, writes `size-report.json` next to the build, prints it, and fails the build when a page
// is over its budget. It measures the bundle as emitted, so a new dependency shows up in the figure at once.
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Gzipped bytes allowed per page, by the HTML entry's output name (e.g. `index.html`). */
export type Budgets = Record<string, number>;

export interface PageSize {
  page: string;
  files: { file: string; bytes: number; gzip: number }[];
  bytes: number;
  gzip: number;
  budget: number | null;
}

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  code: string;
  imports: string[];
  dynamicImports: string[];
  facadeModuleId?: string | null;
  isEntry: boolean;
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
}
interface AssetLike {
  type: 'asset';
  fileName: string;
  source: string | Uint8Array;
}
type OutputLike = ChunkLike | AssetLike;

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** Every file a page pulls in, starting from its entry chunk. */
function filesOf(entry: ChunkLike, bundle: Record<string, OutputLike>): string[] {
  const seen = new Set<string>();
  const visit = (fileName: string) => {
    if (seen.has(fileName)) return;
    seen.add(fileName);
    const out = bundle[fileName];
    if (out?.type !== 'chunk') return;
    for (const css of out.viteMetadata?.importedCss ?? []) seen.add(css);
    for (const asset of out.viteMetadata?.importedAssets ?? []) seen.add(asset);
    for (const next of [...out.imports, ...out.dynamicImports]) visit(next);
  };
  visit(entry.fileName);
  return [...seen];
}

function sizeOf(out: OutputLike): { bytes: number; gzip: number } {
  const data = out.type === 'chunk' ? Buffer.from(out.code) : Buffer.from(out.source);
  return { bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
}

/** The size report and budget check, as a Vite plugin. */
export function sizeBudget(budgets: Budgets): Plugin {
  return {
    name: 'maas-size-budget',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const outputs = bundle as unknown as Record<string, OutputLike>;
      const pages: PageSize[] = [];
      for (const out of Object.values(outputs)) {
        if (out.type !== 'chunk' || !out.isEntry || !out.facadeModuleId?.endsWith('.html')) continue;
        const html = Object.values(outputs).find(
          (o) => o.type === 'asset' && o.fileName.endsWith('.html') && htmlLoads(o, out.fileName),
        );
        const files = [...(html ? [html.fileName] : []), ...filesOf(out, outputs)].map((file) => ({
          file,
          ...sizeOf(outputs[file]!),
        }));
        const page = html?.fileName ?? out.fileName;
        pages.push({
          page,
          files,
          bytes: files.reduce((sum, f) => sum + f.bytes, 0),
          gzip: files.reduce((sum, f) => sum + f.gzip, 0),
          budget: budgets[page] ?? null,
        });
      }
      pages.sort((a, b) => a.page.localeCompare(b.page));
      for (const name of Object.keys(budgets)) {
        if (!pages.some((p) => p.page === name)) this.error(`size budget: no page ${name} in the build`);
      }
      this.emitFile({ type: 'asset', fileName: 'size-report.json', source: `${JSON.stringify(pages, null, 2)}\n` });
      const lines = pages.map(
        (p) =>
          `  ${p.page.padEnd(18)} ${kib(p.gzip).padStart(10)} gzip  ${kib(p.bytes).padStart(11)} raw  ${
            p.budget === null ? 'no budget' : `budget ${kib(p.budget)}`
          }`,
      );
      this.info(`page sizes (everything a page loads, lazy chunks included):\n${lines.join('\n')}`);
      const over = pages.filter((p) => p.budget !== null && p.gzip > p.budget);
      if (over.length > 0) {
        this.error(
          over.map((p) => `${p.page} is ${kib(p.gzip)} gzipped, over its budget of ${kib(p.budget!)}`).join('; '),
        );
      }
    },
  };
}

function htmlLoads(html: AssetLike, chunkFile: string): boolean {
  const text = typeof html.source === 'string' ? html.source : Buffer.from(html.source).toString('utf8');
  return text.includes(`/${chunkFile}"`);
}
