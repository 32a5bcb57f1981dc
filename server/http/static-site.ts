// A folder of built files (the console and the API reference) served as they are: only the files found in it, read
// once into memory, gzipped once when asked, with the security headers of a page that runs no inline code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Scripts, styles, fonts and requests from this origin only; no inline script or style, no eval, no plugins, no
 * framing. `data:` images are for the blank favicon and the API reference's icons; `blob:` for downloads of results.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
  /** Built with a content hash in its name: cacheable for good. */
  immutable: boolean;
  gzip?: Buffer;
}

/** The files of one built folder, by their path relative to it (`assets/console-1a2b.js`). */
export class StaticSite {
  readonly #dir: string;
  #files: Map<string, StaticFile> | undefined;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Whether the folder has been built (it holds `index.html`). */
  built(): boolean {
    return this.#load().has('index.html');
  }

  has(path: string): boolean {
    return this.#load().has(path);
  }

  /** Sends one file of the folder (which must exist: check `has` first). */
  send(request: FastifyRequest, reply: FastifyReply, path: string): FastifyReply {
    const file = this.#load().get(path);
    if (!file) throw new Error(`static file ${path} is not in ${this.#dir}`);
    reply.headers(SECURITY_HEADERS);
    reply.header('content-type', file.type);
    reply.header('etag', file.etag);
    reply.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('vary', 'accept-encoding');
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    if (file.type !== CONTENT_TYPES['.png'] && acceptsGzip(request.headers['accept-encoding'])) {
      file.gzip ??= gzipSync(file.body);
      return reply.header('content-encoding', 'gzip').send(file.gzip);
    }
    return reply.send(file.body);
  }

  // Read on first use rather than at startup: `npm run build` may run after the server module loaded (tests).
  #load(): Map<string, StaticFile> {
    if (this.#files?.has('index.html')) return this.#files;
    const files = new Map<string, StaticFile>();
    for (const path of listFiles(this.#dir)) {
      const body = readFileSync(join(this.#dir, path));
      const name = relative(this.#dir, join(this.#dir, path));
      files.set(name.split(sep).join('/'), {
        body,
        type: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
        etag: `"${body.length.toString(16)}-${statSync(join(this.#dir, path)).mtimeMs.toString(16)}"`,
        immutable: name.startsWith(`assets${sep}`),
      });
    }
    this.#files = files;
    return files;
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  let names: string[];
  try {
    names = readdirSync(join(dir, prefix));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = prefix ? join(prefix, name) : name;
    return statSync(join(dir, path)).isDirectory() ? listFiles(dir, path) : [path];
  });
}

function acceptsGzip(header: string | undefined): boolean {
  return header !== undefined && /(^|[\s,])gzip(?!;\s*q=0(\.0*)?(\s|,|$))/i.test(header);
}
