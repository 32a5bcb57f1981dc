// Browser tests drive Debian's chromium (installed by .ci/run) with playwright-core: a fresh profile per file, and a
// watcher per page that records every console error, page error, failed request and HTTP error, so a test can say
// the page loaded clean — or which of those it expected.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { MaasClient } from '../../../src/index.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../../support/server.js';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The browser: MAAS_CHROMIUM, else Debian's chromium. */
export const CHROMIUM = process.env.MAAS_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots for people to look at (not compared by the tests). */
export const SCREENSHOTS = join(root, '.tmp', 'console');

const available = existsSync(CHROMIUM);
let warned = false;

/**
 * `describe`, or — only where no browser is installed — a skip that says so loudly on stderr. `.ci/run` installs
 * chromium with apt when it is missing, so in CI these tests run.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (available) {
    describe(name, body);
    return;
  }
  if (!warned) {
    warned = true;
    const line = '!'.repeat(100);
    process.stderr.write(
      `\n${line}\n!! BROWSER TESTS SKIPPED: no browser at ${CHROMIUM}. Install it (apt-get install -y chromium) or set MAAS_CHROMIUM.\n${line}\n\n`,
    );
  }
  describe.skip(`${name} (SKIPPED: no browser at ${CHROMIUM})`, body);
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless chromium with a fresh user-data-dir, removed on close. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'maas-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A job's event stream the page closes itself (the reader left the job's page) is reported as an aborted request. */
export const ABORTED_STREAM = /request failed: GET .*\/v1\/training-jobs\/job_\w+\/events.* net::ERR_ABORTED/;

export interface PageProblems {
  /** Console errors and warnings, page errors (uncaught), failed requests, and responses with status >= 400. */
  readonly all: string[];
  /** The problems not matched by any of `expected`. */
  unexpected(...expected: RegExp[]): string[];
}

/** Records what went wrong on a page from now on. */
export function watchPage(page: Page): PageProblems {
  const all: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      all.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => all.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    all.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400)
      all.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return {
    all,
    unexpected: (...expected) => all.filter((p) => !expected.some((e) => e.test(p))),
  };
}

/** Saves a full-page screenshot under .tmp/console/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A real server on 127.0.0.1:0 with a copy of the demo models; fails (not skips) when the console is not built. */
export async function startConsoleServer(options: TestServerOptions = {}): Promise<TestServer> {
  if (!existsSync(join(root, 'dist', 'console', 'index.html'))) {
    throw new Error('dist/console is not built: run `npm run build` before the browser tests (npm test does)');
  }
  const models = mkdtempSync(join(tmpdir(), 'maas-console-models-'));
  cpSync(join(root, 'examples', 'models'), models, { recursive: true });
  const server = await startTestServer({ modelRepository: models, ...options });
  return {
    ...server,
    async close() {
      await server.close();
      rmSync(models, { recursive: true, force: true });
    },
  };
}

export interface ConsoleTestEnv {
  server: TestServer;
  browser: Browser;
  /** The SDK over undici (not the page's path), with the server's first API key when it has keys. */
  client: MaasClient;
}

/** A console server, a browser and an SDK client for one test file, started before its tests and closed after. */
export function consoleTestEnv(options: TestServerOptions = {}): ConsoleTestEnv {
  const env = {} as ConsoleTestEnv;
  beforeAll(async () => {
    env.server = await startConsoleServer(options);
    env.browser = await launchBrowser();
    env.client = new MaasClient({ baseUrl: env.server.baseUrl, apiKey: options.apiKeys?.[0] ?? null });
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.client?.close();
    await env.server?.close();
  });
  return env;
}
